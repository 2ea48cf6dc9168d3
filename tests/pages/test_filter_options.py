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
