"""Per hiring-team member: load, conversion, speed and stuck applications (metrics.md "By hiring-team member").

Every figure of a member is an existing metric (funnel, time to hire, offer acceptance, stuck applications)
run on the member's applications only, so the definitions cannot drift from the company-wide ones."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.attribution import MEMBER_KEYS, attribution, job_members, member_condition
from metrics.channels import TOO_FEW
from metrics.drilldown import DRILLDOWN_COLUMNS
from metrics.filters import Filters, date_in_range, scoped_jobs
from metrics.funnel import funnel_from_cohort
from metrics.outcomes import offer_acceptance
from metrics.speed import stuck_applications, time_to_hire
from metrics.stages import cohort, get_facts, with_cohort

UNASSIGNED = "Unassigned"
INTERVIEWS, OFFER = 2, 3  # funnel ranks: pass-through *to* interviews leaves screening (1), to offer leaves interviews

TEAM_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.String,  # null for Unassigned
    "role": pl.String,  # null for Unassigned
    "jobs": pl.UInt32,
    "applications": pl.UInt32,
    "hires": pl.UInt32,
    "time_to_hire_median_days": pl.Float64,
    "time_to_hire_p90_days": pl.Float64,
    "time_to_hire_n": pl.UInt32,
    "to_interviews": pl.Float64,
    "to_interviews_lo": pl.Float64,
    "to_interviews_hi": pl.Float64,
    "to_interviews_n": pl.UInt32,
    "to_offer": pl.Float64,
    "to_offer_lo": pl.Float64,
    "to_offer_hi": pl.Float64,
    "to_offer_n": pl.UInt32,
    "offer_acceptance": pl.Float64,
    "offer_acceptance_lo": pl.Float64,
    "offer_acceptance_hi": pl.Float64,
    "offer_acceptance_n": pl.UInt32,
    "active": pl.UInt32,
    "stuck": pl.UInt32,
    "too_few_to_judge": pl.Boolean,
}
KPI_MEMBER_KEYS: tuple[str, ...] = ("person_id", "role", "jobs", "applications", "hires", "time_to_hire_median_days")


def member_label(person_id: str | None, role: str | None, name: str | None = None) -> str:
    """How a member is shown: "Recruiter · 56789" (or the name instead of the id when known); "Unassigned"."""
    if person_id is None:
        return UNASSIGNED
    return f"{role or 'Unknown'} · {name or person_id}"


def member_facts(t: Tables, facts: pl.DataFrame, person_id: str | None, role: str | None) -> pl.DataFrame:
    """The rows of a facts frame attributed to one member (person_id None: Unassigned)."""
    a = attribution(t)
    mine = a.filter(pl.col("person_id").is_null()) if person_id is None else a.filter(
        (pl.col("person_id") == person_id) & (pl.col("role") == role)
    )
    rows = facts.join(mine.select("application_id"), on="application_id", how="semi", maintain_order="left")
    return with_cohort(t, rows, pl.col("in_cohort"))


def member_funnel(t: Tables, f: Filters, person_id: str | None, role: str | None,
                  *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """The funnel table (columns of `metrics.funnel.funnel`) of one member's application cohort."""
    return funnel_from_cohort(cohort(member_facts(t, get_facts(t, f, facts), person_id, role)))


