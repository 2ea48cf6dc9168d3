"""The applications behind a bar or point of any chart."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from dashboard.schema import FUNNEL_STEPS, UNKNOWN, Tables
from metrics.filters import Filters, date_in_range
from metrics.stages import get_facts, transitions_of
from metrics.volume import bucket_expr

DRILLDOWN_COLUMNS: tuple[str, ...] = (
    "application_id",
    "candidate_id",
    "job_name",
    "department_name",
    "channel_name",
    "stage_name",
    "stage_type",
    "application_date",
    "hired_at",
    "furthest_step",
)
_CONTROL_KEYS = {"step", "bucket_start", "bucket", "from_stage_type", "from_stage_name", "kind", "hired"}


def drilldown(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None, **selection: Any) -> pl.DataFrame:
    """Cohort applications matching `selection` (DRILLDOWN_COLUMNS, sorted by application_date desc).

    Keys: step (furthest rank >= step's rank, as the funnel counts), furthest_step (exact),
    bucket_start + bucket ("day"|"week"|"month"), stage_type / stage_name / stage_id (current stage),
    from_stage_type / from_stage_name (+ kind "rejected"|"withdrawn": rejections by stage),
    offer_outcome, hired (True: hires by hire date in range instead of the application cohort),
    and any column of the facts frame by equality (channel_name, job_id, category_name, ...).
    Unknown keys raise ValueError."""
    facts = get_facts(t, f, facts)
    if selection.get("hired"):
        rows = facts.filter(
            (pl.col("stage_type") == "hired")
            & pl.col("hired_at").is_not_null()
            & date_in_range(pl.col("hired_at"), f)
        )
    else:
        rows = facts.filter(pl.col("in_cohort"))
    for key, value in selection.items():
        if key in _CONTROL_KEYS:
            continue
        if key not in rows.columns:
            raise ValueError(f"unknown drilldown key: {key}")
        rows = rows.filter(pl.col(key).is_null() if value is None else pl.col(key) == value)
    if "step" in selection:
        rows = rows.filter(pl.col("furthest_rank") >= FUNNEL_STEPS.index(selection["step"]))
    if "bucket_start" in selection:
        start: date = selection["bucket_start"]
        rows = rows.filter(bucket_expr(pl.col("application_date"), selection.get("bucket", "week")) == start)
    if "from_stage_type" in selection or "from_stage_name" in selection:
        rows = _by_exit_stage(t, rows, selection)
    return rows.sort("application_date", "application_id", descending=[True, False]).select(DRILLDOWN_COLUMNS)


def _by_exit_stage(t: Tables, rows: pl.DataFrame, selection: dict[str, Any]) -> pl.DataFrame:
    """Applications with a transition into `kind` from the selected stage ("Unknown": none at all)."""
    kind = selection.get("kind", "rejected")
    into = transitions_of(t, rows).filter(pl.col("to_stage_type") == kind)
    ftype, fname = selection.get("from_stage_type"), selection.get("from_stage_name")
    if ftype == UNKNOWN and fname in (None, UNKNOWN):
        with_unknown_from = into.filter(pl.col("from_stage_type").is_null())
        no_transition = rows.filter(pl.col("stage_type") == kind).join(into, on="application_id", how="anti")
        return rows.filter(
            pl.col("application_id").is_in(no_transition["application_id"])
            | pl.col("application_id").is_in(with_unknown_from["application_id"])
        )
    if ftype is not None:
        into = into.filter(pl.col("from_stage_type").fill_null(UNKNOWN) == ftype)
    if fname is not None:
        into = into.filter(pl.col("from_stage_name").fill_null(UNKNOWN) == fname)
    return rows.join(into.select("application_id").unique(), on="application_id", how="semi")
