"""The dashboard's filter selection and the ONE place that applies it to the tables."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import polars as pl

from dashboard.schema import UNKNOWN, UTC_TS, Tables
from metrics.attribution import restrict_jobs_to_members, restrict_to_members

JOB_ATTRS: tuple[str, ...] = ("job_name", "department_name", "category_name", "location", "employment_type")


@dataclass(frozen=True)
class Filters:
    """Sidebar selection: inclusive date range on the cohort date plus label filters (empty = all)."""

    date_from: date | None = None
    date_to: date | None = None  # inclusive
    job_ids: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # hiring-team role names (metrics/attribution.py)
    members: tuple[str, ...] = ()  # hiring-team person ids

    @property
    def has_dates(self) -> bool:
        """True when either end of the date range is set."""
        return self.date_from is not None or self.date_to is not None


def previous_period(f: Filters) -> Filters | None:
    """The same filters shifted to the period of equal length ending the day before `date_from`.

    None when the range is not closed on both ends (no comparable previous period)."""
    if f.date_from is None or f.date_to is None:
        return None
    length = f.date_to - f.date_from
    end = f.date_from - timedelta(days=1)
    return replace(f, date_from=end - length, date_to=end)


def scoped_jobs(t: Tables, f: Filters) -> pl.DataFrame:
    """Jobs passing the job-level filters (job, department, category, location, team member); JOBS_SCHEMA columns."""
    jobs = t.jobs.with_columns(pl.col(c).fill_null(UNKNOWN) for c in JOB_ATTRS)
    return restrict_jobs_to_members(t, jobs.filter(*_label_conditions(f, channels=False)), f.roles, f.members)


def _label_conditions(f: Filters, *, channels: bool = True) -> list[pl.Expr]:
    """Filter conditions for every non-empty label filter (on job-attribute / channel columns)."""
    wanted = [
        ("job_id", f.job_ids),
        ("department_name", f.departments),
        ("category_name", f.categories),
        ("location", f.locations),
    ]
    if channels:
        wanted.append(("channel_name", f.channels))
    return [pl.col(col).is_in(list(values)) for col, values in wanted if values] or [pl.lit(True)]


def scoped_applications(t: Tables, f: Filters) -> pl.DataFrame:
    """Applications with job attributes, filtered by every dimension but NOT by date.

    Columns: APPLICATIONS_SCHEMA + job_name, department_name, category_name, location,
    employment_type (missing job -> "Unknown"), job_created_at (Datetime UTC, null when no job)."""
    jobs = (
        t.jobs.select("job_id", *JOB_ATTRS, pl.col("created_at").cast(UTC_TS).alias("job_created_at"))
        .unique("job_id", keep="first")
    )
    apps = t.applications.join(jobs, on="job_id", how="left", coalesce=True, maintain_order="left")
    apps = apps.with_columns(
        pl.col(*JOB_ATTRS).fill_null(UNKNOWN),
        pl.col("channel_name").fill_null(UNKNOWN),
        pl.col("application_date").fill_null(pl.col("created_at").dt.date()),
    )
    return restrict_to_members(t, apps.filter(*_label_conditions(f)), f.roles, f.members)


def date_in_range(expr: pl.Expr, f: Filters) -> pl.Expr:
    """Boolean expression: the calendar date (UTC) of `expr` (Date or UTC Datetime) lies in the filter range.

    Used for completion cohorts (hire date, offer date, fill date). Always true without a range;
    null dates are never in a closed range but are kept when there is no range. Compares instants with
    the range's UTC midnights (date >= from <=> t >= from 00:00; date <= to <=> t < the next day's
    00:00) as integers: taking the date of every timestamp cost 8-40x as much."""
    if not f.has_dates:
        return expr.is_null() | expr.is_not_null()  # all true, with the length of `expr`
    at = expr.cast(UTC_TS).to_physical()  # microseconds since the epoch (integer comparisons are cheapest)
    lo = None if f.date_from is None else _utc_midnight_us(f.date_from)
    hi = None if f.date_to is None or f.date_to == date.max else _utc_midnight_us(f.date_to + timedelta(days=1))
    if lo is not None and hi is not None:
        cond = at.is_between(lo, hi, closed="left")
    else:
        cond = at >= lo if lo is not None else at < hi if hi is not None else at.is_not_null()
    return cond.fill_null(False)


def _utc_midnight_us(day: date) -> int:
    """00:00 UTC of `day` in microseconds since the epoch (the physical value of a UTC_TS timestamp)."""
    return (datetime(day.year, day.month, day.day, tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def application_cohort(t: Tables, f: Filters) -> pl.DataFrame:
    """`scoped_applications` whose application_date lies in the filter range (same columns)."""
    return scoped_applications(t, f).filter(date_in_range(pl.col("application_date"), f))
