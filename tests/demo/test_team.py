"""The demo company's hiring team: distinct recruiters and hiring managers, own teams, a job without one."""

from __future__ import annotations

import httpx
import polars as pl

from dashboard.demo import DemoCompany
from dashboard.demo import catalog as cat
from metrics.filters import Filters
from metrics.team import team_table
from tests.demo.conftest import fetch_all

OVERLOADED, FAST, SLOW_MANAGER = "56789", "56790", "67891"


def test_six_recruiters_ten_hiring_managers_and_one_job_without_a_team(company: DemoCompany) -> None:
    team = company.hiring_team
    job_team = team.filter(pl.col("application_id").is_null())
    roles = job_team.group_by("role").agg(pl.col("person_id").n_unique()).sort("role").rows()
    assert roles == [(cat.HIRING_MANAGER, 10), (cat.INTERVIEWER, 2), (cat.RECRUITER, 6)]
    assert company.jobs.join(job_team, on="job_id", how="anti").height == 1
    # every job with a team has exactly one recruiter and one hiring manager
    per_job = job_team.filter(pl.col("role") != cat.INTERVIEWER).group_by("job_id", "role").len()
    assert per_job["len"].max() == 1


def test_some_applications_have_their_own_team_with_another_recruiter(company: DemoCompany) -> None:
    own = company.hiring_team.filter(pl.col("application_id").is_not_null())
    share = own["application_id"].n_unique() / company.applications.height
    assert 0.03 <= share <= 0.07
    job_recruiter = company.hiring_team.filter(pl.col("application_id").is_null() & (pl.col("role") == cat.RECRUITER))
    mine = own.filter(pl.col("role") == cat.RECRUITER).join(job_recruiter, on="job_id", suffix="_job")
    assert (mine["person_id"] != mine["person_id_job"]).mean() > 0.9  # (a few moved to another job afterwards)


def test_members_differ_visibly_in_load_and_speed(company: DemoCompany) -> None:
    table = team_table(company.tables(), Filters())
    recruiters = table.filter(pl.col("role") == cat.RECRUITER)
    assert recruiters["person_id"][0] == OVERLOADED  # busiest first
    assert recruiters["applications"][0] >= 1.5 * recruiters["applications"][1]
    assert recruiters["jobs"][0] >= 0.25 * company.jobs.height
    speed = dict(recruiters.select("person_id", "time_to_hire_median_days").rows())
    assert speed[OVERLOADED] > max(v for k, v in speed.items() if k != OVERLOADED)
    assert speed[FAST] < speed[OVERLOADED] * 0.8
    managers = dict(table.filter(pl.col("role") == cat.HIRING_MANAGER).select("person_id", "time_to_hire_median_days").rows())
    assert managers[SLOW_MANAGER] == max(v for v in managers.values() if v is not None)


def test_the_fake_serves_own_teams_on_applications_and_job_teams_in_the_official_shape(
    client: httpx.Client, small_company: DemoCompany
) -> None:
    apps = {a["id"]: a for a in fetch_all(client, "/v2/recruiting/applications?limit=200")}
    own = small_company.hiring_team.filter(pl.col("application_id").is_not_null())
    app_id = own["application_id"][0]
    served = [(m["person"]["id"], m["role"]["name"]) for m in apps[app_id]["hiring_team"]]
    assert served == own.filter(pl.col("application_id") == app_id).sort("position").select("person_id", "role").rows()
    member = apps[app_id]["hiring_team"][0]
    assert set(member) == {"person", "role"} and set(member["person"]) == {"id", "_meta"}
    jobs = fetch_all(client, "/v2/recruiting/jobs")
    assert sum(1 for j in jobs if not j["hiring_team"]) == 1


def test_the_default_view_shows_the_fast_and_the_overloaded_recruiter() -> None:
    # the dashboard opens on the last 90 days of the 10,000-application demo: the stories must show there too
    from datetime import timedelta

    from dashboard.demo import generate_company
    from dashboard.source import DEMO_SEED, DEMO_SIZE
    from metrics.kpis import kpis
    from tests.demo.conftest import END

    t = generate_company(DEMO_SIZE, seed=DEMO_SEED, end=END).tables()
    last_90 = Filters(date_from=END.date() - timedelta(days=89), date_to=END.date())
    recruiters = team_table(t, last_90).filter(pl.col("role") == cat.RECRUITER)
    assert recruiters["person_id"][0] == OVERLOADED  # busiest first
    by_speed = recruiters.sort("time_to_hire_median_days")["person_id"].to_list()
    assert by_speed[0] == FAST and by_speed[-1] == OVERLOADED
    assert kpis(t, last_90)["hires"] >= 30
