"""PersonioClient: token handling, pagination, budget, retries and error mapping against a scripted API."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs

import httpx
import pytest

from dashboard.personio import (
    AuthError,
    BadRequestError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    PersonioError,
    RateLimitError,
    RetryInfo,
    ScopeError,
    ServerError,
)

from .conftest import BASE, CLIENT_ID, SECRET, TOKEN_PREFIX, FakeClock, RecordingSleep, page, problem

APPS = "/v2/recruiting/applications"


# ---- pagination ---------------------------------------------------------------------------------------

def test_follows_next_links_across_three_pages_as_given(api, make_client):
    api.route(APPS,
              page([{"id": "1"}, {"id": "2"}], f"{BASE}{APPS}?cursor=c2&updated_at.gt=2025-01-01T00%3A00%3A00Z"),
              lambda r: page([{"id": "3"}], f"{APPS}?cursor=c3") if "c2" in str(r.url) else page([{"id": "4"}]))
    client = make_client()
    ids = [a["id"] for a in client.applications(datetime(2025, 1, 1, tzinfo=UTC))]
    assert ids == ["1", "2", "3", "4"]
    urls = [str(r.url) for r in api.data_requests]
    assert urls == [
        f"{BASE}{APPS}?limit=200&updated_at.gt=2025-01-01T00%3A00%3A00Z",
        f"{BASE}{APPS}?cursor=c2&updated_at.gt=2025-01-01T00%3A00%3A00Z",
        f"{BASE}{APPS}?cursor=c3",
    ]
    assert client.stats.pages == 3


def test_first_request_sends_page_limit(api, make_client):
    api.route("/v2/recruiting/jobs", page([]))
    list(make_client(page_limit=50).jobs())
    assert dict(api.data_requests[0].url.params) == {"limit": "50"}


def test_page_limit_out_of_range_is_refused():
    from dashboard.personio import PersonioClient

    with pytest.raises(ValueError):
        PersonioClient(page_limit=201)


def test_updated_after_is_sent_as_rfc3339_utc(api, make_client):
    api.route("/v2/recruiting/candidates", page([]))
    client = make_client()
    list(client.candidates(datetime(2025, 1, 2, 5, 4, 5, 999, tzinfo=timezone(timedelta(hours=2)))))
    list(client.candidates(datetime(2025, 1, 2, 3, 4, 5)))  # naive → taken as UTC
    sent = [r.url.params["updated_at.gt"] for r in api.data_requests]
    assert sent == ["2025-01-02T03:04:05Z", "2025-01-02T03:04:05Z"]


def test_no_filter_when_updated_after_is_none(api, make_client):
    api.route("/v2/recruiting/candidates", page([]))
    list(make_client().candidates())
    assert "updated_at.gt" not in api.data_requests[0].url.params


def test_next_link_repeating_a_page_is_a_malformed_response(api, make_client):
    api.route(APPS, lambda r: page([{"id": "x"}], f"{APPS}?cursor=same"))
    with pytest.raises(MalformedResponseError, match="already fetched"):
        list(make_client().applications())
    assert len(api.data_requests) == 2


def test_next_link_to_another_host_is_re_rooted_so_the_token_stays_on_the_base(api, make_client):
    api.route(APPS, lambda r: page([{"id": "1"}], "https://evil.example/v2/recruiting/applications?cursor=2")
              if "cursor" not in str(r.url) else page([{"id": "2"}]))
    assert [a["id"] for a in make_client().applications()] == ["1", "2"]
    assert [r.url.host for r in api.requests] == ["api.test", "api.test", "api.test"]
    assert str(api.data_requests[1].url) == f"{BASE}{APPS}?cursor=2"


def test_stage_transitions_concatenates_pages_in_api_order(api, make_client):
    path = f"{APPS}/a%2F1/stage-transitions"
    api.route(f"{APPS}/a/1/stage-transitions",  # httpx.Request.url.path is decoded
              lambda r: page([{"id": "t3"}, {"id": "t2"}], f"{path}?cursor=p2") if "cursor" not in str(r.url)
              else page([{"id": "t1"}]))
    got = make_client().stage_transitions("a/1")
    assert [t["id"] for t in got] == ["t3", "t2", "t1"]
    assert api.data_requests[0].url.raw_path.startswith(path.encode())


def test_application_by_id_returns_the_object(api, make_client):
    api.route(f"{APPS}/495039", httpx.Response(200, json={"id": "495039", "application_date": "2023-12-11"}))
    assert make_client().application("495039") == {"id": "495039", "application_date": "2023-12-11"}


def test_categories_returns_all_pages(api, make_client):
    api.route("/v2/recruiting/categories",
              lambda r: page([{"id": "c1"}], "/v2/recruiting/categories?cursor=2") if "cursor" not in str(r.url)
              else page([{"id": "c2"}]))
    assert [c["id"] for c in make_client().categories()] == ["c1", "c2"]


def test_iter_pages_yields_one_list_per_page(api, make_client):
    api.route("/v2/recruiting/jobs",
              lambda r: page([{"id": "j1"}, {"id": "j2"}], "/v2/recruiting/jobs?cursor=2")
              if "cursor" not in str(r.url) else page([{"id": "j3"}]))
    pages = list(make_client().iter_pages("/v2/recruiting/jobs", {"updated_at.gt": None}))
    assert pages == [[{"id": "j1"}, {"id": "j2"}], [{"id": "j3"}]]


# ---- token ----------------------------------------------------------------------------------------------

def test_token_is_fetched_once_for_many_requests(api, make_client):
    api.route("/v2/recruiting/jobs", page([]))
    client = make_client()
    for _ in range(5):
        list(client.jobs())
    token_requests = [r for r in api.requests if r.url.path == "/v2/auth/token"]
    assert len(token_requests) == 1
    assert client.stats.token_requests == 1
    assert client.stats.requests == 6
    form = {k: v[0] for k, v in parse_qs(token_requests[0].content.decode()).items()}
    assert form == {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET}
    assert token_requests[0].headers["content-type"] == "application/x-www-form-urlencoded"
    assert {r.headers["authorization"] for r in api.data_requests} == {f"Bearer {TOKEN_PREFIX}1"}


def test_default_headers_are_sent(api, make_client):
    api.route("/v2/recruiting/jobs", page([]))
    list(make_client().jobs())
    headers = api.data_requests[0].headers
    assert headers["accept"] == "application/json"
    assert headers["beta"] == "true"
    assert headers["user-agent"] == "personio-recruiting-dashboard/0.1"


def test_token_is_renewed_shortly_before_expiry(api, make_client, clock):
    api.expires_in = 100  # renewal margin: min(60, 10% of 100) = 10 s
    api.route("/v2/recruiting/jobs", page([]))
    client = make_client()
    list(client.jobs())
    clock.advance(89)
    list(client.jobs())
    assert api.tokens_issued == 1
    clock.advance(2)  # 91 s after the token was asked for: inside the margin
    list(client.jobs())
    assert api.tokens_issued == 2
    assert api.data_requests[-1].headers["authorization"] == f"Bearer {TOKEN_PREFIX}2"


def test_a_401_renews_the_token_once_and_retries(api, make_client):
    api.route("/v2/recruiting/jobs", problem(401, "Unauthorized", "Token expired."), page([{"id": "j"}]))
    client = make_client()
    assert list(client.jobs()) == [{"id": "j"}]
    assert api.tokens_issued == 2
    assert [r.headers["authorization"] for r in api.data_requests] == [
        f"Bearer {TOKEN_PREFIX}1", f"Bearer {TOKEN_PREFIX}2"]


def test_a_second_401_raises_auth_error(api, make_client):
    api.route("/v2/recruiting/jobs", problem(401, "Unauthorized", "Token not valid.", trace="t-401"))
    with pytest.raises(AuthError) as info:
        list(make_client().jobs())
    assert len(api.data_requests) == 2
    assert api.tokens_issued == 2
    assert info.value.status == 401
    assert info.value.trace_id == "t-401"
    assert "client ID and secret" in str(info.value)


def test_bad_credentials_at_the_token_endpoint_raise_auth_error_with_oauth_fields(api, make_client, sleeps):
    api.route("/v2/recruiting/jobs", page([]))
    with pytest.raises(AuthError) as info:
        list(make_client(client_secret="wrong-secret-value").jobs())
    err = info.value
    assert (err.status, err.title, err.detail) == (401, "invalid_client", "Client authentication failed.")
    assert str(err).startswith("Personio said 401 invalid_client: Client authentication failed.")
    assert "wrong-secret-value" not in str(err)
    assert api.data_requests == []
    assert sleeps.calls == []


def test_invalid_scope_at_the_token_endpoint_raises_scope_error(api, make_client):
    api.token_replies = [httpx.Response(400, json={"error": "invalid_scope", "error_description": "Bad scope."})]
    with pytest.raises(ScopeError, match="personio:recruiting:read"):
        list(make_client().jobs())


def test_token_response_without_access_token_is_malformed(api, make_client):
    api.token_replies = [httpx.Response(200, json={"token_type": "Bearer"})]
    with pytest.raises(MalformedResponseError):
        list(make_client().jobs())


# ---- retries --------------------------------------------------------------------------------------------

def test_429_retry_after_seconds_is_honoured(api, make_client, sleeps):
    seen: list[RetryInfo] = []
    api.route("/v2/recruiting/jobs", httpx.Response(429, headers={"Retry-After": "7"}), page([{"id": "j"}]))
    client = make_client(on_retry=seen.append)
    assert list(client.jobs()) == [{"id": "j"}]
    assert sleeps.calls == [7.0]
    assert seen == [RetryInfo(attempt=1, wait_seconds=7.0, reason="rate limited", status=429,
                              request="GET /v2/recruiting/jobs")]
    assert (client.stats.retries, client.stats.retry_wait_seconds) == (1, 7.0)


def test_429_retry_after_http_date_is_honoured(api, make_client, sleeps):
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    api.route("/v2/recruiting/jobs", httpx.Response(429, headers={"Retry-After": later}), page([]))
    client = make_client()
    client._utcnow = lambda: now
    list(client.jobs())
    assert sleeps.calls == [30.0]


class UpperBound(random.Random):
    """Jitter that always picks the top of the window, to see the window itself."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_429_without_retry_after_backs_off_exponentially_to_the_cap(api, make_client, sleeps):
    api.route("/v2/recruiting/jobs", httpx.Response(429))
    client = make_client(rng=UpperBound(), backoff_base=1.0, backoff_cap=10.0, max_retries=6)
    with pytest.raises(RateLimitError) as info:
        list(client.jobs())
    assert sleeps.calls == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert len(api.data_requests) == 7
    assert info.value.status == 429


