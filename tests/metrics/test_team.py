"""Per hiring-team member figures pinned on the reference company, computed by hand (metrics.md "By member")."""

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from dashboard.schema import SCHEMAS
from metrics.attribution import attribution
from metrics.filters import Filters, application_cohort, scoped_jobs
from metrics.team import (
    KPI_MEMBER_KEYS,
    member_funnel,
    member_jobs,
    member_label,
    member_stuck,
    team_kpis,
    team_table,
)
from tests.metrics.conftest import app, job, small_tables, tr

JAN = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31))


def team_tables():
    """small_tables plus hiring teams and a job without one.

    j1 team: R1 Recruiter, H1 Hiring manager; j2 team: R1 Recruiter, R2 Recruiter; j3 (new, created 01-01) no
    team. a4 (j2) has its own team: H2 Hiring manager (listed twice). a7 on j3 applied 01-15, new->hired 01-25."""
    base = small_tables()
    apps = pl.concat([base.applications, pl.DataFrame([app("a7", "hired", applied="2024-01-15", job="j3")],
                                                      schema=SCHEMAS["applications"], orient="row")])
    trs = pl.concat([base.transitions, pl.DataFrame([{**tr("a7", "new", "hired", "2024-01-25"), "seq": 0}],
                                                    schema=SCHEMAS["transitions"], orient="row")])
    jobs = pl.concat([base.jobs, pl.DataFrame([job("j3", "Office", created="2024-01-01")], schema=SCHEMAS["jobs"],
                                              orient="row")])
    team = pl.DataFrame(
        [(None, "j1", "R1", "Recruiter"), (None, "j1", "H1", "Hiring manager"), (None, "j2", "R1", "Recruiter"),
         (None, "j2", "R2", "Recruiter"), ("a4", "j2", "H2", "Hiring manager"), ("a4", "j2", "H2", "Hiring manager")],
        schema=SCHEMAS["hiring_team"], orient="row",
    )
    return replace(base, applications=apps, transitions=trs, jobs=jobs, hiring_team=team)


@pytest.fixture
def t():
    return team_tables()


def by_member(frame: pl.DataFrame) -> dict:
    return {(r["person_id"], r["role"]): r for r in frame.to_dicts()}


def test_own_team_replaces_the_jobs_and_no_team_is_unassigned(t):
    got = sorted(attribution(t).rows(), key=str)
    want = [("a1", "R1", "Recruiter"), ("a1", "H1", "Hiring manager"), ("a2", "R1", "Recruiter"),
            ("a2", "H1", "Hiring manager"), ("a3", "R1", "Recruiter"), ("a3", "H1", "Hiring manager"),
            ("a4", "H2", "Hiring manager"), ("a5", "R1", "Recruiter"), ("a5", "R2", "Recruiter"),
            ("a6", "R1", "Recruiter"), ("a6", "R2", "Recruiter"), ("a7", None, None)]
    assert got == sorted(want, key=str)


def test_loads_hires_and_speed_per_member(t):
    rows = by_member(team_table(t, JAN))
    counts = {k: (r["jobs"], r["applications"], r["hires"], r["time_to_hire_median_days"]) for k, r in rows.items()}
    assert counts == {
        ("R1", "Recruiter"): (2, 4, 1, 30.0),  # a1 a2 a3 a5 (a6 applied in Feb); a1 hired 01-31
        ("H1", "Hiring manager"): (1, 3, 1, 30.0),
        ("R2", "Recruiter"): (1, 1, 0, None),
        ("H2", "Hiring manager"): (0, 1, 0, None),  # own team of a4 only
        (None, None): (1, 1, 1, 10.0),  # j3 has no team; a7 applied 01-15, hired 01-25
    }


