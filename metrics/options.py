"""Sidebar filter options narrowed by the other filters, with the applications each would keep."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from dashboard.schema import Tables
from metrics.attribution import attribution, job_members, member_condition
from metrics.filters import Filters, date_in_range, scoped_applications, scoped_jobs
from metrics.stages import cohort, get_facts

# sidebar dimension -> (Filters field, column holding its values)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "jobs": ("job_ids", "job_id"),
    "departments": ("departments", "department_name"),
    "categories": ("categories", "category_name"),
    "locations": ("locations", "location"),
    "channels": ("channels", "channel_name"),
    "roles": ("roles", "role"),  # hiring-team role names (metrics/attribution.py)
    "members": ("members", "person_id"),  # hiring-team person ids
}
TEAM_DIMENSIONS: frozenset[str] = frozenset({"roles", "members"})


def filter_options(t: Tables, f: Filters, dimension: str) -> pl.DataFrame:
    """Values of one filter that fit every OTHER filter: value (str), applications (u32, dated in range).

    A job attribute (job, department, category, location) fits when some job in scope of the other
    job filters has it (with a channel chosen: some application of that channel; with a role or member
    chosen, also the job of some application attributed to them); a channel fits when some application
    in scope uses it, at any date; a role or member as in `_team_options`. `applications` counts the
    application cohort those filters plus this value would keep. Sorted by value."""
    if dimension in TEAM_DIMENSIONS:
        return _team_options(t, f, dimension)
    field, col = DIMENSIONS[dimension]
    other = replace(f, **{field: ()})
    apps = scoped_applications(t, other)
    counts = (apps.filter(date_in_range(pl.col("application_date"), other))
              .group_by(col).agg(pl.len().cast(pl.UInt32).alias("applications")))
    from_apps = col == "channel_name" or bool(other.channels or other.roles or other.members)
    sources = [apps.select(pl.col(col).cast(pl.String))] if from_apps else []
    if col != "channel_name" and not other.channels:
        sources.append(scoped_jobs(t, other).select(pl.col(col).cast(pl.String)))
    return _with_counts(pl.concat(sources).unique(), counts, col)


def _team_options(t: Tables, f: Filters, dimension: str) -> pl.DataFrame:
    """Roles or members (person ids) that fit every other filter, as `filter_options` returns them.

    A member fits when some application in scope (any date) is attributed to them (own team, else the
    job's) or, without a channel chosen, the own team of some job in scope holds them; with the other team
    filter set, only member rows matching it count (a role and a person must meet in one member, as the
    filters apply them). `applications` counts each application once however many members it shares.
    Unassigned is never an option (a team filter cannot select it)."""
    field, col = DIMENSIONS[dimension]
    other = replace(f, **{field: ()})
    who = member_condition(other.roles, other.members)
    apps = scoped_applications(t, other).select("application_id", "application_date")
    attributed = apps.join(attribution(t), on="application_id").filter(who)
    counts = (attributed.filter(date_in_range(pl.col("application_date"), other))
              .group_by(col).agg(pl.col("application_id").n_unique().cast(pl.UInt32).alias("applications")))
    sources = [attributed.select(col)]
    if not other.channels:
        jobs = scoped_jobs(t, other).select("job_id")
        sources.append(job_members(t).join(jobs, on="job_id", how="semi").filter(who).select(col))
    return _with_counts(pl.concat(sources).unique(), counts, col)


def _with_counts(universe: pl.DataFrame, counts: pl.DataFrame, col: str) -> pl.DataFrame:
    """value, applications (0 where `counts` has none) for every non-null value of `universe`, sorted."""
    out = universe.join(counts, on=col, how="left").with_columns(pl.col("applications").fill_null(0))
    return out.select(pl.col(col).alias("value"), "applications").drop_nulls("value").sort("value")


def cohort_size(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> int:
    """Applications dated in the range that pass every filter (the application cohort's size)."""
    return cohort(get_facts(t, f, facts)).height
