"""What goes on the wire: documented parameters only, next links re-rooted, loops, deadlines, sizes and waits."""

from __future__ import annotations

import gzip
import json
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qs

import httpx
import pytest

from dashboard.personio import (
    MalformedResponseError,
    NetworkError,
    PersonioClient,
    RateLimitError,
    RetryInfo,
    ServerError,
)
from dashboard.personio.client import MAX_BODY_BYTES, MAX_UNPAGED_PAGES
from dashboard.personio.errors import PaginationError, RedirectError, ResponseTooLargeError

from .conftest import CLIENT_ID, SECRET, FakeApi, FakeClock, page

APPS = "/v2/recruiting/applications"
CATS = "/v2/recruiting/categories"
JOBS = "/v2/recruiting/jobs"
WIFI = "Wi-Fi"


def _queries(api: FakeApi) -> list[dict[str, str]]:
    return [dict(r.url.params) for r in api.data_requests]


# ---- documented parameters only ----------------------------------------------------------------------

def test_categories_and_stage_transitions_carry_no_query_parameters(api, make_client):
    api.route(CATS, page([{"id": "c1"}]))
    api.route(f"{APPS}/7/stage-transitions", page([{"id": "t1"}]))
    client = make_client()
    client.categories()
    client.stage_transitions("7")
    assert [r.url.query for r in api.data_requests] == [b"", b""]


def test_unpaged_endpoints_follow_a_next_link_only_when_one_comes(api, make_client):
    api.route(CATS, lambda r: page([{"id": "c1"}], f"{CATS}?cursor=k2") if not r.url.query else page([{"id": "c2"}]))
    assert [c["id"] for c in make_client().categories()] == ["c1", "c2"]
    assert _queries(api) == [{}, {"cursor": "k2"}]


def test_lists_keep_limit_200_and_jobs_filter_incrementally(api, make_client):
    for path in (APPS, "/v2/recruiting/candidates", JOBS):
        api.route(path, page([]))
    client = make_client(page_limit=200)
    list(client.applications())
    list(client.candidates())
    list(client.jobs(datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)))
    assert _queries(api) == [{"limit": "200"}, {"limit": "200"},
                             {"limit": "200", "updated_at.gt": "2025-02-03T04:05:06Z"}]
    assert PersonioClient().page_limit == 200


def test_token_request_sends_scope_only_when_configured(api, make_client):
    api.route(JOBS, page([]))
    list(make_client().jobs())
    list(make_client(scope="personio:recruiting:read").jobs())
    forms = [{k: v[0] for k, v in parse_qs(r.content.decode()).items()}
             for r in api.requests if r.url.path == "/v2/auth/token"]
    base = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET}
    assert forms == [base, {**base, "scope": "personio:recruiting:read"}]


# ---- next links ----------------------------------------------------------------------------------------

def test_public_host_links_are_re_rooted_onto_a_proxy_base_with_a_path(clock, sleeps):
    api = FakeApi()
    api.route("/personio/v2/recruiting/candidates",
              lambda r: page([{"id": "1"}], "https://api.personio.de/v2/recruiting/candidates?cursor=cur_2")
              if "cursor" not in str(r.url) else page([{"id": "2"}]))
    api.route("/personio/v2/auth/token", lambda r: api._token(r))
    client = PersonioClient("https://proxy.test/personio", CLIENT_ID, SECRET, transport=httpx.MockTransport(
        api.handler), sleep=sleeps, clock=clock, rate_per_second=None)
    assert [c["id"] for c in client.candidates()] == ["1", "2"]
    assert [str(r.url) for r in api.requests[1:]] == [
        "https://proxy.test/personio/v2/recruiting/candidates?limit=200",
        "https://proxy.test/personio/v2/recruiting/candidates?cursor=cur_2"]


def test_a_redirect_is_not_followed_and_the_token_goes_nowhere_else(api, make_client):
    api.route(JOBS, httpx.Response(302, headers={"Location": "https://evil.example/steal"}))
    with pytest.raises(RedirectError) as info:
        list(make_client().jobs())
    assert {r.url.host for r in api.requests} == {"api.test"}
    assert "evil.example" in str(info.value) and WIFI not in str(info.value)


def test_a_repeated_cursor_stops_even_when_the_rest_of_the_link_changes(api, make_client):
    calls = iter(range(1000))
    api.route(APPS, lambda r: page([{"id": str(next(calls))}], f"{APPS}?cursor=same&n={next(calls)}"))
    with pytest.raises(PaginationError, match="already fetched") as info:
        list(make_client().applications())
    assert len(api.data_requests) == 2
    assert WIFI not in str(info.value)


