"""Which hiring-team members each application is attributed to (metrics.md "By hiring-team member")."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.memo import derived

MEMBER_KEYS: tuple[str, str] = ("person_id", "role")


def attribution(t: Tables) -> pl.DataFrame:
    """application_id, person_id, role: one row per application and distinct member it is attributed to.

    An application's own team when it has one, else its job's team; neither gives one row with person_id
    and role null (the member "Unassigned"). Memoised per snapshot."""
    return derived(t, ("attribution", id(t.hiring_team), id(t.applications)), lambda: _attribution(t))


def _attribution(t: Tables) -> pl.DataFrame:
    """`attribution` computed (see there)."""
    team = t.hiring_team.select("application_id", "job_id", *MEMBER_KEYS)
    apps = t.applications.select("application_id", "job_id")
    own = team.filter(pl.col("application_id").is_not_null()).join(
        apps.select("application_id"), on="application_id", how="semi"
    ).select("application_id", *MEMBER_KEYS)
    rest = apps.join(own.select("application_id"), on="application_id", how="anti")
    job_team = team.filter(pl.col("application_id").is_null()).select("job_id", *MEMBER_KEYS)
    via_job = rest.join(job_team, on="job_id", how="left").select("application_id", *MEMBER_KEYS)
    return pl.concat([own, via_job]).unique(maintain_order=True)


def job_members(t: Tables) -> pl.DataFrame:
    """job_id, person_id, role: the distinct members of each job's own team."""
    return t.hiring_team.filter(pl.col("application_id").is_null()).select("job_id", *MEMBER_KEYS).unique(
        maintain_order=True
    )


def member_condition(roles: tuple[str, ...], people: tuple[str, ...]) -> pl.Expr:
    """True for member rows whose role is among `roles` and person among `people` (an empty tuple is any)."""
    cond = pl.col("person_id").is_not_null()
    if roles:
        cond = cond & pl.col("role").is_in(list(roles))
    if people:
        cond = cond & pl.col("person_id").is_in(list(people))
    return cond


def restrict_to_members(t: Tables, apps: pl.DataFrame, roles: tuple[str, ...], people: tuple[str, ...]) -> pl.DataFrame:
    """`apps` attributed to at least one member matching the role and person filters (all without filters)."""
    if not roles and not people:
        return apps
    wanted = attribution(t).filter(member_condition(roles, people)).select("application_id")
    return apps.join(wanted, on="application_id", how="semi", maintain_order="left")


def restrict_jobs_to_members(
    t: Tables, jobs: pl.DataFrame, roles: tuple[str, ...], people: tuple[str, ...]
) -> pl.DataFrame:
    """`jobs` whose own team holds a member matching the role and person filters (all without filters)."""
    if not roles and not people:
        return jobs
    wanted = job_members(t).filter(member_condition(roles, people)).select("job_id")
    return jobs.join(wanted, on="job_id", how="semi", maintain_order="left")
