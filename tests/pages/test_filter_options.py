"""Sidebar filters narrow each other, show counts, and a combination without data says so (AppTest)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from dashboard.ui import state
from tests.pages.conftest import APP, TIMEOUT, demo_tables


def _tables(root: Path):
    return demo_tables(root)


def test_choosing_a_department_leaves_only_its_jobs_with_counts(demo_env: Path) -> None:
    t = _tables(demo_env)
    department = t.jobs["department_name"].drop_nulls().mode().sort()[0]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({state.QP_RANGE: "all_time"})
    at.run()
    every_job = at.sidebar.multiselect(key=state.JOBS).options
    at.sidebar.multiselect(key=state.DEPARTMENTS).select(department).run()
    jobs = at.sidebar.multiselect(key=state.JOBS).options
    apps = t.applications.join(t.jobs.select("job_id", "job_name", "department_name"), on="job_id")
    of_department = apps.filter(pl.col("department_name") == department)
    expected = {f"{name} · {n:,}" for name, n in of_department.group_by("job_name").len().iter_rows()}
    assert set(jobs) == expected
    assert len(every_job) > len(jobs)
    # the department list itself is not narrowed by its own choice and shows counts too
    departments = at.sidebar.multiselect(key=state.DEPARTMENTS).options
    assert f"{department} · {of_department.height:,}" in departments and len(departments) > 1


def test_a_job_outside_the_chosen_department_is_dropped(demo_env: Path) -> None:
    t = _tables(demo_env)
    jobs = t.jobs.select("job_id", "department_name").drop_nulls()
    department = jobs["department_name"].mode().sort()[0]
    other_job = jobs.filter(pl.col("department_name") != department)["job_id"][0]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({state.QP_RANGE: "all_time", state.QP_JOB: other_job})
    at.run()
    assert at.sidebar.multiselect(key=state.JOBS).value == [other_job]
    at.sidebar.multiselect(key=state.DEPARTMENTS).select(department).run()
    assert at.sidebar.multiselect(key=state.JOBS).value == []


def test_filters_that_hide_everything_say_so_instead_of_zeros(demo_env: Path) -> None:
    t = _tables(demo_env)
    first = t.applications["application_date"].min()
    channel = t.applications["channel_name"].drop_nulls()[0]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    # a one-day range before the first application, with a channel chosen: nothing can match
    day = first.replace(year=first.year - 1).isoformat()
    at.query_params.update({state.QP_RANGE: "custom", state.QP_FROM: day, state.QP_TO: day,
                            state.QP_CHANNEL: channel})
    at.run()
    assert not at.exception
    assert any("leave no applications" in str(i.value) for i in at.info)
    assert not at.metric  # no tiles of zeros with arrows


def _attributed(t) -> pl.DataFrame:
    """application_id, job_id, person_id, role: the demo's applications with the members they count for."""
    from metrics.attribution import attribution

    return attribution(t).drop_nulls("person_id").join(t.applications.select("application_id", "job_id"),
                                                      on="application_id")


def test_members_show_their_applications_and_leave_only_their_jobs_and_role(demo_env: Path) -> None:
    t = _tables(demo_env)
    attributed = _attributed(t)
    busiest = attributed.group_by("person_id", "role").len().sort("len", "person_id", descending=True).row(0)
    person, role, n = busiest
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({state.QP_RANGE: "all_time"})
    at.run()
    members = at.sidebar.multiselect(key=state.MEMBERS).options
    assert f"{role} · {person} · {n:,}" in members
    roles = at.sidebar.multiselect(key=state.ROLES).options
    assert len(roles) > 1 and all(" · " in r for r in roles)
    at.sidebar.multiselect(key=state.MEMBERS).select(person).run()
    assert at.sidebar.multiselect(key=state.ROLES).options == [f"{role} · {n:,}"]
    own = attributed.filter(pl.col("person_id") == person)
    on_team = t.hiring_team.filter(pl.col("application_id").is_null() & (pl.col("person_id") == person))
    job_ids = set(own["job_id"]) | set(on_team["job_id"])
    names = dict(t.jobs.select("job_id", "job_name").iter_rows())
    counts = dict(own.group_by("job_id").len().iter_rows())
    expected = {f"{names[j]} · {counts[j]:,}" for j in job_ids if counts.get(j)}
    assert set(at.sidebar.multiselect(key=state.JOBS).options) == expected


def test_a_member_ruled_out_by_a_department_is_unselected_with_a_note(demo_env: Path) -> None:
    t = _tables(demo_env)
    on_teams = t.hiring_team.filter(pl.col("application_id").is_null()).select("job_id", "person_id")
    theirs = pl.concat([_attributed(t).select("job_id", "person_id"), on_teams]).join(
        t.jobs.select("job_id", "department_name"), on="job_id")
    departments = theirs.group_by("person_id").agg(pl.col("department_name").unique())
    person, theirs = departments.sort(pl.col("department_name").list.len(), "person_id").select(
        "person_id", "department_name").row(0)
    other = next(d for d in sorted(t.jobs["department_name"].drop_nulls().unique()) if d not in theirs)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({state.QP_RANGE: "all_time", state.QP_MEMBER: [person, "no-such-person"]})
    at.run()
    assert at.sidebar.multiselect(key=state.MEMBERS).value == [person]
    assert any("Not in this company" in c.value and "no\\-such\\-person" in c.value for c in at.sidebar.caption)
    at.sidebar.multiselect(key=state.DEPARTMENTS).select(other).run()
    assert not at.exception
    assert at.sidebar.multiselect(key=state.MEMBERS).value == []
    assert any("Unselected" in c.value and person in c.value for c in at.sidebar.caption)