def test_backoff_jitter_stays_within_its_window(api, make_client, sleeps):
    api.route("/v2/recruiting/jobs", httpx.Response(429))
    client = make_client(rng=random.Random(3), backoff_base=0.5, backoff_cap=60.0, max_retries=8)
    with pytest.raises(RateLimitError):
        list(client.jobs())
    windows = [0.5, 1, 2, 4, 8, 16, 32, 60]
    assert len(sleeps.calls) == 8
    assert all(0 <= s <= w for s, w in zip(sleeps.calls, windows, strict=True))


@pytest.mark.parametrize("statuses", [[500], [502, 503], [500, 502, 503]])
def test_server_errors_are_retried_then_succeed(api, make_client, sleeps, statuses):
    api.route("/v2/recruiting/jobs", *[httpx.Response(s) for s in statuses], page([{"id": "j"}]))
    client = make_client()
    assert list(client.jobs()) == [{"id": "j"}]
    assert client.stats.retries == len(statuses)
    assert len(sleeps.calls) == len(statuses)


def test_server_error_after_all_retries_raises_server_error(api, make_client):
    api.route("/v2/recruiting/jobs", problem(503, "Service Unavailable", "Try later."))
    with pytest.raises(ServerError) as info:
        list(make_client(max_retries=2).jobs())
    assert len(api.data_requests) == 3
    assert info.value.status == 503


