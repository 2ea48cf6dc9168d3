"""Display text of numbers and column names, the same in the app and in every export (no streamlit here)."""

from __future__ import annotations

COHORT_APPLICATIONS = "Application cohort: applications dated in range"
COHORT_HIRES = "Completion cohort: hires dated in range"
COHORT_OFFERS = "Completion cohort: offers dated in range"
COHORT_FILLS = "Completion cohort: jobs filled in range, plus jobs still open (age today)"
COHORT_STAGES = "Completion cohort: stays in a stage that ended in range, plus stays still open"
COHORT_DECISIONS = "Application cohort: offers of applications dated in range"
COHORT_CURRENT = "Application cohort, current stage as of the last sync"
COHORT_JOB_HEALTH = ("Application cohort: active applications dated in range; movement: any stage change of the job's "
                     "applications, as of the last sync")

# One line per statistical term, shown where the term first appears on a page and on the Glossary page
GLOSSARY: dict[str, str] = {
    "Cohort": ("the group of records a number is about: the application cohort is the applications dated in "
               "the range; a completion cohort is the hires, offers or filled jobs dated in the range."),
    "Pass-through": ("of the applications that reached a step and are decided there, the share that moved on "
                     "(still-active ones are left out until they move on or close)."),
    "95% interval": ("the range the true rate lies in with 95% confidence given how few applications there "
                     "are (Wilson interval); wide when n is small."),
    "Kaplan–Meier": ("an estimate of how long things take that also uses the ones still running, instead of "
                     "waiting for them to finish; its median is the time by which half are done."),
    "Censored": ("still running when the data were synced (an open job, a stay in a stage not yet left): we "
                 "only know it took at least this long."),
    "Median": "the middle value: half took less, half took more.",
    "p90": "the 90th percentile: nine in ten took less than this.",
}

DAY_COLUMNS = {"days", "median", "p25", "p75", "p90", "mean", "km_median", "age_days", "duration",
               "days_in_stage", "p90_days", "time", "days_open", "days_since_movement"}
RATE_SUFFIXES = ("_rate", "_rate_lo", "_rate_hi", "share", "_lo", "_hi", "rate", "survival")
RATE_NAMES = {"pass_through", "step_conversion", "share", "rate", "survival", "share_multi"}
LABELS = {
    "application_id": "Application", "candidate_id": "Candidate", "candidate_name": "Candidate name",
    "job_id": "Job ID", "job_name": "Job", "department_name": "Department", "category_name": "Category",
    "channel_name": "Channel", "stage_name": "Stage", "stage_type": "Stage type", "furthest_step": "Furthest step",
    "application_date": "Applied", "hired_at": "Hired", "offer_at": "Offer", "offer_decided_at": "Decided",
    "km_median": "KM median (days)", "p90": "p90 (days)", "median": "Median (days)", "n_completed": "n completed",
    "n_open": "n open", "days_in_stage": "Days in stage", "p90_days": "Stage p90 (days)",
    "bucket_start": "Period start", "n_hired": "Hired (current stage)", "hires": "Hired (current stage)",
}


def label(column: str) -> str:
    """Human header for a column name: 'time_to_hire' -> 'Time to hire', 'n_screening' -> 'Screening'."""
    if column in LABELS:
        return LABELS[column]
    if " " in column:  # already a display title
        return column
    if column.startswith("n_") and column not in ("n_completed", "n_open", "n_filled"):
        column = column[2:]
    return column.replace("_", " ").strip().capitalize()


def is_rate(column: str, dtype: object = "Float64") -> bool:
    """True for a share column (shown as a percentage)."""
    return column in RATE_NAMES or (column.endswith(RATE_SUFFIXES) and str(dtype).startswith("Float"))


def is_days(column: str) -> bool:
    """True for a duration-in-days column (shown with one decimal)."""
    return column in DAY_COLUMNS or column.endswith("_days")


def percent(value: float | None) -> str:
    """A share as display text, the same everywhere: one decimal under 10% ('2.6%'), whole above ('67%')."""
    if value is None:
        return "–"
    return f"{value:.1%}" if abs(value) < 0.1 and round(value, 3) != 0 else f"{value:.0%}"


def format_value(value: float | int | None, unit: str) -> str:
    """Display text of a KPI value: '1,234', '12.5 d', '46%', '2.6%'; '–' when undefined."""
    if value is None:
        return "–"
    if unit == "ratio":
        return percent(value)
    if unit == "days":
        return f"{value:.1f} d"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def format_delta(delta: float, unit: str) -> str:
    """Signed change: '+12', '-3.5 d', '+4 pp', '+0.8 pp' (one decimal under 10 points)."""
    if unit == "ratio":
        points = delta * 100
        return f"{points:+.1f} pp" if abs(points) < 10 else f"{points:+.0f} pp"
    if unit == "days":
        return f"{delta:+.1f} d"
    return f"{delta:+,.0f}" if float(delta).is_integer() else f"{delta:+,.2f}"


def is_no_change(delta_text: str) -> bool:
    """True when a formatted change shows only zeros ('+0', '-0.0 d', '+0.0 pp')."""
    return not any(ch in "123456789" for ch in delta_text)


def delta_text(delta: float | None, unit: str) -> str | None:
    """The change as shown on a tile: formatted, 'no change' when it rounds to zero, None without a previous value."""
    if delta is None:
        return None
    text = format_delta(delta, unit)
    return "no change" if is_no_change(text) else text
