"""Application volume over time and per job / category / department / location / channel."""

from __future__ import annotations

from typing import Literal

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters

Bucket = Literal["day", "week", "month"]
Dimension = Literal["job", "category", "department", "location", "channel"]
SPLIT_COLUMNS: dict[str, str] = {
    "channel": "channel_name",
    "job": "job_name",
    "department": "department_name",
    "category": "category_name",
    "location": "location",
}
STAGE_COUNT_COLUMNS: tuple[str, ...] = (
    "n_new", "n_screening", "n_interviews", "n_offer", "n_hired",
    "n_rejected", "n_withdrawn", "n_talent_pool", "n_other", "n_unassigned", "n_unknown_type",
)


def volume_over_time(
    t: Tables,
    f: Filters,
    bucket: Bucket = "week",
    split_by: str | None = None,
    *,
    facts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Cohort applications per calendar bucket of application_date (ISO week starts Monday).

    Columns: bucket_start (Date), [split column: channel_name | job_name | department_name |
    category_name | location when `split_by` is channel/job/department/category/location],
    applications (UInt32). Every bucket of the range (filter range, or data range where open) is
    present, zero when empty, for every split value seen in the cohort."""
    raise NotImplementedError


def applications_by(
    t: Tables, f: Filters, dimension: Dimension, *, facts: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Cohort applications per job / category / department / location / channel.

    Columns: key (job_id for "job", else the label), label, applications, hires (current type
    hired), n_<type> per current stage type (STAGE_COUNT_COLUMNS; n_unknown_type = any type not in
    the known list), share (applications / cohort size). Sorted by applications desc, label."""
    raise NotImplementedError
