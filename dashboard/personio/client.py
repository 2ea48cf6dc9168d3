"""Personio Recruiting API v2 client: token, request budget, retries, pagination and error mapping."""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import httpx

from dashboard.personio.errors import (
    AuthError,
    MalformedResponseError,
    NetworkError,
    ScopeError,
    clean,
    error_from_response,
    parse_problem,
)
from dashboard.personio.feed import parse_career_feed
from dashboard.personio.ratelimit import TokenBucket, backoff, parse_retry_after

log = logging.getLogger(__name__)

USER_AGENT = "personio-recruiting-dashboard/0.1"
TOKEN_PATH = "/v2/auth/token"
APPLICATIONS_PATH = "/v2/recruiting/applications"
CANDIDATES_PATH = "/v2/recruiting/candidates"
JOBS_PATH = "/v2/recruiting/jobs"
CATEGORIES_PATH = "/v2/recruiting/categories"
DEFAULT_EXPIRES_IN = 3600.0
MAX_PAGE_LIMIT = 200


@dataclass(frozen=True)
class RetryInfo:
    """One upcoming retry, for progress messages ("rate limited, retrying in 4 s")."""

    attempt: int  # 1 for the first retry of a request
    wait_seconds: float
    reason: str  # "rate limited", "server error 503", "timeout", "connection error"
    status: int | None = None


@dataclass
class ClientStats:
    """Counters over the client's lifetime; `requests` counts every HTTP request incl. token and retries."""

    requests: int = 0
    token_requests: int = 0
    retries: int = 0
    pages: int = 0
    rate_wait_seconds: float = 0.0
    retry_wait_seconds: float = 0.0


class _Secret:
    """A credential that never shows itself in repr/str (debuggers, tracebacks with locals)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__


def rfc3339(moment: datetime | date) -> str:
    """`2025-01-02T03:04:05Z` in UTC; naive datetimes are taken as UTC, dates as midnight UTC."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _segment(value: str) -> str:
    """An id made safe as one URL path segment."""
    text = str(value)
    if text in ("", ".", ".."):
        raise ValueError(f"not a usable id: {text!r}")
    return quote(text, safe="")


def _http_url(url: str, what: str) -> httpx.URL:
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{what} must be an http(s) URL with a host, got {url!r}")
    return parsed


