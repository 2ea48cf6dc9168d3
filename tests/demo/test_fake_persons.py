"""The demo fake serves the hiring-team members as Personio's persons endpoint documents them (made-up names)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from dashboard.demo import DemoCompany, FakePersonio
from dashboard.demo.fake import PERSONS_SCOPE, RECRUITING_SCOPE
from dashboard.demo.generator import team_people
from dashboard.personio import PersonioClient
from dashboard.team_names import live_names
from tests.demo.conftest import BASE

OFFICIAL = json.loads((Path(__file__).parents[1] / "fixtures" / "official" / "person-by-id.200.json").read_text())
GENDERS = {"UNSPECIFIED", "MALE", "FEMALE", "DIVERSE"}  # the Person schema's enum


def _client(company: DemoCompany, granted: tuple[str, ...], asked: str | None = None) -> httpx.Client:
    fake = FakePersonio(company, scopes=granted)
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    form = {"grant_type": "client_credentials", "client_id": "demo", "client_secret": "demo-secret"}
    if asked:
        form["scope"] = asked
    c.headers["Authorization"] = "Bearer " + c.post("/v2/auth/token", data=form).json()["access_token"]
    return c


def _members(company: DemoCompany) -> list[str]:
    return sorted(set(company.hiring_team.get_column("person_id").to_list()))


@pytest.fixture
def persons(small_company: DemoCompany) -> httpx.Client:
    return _client(small_company, (RECRUITING_SCOPE, PERSONS_SCOPE))


def test_a_member_has_the_official_fields_in_their_order(small_company: DemoCompany, persons: httpx.Client) -> None:
    for pid in _members(small_company):
        resp = persons.get(f"/v2/persons/{pid}")
        assert resp.status_code == 200
        rec = resp.json()
        assert list(rec) == list(OFFICIAL)
        assert rec["id"] == pid and rec["gender"] in GENDERS and rec["status"] in {"ACTIVE", "INACTIVE"}
        assert rec["created_at"].endswith("Z") and rec["updated_at"] >= rec["created_at"]
        assert set(rec["profile_picture"]) == set(OFFICIAL["profile_picture"])
        assert [set(e) for e in rec["employments"]] == [set(OFFICIAL["employments"][0])]
        assert set(rec["_meta"]["links"]) == set(OFFICIAL["_meta"]["links"])
        assert rec["_meta"]["links"]["employments"]["href"] == f"{BASE}/v2/persons/{pid}/employments"


def test_members_get_distinct_names_the_same_for_the_same_seed(small_company: DemoCompany,
                                                                persons: httpx.Client) -> None:
    client = PersonioClient(base_url=BASE, client_id="demo", client_secret="demo-secret",  # noqa: S106
                            transport=FakePersonio(small_company, scopes=(RECRUITING_SCOPE, PERSONS_SCOPE)).transport())
    names = live_names(client, _members(small_company))
    assert set(names) == set(_members(small_company)) and len(set(names.values())) == len(names)
    assert team_people(small_company.seed).equals(team_people(small_company.seed))
    assert not team_people(3).equals(team_people(4))


def test_a_person_off_every_hiring_team_is_not_found(persons: httpx.Client) -> None:
    resp = persons.get("/v2/persons/3003")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/problem+json")


def test_a_credential_without_the_persons_scope_gets_403(small_company: DemoCompany) -> None:
    pid = _members(small_company)[0]
    assert _client(small_company, (RECRUITING_SCOPE,)).get(f"/v2/persons/{pid}").status_code == 403
    # a token asked for the recruiting scope only may not read persons either
    both = (RECRUITING_SCOPE, PERSONS_SCOPE)
    assert _client(small_company, both, asked=RECRUITING_SCOPE).get(f"/v2/persons/{pid}").status_code == 403
    assert _client(small_company, (PERSONS_SCOPE,)).get(f"/v2/persons/{pid}").status_code == 200


def test_the_persons_endpoint_takes_no_query_parameters(small_company: DemoCompany, persons: httpx.Client) -> None:
    pid = _members(small_company)[0]
    assert persons.get(f"/v2/persons/{pid}", params={"limit": "1"}).status_code == 400
    assert persons.get("/v2/persons").status_code == 404  # the list is not served: the client never asks for it