@pytest.mark.parametrize(("status", "cls"), [(400, BadRequestError), (403, ScopeError), (404, NotFoundError)])
def test_client_errors_are_not_retried(api, make_client, sleeps, status, cls):
    api.route("/v2/recruiting/jobs", problem(status, "Nope", "Not this way."), page([]))
    with pytest.raises(cls) as info:
        list(make_client().jobs())
    assert len(api.data_requests) == 1
    assert sleeps.calls == []
    assert (info.value.status, info.value.title, info.value.detail) == (status, "Nope", "Not this way.")


def test_scope_error_message_names_the_scope(api, make_client):
    api.route("/v2/recruiting/jobs", problem(403, "Forbidden", "Missing scope.", trace="abc"))
    with pytest.raises(ScopeError) as info:
        list(make_client().jobs())
    assert str(info.value) == ("Personio said 403 Forbidden: Missing scope. (trace id abc). "
                               "The API credential needs the scope personio:recruiting:read")


def test_timeouts_are_retried(api, make_client, sleeps):
    api.route("/v2/recruiting/jobs", httpx.ReadTimeout("read timed out"), httpx.ConnectError("refused"),
              page([{"id": "j"}]))
    seen: list[RetryInfo] = []
    client = make_client(on_retry=seen.append)
    assert list(client.jobs()) == [{"id": "j"}]
    assert [i.reason for i in seen] == ["timeout", "connection error"]
    assert len(sleeps.calls) == 2


def test_persistent_connection_failure_raises_network_error(api, make_client):
    api.route("/v2/recruiting/jobs", httpx.ConnectError("connection refused"))
    with pytest.raises(NetworkError) as info:
        list(make_client(max_retries=3).jobs())
    assert len(api.data_requests) == 4
    assert info.value.status is None
    assert str(info.value).startswith("Could not reach Personio (ConnectError): connection refused after 4 attempts")


# ---- malformed responses --------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [b"<html>login</html>", b'{"_data": [{"id": "1"}', b'{"items": []}',
                                  b'{"_data": {"id": 1}}', b'{"_data": [1, 2]}', b"[]"])
