"""Applications per stage now or as of a past moment."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from dashboard.schema import Tables
from metrics.common import lit_ts, type_order
from metrics.filters import Filters
from metrics.stages import cohort, get_facts, rank_of, scoped_transitions

STAGE_COLS: tuple[str, ...] = ("stage_id", "stage_name", "stage_type")


def applications_per_stage(
    t: Tables, f: Filters, at: datetime | None = None, *, facts: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Count of cohort applications by stage, now (`at` None) or as of `at`.

    Columns: stage_type, stage_name, stage_id, rank (Int8, null for unranked), count (UInt32),
    position_in_type (UInt32, see `pipeline_order`; null for a stage the company's pipelines do not list),
    pipeline (category names of the stage, ", "-joined; "" when not listed); ordered by type (funnel,
    exits, other), then position_in_type, then name, so "now" and any "as of" list stages in one order.
    With `at`: applications created after
    `at` are not counted; the stage at `at` is the to-stage of the last transition at or before `at`,
    else the first stage (from-stage of the first transition, else the current stage)."""
    apps = cohort(get_facts(t, f, facts))
    if at is None:
        current = apps.select(*STAGE_COLS)
    else:
        apps = apps.filter(pl.col("created_at") <= lit_ts(at))
        tr = scoped_transitions(t, apps)
        last = (
            tr.filter(pl.col("transitioned_at") <= lit_ts(at))
            .group_by("application_id")
            .agg(pl.col(f"to_{c}").last().alias(f"last_{c}") for c in STAGE_COLS)
            .with_columns(pl.lit(True).alias("has_last"))
        )
        first = (
            tr.group_by("application_id")
            .agg(pl.col(f"from_{c}").first().alias(f"first_{c}") for c in STAGE_COLS)
            .with_columns(pl.lit(True).alias("has_first"))
        )
        joined = apps.join(last, on="application_id", how="left").join(first, on="application_id", how="left")
        current = joined.select(
            pl.when(pl.col("has_last"))
            .then(pl.col(f"last_{c}"))
            .when(pl.col("has_first"))
            .then(pl.col(f"first_{c}"))
            .otherwise(pl.col(c))
            .alias(c)
            for c in STAGE_COLS
        )
    counts = current.group_by("stage_type", "stage_name", "stage_id").agg(pl.len().cast(pl.UInt32).alias("count"))
    return (
        counts.with_columns(rank_of(pl.col("stage_type")).alias("rank"))
        .join(pipeline_order(t), on="stage_id", how="left")
        .with_columns(pl.col("pipeline").fill_null(""))
        .sort(type_order(pl.col("stage_type")), "position_in_type", "stage_name", "stage_id", nulls_last=True)
        .select("stage_type", "stage_name", "stage_id", "rank", "count", "position_in_type", "pipeline")
    )


def pipeline_order(t: Tables) -> pl.DataFrame:
    """Every stage the company's pipelines list, in one fixed order that no filter or date changes.

    Columns: stage_id, position_in_type (UInt32: 0, 1, ... among the stages of its type, ordered by
    pipeline, then the stage's position in it, then name and id), pipeline (names of the job categories
    whose pipeline lists the stage, sorted, ", "-joined; "" when no job names them)."""
    names = t.jobs.select("category_id", "category_name").drop_nulls().unique("category_id")
    stages = (
        t.stages.drop_nulls("stage_id")
        .join(names, on="category_id", how="left")
        .group_by("stage_id")
        .agg(
            pl.col("stage_type").first(), pl.col("stage_name").first(), pl.col("position").min(),
            pl.col("category_name").drop_nulls().unique().sort().str.join(", ").alias("pipeline"),
        )
        .sort(type_order(pl.col("stage_type")), "pipeline", "position", "stage_name", "stage_id", nulls_last=True)
    )
    return stages.select(
        "stage_id",
        pl.int_range(pl.len(), dtype=pl.UInt32).over(pl.col("stage_type").fill_null("")).alias("position_in_type"),
        "pipeline",
    )
