"""The applications behind a bar or point of any chart."""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters

DRILLDOWN_COLUMNS: tuple[str, ...] = (
    "application_id", "candidate_id", "job_name", "department_name", "channel_name", "stage_name",
    "stage_type", "application_date", "hired_at", "furthest_step",
)


def drilldown(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None, **selection: Any) -> pl.DataFrame:
    """Cohort applications matching `selection` (DRILLDOWN_COLUMNS, sorted by application_date desc).

    Keys: step (furthest rank >= step's rank, as the funnel counts), furthest_step (exact),
    bucket_start + bucket ("day"|"week"|"month"), stage_type / stage_name / stage_id (current stage),
    from_stage_type / from_stage_name (+ kind "rejected"|"withdrawn": rejections by stage),
    offer_outcome, hired (True: hires by hire date in range instead of the application cohort),
    and any column of the facts frame by equality (channel_name, job_id, category_name, ...)."""
    raise NotImplementedError
