"""Hiring teams of applications and jobs become `hiring_team` rows; hostile shapes never crash the parser."""

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.schema import SCHEMAS, UNKNOWN
from tests.test_parse import application, build


def member(person, role="Recruiter") -> dict:
    return {"person": {"id": person, "_meta": {"links": {"self": {"href": "x"}}}}, "role": {"name": role}}


def rows(tables) -> list[tuple]:
    return sorted(tables.hiring_team.rows(), key=str)


def test_application_and_job_teams_become_rows_with_null_application_for_the_job():
    apps = [application("a1", hiring_team=[member("7", "Recruiter"), member("8", "Hiring manager")])]
    jobs = [{"id": "j1", "name": "Engineer", "hiring_team": [member(9, "Recruiter")]}]
    tables, _ = build(applications=apps, jobs=jobs)
    assert tables.hiring_team.schema == pl.Schema(SCHEMAS["hiring_team"])
    assert rows(tables) == sorted(
        [("a1", "j1", "7", "Recruiter"), ("a1", "j1", "8", "Hiring manager"), (None, "j1", "9", "Recruiter")], key=str
    )


def test_anonymised_application_keeps_its_team():
    app = application("a1", candidate=None, is_anonymized=True, hiring_team=[member("7")])
    tables, _ = build(applications=[app])
    assert rows(tables) == [("a1", "j1", "7", "Recruiter")]


def test_missing_or_empty_team_gives_no_rows_and_no_note():
    tables, notes = build(applications=[application("a1"), application("a2", hiring_team=[])])
    assert tables.hiring_team.height == 0
    assert not [n for n in notes if "hiring_team" in n.message]


def test_item_without_person_is_skipped_with_a_note_and_missing_role_is_unknown():
    team = [{"role": {"name": "Recruiter"}}, {"person": {}}, "x", {"person": {"id": "7"}}, {"person": "8", "role": "HM"}]
    tables, notes = build(applications=[application("a1", hiring_team=team)])
    assert rows(tables) == [("a1", "j1", "7", UNKNOWN), ("a1", "j1", "8", "HM")]
    assert len([n for n in notes if "no person id" in n.message]) == 3


def test_a_member_listed_twice_counts_once_but_two_roles_of_one_person_are_two_members():
    team = [member("7"), member("7"), member("7", "Hiring manager")]
    tables, _ = build(applications=[application("a1", hiring_team=team)])
    assert rows(tables) == [("a1", "j1", "7", "Hiring manager"), ("a1", "j1", "7", "Recruiter")]


def test_team_that_is_not_a_list_is_ignored_with_a_note():
    tables, notes = build(jobs=[{"id": "j1", "name": "E", "hiring_team": {"person": {"id": "7"}}}])
    assert tables.hiring_team.height == 0
    assert [n.message for n in notes if "hiring_team" in n.message] == ["hiring_team is not a list, ignored"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["person", "role", "id", "name"]), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(app_team=_json, job_team=_json)
def test_any_hiring_team_shape_parses_without_crashing(app_team, job_team):
    tables, _ = build(applications=[application("a1", hiring_team=app_team)],
                      jobs=[{"id": "j1", "name": "E", "hiring_team": job_team}])
    team = tables.hiring_team
    assert team.schema == pl.Schema(SCHEMAS["hiring_team"])
    assert team["person_id"].null_count() == 0 and team["role"].null_count() == 0
    assert team.is_duplicated().sum() == 0
    assert tables.applications.height == 1
