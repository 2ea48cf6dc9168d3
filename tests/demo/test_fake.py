"""The fake Personio honours the wire contract of docs/architecture.md, and its faults and mutations work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import polars as pl
import pytest

from dashboard.demo import DemoCompany, FakePersonio
from tests.demo.conftest import BASE, END, Clock, fetch_all, token

APPS = "/v2/recruiting/applications"


def _problem(resp: httpx.Response, status: int) -> dict:
    assert resp.status_code == status
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["personio_trace_id"] and body["timestamp"]
    assert body["errors"][0]["title"] and body["errors"][0]["detail"]
    return body


def _updated(rec: dict) -> datetime:
    return datetime.fromisoformat(rec["updated_at"]["date-time"].replace("Z", "+00:00"))


# --- auth --------------------------------------------------------------------------------------------------


def test_token_endpoint_issues_bearer_tokens(fake: FakePersonio) -> None:
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    body = token(c).json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 86400 and body["access_token"]


def test_wrong_credentials_get_401_oauth_error(fake: FakePersonio) -> None:
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    resp = token(c, secret="wrong")
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_client"
    bad_grant = c.post("/v2/auth/token", data={"grant_type": "password", "client_id": "demo"})
    assert bad_grant.status_code == 400 and bad_grant.json()["error"] == "unsupported_grant_type"


def test_missing_token_unknown_token_and_expired_token_get_401(fake: FakePersonio, client: httpx.Client,
                                                               clock: Clock) -> None:
    bare = httpx.Client(transport=fake.transport(), base_url=BASE)
    _problem(bare.get(APPS), 401)
    _problem(bare.get(APPS, headers={"Authorization": "Bearer nope"}), 401)
    assert client.get(APPS).status_code == 200
    clock.now += 86400 + 1
    _problem(client.get(APPS), 401)


def test_expire_tokens_forces_401(fake: FakePersonio, client: httpx.Client) -> None:
    fake.expire_tokens()
    _problem(client.get(APPS), 401)


def test_credential_without_recruiting_scope_gets_403(small_company: DemoCompany) -> None:
    fake = FakePersonio(small_company, scopes=("personio:persons:read",))
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    c.headers["Authorization"] = "Bearer " + token(c).json()["access_token"]
    _problem(c.get(APPS), 403)


# --- lists -------------------------------------------------------------------------------------------------


def test_pagination_walks_every_application_once_last_updated_first(client: httpx.Client) -> None:
    first = client.get(APPS, params={"limit": 150}).json()
    assert len(first["_data"]) == 150
    next_href = first["_meta"]["links"]["next"]["href"]
    assert next_href.startswith(BASE + APPS + "?cursor=") and set(httpx.URL(next_href).params) == {"cursor"}
    assert len(client.get(next_href).json()["_data"]) == 150  # the cursor keeps the first request's limit
    records = fetch_all(client, f"{APPS}?limit=150")
    assert len(records) == 400 and len({r["id"] for r in records}) == 400
    times = [_updated(r) for r in records]
    assert times == sorted(times, reverse=True)


def test_default_limit_is_100_and_last_page_has_no_next(client: httpx.Client) -> None:
    body = client.get(APPS).json()
    assert len(body["_data"]) == 100
    assert "next" not in client.get(APPS, params={"limit": 200, "updated_at.lt": "2000-01-01T00:00:00Z"}).json()[
        "_meta"]["links"]


@pytest.mark.parametrize("limit", ["0", "201", "400", "abc"])
def test_limit_out_of_range_is_400_problem(client: httpx.Client, limit: str) -> None:
    body = _problem(client.get(APPS, params={"limit": limit}), 400)
    assert body["errors"][0]["title"] == "Bad request"


def test_both_updated_filters_are_400(client: httpx.Client) -> None:
    _problem(client.get(APPS, params={"updated_at.gt": "2025-01-01T00:00:00Z",
                                      "updated_at.lt": "2025-02-01T00:00:00Z"}), 400)


def test_bad_cursor_is_400(client: httpx.Client) -> None:
    _problem(client.get(APPS, params={"cursor": "garbage"}), 400)


def test_updated_at_filters_split_the_list(client: httpx.Client, small_company: DemoCompany) -> None:
    cut = datetime(2025, 3, 1, tzinfo=UTC)
    newer = fetch_all(client, f"{APPS}?limit=200&updated_at.gt=2025-03-01T00:00:00Z")
    older = fetch_all(client, f"{APPS}?updated_at.lt=2025-03-01T01:00:00%2B01:00")  # same instant, offset form
    expected_newer = small_company.applications.filter(pl.col("updated_at") > cut).height
    assert len(newer) == expected_newer and all(_updated(r) > cut for r in newer)
    assert len(older) == small_company.applications.filter(pl.col("updated_at") < cut).height
    assert all(_updated(r) < cut for r in older)


def test_candidates_filter_by_email(client: httpx.Client, small_company: DemoCompany) -> None:
    email = small_company.candidate_details["email"][5]
    found = client.get("/v2/recruiting/candidates", params={"email": email.upper()}).json()["_data"]
    assert [c["email"] for c in found] == [email]
    assert client.get("/v2/recruiting/candidates", params={"email": "nobody@example.com"}).json()["_data"] == []


def test_application_by_id_and_404_problem(client: httpx.Client, small_company: DemoCompany) -> None:
    app_id = small_company.applications["application_id"][10]
    assert client.get(f"{APPS}/{app_id}").json()["id"] == app_id
    body = _problem(client.get(f"{APPS}/id-that-does-not-exist"), 404)
    assert body["errors"][0]["title"] == "Resource not found"
    _problem(client.get(f"{APPS}/id-that-does-not-exist/stage-transitions"), 404)


@pytest.mark.parametrize("page_size", [None, 1])
def test_stage_transitions_latest_first_whole_or_paginated(small_company: DemoCompany, clock: Clock,
                                                           page_size: int | None) -> None:
    fake = FakePersonio(small_company, clock=clock, transition_page_size=page_size)
    client = httpx.Client(transport=fake.transport(), base_url=BASE)
    client.headers["Authorization"] = "Bearer " + token(client).json()["access_token"]
    counts = small_company.transitions.group_by("application_id").len().sort("len", "application_id")
    app_id, n = counts.row(-1)
    items = fetch_all(client, f"{APPS}/{app_id}/stage-transitions")
    assert len(items) == n >= 3
    assert fake.count("transitions") == (1 if page_size is None else n)
    times = [datetime.fromisoformat(i["created_at"]["date-time"].replace("Z", "+00:00")) for i in items]
    assert times == sorted(times, reverse=True)
    assert items[-1]["from_stage"]["type"] == "new"
    newest = small_company.transitions.filter(pl.col("application_id") == app_id).sort("seq")[-1]
    assert items[0]["to_stage"]["type"] == newest["to_stage_type"][0]


def test_entered_transition_shape(small_company: DemoCompany, clock: Clock) -> None:
    fake = FakePersonio(small_company, clock=clock, transition_shape="entered")
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    c.headers["Authorization"] = "Bearer " + token(c).json()["access_token"]
    app_id = small_company.transitions["application_id"][0]
    item = c.get(f"{APPS}/{app_id}/stage-transitions").json()["_data"][0]
    assert set(item) == {"id", "stage", "entered_at"} and isinstance(item["entered_at"], str)


def test_records_have_the_documented_shapes(client: httpx.Client, small_company: DemoCompany) -> None:
    apps = fetch_all(client, f"{APPS}?limit=200")
    anonymised = [a for a in apps if a["is_anonymized"]]
    assert anonymised and all(a["candidate"] is None for a in anonymised)
    assert any("channel" not in a for a in apps)
    rec = next(a for a in apps if a["candidate"] and "channel" in a)
    assert {"id", "first_name", "last_name", "email", "gender"} <= set(rec["candidate"])
    assert {"id", "name", "category", "department"} <= set(rec["job"])
    assert {"type", "kind"} <= set(rec["current_stage"])
    assert set(rec["created_at"]) == {"date-time", "timezone"}
    zones = {a["updated_at"]["timezone"] for a in apps}
    assert zones == {"UTC", "Europe/Berlin"}
    berlin = next(a for a in apps if a["updated_at"]["timezone"] == "Europe/Berlin")
    expected = small_company.applications.filter(pl.col("application_id") == berlin["id"])["updated_at"][0]
    assert _updated(berlin) == expected and berlin["updated_at"]["date-time"][-6:] in ("+01:00", "+02:00")
    cand = client.get("/v2/recruiting/candidates", params={"limit": 1}).json()["_data"][0]
    assert isinstance(cand["created_at"], str) and cand["applications"][0]["id"]
    job = client.get("/v2/recruiting/jobs").json()["_data"][0]
    assert {"id", "name", "company", "category", "hiring_team", "created_at", "updated_at"} <= set(job)
    cats = client.get("/v2/recruiting/categories").json()["_data"]
    assert len(cats) == 4
    assert all({"id", "name", "type", "kind", "position"} == set(s) for c in cats for s in c["stages"]
               if s["kind"] == "custom")
    assert all({"type", "kind", "position"} == set(s) for c in cats for s in c["stages"] if s["kind"] == "system")


def test_career_feed_lists_published_jobs_only(fake: FakePersonio, small_company: DemoCompany) -> None:
    from defusedxml.ElementTree import fromstring

    resp = httpx.Client(transport=fake.transport()).get("https://demo.jobs.personio.de/xml?language=en")
    assert resp.status_code == 200 and "xml" in resp.headers["content-type"]
    positions = fromstring(resp.content).findall("position")
    published = small_company.job_details.filter(pl.col("published"))
    assert sorted(p.findtext("id") for p in positions) == sorted(published["job_id"])
    first = positions[0]
    for tag in ("office", "recruitingCategory", "name", "employmentType", "seniority", "schedule", "createdAt"):
        assert first.findtext(tag), tag


# --- faults ------------------------------------------------------------------------------------------------


def test_injected_429_with_retry_after_then_normal(fake: FakePersonio, client: httpx.Client) -> None:
    fault = fake.inject(r"/applications$", status=429, times=2, retry_after=3)
    for _ in range(2):
        resp = client.get(APPS)
        assert resp.status_code == 429 and resp.headers["Retry-After"] == "3"
    assert client.get(APPS).status_code == 200
    assert fault.hits == 2


def test_injected_429_without_retry_after_and_5xx(fake: FakePersonio, client: httpx.Client) -> None:
    fake.inject(r"/jobs", status=429)
    resp = client.get("/v2/recruiting/jobs")
    assert resp.status_code == 429 and "Retry-After" not in resp.headers
    fake.inject(r"/jobs", status=503)
    _problem(client.get("/v2/recruiting/jobs"), 503)
    assert client.get("/v2/recruiting/jobs").status_code == 200


@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ConnectError])
def test_injected_transport_errors_raise(fake: FakePersonio, client: httpx.Client, exc: type[Exception]) -> None:
    fake.inject(r"/applications", raise_exc=exc)
    with pytest.raises(exc):
        client.get(APPS)
    assert client.get(APPS).status_code == 200


def test_malformed_and_truncated_bodies(fake: FakePersonio, client: httpx.Client) -> None:
    fake.inject(r"/candidates", status=200, body=b'{"_data": [')
    with pytest.raises(ValueError):
        client.get("/v2/recruiting/candidates").json()
    fake.inject(r"/candidates", status=200, truncate=True)
    resp = client.get("/v2/recruiting/candidates")
    assert resp.status_code == 200
    with pytest.raises(ValueError):
        resp.json()


def test_extra_and_dropped_fields(fake: FakePersonio, client: httpx.Client) -> None:
    fake.inject(r"/applications$", status=200, extra_fields={"surprise": 1}, drop_fields=("current_stage",))
    records = client.get(APPS).json()["_data"]
    assert all(r["surprise"] == 1 and "current_stage" not in r for r in records)


def test_latency_is_recorded_and_slept_only_when_asked(small_company: DemoCompany, clock: Clock) -> None:
    slept: list[float] = []
    quiet = FakePersonio(small_company, clock=clock)
    quiet.inject(r"/xml", status=200, delay=2.5)
    httpx.Client(transport=quiet.transport()).get("https://x.test/xml")
    assert quiet.delays == [2.5]
    sleepy = FakePersonio(small_company, clock=clock, sleep=slept.append)
    sleepy.inject(r"/xml", status=200, delay=1.5)
    httpx.Client(transport=sleepy.transport()).get("https://x.test/xml")
    assert slept == [1.5]


def test_rate_limit_answers_429_with_retry_after_on_the_clock(small_company: DemoCompany, clock: Clock) -> None:
    fake = FakePersonio(small_company, clock=clock, rate_limit_per_second=2)
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    c.headers["Authorization"] = "Bearer " + token(c).json()["access_token"]  # 1 of 2
    assert c.get("/v2/recruiting/jobs").status_code == 200  # 2 of 2
    limited = c.get("/v2/recruiting/jobs")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    clock.now += 1
    assert c.get("/v2/recruiting/jobs").status_code == 200


def test_request_log_and_counts(fake: FakePersonio, client: httpx.Client) -> None:
    client.get(APPS, params={"limit": 5})
    client.get("/v2/recruiting/jobs")
    assert fake.requests[-2] == ("GET", APPS, {"limit": "5"})
    assert fake.count("token") == 1 and fake.count("applications") == 1 and fake.count("jobs") == 1


# --- mutations ---------------------------------------------------------------------------------------------


def test_touch_moves_application_to_front_and_appends_transition(fake: FakePersonio, client: httpx.Client,
                                                                 small_company: DemoCompany) -> None:
    app_id = small_company.applications.filter(pl.col("stage_type") == "new")["application_id"][0]
    at = END + timedelta(hours=2)
    fake.touch_applications([app_id], stage_type="screening", at=at)
    changed = client.get(APPS, params={"updated_at.gt": END.isoformat()}).json()["_data"]
    assert [r["id"] for r in changed] == [app_id]
    assert changed[0]["current_stage"]["type"] == "screening" and _updated(changed[0]) == at
    latest = client.get(f"{APPS}/{app_id}/stage-transitions").json()["_data"][0]
    assert latest["from_stage"]["type"] == "new" and latest["to_stage"]["type"] == "screening"


def test_deleted_application_and_candidate_disappear(fake: FakePersonio, client: httpx.Client,
                                                     small_company: DemoCompany) -> None:
    app_id = small_company.applications["application_id"][0]
    fake.delete_application(app_id)
    _problem(client.get(f"{APPS}/{app_id}"), 404)
    assert app_id not in {r["id"] for r in fetch_all(client, f"{APPS}?limit=200")}
    cand_id = small_company.applications.drop_nulls("candidate_id")["candidate_id"][-1]
    fake.delete_candidate(cand_id)
    assert cand_id not in {c["id"] for c in fetch_all(client, "/v2/recruiting/candidates?limit=200")}
    assert all((r["candidate"] or {}).get("id") != cand_id for r in fetch_all(client, f"{APPS}?limit=200"))


def test_add_application_appears_first(fake: FakePersonio, client: httpx.Client, small_company: DemoCompany) -> None:
    job_id = small_company.jobs["job_id"][0]
    new_id = fake.add_application(job_id, at=END + timedelta(hours=1))
    first = client.get(APPS, params={"limit": 1}).json()["_data"][0]
    assert first["id"] == new_id and first["current_stage"]["type"] == "new" and first["job"]["id"] == job_id
    cand = client.get("/v2/recruiting/candidates", params={"limit": 1}).json()["_data"][0]
    assert cand["applications"][0]["id"] == new_id


# --- the fake round-trips into the generator's tables ----------------------------------------------------


def test_parsed_records_equal_the_generated_tables(client: httpx.Client, small_company: DemoCompany) -> None:
    parse = pytest.importorskip("dashboard.parse")
    feed_mod = pytest.importorskip("dashboard.personio.feed")
    apps = fetch_all(client, f"{APPS}?limit=200")
    transitions = {a["id"]: fetch_all(client, f"{APPS}/{a['id']}/stage-transitions") for a in apps}
    tables, notes = parse.build_tables(
        applications=apps, transitions=transitions,
        jobs=fetch_all(client, "/v2/recruiting/jobs"),
        candidates=fetch_all(client, "/v2/recruiting/candidates?limit=200"),
        categories=fetch_all(client, "/v2/recruiting/categories"),
        feed=feed_mod.parse_career_feed(client.get("/xml?language=en").content), as_of=END)
    assert notes == []
    expected = small_company.tables()
    keys = {"applications": ["application_id"], "transitions": ["application_id", "seq"], "jobs": ["job_id"],
            "candidates": ["candidate_id"], "stages": ["category_id", "position"]}
    for name, key in keys.items():
        assert getattr(tables, name).sort(key).equals(getattr(expected, name).sort(key)), name