class PersonioClient:
    """Reads the Personio Recruiting API v2 with client credentials; transport, clock and sleep injectable."""

    def __init__(self, base_url: str = "https://api.personio.de", client_id: str = "", client_secret: str = "", *,
                 transport: httpx.BaseTransport | None = None, scope: str = "personio:recruiting:read",
                 rate_per_second: float | None = 5.0, burst: int = 5, max_retries: int = 6,
                 backoff_base: float = 1.0, backoff_cap: float = 60.0, timeout: float = 30.0,
                 page_limit: int = 200, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, rng: random.Random | None = None,
                 career_site_url: str | None = None,
                 on_retry: Callable[[RetryInfo], None] | None = None) -> None:
        base = _http_url(base_url.rstrip("/"), "base_url")
        if not 1 <= page_limit <= MAX_PAGE_LIMIT:
            raise ValueError(f"page_limit must be 1..{MAX_PAGE_LIMIT}, got {page_limit}")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = str(base).rstrip("/")
        self._origin = (base.scheme, base.host, base.port)
        self.client_id = client_id
        self._client_secret = _Secret(client_secret)
        self.scope = scope
        self.career_site_url = str(_http_url(career_site_url, "career_site_url")).rstrip("/") \
            if career_site_url else None
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.page_limit = page_limit
        self.on_retry = on_retry
        self.stats = ClientStats()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._utcnow: Callable[[], datetime] = lambda: datetime.now(UTC)  # for Retry-After HTTP-dates
        self._floor = -math.inf  # the clock is at least here: sleeps we did, even if `clock` did not move
        self._lock = threading.Lock()
        self._token_lock = threading.Lock()
        self._token: _Secret | None = None
        self._token_renew_at = -math.inf
        self._bucket = TokenBucket(rate_per_second, burst, self._now)
        self._http = httpx.Client(
            base_url=self.base_url, transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False,
            headers={"Accept": "application/json", "Beta": "true", "User-Agent": USER_AGENT},
        )

    # ---- lifecycle -------------------------------------------------------------------------------------
    def close(self) -> None:
        """Close connections and forget the access token."""
        self._token = None
        self._http.close()

    def __enter__(self) -> PersonioClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PersonioClient(base_url={self.base_url!r}, client_id={self.client_id!r})"

    # ---- public endpoints ------------------------------------------------------------------------------
    def applications(self, updated_after: datetime | None = None) -> Iterator[dict]:
        """Applications, last updated first, following all pages (optionally only those updated after)."""
        for page in self.iter_pages(APPLICATIONS_PATH, self._since(updated_after)):
            yield from page

    def application(self, application_id: str) -> dict:
        """One application by id."""
        return self._object(f"{APPLICATIONS_PATH}/{_segment(application_id)}", "an application")

    def candidate(self, candidate_id: str) -> dict:
        """One candidate by id (with contact details: callers keep it in memory only)."""
        return self._object(f"{CANDIDATES_PATH}/{_segment(candidate_id)}", "a candidate")

    def stage_transitions(self, application_id: str) -> list[dict]:
        """All stage transitions of one application, latest first as the API sends them."""
        path = f"{APPLICATIONS_PATH}/{_segment(application_id)}/stage-transitions"
        return [item for page in self.iter_pages(path) for item in page]

    def candidates(self, updated_after: datetime | None = None) -> Iterator[dict]:
        """Candidates, last updated first, following all pages."""
        for page in self.iter_pages(CANDIDATES_PATH, self._since(updated_after)):
            yield from page

    def jobs(self, updated_after: datetime | None = None) -> Iterator[dict]:
        """Jobs, last updated first, following all pages."""
        for page in self.iter_pages(JOBS_PATH, self._since(updated_after)):
            yield from page

    def categories(self) -> list[dict]:
        """All categories with their stages."""
        return [item for page in self.iter_pages(CATEGORIES_PATH) for item in page]

    def career_feed(self) -> list[dict] | None:
        """Published positions from the career-site XML feed; None when no career site is configured."""
        if not self.career_site_url:
            return None
        url = self.career_site_url if self.career_site_url.endswith("/xml") else f"{self.career_site_url}/xml"
        resp = self._request("GET", url, params={"language": "en"}, auth=False,
                             headers={"Accept": "application/xml, text/xml;q=0.9, */*;q=0.1"})
        return parse_career_feed(resp.content)

    def iter_pages(self, path: str, params: dict | None = None) -> Iterator[list[dict]]:
        """One `_data` list per page of a list endpoint, following `_meta.links.next.href` as given."""
        url: str | httpx.URL = path
        if isinstance(path, str) and "://" in path:
            url = self._same_origin(httpx.URL(path))
        query: dict[str, Any] | None = {"limit": self.page_limit}
        query.update({k: v for k, v in (params or {}).items() if v is not None})
        seen: set[str] = set()
        while True:
            resp = self._request("GET", url, params=query)
            seen.add(str(resp.request.url))
            items, href = self._envelope(self._json(resp), resp.status_code)
            self._count(pages=1)
            yield items
            if href is None:
                return
            nxt = self._same_origin(resp.request.url.join(href))
            if str(nxt) in seen:
                raise MalformedResponseError(resp.status_code, "Pagination loop",
                                             "the next-page link points to a page already fetched")
            url, query = nxt, None  # the link already carries cursor and filters

    # ---- plumbing --------------------------------------------------------------------------------------
    def _object(self, path: str, what: str) -> dict:
        """One record from a by-id endpoint (bare or wrapped in `_data`)."""
        resp = self._request("GET", path)
        data = self._json(resp)
        if isinstance(data, dict) and isinstance(data.get("_data"), dict):
            data = data["_data"]
        if not isinstance(data, dict):
            raise MalformedResponseError(resp.status_code, "Unexpected response", f"expected {what} object")
        return data

    def _since(self, updated_after: datetime | None) -> dict[str, str]:
        return {"updated_at.gt": rfc3339(updated_after)} if updated_after is not None else {}

    def _same_origin(self, url: httpx.URL) -> httpx.URL:
        """Only follow links to the configured API host: the bearer token must not go anywhere else."""
        if (url.scheme, url.host, url.port) != self._origin:
            raise MalformedResponseError(None, "Unexpected link",
                                         f"a next-page link points outside {self.base_url}")
        return url

    def _count(self, **deltas: float) -> None:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self.stats, name, getattr(self.stats, name) + delta)

    def _now(self) -> float:
        t = self._clock()
        return t if t > self._floor else self._floor

    def _pause(self, seconds: float) -> None:
        if seconds <= 0:
            return
        start = self._now()
        self._sleep(seconds)
        with self._lock:
            self._floor = max(self._floor, start + seconds)

    def _redact(self) -> tuple[str, ...]:
        token = self._token
        return tuple(s for s in (self._client_secret.value, token.value if token else "") if s)

    def _bearer(self) -> _Secret:
        with self._token_lock:
            if self._token is None or self._now() >= self._token_renew_at:
                self._fetch_token()
            assert self._token is not None
            return self._token

    def _drop_token(self, used: _Secret) -> None:
        with self._token_lock:
            if self._token is used:  # another thread may have renewed it already
                self._token = None

    def _fetch_token(self) -> None:
        form = {"grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self._client_secret.value}
        if self.scope:
            form["scope"] = self.scope
        asked_at = self._now()
        resp = self._send("POST", TOKEN_PATH, data=form, token_request=True)
        if resp.status_code in (400, 401, 403):
            oauth_error = parse_problem(resp.content).title
            cls = ScopeError if resp.status_code == 403 or oauth_error == "invalid_scope" else AuthError
            raise error_from_response(resp, self._redact(), cls)
        if not resp.is_success:
            raise error_from_response(resp, self._redact())
        data = self._json(resp)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise MalformedResponseError(resp.status_code, "Unexpected token response", "no access_token in it")
        try:
            expires_in = float(data.get("expires_in", DEFAULT_EXPIRES_IN))
        except (TypeError, ValueError):
            expires_in = DEFAULT_EXPIRES_IN
        if not math.isfinite(expires_in) or expires_in <= 0:
            expires_in = DEFAULT_EXPIRES_IN
        self._token = _Secret(token)
        self._token_renew_at = asked_at + expires_in - min(60.0, expires_in * 0.1)

    def _request(self, method: str, url: str | httpx.URL, *, params: dict | None = None, auth: bool = True,
                 headers: dict[str, str] | None = None) -> httpx.Response:
        """Send with budget and retries; renew the token once on 401; map failures to PersonioError."""
        renewed = False
        while True:
            hdrs = dict(headers or {})
            token = self._bearer() if auth else None
            if token is not None:
                hdrs["Authorization"] = f"Bearer {token.value}"
            resp = self._send(method, url, params=params, headers=hdrs)
            if resp.status_code == 401 and token is not None and not renewed:
                renewed = True
                self._drop_token(token)
                continue
            if resp.is_success:
                return resp
            raise error_from_response(resp, self._redact())

    def _send(self, method: str, url: str | httpx.URL, *, params: dict | None = None,
              data: dict | None = None, headers: dict[str, str] | None = None,
              token_request: bool = False) -> httpx.Response:
        """One logical request: budget wait, then retries for 429/5xx/transport errors with backoff."""
        path = httpx.URL(url).path if isinstance(url, str) else url.path
        attempt = 0
        while True:
            wait = self._bucket.reserve()
            if wait > 0:
                self._count(rate_wait_seconds=wait)
                self._pause(wait)
            self._count(requests=1, token_requests=int(token_request))
            try:
                resp = self._http.request(method, url, params=params, data=data, headers=headers)
            except httpx.UnsupportedProtocol as exc:
                raise NetworkError(None, type(exc).__name__, clean(exc, self._redact())) from None
            except httpx.TransportError as exc:
                if attempt >= self.max_retries:
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise NetworkError(None, type(exc).__name__,
                                       clean(f"{exc or type(exc).__name__}{tries}", self._redact())) from None
                reason = "timeout" if isinstance(exc, httpx.TimeoutException) else "connection error"
                self._retry(method, path, attempt, reason, None, None)
                attempt += 1
                continue
            status = resp.status_code
            if (status == 429 or status >= 500) and attempt < self.max_retries:
                retry_after = parse_retry_after(resp.headers.get("Retry-After"), self._utcnow())
                reason = "rate limited" if status == 429 else f"server error {status}"
                resp.close()
                self._retry(method, path, attempt, reason, status, retry_after)
                attempt += 1
                continue
            return resp

    def _retry(self, method: str, path: str, attempt: int, reason: str, status: int | None,
               retry_after: float | None) -> None:
        wait = retry_after if retry_after is not None else backoff(attempt, self.backoff_base, self.backoff_cap,
                                                                   self._rng)
        self._count(retries=1, retry_wait_seconds=wait)
        log.warning("Personio %s %s: %s, retrying in %.1f s (retry %d of %d)",
                    method, path, reason, wait, attempt + 1, self.max_retries)
        if self.on_retry is not None:
            self.on_retry(RetryInfo(attempt=attempt + 1, wait_seconds=wait, reason=reason, status=status))
        self._pause(wait)

    def _json(self, resp: httpx.Response) -> Any:
        try:
            return resp.json()
        except (ValueError, UnicodeDecodeError):
            kind = clean(resp.headers.get("content-type", "no content type"), self._redact(), limit=60)
            raise MalformedResponseError(resp.status_code, "Not JSON",
                                         f"expected JSON but the body is not valid JSON ({kind}); "
                                         "truncated, or a proxy/login page?") from None

    @staticmethod
    def _envelope(payload: Any, status: int) -> tuple[list[dict], str | None]:
        """(`_data` items, next href or None) of a list response."""
        if not isinstance(payload, dict) or not isinstance(payload.get("_data"), list):
            raise MalformedResponseError(status, "Unexpected list response", "expected an object with a _data list")
        items = payload["_data"]
        if not all(isinstance(item, dict) for item in items):
            raise MalformedResponseError(status, "Unexpected list response", "_data holds something other than objects")
        meta = payload.get("_meta")
        links = meta.get("links") if isinstance(meta, dict) else None
        nxt = links.get("next") if isinstance(links, dict) else None
        href = nxt.get("href") if isinstance(nxt, dict) else nxt
        if href is not None and not isinstance(href, str):
            raise MalformedResponseError(status, "Unexpected list response", "the next-page link is not a string")
        return items, (href.strip() or None) if href else None


