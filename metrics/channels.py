"""Per-channel conversion rates and candidate quality (furthest stage distribution)."""

from __future__ import annotations

import polars as pl

from dashboard.schema import FUNNEL_STEPS, Tables
from metrics.filters import Filters
from metrics.stages import cohort, get_facts
from metrics.stats import wilson_exprs

TOO_FEW = 20


def channel_conversion(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per channel of the application cohort.

    Columns: channel_name, applications, reached_new, reached_screening, reached_interviews,
    reached_offer, reached_hired, interview_rate / _lo / _hi (reached_interviews / applications),
    hire_rate / _lo / _hi (reached_hired / applications), too_few_to_judge (applications < 20).
    Sorted by applications desc."""
    apps = cohort(get_facts(t, f, facts))
    out = apps.group_by("channel_name").agg(
        pl.len().cast(pl.UInt32).alias("applications"),
        *((pl.col("furthest_rank") >= k).sum().cast(pl.UInt32).alias(f"reached_{s}") for k, s in enumerate(FUNNEL_STEPS)),
    )
    return out.with_columns(
        *wilson_exprs(pl.col("reached_interviews"), pl.col("applications"), "interview_rate"),
        *wilson_exprs(pl.col("reached_hired"), pl.col("applications"), "hire_rate"),
        (pl.col("applications") < TOO_FEW).alias("too_few_to_judge"),
    ).sort(pl.col("applications"), pl.col("channel_name"), descending=[True, False])


def channel_quality(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per channel x furthest step: channel_name, furthest_step, rank, applications, share.

    Every channel has all five steps (zero rows included); shares within a channel sum to 1."""
    apps = cohort(get_facts(t, f, facts))
    steps = pl.DataFrame(
        {"furthest_step": list(FUNNEL_STEPS), "rank": list(range(len(FUNNEL_STEPS)))},
        schema={"furthest_step": pl.String, "rank": pl.Int8},
    )
    grid = apps.select("channel_name").unique().sort("channel_name").join(steps, how="cross")
    counts = apps.group_by("channel_name", pl.col("furthest_rank").alias("rank")).agg(
        pl.len().cast(pl.UInt32).alias("applications")
    )
    out = grid.join(counts, on=["channel_name", "rank"], how="left", maintain_order="left").with_columns(
        pl.col("applications").fill_null(0)
    )
    share = pl.col("applications") / pl.col("applications").sum().over("channel_name")
    return out.with_columns(share.alias("share")).select("channel_name", "furthest_step", "rank", "applications", "share")