def member_applications(t: Tables, f: Filters, person_id: str | None, role: str | None,
                        *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """One member's cohort applications (DRILLDOWN_COLUMNS, newest first): the drill-down of a member."""
    rows = cohort(member_facts(t, get_facts(t, f, facts), person_id, role))
    return rows.sort("application_date", "application_id", descending=[True, False]).select(DRILLDOWN_COLUMNS)


def member_stuck(t: Tables, f: Filters, person_id: str | None, role: str | None,
                 *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """The stuck applications (columns of `stuck_applications`, p90s over the whole scope) of one member."""
    facts = get_facts(t, f, facts)
    ids = member_facts(t, facts, person_id, role).select("application_id")
    return stuck_applications(t, f, facts=facts).join(ids, on="application_id", how="semi", maintain_order="left")


def member_jobs(t: Tables, f: Filters, person_id: str | None, role: str | None) -> pl.DataFrame:
    """Scoped jobs whose own team holds the member (Unassigned: jobs with an empty team); JOBS_SCHEMA columns."""
    jobs = scoped_jobs(t, f)
    teams = job_members(t)
    if person_id is None:
        return jobs.join(teams.select("job_id"), on="job_id", how="anti", maintain_order="left")
    mine = teams.filter((pl.col("person_id") == person_id) & (pl.col("role") == role)).select("job_id")
    return jobs.join(mine, on="job_id", how="semi", maintain_order="left")


def _members(t: Tables, f: Filters) -> list[tuple[str | None, str | None]]:
    """Every (person_id, role) that appears in the data (job teams and attributions), Unassigned last."""
    keys = pl.concat([job_members(t).select(MEMBER_KEYS), attribution(t).select(MEMBER_KEYS)]).unique()
    keys = keys.filter(member_condition(f.roles, f.members) | (pl.col("person_id").is_null() & _no_member_filter(f)))
    keys = keys.sort("role", "person_id", nulls_last=True)
    return [(p, r) for p, r in keys.iter_rows()]


def _no_member_filter(f: Filters) -> pl.Expr:
    """True when neither a role nor a person filter is set (Unassigned only shows then)."""
    return pl.lit(not f.roles and not f.members)


def _row(t: Tables, f: Filters, facts: pl.DataFrame, stuck_ids: pl.DataFrame, member: tuple) -> dict:
    """One member's row of `team_table`."""
    person_id, role = member
    mf = member_facts(t, facts, person_id, role)
    steps = funnel_from_cohort(cohort(mf))
    hires = time_to_hire(t, f, facts=mf)["days"]
    hired = mf.select(
        ((pl.col("stage_type") == "hired") & pl.col("hired_at").is_not_null() & date_in_range(pl.col("hired_at"), f)).sum()
    ).item()
    offers = offer_acceptance(t, f, facts=mf)
    in_cohort = cohort(mf)
    apps = in_cohort.height
    row = {
        "person_id": person_id, "role": role,
        "jobs": member_jobs(t, f, person_id, role).height,
        "applications": apps,
        "hires": hired,
        "time_to_hire_median_days": hires.median() if hires.len() else None,
        "time_to_hire_p90_days": hires.quantile(0.9, "linear") if hires.len() else None,
        "time_to_hire_n": hires.len(),
        "offer_acceptance": offers["rate"], "offer_acceptance_lo": offers["rate_lo"],
        "offer_acceptance_hi": offers["rate_hi"],
        "offer_acceptance_n": offers["accepted"] + offers["declined"] + offers["withdrew"],
        "active": int(in_cohort["is_active"].sum()),
        "stuck": in_cohort.join(stuck_ids, on="application_id", how="semi").height,
        "too_few_to_judge": apps < TOO_FEW,
    }
    for name, rank in (("to_interviews", INTERVIEWS), ("to_offer", OFFER)):
        step = steps.row(rank - 1, named=True)  # pass-through from the step before
        row[name], row[f"{name}_lo"], row[f"{name}_hi"] = step["pass_through"], step["pass_through_lo"], step["pass_through_hi"]
        row[f"{name}_n"] = int(steps["reached"][rank]) + int(step["closed_at"])
    return row


def team_table(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per hiring-team member (person_id, role) in scope; columns TEAM_SCHEMA.

    jobs: scoped jobs whose own team holds the member (no date filter; Unassigned: jobs with an empty team);
    applications: the application cohort attributed to the member; hires: hired applications with a hire
    date in range (as the KPI); time_to_hire_*: median, p90 and n of those hires' time to hire;
    to_interviews / to_offer: pass-through from screening / from interviews with Wilson 95% interval and n
    (decided applications); offer_acceptance with interval and n (decided offers); active and stuck
    applications of the cohort (stuck against the p90s of the whole scope); too_few_to_judge: under 20
    applications. Members with no job, application and hire are left out. Sorted by applications desc,
    Unassigned last."""
    facts = get_facts(t, f, facts)
    stuck_ids = stuck_applications(t, f, facts=facts).select("application_id")
    rows = [_row(t, f, facts, stuck_ids, m) for m in _members(t, f)]
    out = pl.DataFrame(rows, schema=TEAM_SCHEMA) if rows else pl.DataFrame(schema=TEAM_SCHEMA)
    out = out.filter((pl.col("jobs") + pl.col("applications") + pl.col("hires")) > 0)
    return out.sort(
        pl.col("person_id").is_null(), "applications", "hires", "role", "person_id",
        descending=[False, True, True, False, False],
    )


def team_kpis(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None,
              table: pl.DataFrame | None = None) -> list[dict]:
    """kpis.json's `by_hiring_team_member`: per member exactly KPI_MEMBER_KEYS (null where undefined); `table` is a
    `team_table` of the same tables and filters when the caller has one."""
    table = team_table(t, f, facts=facts) if table is None else table
    return table.select(KPI_MEMBER_KEYS).to_dicts()
