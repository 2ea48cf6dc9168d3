"""A first and an incremental sync against a strict demo fake send only what Personio documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import polars as pl
import pytest

from dashboard.demo import FakePersonio, generate_company
from dashboard.personio import PersonioClient
from dashboard.store import Store
from dashboard.sync import run_sync

END = datetime(2025, 6, 1, tzinfo=UTC)
BASE = "https://demo.api.test"
# Written from Personio's reference (not from the fake): query parameters each endpoint documents.
DOCUMENTED = {
    "applications": {"limit", "cursor", "updated_at.gt", "updated_at.lt"},
    "candidates": {"limit", "cursor", "updated_at.gt", "updated_at.lt", "email"},
    "jobs": {"limit", "cursor", "updated_at.gt", "updated_at.lt"},
    "categories": set(),
    "transitions": set(),
    "token": set(),
    "feed": {"language"},
}


@pytest.fixture(scope="module")
def company():
    return generate_company(250, seed=5, end=END)


class Recorder:
    """Wraps the fake's handler: keeps every request and every status answered."""

    def __init__(self, fake: FakePersonio) -> None:
        self.fake = fake
        self.seen: list[tuple[httpx.Request, int]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        response = self.fake.handler(request)
        request.read()
        self.seen.append((request, response.status_code))
        return response


def _sync(fake: FakePersonio, store: Store, full: bool, now: datetime) -> Recorder:
    recorder = Recorder(fake)
    client = PersonioClient(BASE, "demo", "demo-secret", transport=httpx.MockTransport(recorder),
                            rate_per_second=None, career_site_url="https://demo.jobs.test")
    with client:
        run_sync(client, store, full=full, now=lambda: now)
    return recorder


def test_first_and_incremental_sync_send_only_documented_parameters(company, tmp_path):
    clock = [END.timestamp() + 3600]
    fake = FakePersonio(company, clock=lambda: clock[0])
    store = Store(tmp_path / "c")
    first = _sync(fake, store, True, datetime.fromtimestamp(clock[0], UTC))
    clock[0] += 3600
    fake.touch_applications(company.applications["application_id"].to_list()[:5])
    later = _sync(fake, store, False, datetime.fromtimestamp(clock[0], UTC))
    store.close()
    for recorder in (first, later):
        assert {status for _, status in recorder.seen} == {200}
        for request, _ in recorder.seen:
            endpoint = fake._endpoint(request.url.path)
            assert set(request.url.params) <= DOCUMENTED[endpoint], (endpoint, str(request.url))
            if endpoint in ("categories", "transitions"):
                assert request.url.query == b""
            if endpoint == "token":
                assert set(parse_qs(request.content.decode())) == {"grant_type", "client_id", "client_secret"}
    inc = [fake._endpoint(r.url.path) for r, _ in later.seen]
    assert inc.count("transitions") == 5


def test_strictness_paging_and_public_host_links_change_no_table(company, tmp_path):
    now = END + timedelta(hours=1)
    strict = FakePersonio(company, clock=lambda: now.timestamp())
    other = FakePersonio(company, clock=lambda: now.timestamp(), strict_params=False, transition_page_size=1,
                         link_origin="https://api.personio.de")
    tables = []
    for i, fake in enumerate((strict, other)):
        store = Store(tmp_path / str(i))
        _sync(fake, store, True, now)
        tables.append(store.load_tables())
        store.close()
    a, b = tables
    for name in ("applications", "transitions", "jobs", "candidates", "stages"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.height > 0
        assert left.sort(left.columns).equals(right.sort(right.columns)), name
    assert a.applications.height == company.applications.height
    assert a.transitions.height == company.transitions.height
    assert pl.Series(a.applications["application_id"]).n_unique() == company.applications.height
