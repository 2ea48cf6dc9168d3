"""A tiny scripted Personio behind httpx.MockTransport, a fake clock and a recording sleep."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from dashboard.personio import PersonioClient

BASE = "https://api.test"
CLIENT_ID = "cid-123"
SECRET = "s3cr3t-VALUE-9f8e7d"
TOKEN_PREFIX = "tok-SENSITIVE-"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class RecordingSleep:
    """Records requested sleeps instead of sleeping; optionally moves a FakeClock along."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.calls: list[float] = []
        self.clock = clock

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)


class FakeApi:
    """Token endpoint plus scripted routes (path → list of replies, the last one repeats); records requests."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[str, list[Reply]] = {}
        self.expires_in: Any = 3600
        self.tokens_issued = 0
        self.token_replies: list[Reply] = []

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    @property
    def data_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path != "/v2/auth/token"]

    @property
    def current_token(self) -> str:
        return f"{TOKEN_PREFIX}{self.tokens_issued}"

    def _next(self, replies: list[Reply], request: httpx.Request) -> httpx.Response:
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, httpx.Response):
            return reply(request)
        return reply

    def _token(self, request: httpx.Request) -> httpx.Response:
        if self.token_replies:
            return self._next(self.token_replies, request)
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != SECRET:
            return httpx.Response(401, json={"error": "invalid_client",
                                             "error_description": "Client authentication failed."})
        self.tokens_issued += 1
        return httpx.Response(200, json={"access_token": self.current_token, "token_type": "Bearer",
                                         "expires_in": self.expires_in})

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/v2/auth/token" and request.method == "POST":
            return self._token(request)
        replies = self.routes.get(request.url.path)
        if replies is None:
            return problem(404, "Resource not found", "There is no resource for the specified ID.")
        return self._next(replies, request)


def page(items: list[dict], next_href: str | None = None) -> httpx.Response:
    """A list envelope, with a next link when given."""
    links: dict[str, Any] = {"self": {"href": "ignored"}}
    if next_href is not None:
        links["next"] = {"href": next_href}
    return httpx.Response(200, json={"_data": items, "_meta": {"links": links}})


def problem(status: int, title: str, detail: str, trace: str = "trace-1", headers: dict | None = None
            ) -> httpx.Response:
    """A Personio problem+json error response in the seed shape."""
    body = {"personio_trace_id": trace, "timestamp": "2021-05-28T11:17:30+00:00",
            "errors": [{"title": title, "detail": detail, "type": "https://developer.personio.de/x"}]}
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json",
                                                      **(headers or {})})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def make_client(api: FakeApi, clock: FakeClock, sleeps: RecordingSleep) -> Callable[..., PersonioClient]:
    """A client on the fake API; no rate budget unless asked, deterministic jitter."""
    made: list[PersonioClient] = []

    def make(**kwargs: Any) -> PersonioClient:
        options: dict[str, Any] = {"transport": httpx.MockTransport(api.handler), "sleep": sleeps, "clock": clock,
                                   "rng": random.Random(42), "rate_per_second": None}
        options.update(kwargs)
        client = PersonioClient(BASE, CLIENT_ID, options.pop("client_secret", SECRET), **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