def test_fresh_links_to_the_same_records_stop_after_three_pages_without_news(api, make_client):
    calls = iter(range(1000))
    api.route(APPS, lambda r: page([{"id": "a"}, {"id": "b"}], f"{APPS}?cursor=c{next(calls)}"))
    with pytest.raises(PaginationError, match="no new record"):
        list(make_client().applications())
    assert len(api.data_requests) == 4  # one page with news, three without


def test_fresh_pages_forever_stop_at_the_page_bound(api, make_client):
    calls = iter(range(10_000))
    api.route(APPS, lambda r: page([{"id": f"r{next(calls)}"}], f"{APPS}?cursor=c{next(calls)}"))
    with pytest.raises(PaginationError, match="more than 5 pages"):
        list(make_client(max_pages=5).applications())
    assert len(api.data_requests) == 5


def test_unpaged_endpoints_have_their_own_small_page_bound(api, make_client):
    calls = iter(range(10_000))
    api.route(f"{APPS}/9/stage-transitions",
              lambda r: page([{"id": f"t{next(calls)}"}], f"{APPS}/9/stage-transitions?cursor=c{next(calls)}"))
    with pytest.raises(PaginationError, match="Too many pages|more than"):
        make_client().stage_transitions("9")
    assert len(api.data_requests) == MAX_UNPAGED_PAGES


def test_an_off_origin_looping_next_link_gets_no_wifi_hint(api, make_client):
    api.route(APPS, page([{"id": "1"}], "https://api.personio.de/v2/recruiting/applications?cursor=x"))
    with pytest.raises(PaginationError) as info:
        list(make_client().applications())
    assert WIFI not in str(info.value) and "page links" in str(info.value)


def test_a_next_link_that_is_not_a_web_address_is_refused_without_wifi_hint(api, make_client):
    api.route(APPS, page([{"id": "1"}], "javascript:alert(1)"))
    with pytest.raises(PaginationError) as info:
        list(make_client().applications())
    assert WIFI not in str(info.value)
    assert len(api.data_requests) == 1


# ---- one request: deadline and size ---------------------------------------------------------------------

