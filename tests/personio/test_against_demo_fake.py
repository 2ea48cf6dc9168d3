"""The client against the built-in demo Personio (dashboard/demo/fake.py): the wire contract holds both ways."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import pytest

from dashboard.personio import AuthError, MalformedResponseError, PersonioClient

from .conftest import FakeClock, RecordingSleep

demo = pytest.importorskip("dashboard.demo")

END = datetime(2025, 6, 1, tzinfo=UTC)
BASE = "https://demo.api.test"


@pytest.fixture(scope="module")
def company():
    return demo.generate_company(60, seed=11, end=END)


@pytest.fixture
def fake(company):
    return demo.FakePersonio(company, client_id="demo-id", client_secret="demo-secret-123",
                             clock=lambda: END.timestamp())


def _client(fake, sleeps: RecordingSleep, **kwargs) -> PersonioClient:
    options = {"rate_per_second": None, "page_limit": 7, "rng": random.Random(1)} | kwargs
    return PersonioClient(BASE, "demo-id", options.pop("client_secret", "demo-secret-123"),
                          transport=fake.transport(), sleep=sleeps, clock=FakeClock(), **options)


def test_lists_every_application_across_pages(fake, company):
    sleeps = RecordingSleep()
    with _client(fake, sleeps) as client:
        ids = [a["id"] for a in client.applications()]
        n = company.applications.height
        assert sorted(ids) == sorted(company.applications["application_id"].to_list())
        assert client.stats.pages == math.ceil(n / 7)
        assert client.stats.token_requests == 1
    assert fake.count("token") == 1


def test_stage_transitions_match_the_company(fake, company):
    app_id = company.transitions["application_id"][0]
    expected = company.transitions.filter(application_id=app_id).height
    with _client(fake, RecordingSleep(), page_limit=2) as client:
        assert len(client.stage_transitions(app_id)) == expected


def test_injected_429_is_retried_after_retry_after(fake):
    fake.inject(r"/v2/recruiting/jobs$", status=429, times=2, retry_after=3)
    sleeps = RecordingSleep()
    with _client(fake, sleeps) as client:
        jobs = list(client.jobs())
    assert sleeps.calls == [3.0, 3.0]
    assert len(jobs) == len({j["id"] for j in jobs}) > 0


def test_expired_token_is_renewed_once(fake):
    with _client(fake, RecordingSleep()) as client:
        list(client.categories())
        fake.expire_tokens()
        assert client.categories()
        assert client.stats.token_requests == 2


def test_wrong_secret_is_an_auth_error(fake):
    with _client(fake, RecordingSleep(), client_secret="nope-nope") as client, pytest.raises(AuthError):
        list(client.jobs())


def test_truncated_body_is_malformed(fake):
    fake.inject(r"/v2/recruiting/candidates$", status=200, truncate=True, times=None)
    with _client(fake, RecordingSleep()) as client, pytest.raises(MalformedResponseError):
        list(client.candidates())


def test_career_feed_lists_the_published_jobs(fake, company):
    published = company.job_details.filter(published=True).height
    with _client(fake, RecordingSleep(), career_site_url="https://acme.jobs.test") as client:
        feed = client.career_feed()
    assert len(feed) == published
    assert all(p["id"] and p["office"] for p in feed)
