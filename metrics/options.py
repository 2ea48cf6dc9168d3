"""Sidebar filter options narrowed by the other filters, with the applications each would keep."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters, date_in_range, scoped_applications, scoped_jobs
from metrics.stages import cohort, get_facts

# sidebar dimension -> (Filters field, column holding its values)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "jobs": ("job_ids", "job_id"),
    "departments": ("departments", "department_name"),
    "categories": ("categories", "category_name"),
    "locations": ("locations", "location"),
    "channels": ("channels", "channel_name"),
}


def filter_options(t: Tables, f: Filters, dimension: str) -> pl.DataFrame:
    """Values of one filter that fit every OTHER filter: value (str), applications (u32, dated in range).

    A job attribute (job, department, category, location) fits when some job in scope of the other
    job filters has it (with a channel chosen: some application of that channel); a channel fits when
    some application in scope uses it, at any date. `applications` counts the application cohort those
    filters plus this value would keep. Sorted by value."""
    field, col = DIMENSIONS[dimension]
    other = replace(f, **{field: ()})
    apps = scoped_applications(t, other)
    counts = (apps.filter(date_in_range(pl.col("application_date"), other))
              .group_by(col).agg(pl.len().cast(pl.UInt32).alias("applications")))
    if col == "channel_name" or other.channels:
        universe = apps.select(pl.col(col).cast(pl.String)).unique()
    else:
        universe = scoped_jobs(t, other).select(pl.col(col).cast(pl.String)).unique()
    out = universe.join(counts, on=col, how="left").with_columns(pl.col("applications").fill_null(0))
    return out.select(pl.col(col).alias("value"), "applications").drop_nulls("value").sort("value")


def cohort_size(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> int:
    """Applications dated in the range that pass every filter (the application cohort's size)."""
    return cohort(get_facts(t, f, facts)).height
