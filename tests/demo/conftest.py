"""Shared demo fixtures: one small company (generated once) and a fresh fake with a fixed clock per test."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from dashboard.demo import DemoCompany, FakePersonio, generate_company

END = datetime(2025, 6, 1, tzinfo=UTC)
BASE = "https://api.test"


class Clock:
    """A settable clock for the fake (seconds since the epoch)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def company() -> DemoCompany:
    return generate_company(3000, seed=7, end=END)


@pytest.fixture(scope="session")
def small_company() -> DemoCompany:
    return generate_company(400, seed=3, end=END)


@pytest.fixture
def clock() -> Clock:
    return Clock(END.timestamp() + 3600)


@pytest.fixture
def fake(small_company: DemoCompany, clock: Clock) -> FakePersonio:
    return FakePersonio(small_company, clock=clock)


def token(client: httpx.Client, client_id: str = "demo", secret: str = "demo-secret") -> httpx.Response:  # noqa: S107
    return client.post("/v2/auth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                               "client_secret": secret, "scope": "personio:recruiting:read"})


@pytest.fixture
def client(fake: FakePersonio) -> httpx.Client:
    """An httpx client on the fake, already holding a bearer token."""
    c = httpx.Client(transport=fake.transport(), base_url=BASE)
    c.headers["Authorization"] = "Bearer " + token(c).json()["access_token"]
    return c


def fetch_all(client: httpx.Client, url: str) -> list[dict]:
    """Every record of a list endpoint, following next hrefs."""
    out: list[dict] = []
    next_url: str | None = url
    while next_url:
        resp = client.get(next_url)
        resp.raise_for_status()
        body = resp.json()
        out += body["_data"]
        next_url = body["_meta"]["links"].get("next", {}).get("href")
    return out