def test_pass_through_acceptance_active_and_stuck_per_member(t):
    rows = by_member(team_table(t, JAN))
    r1, h2, r2 = rows[("R1", "Recruiter")], rows[("H2", "Hiring manager")], rows[("R2", "Recruiter")]
    # R1: furthest a1 hired, a2 screening (closed), a3 interviews (active), a5 new (active)
    assert (r1["to_interviews"], r1["to_interviews_n"]) == (pytest.approx(2 / 3), 3)
    assert (r1["to_offer"], r1["to_offer_n"]) == (1.0, 1)
    assert (r1["offer_acceptance"], r1["offer_acceptance_n"]) == (1.0, 1)
    # a3 in interviews 49 days (type p90 10), a5 in New 41 days (stage p90 6.5 over 6 stays)
    assert (r1["active"], r1["stuck"]) == (2, 2)
    assert (h2["to_offer"], h2["offer_acceptance"], h2["offer_acceptance_n"], h2["active"]) == (1.0, 0.0, 1, 0)
    assert r2["to_interviews"] is None and r2["to_interviews_n"] == 0
    assert (r2["active"], r2["stuck"]) == (1, 1)
    lo, hi = r1["to_interviews_lo"], r1["to_interviews_hi"]
    assert 0 < lo < 2 / 3 < hi < 1
    assert all(r["too_few_to_judge"] for r in rows.values())


def test_unassigned_sorts_last_and_busiest_first(t):
    order = team_table(t, JAN).select("person_id", "applications").rows()
    assert order[0] == ("R1", 4) and order[-1] == (None, 1)


def test_members_without_jobs_applications_or_hires_are_left_out(t):
    feb = Filters(date_from=date(2024, 2, 1), date_to=date(2024, 2, 29))
    rows = by_member(team_table(t, feb))
    # only a6 (R1, R2) applied in February; H1 keeps j1, H2 has nothing in scope, Unassigned keeps j3
    assert set(rows) == {("R1", "Recruiter"), ("R2", "Recruiter"), ("H1", "Hiring manager"), (None, None)}
    assert rows[("H1", "Hiring manager")]["applications"] == 0


def test_role_and_member_filters_narrow_applications_jobs_and_members(t):
    recruiters = replace(JAN, roles=("Recruiter",))
    assert sorted(application_cohort(t, recruiters)["application_id"]) == ["a1", "a2", "a3", "a5"]
    assert set(by_member(team_table(t, recruiters))) == {("R1", "Recruiter"), ("R2", "Recruiter")}
    r2 = replace(JAN, members=("R2",))
    assert application_cohort(t, r2)["application_id"].to_list() == ["a5"]
    assert scoped_jobs(t, r2)["job_id"].to_list() == ["j2"]


def test_member_drilldowns(t):
    steps = member_funnel(t, JAN, "H1", "Hiring manager")
    assert steps["reached"].to_list() == [3, 3, 2, 1, 1]
    assert member_jobs(t, JAN, "R1", "Recruiter")["job_id"].to_list() == ["j1", "j2"]
    assert member_jobs(t, JAN, None, None)["job_id"].to_list() == ["j3"]
    assert sorted(member_stuck(t, JAN, "R1", "Recruiter")["application_id"]) == ["a3", "a5"]
    assert member_stuck(t, JAN, "H2", "Hiring manager").height == 0


def test_kpis_entries_hold_exactly_the_contract_keys(t):
    entries = team_kpis(t, JAN)
    assert all(tuple(e) == KPI_MEMBER_KEYS for e in entries)
    assert entries[-1] == {"person_id": None, "role": None, "jobs": 1, "applications": 1, "hires": 1,
                           "time_to_hire_median_days": 10.0}


def test_member_label_shows_role_and_id_or_unassigned():
    assert member_label("56789", "Recruiter") == "Recruiter · 56789"
    assert member_label("56789", "Recruiter", "Ada L.") == "Recruiter · Ada L."
    assert member_label(None, None) == "Unassigned"


def test_no_team_data_puts_everything_on_unassigned(empty):
    assert team_table(empty, Filters()).height == 0
    rows = team_table(small_tables(), JAN).to_dicts()
    assert [(r["person_id"], r["jobs"], r["applications"]) for r in rows] == [(None, 2, 5)]
