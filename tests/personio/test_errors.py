"""Error bodies in every documented shape map to title/detail/trace id; messages stay short and clean."""

from __future__ import annotations

import json
import pickle

import httpx
import pytest

from dashboard.personio.errors import (
    AuthError,
    BadRequestError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    PersonioError,
    Problem,
    RateLimitError,
    ScopeError,
    ServerError,
    clean,
    error_from_response,
    parse_problem,
)


def _body(obj: object) -> bytes:
    return json.dumps(obj).encode()


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param({"personio_trace_id": "aswo3f", "timestamp": "2021-05-28T11:17:30+00:00",
                  "errors": [{"title": "Bad request", "detail": "Provided request parameters are invalid.",
                              "type": "https://developer.personio.de/x#common.bad_request"}]},
                 Problem("Bad request", "Provided request parameters are invalid.", "aswo3f"), id="seed"),
    pytest.param({"trace_id": "t-2", "errors": [{"title": "Not found", "details": "No such job."}]},
                 Problem("Not found", "No such job.", "t-2"), id="trace_id+details"),
    pytest.param({"type": "about:blank", "title": "Forbidden", "detail": "Scope missing.", "status": 403},
                 Problem("Forbidden", "Scope missing.", None, 403), id="rfc7807"),
    pytest.param({"error": "invalid_client", "error_description": "Client authentication failed."},
                 Problem("invalid_client", "Client authentication failed.", None), id="oauth"),
    pytest.param({"errors": [{"title": "A", "detail": "one"}, {"title": "B", "detail": "two"}]},
                 Problem("A", "one; two", None), id="several"),
    pytest.param({"success": False, "error": {"code": 0, "message": "Something went wrong"}},
                 Problem("", "Something went wrong", None), id="v1"),
    pytest.param({"errors": [{"field": "email", "errors": [{"reason": "errors.attribute-validation.required"}]}]},
                 Problem("", "email: errors.attribute-validation.required", None), id="v1-field"),
    pytest.param({"trace_id": "t", "details": ["x", "y"]}, Problem("", "x; y", "t"), id="details-list"),
])
def test_problem_shapes(body, expected):
    assert parse_problem(_body(body)) == expected


@pytest.mark.parametrize("body", [b"", b"<html>", b"[1,2]", b'"text"', b'{"errors": "nope"}', b"\xff\xfe"])
def test_unreadable_problem_bodies_give_an_empty_problem(body):
    p = parse_problem(body)
    assert (p.title, p.detail, p.trace_id) == ("", "", None)


@pytest.mark.parametrize(("status", "cls"), [
    (400, BadRequestError), (401, AuthError), (403, ScopeError), (404, NotFoundError),
    (429, RateLimitError), (500, ServerError), (503, ServerError), (409, PersonioError),
])
def test_status_picks_the_error_class(status, cls):
    err = error_from_response(httpx.Response(status, content=b"{}"))
    assert type(err) is cls
    assert err.status == status
    assert err.title == httpx.codes.get_reason_phrase(status)


def test_message_shows_status_title_detail_trace_and_hint():
    err = ScopeError(403, "Forbidden", "No access.", "abc-1")
    assert str(err) == ("Personio said 403 Forbidden: No access. (trace id abc-1). "
                        "The API credential needs the scope personio:recruiting:read")


def test_message_without_detail_or_trace():
    assert str(NotFoundError(404, "Not Found")) == "Personio said 404 Not Found"


def test_network_and_malformed_messages_read_naturally():
    assert str(NetworkError(None, "ReadTimeout", "timed out")).startswith(
        "Could not reach Personio (ReadTimeout): timed out. Check the network")
    assert str(MalformedResponseError(200, "Not JSON", "truncated")) == (
        "Personio sent a response the dashboard cannot read (HTTP 200): truncated. The connection may have been "
        "cut, or a proxy or Wi-Fi login page answered: sync again (finished work is kept)")


def test_detail_is_truncated_to_about_300_characters():
    body = _body({"errors": [{"title": "T", "detail": "x" * 5000}]})
    err = error_from_response(httpx.Response(400, content=body))
    assert len(err.detail) == 300
    assert err.detail.endswith("…")
    assert len(str(err)) < 400


def test_control_characters_and_secrets_are_scrubbed():
    assert clean("a\x1b[31mred\x1b[0m\nb\u202etxt", ("never",)) == "a [31mred [0m b txt"
    assert clean("key=pa ss+word&key=pa%20ss%2Bword", ("pa ss+word",)) == "key=[redacted]&key=[redacted]"


def test_trace_id_from_header_when_the_body_has_none():
    err = error_from_response(httpx.Response(500, content=b"oops", headers={"X-Request-Id": "req-9"}))
    assert err.trace_id == "req-9"


def test_raw_body_is_never_in_the_message():
    body = b'{"unexpected": "SENSITIVE-PAYLOAD", "errors": [{"title": "Bad", "detail": "d"}]}'
    err = error_from_response(httpx.Response(400, content=body))
    assert "SENSITIVE" not in str(err) and "SENSITIVE" not in repr(err)


def test_errors_pickle_with_their_fields():
    err = pickle.loads(pickle.dumps(AuthError(401, "invalid_client", "bad", "t")))
    assert (type(err), err.status, err.title, err.detail, err.trace_id) == (AuthError, 401, "invalid_client",
                                                                            "bad", "t")
