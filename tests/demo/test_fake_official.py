"""The demo fake speaks the documented API: official record shapes, 400 for undocumented parameters."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from dashboard.demo import DemoCompany, FakePersonio
from tests.demo.conftest import BASE, Clock, fetch_all, token

OFFICIAL = Path(__file__).parents[1] / "fixtures" / "official"
APPS = "/v2/recruiting/applications"
# Application fields the schema documents beyond those the official example happens to show.
APPLICATION_SCHEMA_ONLY = {"current_stage", "channel", "is_anonymized"}


def _load(name: str) -> dict:
    return json.loads((OFFICIAL / name).read_text())


def _app_with_everything(client: httpx.Client) -> dict:
    apps = client.get(APPS, params={"limit": 200}).json()["_data"]
    return next(a for a in apps if a["candidate"] and "channel" in a and "department" in a["job"]
                and a["hiring_team"])


def test_fake_application_has_the_official_fields_in_the_schema_order(client: httpx.Client):
    official = _load("application-by-id.200.json")
    rec = _app_with_everything(client)
    assert set(rec) == set(official) | APPLICATION_SCHEMA_ONLY
    assert set(official["candidate"]) <= set(rec["candidate"])
    assert set(official["job"]) <= set(rec["job"])
    assert set(rec["created_at"]) == set(official["created_at"]) == {"date-time", "timezone"}
    assert all(set(m) == set(official["hiring_team"][0]) for m in rec["hiring_team"])
    assert set(rec["hiring_team"][0]["person"]) == set(official["hiring_team"][0]["person"])


def test_fake_candidate_has_exactly_the_official_fields_in_order(client: httpx.Client):
    official = _load("candidates-list.page1.json")["_data"][0]
    rec = client.get("/v2/recruiting/candidates", params={"limit": 5}).json()["_data"][0]
    assert list(rec) == list(official)
    assert set(rec["applications"][0]) == set(official["applications"][0])
    assert isinstance(rec["created_at"], str) and isinstance(rec["updated_at"], str)


def test_fake_list_envelope_and_next_link_are_the_official_shape(client: httpx.Client):
    official = _load("candidates-list.page1.json")
    body = client.get("/v2/recruiting/candidates", params={"limit": 2}).json()
    assert set(body) == set(official) == {"_data", "_meta"}
    assert set(body["_meta"]["links"]) == set(official["_meta"]["links"]) == {"self", "next"}
    assert set(httpx.URL(body["_meta"]["links"]["next"]["href"]).params) == {"cursor"}


def test_fake_error_body_is_the_official_shape(client: httpx.Client):
    official = _load("application-by-id.404.json")
    resp = client.get(f"{APPS}/id-that-does-not-exist")
    assert resp.status_code == 404 and resp.headers["content-type"] == "application/problem+json"
    body = resp.json()
    assert set(body) == set(official)
    assert body["errors"][0]["title"] == official["errors"][0]["title"]
    assert body["errors"][0]["detail"] == official["errors"][0]["detail"]
    assert body["errors"][0]["type"] == official["errors"][0]["type"]


def test_fake_system_stages_carry_only_type_and_kind(client: httpx.Client):
    stages = [a["current_stage"] for a in client.get(APPS, params={"limit": 200}).json()["_data"]]
    system = [s for s in stages if s["kind"] == "system"]
    assert system and all(set(s) == {"kind", "type"} for s in system)
    assert all({"id", "name", "kind", "type"} == set(s) for s in stages if s["kind"] == "custom")


@pytest.mark.parametrize("url", [
    "/v2/recruiting/categories?limit=200",
    "/v2/recruiting/categories?cursor=cur_x",
    f"{APPS}/APP/stage-transitions?limit=200",
    f"{APPS}/APP/stage-transitions?cursor=cur_x",
    f"{APPS}?foo=1",
    f"{APPS}?email=a@example.com",
    "/v2/recruiting/jobs?email=a@example.com",
    f"{APPS}/APP?limit=1",
    "/v2/recruiting/candidates?candidate.email=x",
])
def test_undocumented_query_parameters_are_400_problems(client: httpx.Client, small_company: DemoCompany, url: str):
    url = url.replace("APP", small_company.applications["application_id"][0])
    resp = client.get(url)
    assert resp.status_code == 400 and resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["errors"][0]["title"] == "Bad request"


@pytest.mark.parametrize("url", ["/v2/recruiting/categories", f"{APPS}?limit=5&updated_at.gt=2025-01-01T00:00:00Z",
                                 "/v2/recruiting/candidates?email=nobody@example.com",
                                 "/v2/recruiting/jobs?limit=3&updated_at.lt=2030-01-01T00:00:00Z"])
def test_documented_parameters_are_accepted(client: httpx.Client, url: str):
    assert client.get(url).status_code == 200


def test_lenient_fake_still_accepts_anything(small_company: DemoCompany, clock: Clock):
    fake = FakePersonio(small_company, clock=clock, strict_params=False)
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    c.headers["Authorization"] = "Bearer " + token(c).json()["access_token"]
    assert c.get("/v2/recruiting/categories?limit=200").status_code == 200


def test_next_cursor_alone_keeps_the_first_requests_filter(client: httpx.Client):
    since = "2025-03-01T00:00:00Z"
    filtered = fetch_all(client, f"{APPS}?limit=7&updated_at.gt={since}")
    direct = client.get(APPS, params={"limit": 200, "updated_at.gt": since}).json()["_data"]
    assert 7 < len(filtered) <= 200
    assert [a["id"] for a in filtered] == [a["id"] for a in direct]


def test_links_can_point_at_the_public_host_as_in_the_official_examples(small_company: DemoCompany, clock: Clock):
    fake = FakePersonio(small_company, clock=clock, link_origin="https://api.personio.de")
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    c.headers["Authorization"] = "Bearer " + token(c).json()["access_token"]
    links = c.get("/v2/recruiting/candidates", params={"limit": 2}).json()["_meta"]["links"]
    assert links["next"]["href"].startswith("https://api.personio.de/v2/recruiting/candidates?cursor=")
    assert links["self"]["href"] == "https://api.personio.de/v2/recruiting/candidates?limit=2"
