"""Applications per stage now or as of a past moment."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def applications_per_stage(
    t: Tables, f: Filters, at: datetime | None = None, *, facts: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Count of cohort applications by stage, now (`at` None) or as of `at`.

    Columns: stage_type, stage_name, stage_id, rank (Int8, null for unranked), count (UInt32);
    ordered by funnel rank, then exits/other, then count desc. With `at`: applications created after
    `at` are not counted; the stage at `at` is the to-stage of the last transition at or before `at`,
    else the first stage (from-stage of the first transition, else the current stage)."""
    raise NotImplementedError
