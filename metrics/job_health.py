"""Job health as of the sync: each job's open time, active pipeline by stage, last stage movement, team, hires."""

from __future__ import annotations

import polars as pl

from dashboard.schema import FUNNEL_STEPS, Tables
from metrics.attribution import job_members
from metrics.common import days_between, lit_ts
from metrics.drilldown import DRILLDOWN_COLUMNS
from metrics.filters import Filters, date_in_range, scoped_jobs
from metrics.stages import get_facts, rank_of, step_of

DEFAULT_STUCK_DAYS = 14
ACTIVE_STEPS: tuple[str, ...] = FUNNEL_STEPS[:-1]  # new .. offer: where an active application can stand
HEALTH_COLUMNS: tuple[str, ...] = (
    "job_id", "job_name", "department_name", "created_at", "days_open", "active",
    *(f"active_{s}" for s in ACTIVE_STEPS), "active_other", "last_movement_at", "days_since_movement",
    "furthest_active_step", "hires", "hiring_team", "stuck",
)


def job_health(t: Tables, f: Filters, stuck_days: float = DEFAULT_STUCK_DAYS, *,
               facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per scoped job, columns HEALTH_COLUMNS, as of the sync.

    active / active_<step>: the job's active applications of the application cohort by current stage type
    (active_other: unranked or unknown types; an application forgotten long before the range does not keep a job
    in play); furthest_active_step: the highest current funnel step among them; hires: hired applications with a
    hire date in range (as the KPI); last_movement_at: the latest stage transition of any of its applications (any
    date; null without one); days_since_movement: from that (else from the job's created_at) to `as_of`;
    days_open: from the job's created_at to `as_of`, or to its last hire when it has hires and no active
    application (null without created_at); stuck: active applications and no movement for more than `stuck_days`
    days. Sorted stuck first, then jobs with active applications, then by days since movement (longest first)."""
    facts = get_facts(t, f, facts)
    now = lit_ts(t.as_of)
    current_rank = rank_of(pl.col("stage_type"))
    active = pl.col("is_active") & pl.col("in_cohort")
    per_job = facts.group_by("job_id").agg(
        active.sum().cast(pl.UInt32).alias("active"),
        *((active & (pl.col("stage_type") == s)).sum().cast(pl.UInt32).alias(f"active_{s}") for s in ACTIVE_STEPS),
        (active & current_rank.is_null()).sum().cast(pl.UInt32).alias("active_other"),
        pl.when(pl.col("n_transitions") > 0).then(pl.col("stage_entered_at")).max().alias("last_movement_at"),
        current_rank.filter(active).max().alias("_top"),
        ((pl.col("stage_type") == "hired") & date_in_range(pl.col("hired_at"), f)).sum().cast(pl.UInt32).alias("hires"),
        pl.col("hired_at").filter(pl.col("stage_type") == "hired").max().alias("_last_hire"),
    )
    jobs = scoped_jobs(t, f).select("job_id", "job_name", "department_name", "created_at")
    out = jobs.join(per_job, on="job_id", how="left").join(_team_text(t), on="job_id", how="left").with_columns(
        pl.col("active", "hires", *(f"active_{s}" for s in ACTIVE_STEPS), "active_other").fill_null(0)
    )
    open_until = pl.when((pl.col("active") == 0) & pl.col("_last_hire").is_not_null()).then(pl.col("_last_hire"))
    since = days_between(pl.coalesce("last_movement_at", "created_at"), now)
    out = out.with_columns(
        days_between(pl.col("created_at"), pl.coalesce(open_until.otherwise(None), now)).alias("days_open"),
        since.alias("days_since_movement"),
        step_of(pl.col("_top")).alias("furthest_active_step"),
        ((pl.col("active") > 0) & (since > stuck_days).fill_null(False)).alias("stuck"),
    )
    return out.sort(
        pl.col("stuck"), pl.col("active") > 0, pl.col("days_since_movement"), pl.col("job_name"),
        descending=[True, True, True, False], nulls_last=True,
    ).select(HEALTH_COLUMNS)


def _team_text(t: Tables) -> pl.DataFrame:
    """job_id, hiring_team: the members of each job's own team as "role · person id", in team order."""
    members = job_members(t).with_columns(
        pl.concat_str(pl.col("role").fill_null("Unknown"), pl.lit(" · "), pl.col("person_id")).alias("m")
    )
    return members.group_by("job_id", maintain_order=True).agg(pl.col("m").str.join(", ").alias("hiring_team"))


def job_active_applications(t: Tables, f: Filters, job_id: str, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """The active cohort applications of one job (DRILLDOWN_COLUMNS, longest in their stage first)."""
    facts = get_facts(t, f, facts)
    rows = facts.filter((pl.col("job_id") == job_id) & pl.col("is_active") & pl.col("in_cohort"))
    return rows.sort("stage_entered_at", "application_id", nulls_last=True).select(DRILLDOWN_COLUMNS)
