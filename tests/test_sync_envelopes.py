"""End to end through the real client: stage histories in a `data` envelope, a bare list or the entered-stage
shape give the same tables as the default shape."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import httpx
import pytest

from dashboard.demo import FakePersonio, generate_company
from dashboard.personio import PersonioClient
from dashboard.store import Store
from dashboard.sync import run_sync

NOW = datetime(2025, 6, 30, 12, tzinfo=UTC)


class Reshape(httpx.BaseTransport):
    """Forwards to the fake and rewrites every stage-transitions answer."""

    def __init__(self, fake: FakePersonio, how: str) -> None:
        self.inner = fake.transport()
        self.how = how

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not request.url.path.endswith("/stage-transitions") or response.status_code != 200:
            return response
        response.read()
        items = json.loads(response.content)["_data"]
        if self.how == "entered":
            items = [{"stage": i["to_stage"], "entered_at": i["created_at"]["date-time"]} for i in items]
            body: object = {"_data": items}
        else:
            body = {"data": items} if self.how == "data" else items
        return httpx.Response(200, json=body)


@pytest.fixture(scope="module")
def company():
    return generate_company(60, seed=5, end=date(2025, 6, 30))


def _sync(company, tmp_path, how: str | None):
    fake = FakePersonio(company, clock=lambda: NOW.timestamp())
    transport = Reshape(fake, how) if how else fake.transport()
    client = PersonioClient("https://demo.personio.invalid", "demo", "demo-secret", transport=transport,
                            rate_per_second=None, sleep=lambda s: None, max_retries=0)
    store = Store(tmp_path / (how or "default"))
    report = run_sync(client, store, now=lambda: NOW)
    return report, store.load_tables()


@pytest.mark.parametrize("how", ["data", "bare", "entered"])
def test_every_known_envelope_and_shape_gives_the_same_transitions(company, tmp_path, how):
    _, expected = _sync(company, tmp_path, None)
    report, tables = _sync(company, tmp_path, how)
    assert not report.errors
    cols = ["application_id", "seq", "to_stage_id", "transitioned_at"]
    assert tables.transitions.height == company.transitions.height
    assert tables.transitions.select(cols).sort(cols[:2]).equals(expected.transitions.select(cols).sort(cols[:2]))
