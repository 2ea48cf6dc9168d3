"""Job health pinned on the hand-built team company (as_of 2024-03-01), values computed by hand."""

from dashboard.figures.job_health import job_health_chart
from metrics.job_health import HEALTH_COLUMNS, job_active_applications, job_health
from tests.metrics.test_team import JAN, team_tables


def test_each_job_active_pipeline_last_movement_and_stuck_flag():
    health = job_health(team_tables(), JAN, 14)
    assert health.columns == list(HEALTH_COLUMNS)
    got = {r["job_id"]: r for r in health.to_dicts()}
    # j1: a3 active in interviews; last move a1 offer->hired 01-31 (30 d before 03-01); open since 2023-12-01
    j1 = got["j1"]
    assert (j1["active"], j1["active_interviews"], j1["furthest_active_step"], j1["hires"]) == (1, 1, "interviews", 1)
    assert (j1["days_since_movement"], j1["days_open"], j1["stuck"]) == (30.0, 91.0, True)
    assert j1["hiring_team"] == "Recruiter · R1, Hiring manager · H1"
    # j2: a5 active in new; a6 (applied in Feb) moved 02-06: any application's move counts
    j2 = got["j2"]
    assert (j2["active"], j2["active_new"], j2["days_since_movement"], j2["days_open"], j2["stuck"]) == (
        1, 1, 24.0, 46.0, True)
    # j3: nothing active; a7 hired 01-25, so open from 01-01 to that hire
    j3 = got["j3"]
    assert (j3["active"], j3["hires"], j3["days_open"], j3["stuck"], j3["hiring_team"]) == (0, 1, 24.0, False, None)
    assert j3["furthest_active_step"] is None


def test_stuck_jobs_sort_first_and_the_threshold_is_the_users():
    assert job_health(team_tables(), JAN, 14)["job_id"].to_list() == ["j1", "j2", "j3"]
    strict = job_health(team_tables(), JAN, 25)
    assert strict.filter(strict["stuck"])["job_id"].to_list() == ["j1"]


def test_job_drilldown_lists_its_active_cohort_applications():
    assert job_active_applications(team_tables(), JAN, "j2")["application_id"].to_list() == ["a5"]


def test_job_health_chart_marks_stuck_jobs_and_carries_job_ids():
    fig = job_health_chart(job_health(team_tables(), JAN, 14), 14)
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert {tuple(c) for tr in bars for c in tr.customdata} == {("j1",), ("j2",)}
    assert all(y.startswith("⚠ ") for y in bars[0].y)