class Drip(httpx.SyncByteStream):
    """A body that arrives one byte per half second of the fake clock, forever."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent = 0

    def __iter__(self):
        yield b'{"_data": ['
        while True:
            self.clock.advance(0.5)
            self.sent += 1
            yield b" "


def test_a_dripping_body_fails_within_the_request_deadline(api, make_client, clock):
    drip = Drip(clock)
    api.route(JOBS, lambda r: httpx.Response(200, headers={"content-type": "application/json"}, stream=drip))
    client = make_client(request_deadline=30.0)
    start = clock.t
    with pytest.raises(NetworkError, match="no complete answer within 30 s"):
        list(client.jobs())
    assert 30.0 < clock.t - start <= 30.5
    assert len(api.data_requests) == 1  # a dripping server is not asked again


def _gzip_zeros(mib: int) -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    return b"".join([packer.compress(block) for _ in range(mib)] + [packer.flush()])


def test_a_gzip_bomb_stops_at_the_body_limit(api, make_client):
    bomb = _gzip_zeros(96)  # well under 1 MB on the wire, 96 MiB inflated
    assert len(bomb) < 1024 * 1024
    api.route(JOBS, lambda r: httpx.Response(200, headers={"content-type": "application/json",
                                                           "content-encoding": "gzip"}, stream=httpx.ByteStream(bomb)))
    with pytest.raises(ResponseTooLargeError) as info:
        list(make_client().jobs())
    assert "larger than 64 MiB once decompressed" in str(info.value) and WIFI not in str(info.value)
    assert MAX_BODY_BYTES == 64 * 1024 * 1024


def test_a_small_limit_applies_to_bodies_read_in_process_too(api, make_client):
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=9)
    api.route(JOBS, httpx.Response(200, headers={"content-type": "application/json", "content-encoding": "gzip"},
                                   content=bomb))
    with pytest.raises(ResponseTooLargeError, match="larger than 1 MiB"):
        list(make_client(max_body_bytes=1024 * 1024).jobs())


@pytest.mark.parametrize("encoding", ["gzip", "deflate-zlib", "deflate-raw"])
def test_compressed_bodies_within_the_limit_are_read(api, make_client, encoding):
    body = json.dumps({"_data": [{"id": "j1"}], "_meta": {"links": {}}}).encode()
    wbits = {"gzip": 31, "deflate-zlib": 15, "deflate-raw": -15}[encoding]
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    packed = packer.compress(body) + packer.flush()
    api.route(JOBS, lambda r: httpx.Response(200, headers={"content-encoding": encoding.split("-")[0]},
                                             stream=httpx.ByteStream(packed)))
    assert list(make_client().jobs()) == [{"id": "j1"}]


def test_an_unknown_content_encoding_is_refused(api, make_client):
    api.route(JOBS, lambda r: httpx.Response(200, headers={"content-encoding": "br"}, stream=httpx.ByteStream(b"xx")))
    with pytest.raises(MalformedResponseError, match="compressed as br"):
        list(make_client().jobs())


def test_only_gzip_and_deflate_are_asked_for(api, make_client):
    api.route(JOBS, page([]))
    list(make_client().jobs())
    assert api.data_requests[0].headers["accept-encoding"] == "gzip, deflate"


def test_an_undecodable_gzip_body_is_a_malformed_response(api, make_client):
    api.route(JOBS, httpx.Response(200, headers={"content-encoding": "gzip"},
                                   stream=httpx.ByteStream(b"not gzip at all")))
    with pytest.raises(MalformedResponseError, match="decompressed"):
        list(make_client().jobs())


# ---- waiting --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["1000000000", "date-2099"])
def test_an_absurd_retry_after_fails_at_once_saying_how_long_it_asked(api, make_client, sleeps, header):
    if header == "date-2099":
        header = format_datetime(datetime(2099, 1, 1, tzinfo=UTC), usegmt=True)
    api.route(JOBS, httpx.Response(429, headers={"Retry-After": header}))
    with pytest.raises(RateLimitError) as info:
        list(make_client().jobs())
    assert sleeps.calls == []
    assert "years before trying again" in str(info.value) and "at most 5 min per request" in str(info.value)


def test_total_waiting_per_request_is_capped(api, make_client, sleeps):
    api.route(JOBS, httpx.Response(503, headers={"Retry-After": "200"}))
    with pytest.raises(ServerError):
        list(make_client(max_retries=6).jobs())
    assert sleeps.calls == [200.0]  # 6 x 200 s would be 20 minutes; the budget is 300 s


def test_backoff_is_clamped_to_the_waiting_budget(api, make_client, sleeps):
    api.route(JOBS, httpx.Response(503))
    with pytest.raises(ServerError):
        list(make_client(max_retries=10, backoff_base=100.0, backoff_cap=1000.0, max_wait_per_request=250.0,
                         rng=_Top()).jobs())
    assert sleeps.calls == [100.0, 150.0]


def test_a_wait_checks_its_interrupt_every_slice_and_stops_when_it_raises(api, make_client, sleeps):
    api.route(JOBS, httpx.Response(503, headers={"Retry-After": "200"}), page([]))
    client = make_client()
    lefts: list[float] = []

    def interrupt(left: float) -> None:
        lefts.append(left)
        if len(lefts) == 3:
            raise KeyboardInterrupt  # what a Cancel raises through the client

    client.interrupt = interrupt
    with pytest.raises(KeyboardInterrupt):
        list(client.jobs())
    assert lefts == [200.0, 199.75, 199.5]  # checked before each quarter second, not after 200 s
    assert sleeps.calls == [0.25, 0.25]


def test_without_an_interrupt_a_wait_is_one_sleep(api, make_client, sleeps):
    api.route(JOBS, httpx.Response(503, headers={"Retry-After": "200"}), page([]))
    list(make_client().jobs())
    assert sleeps.calls == [200.0]


class _Top:
    def uniform(self, a: float, b: float) -> float:
        return b


def test_every_wait_is_reported_with_what_and_how_long(api, make_client):
    seen: list[RetryInfo] = []
    api.route(f"{APPS}/123/stage-transitions", httpx.Response(429, headers={"Retry-After": "7"}), page([]))
    make_client(on_retry=seen.append).stage_transitions("123")
    assert [i.describe() for i in seen] == [
        "Rate limited (GET /v2/recruiting/applications/{id}/stage-transitions): waiting 7 s, retry 1"]
    assert (seen[0].waited_seconds, seen[0].max_wait_seconds) == (0.0, 300.0)


def test_rate_limit_headers_saying_nothing_left_pause_until_the_reset(api, make_client, sleeps):
    seen: list[RetryInfo] = []
    api.route(JOBS, httpx.Response(200, json={"_data": [], "_meta": {}},
                                   headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0",
                                            "X-RateLimit-Reset": "12"}))
    client = make_client(on_retry=seen.append)
    list(client.jobs())
    assert sleeps.calls == []
    list(client.jobs())
    assert sleeps.calls == [12.0]
    assert [(i.attempt, i.reason, i.wait_seconds) for i in seen] == [(0, "rate limit reached", 12.0)]
    assert (client.rate_limit.limit, client.rate_limit.remaining) == (60.0, 0.0)


def test_a_429_without_retry_after_waits_for_the_rate_limit_reset(api, make_client, sleeps):
    api.route(JOBS, httpx.Response(429, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": "9"}), page([]))
    list(make_client().jobs())
    assert sleeps.calls == [9.0]