def test_unreadable_list_bodies_are_malformed(api, make_client, body):
    api.route("/v2/recruiting/jobs", httpx.Response(200, content=body))
    with pytest.raises(MalformedResponseError) as info:
        list(make_client().jobs())
    assert body.decode() not in str(info.value)


def test_non_json_error_body_still_maps_by_status(api, make_client):
    api.route("/v2/recruiting/jobs", httpx.Response(404, content=b"<html>not here</html>"))
    with pytest.raises(NotFoundError) as info:
        list(make_client().jobs())
    assert str(info.value) == "Personio said 404 Not Found"


# ---- secrets --------------------------------------------------------------------------------------------

def test_secret_and_token_never_leak_into_errors_repr_or_logs(api, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    echo = problem(403, f"Forbidden {SECRET}", f"token {TOKEN_PREFIX}1 and secret {SECRET} were sent")
    api.route("/v2/recruiting/jobs", httpx.Response(503), httpx.ReadTimeout("slow"), echo)
    client = make_client()
    with pytest.raises(ScopeError) as info:
        list(client.jobs())
    texts = [str(info.value), repr(info.value), repr(client), str(client), repr(vars(client))]
    texts += [rec.getMessage() for rec in caplog.records]
    assert caplog.records, "retries should be logged"
    for text in texts:
        assert SECRET not in text
        assert TOKEN_PREFIX not in text
    assert "[redacted]" in info.value.detail


def test_retry_log_shows_the_path_but_not_the_query(api, make_client, caplog):
    caplog.set_level(logging.WARNING, logger="dashboard.personio")
    api.route(APPS, httpx.Response(429, headers={"Retry-After": "1"}), page([]))
    list(make_client().applications(datetime(2025, 1, 1, tzinfo=UTC)))
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("dashboard.personio")]
    assert len(messages) == 1
    assert APPS in messages[0]
    assert "?" not in messages[0] and "2025" not in messages[0] and "limit=" not in messages[0]


# ---- rate budget ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("moving_clock", [False, True])
def test_rate_budget_sleeps_add_up_to_requests_over_rate(api, moving_clock):
    from dashboard.personio import PersonioClient

    clock = FakeClock()
    sleeps = RecordingSleep(clock if moving_clock else None)
    api.route("/v2/recruiting/jobs", page([]))
    client = PersonioClient(BASE, CLIENT_ID, SECRET, transport=httpx.MockTransport(api.handler),
                            rate_per_second=4.0, burst=3, sleep=sleeps, clock=clock)
    for _ in range(20):
        list(client.jobs())
    # 21 requests (one token); the first 3 are the burst, the other 18 wait 1/4 s each
    assert client.stats.requests == 21
    assert sum(sleeps.calls) == pytest.approx(18 / 4.0)
    assert client.stats.rate_wait_seconds == pytest.approx(18 / 4.0)
    client.close()


def test_rate_budget_refills_while_the_caller_is_idle(api, clock, sleeps):
    from dashboard.personio import PersonioClient

    api.route("/v2/recruiting/jobs", page([]))
    client = PersonioClient(BASE, CLIENT_ID, SECRET, transport=httpx.MockTransport(api.handler),
                            rate_per_second=2.0, burst=2, sleep=sleeps, clock=clock)
    list(client.jobs())  # token + 1 page: the burst
    clock.advance(10)  # refills to the burst of 2, not to 20
    list(client.jobs())
    list(client.jobs())
    assert sleeps.calls == []
    list(client.jobs())
    assert sleeps.calls == [0.5]
    client.close()


# ---- career feed ----------------------------------------------------------------------------------------

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<workzag-jobs><position><id>4103</id><office>Munich</office><name>Office Manager</name></position></workzag-jobs>"""


def test_career_feed_is_none_without_a_career_site(make_client):
    assert make_client().career_feed() is None


def test_career_feed_fetches_xml_without_a_bearer_token(api, make_client):
    api.route("/xml", httpx.Response(200, text=FEED, headers={"content-type": "application/xml"}))
    feed = make_client(career_site_url="https://api.test/").career_feed()
    assert [(p["id"], p["office"], p["name"]) for p in feed] == [("4103", "Munich", "Office Manager")]
    req = api.requests[-1]
    assert str(req.url) == "https://api.test/xml?language=en"
    assert "authorization" not in req.headers
    assert api.tokens_issued == 0


def test_career_feed_errors_use_the_same_retry_rules(api, make_client, sleeps):
    api.route("/xml", httpx.Response(502), httpx.Response(404))
    with pytest.raises(NotFoundError):
        make_client(career_site_url="https://acme.jobs.test").career_feed()
    assert len(sleeps.calls) == 1


def test_errors_are_personio_errors(api, make_client):
    api.route("/v2/recruiting/jobs", problem(418, "Teapot", "Short and stout."))
    with pytest.raises(PersonioError) as info:
        list(make_client().jobs())
    assert type(info.value) is PersonioError and info.value.status == 418
