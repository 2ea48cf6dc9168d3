"""The dashboard's filter selection and the ONE place that applies it to the tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from dashboard.schema import Tables

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

    @property
    def has_dates(self) -> bool:
        """True when either end of the date range is set."""
        return self.date_from is not None or self.date_to is not None


def previous_period(f: Filters) -> Filters | None:
    """The same filters shifted to the period of equal length ending the day before `date_from`.

    None when the range is not closed on both ends (no comparable previous period)."""
    raise NotImplementedError


def scoped_jobs(t: Tables, f: Filters) -> pl.DataFrame:
    """Jobs passing the job-level filters (job, department, category, location); columns of JOBS_SCHEMA."""
    raise NotImplementedError


def scoped_applications(t: Tables, f: Filters) -> pl.DataFrame:
    """Applications with job attributes, filtered by every dimension but NOT by date.

    Columns: APPLICATIONS_SCHEMA + job_name, department_name, category_name, location,
    employment_type (missing job -> "Unknown"), job_created_at (Datetime UTC, null when no job)."""
    raise NotImplementedError


def date_in_range(expr: pl.Expr, f: Filters) -> pl.Expr:
    """Boolean expression: the calendar date (UTC) of `expr` (Date or Datetime) lies in the filter range.

    Used for completion cohorts (hire date, offer date, fill date). Always true without a range;
    null dates are never in a closed range but are kept when there is no range."""
    raise NotImplementedError


def application_cohort(t: Tables, f: Filters) -> pl.DataFrame:
    """`scoped_applications` whose application_date lies in the filter range (same columns)."""
    raise NotImplementedError
