"""Errors the Personio client raises, with user-facing messages built from parsed (never raw) bodies."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

MAX_TEXT = 300
REDACTED = "[redacted]"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")


class PersonioError(Exception):
    """Any failure talking to Personio: HTTP status, title, detail and trace id, safe to show a user."""

    hint = ""

    def __init__(self, status: int | None = None, title: str = "", detail: str = "",
                 trace_id: str | None = None) -> None:
        super().__init__(status, title, detail, trace_id)
        self.status = status
        self.title = title
        self.detail = detail
        self.trace_id = trace_id

    def _lead(self) -> str:
        if self.status is None:
            return f"Personio request failed: {self.title}" if self.title else "Personio request failed"
        return f"Personio said {self.status} {self.title}".rstrip()

    def __str__(self) -> str:
        text = self._lead()
        if self.detail:
            text += f": {self.detail}"
        if self.trace_id:
            text += f" (trace id {self.trace_id})"
        if self.hint:
            text += f". {self.hint}"
        return text

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(status={self.status!r}, title={self.title!r}, "
                f"detail={self.detail!r}, trace_id={self.trace_id!r})")


class AuthError(PersonioError):
    """401 or rejected client credentials."""

    hint = "Check the client ID and secret (Personio › Settings › Integrations › API credentials)"


class ScopeError(PersonioError):
    """403: the credential may not read recruiting data."""

    hint = "The API credential needs the scope personio:recruiting:read"


class NotFoundError(PersonioError):
    """404: the record or endpoint does not exist."""


class BadRequestError(PersonioError):
    """400: Personio rejected the request's parameters."""


class RateLimitError(PersonioError):
    """429 still answered after all retries."""

    hint = "Personio is limiting requests; wait a minute and try again"


class ServerError(PersonioError):
    """5xx still answered after all retries."""

    hint = "Personio has a problem on its side; try again later"


class NetworkError(PersonioError):
    """Timeouts or connection failures after all retries."""

    hint = "Check the network connection (proxy, VPN) and the base URL"

    def _lead(self) -> str:
        return "Could not reach Personio" + (f" ({self.title})" if self.title else "")


class MalformedResponseError(PersonioError):
    """A response the client cannot read: not JSON, truncated, or not the documented envelope."""

    hint = ("The connection may have been cut, or a proxy or Wi-Fi login page answered: "
            "sync again (finished work is kept)")

    def _lead(self) -> str:
        where = f" (HTTP {self.status})" if self.status is not None else ""
        return f"Personio sent a response the dashboard cannot read{where}"


class PaginationError(MalformedResponseError):
    """The next-page links never end (a repeating cursor, pages with nothing new, or far too many pages)."""

    hint = "Nothing was changed locally; try again later, and tell Personio support if it persists"

    def _lead(self) -> str:
        return "Stopped following Personio's page links"


class ResponseTooLargeError(MalformedResponseError):
    """A response body (after decompression) larger than the client accepts."""

    hint = "Nothing was changed locally; check the base URL, or report it if it is Personio's API"

    def _lead(self) -> str:
        return "Personio's answer is too large to read"


class RedirectError(PersonioError):
    """A 3xx answer: not followed, so the access token never goes to another address."""

    hint = "Set the base URL to the address the API really answers on"

    def _lead(self) -> str:
        return f"The server answered {self.status} (a redirect), which the dashboard does not follow"


@dataclass(frozen=True)
class Problem:
    """The useful parts of an error body: title, detail, trace id, status (all optional)."""

    title: str = ""
    detail: str = ""
    trace_id: str | None = None
    status: int | None = None


def clean(text: Any, redact: tuple[str, ...] = (), limit: int = MAX_TEXT) -> str:
    """Untrusted text made safe to show: secrets redacted, control characters removed, length capped."""
    if text is None:
        return ""
    out = text if isinstance(text, str) else str(text)
    for secret in redact:
        if secret and len(secret) >= 4:
            for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                out = out.replace(form, REDACTED)
    out = " ".join(_CONTROL.sub(" ", out).split())
    if len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


def _text(value: Any) -> str:
    """A string field, or joined strings of a list field; anything else is ignored."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(v for v in value if isinstance(v, str) and v)
    return ""


def _item_parts(item: Any) -> tuple[str, str]:
    """(title, detail) of one entry of an `errors` list, in any of the documented shapes."""
    if isinstance(item, str):
        return "", item
    if not isinstance(item, dict):
        return "", ""
    title = _text(item.get("title")) or _text(item.get("code"))
    detail = _text(item.get("detail")) or _text(item.get("details")) or _text(item.get("message"))
    field = item.get("field")
    nested = item.get("errors")
    if isinstance(field, str) and isinstance(nested, list):  # v1: {field, errors: [{reason}]}
        reasons = [r.get("reason") for r in nested if isinstance(r, dict) and isinstance(r.get("reason"), str)]
        detail = detail or f"{field}: {', '.join(reasons)}"
    return title, detail


def parse_problem(body: bytes | str) -> Problem:
    """Title/detail/trace id from problem+json, RFC 7807, OAuth or v1 error bodies; empty when unreadable."""
    try:
        data = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return Problem()
    if not isinstance(data, dict):
        return Problem()
    titles: list[str] = []
    details: list[str] = []
    errors = data.get("errors")
    if isinstance(errors, list):
        for item in errors:
            t, d = _item_parts(item)
            if t and t not in titles:
                titles.append(t)
            if d and d not in details:
                details.append(d)
    error = data.get("error")
    if isinstance(error, str):  # OAuth
        titles.insert(0, error)
        if _text(data.get("error_description")):
            details.insert(0, _text(data.get("error_description")))
    elif isinstance(error, dict):  # v1: {success: false, error: {code, message}}
        t, d = _item_parts(error)
        if t:
            titles.insert(0, t)
        if d:
            details.insert(0, d)
    top_title = _text(data.get("title"))
    top_detail = _text(data.get("detail")) or _text(data.get("details")) or _text(data.get("message"))
    if top_title:
        titles.insert(0, top_title)
    if top_detail:
        details.insert(0, top_detail)
    trace = next((data[k] for k in ("personio_trace_id", "trace_id", "traceId") if isinstance(data.get(k), str)),
                 None)
    status = data.get("status")
    status = int(status) if isinstance(status, int | str) and str(status).isdigit() else None
    return Problem(title=titles[0] if titles else "", detail="; ".join(dict.fromkeys(details)),
                   trace_id=trace or None, status=status)


def error_class(status: int) -> type[PersonioError]:
    """The PersonioError subclass for an HTTP status."""
    if status == 400:
        return BadRequestError
    if status == 401:
        return AuthError
    if status == 403:
        return ScopeError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return PersonioError


_TRACE_HEADERS = ("personio-trace-id", "x-personio-trace-id", "x-trace-id", "x-request-id")


def error_from_response(response: httpx.Response, redact: tuple[str, ...] = (),
                        cls: type[PersonioError] | None = None) -> PersonioError:
    """The error for a failed response: parsed body fields only, cleaned; never the raw body."""
    try:
        body = response.content
    except httpx.HTTPError:
        body = b""
    problem = parse_problem(body)
    status = response.status_code
    title = clean(problem.title, redact, 120) or httpx.codes.get_reason_phrase(status)
    trace = problem.trace_id or next((response.headers[h] for h in _TRACE_HEADERS if h in response.headers), None)
    trace = clean(trace, redact, 120) or None
    return (cls or error_class(status))(status, title, clean(problem.detail, redact), trace)
