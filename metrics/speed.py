"""Time metrics (completion cohorts): time to hire / offer / fill, time in stage, stuck applications."""

from __future__ import annotations

from typing import Literal

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def time_to_hire(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per hired application (current type hired) whose hire date lies in the range.

    Columns: application_id, job_id, job_name, channel_name, application_date, hired_at, days (f64,
    from application_date 00:00 UTC). Negative durations are excluded (see `time_to_hire_exclusions`)."""
    raise NotImplementedError


def time_to_hire_exclusions(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict[str, int]:
    """{"no_hire_date": hired applications (application_date in range) without a transition into hired,
    "negative": hires in range whose hire precedes the application date}."""
    raise NotImplementedError


def time_to_offer(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per application with a first transition into an offer stage whose date lies in the range.

    Columns: application_id, job_id, job_name, channel_name, application_date, offer_at, days (f64).
    Negative durations excluded."""
    raise NotImplementedError


def speed_summary(frame: pl.DataFrame, column: str = "days") -> dict[str, float | int | None]:
    """{"n", "median", "p25", "p75", "p90", "mean"} of `column` (stats.summary)."""
    raise NotImplementedError


def time_to_fill(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per job in scope: filled jobs whose fill date (latest hire) lies in the range + open jobs.

    Columns: job_id, job_name, category_name, department_name, created_at, filled_at (null when
    open), status ("filled" | "open"), days (f64, filled only), age_days (f64 at as_of, open only),
    duration (f64 = days or age_days, for Kaplan-Meier), observed (Bool = filled).
    Open jobs are those without any hire created on or before date_to (all without range).
    Jobs whose duration is negative (created after their hire / after as_of) are excluded and
    counted by `time_to_fill_summary` and the data-quality notes."""
    raise NotImplementedError


def time_to_fill_summary(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """{"n_filled", "n_open", "median" (filled jobs), "km_median" (open censored at as_of), "n_negative"}."""
    raise NotImplementedError


def time_to_fill_by_category(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per job category: category_name, n_filled, n_open, median, p90, km_median (days, f64)."""
    raise NotImplementedError


def time_to_fill_km_curve(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Kaplan-Meier curve of time to fill: time, at_risk, events, censored, survival (share still open)."""
    raise NotImplementedError


def stage_intervals(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every stay of a scoped application in a stage (from events sorted by time, ties by seq).

    Columns: application_id, stage_id, stage_name, stage_type, entered_at, left_at (null when open),
    days (f64: left-entered, or as_of-entered when open), is_open (Bool: current stage of an active
    application), is_final_closed (Bool: final stage of a closed application, no duration)."""
    raise NotImplementedError


def time_in_stage(
    t: Tables,
    f: Filters,
    by: Literal["stage_type", "stage"] = "stage_type",
    *,
    facts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Time spent per stage type (by="stage_type") or per named stage (by="stage").

    Columns: stage_type, [stage_name when by="stage"], n_completed, median, p90 (completed stays,
    days), n_open (stays open at as_of), km_median (open stays censored). Completed stays count when
    they ended inside the range; open stays when as_of's date is inside the range (all without range)."""
    raise NotImplementedError


def stuck_applications(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Active cohort applications whose time in their current stage exceeds that stage's p90.

    The p90 is over all completed stays of that named stage in scope (any date); when the named stage
    has fewer than 5 completed stays, the p90 of its stage type is used.
    Columns: application_id, candidate_id, job_name, channel_name, stage_name, stage_type,
    days_in_stage, p90_days, p90_basis ("stage" | "type"). Sorted by days_in_stage / p90_days desc."""
    raise NotImplementedError
