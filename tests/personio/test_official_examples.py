"""The client against Personio's own example payloads (tests/fixtures/official), links on api.personio.de."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from dashboard.personio import BadRequestError, NotFoundError, PersonioClient

from .conftest import CLIENT_ID, SECRET, FakeApi, page

OFFICIAL = Path(__file__).parents[1] / "fixtures" / "official"
CANDS = "/v2/recruiting/candidates"


def _load(name: str) -> dict:
    return json.loads((OFFICIAL / name).read_text())


def _proxy_client(api: FakeApi, clock, sleeps) -> PersonioClient:
    return PersonioClient("https://personio-proxy.test", CLIENT_ID, SECRET, transport=httpx.MockTransport(api.handler),
                          sleep=sleeps, clock=clock, rate_per_second=None)


def test_official_candidate_pages_are_followed_on_the_configured_base(clock, sleeps):
    api = FakeApi()
    pages = {None: _load("candidates-list.page1.json"), "cur_234ls0f02lalfdd": _load("candidates-list.page2.json")}

    def reply(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        return httpx.Response(200, json=pages[cursor]) if cursor in pages else page([])

    api.route(CANDS, reply)
    got = list(_proxy_client(api, clock, sleeps).candidates())
    assert [c["id"] for c in got] == ["495039", "3459829", "495039", "3459829"]
    assert [str(r.url) for r in api.data_requests] == [
        "https://personio-proxy.test/v2/recruiting/candidates?limit=200",
        "https://personio-proxy.test/v2/recruiting/candidates?cursor=cur_234ls0f02lalfdd",
        "https://personio-proxy.test/v2/recruiting/candidates?cursor=cur_234ls0f02lalfddQrefvA2fe",
    ]
    assert {r.url.host for r in api.requests} == {"personio-proxy.test"}


def test_official_application_example_is_returned_as_sent(api, make_client):
    example = _load("application-by-id.200.json")
    api.route("/v2/recruiting/applications/495039", httpx.Response(200, json=example))
    assert make_client().application("495039") == example


@pytest.mark.parametrize(("name", "status", "cls", "title"), [
    ("application-by-id.404.json", 404, NotFoundError, "Resource not found"),
    ("candidates-list.400.json", 400, BadRequestError, "Bad request"),
])
def test_official_error_examples_map_to_their_errors(api, make_client, name, status, cls, title):
    body = _load(name)
    api.route(CANDS, httpx.Response(status, json=body, headers={"content-type": "application/problem+json"}))
    with pytest.raises(cls) as info:
        list(make_client().candidates())
    assert (info.value.status, info.value.title) == (status, title)
    assert info.value.detail == body["errors"][0]["detail"]
    assert info.value.trace_id == "aswo3f-a202lfso-312123sld-1230ddd"
