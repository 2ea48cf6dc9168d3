"""Personio Recruiting API v2 client: token, request budget, retries, pagination and error mapping."""

from __future__ import annotations

import logging
import math
import random
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote
from urllib.request import getproxies

import httpx

from dashboard.personio.deadline import deadline, deadline_transport
from dashboard.personio.errors import (
    AuthError,
    MalformedResponseError,
    NetworkError,
    PaginationError,
    PersonioError,
    RedirectError,
    ResponseTooLargeError,
    ScopeError,
    clean,
    error_from_response,
    parse_problem,
)
from dashboard.personio.feed import parse_career_feed
from dashboard.personio.ratelimit import (
    MAX_HOLD,
    RateLimitState,
    TokenBucket,
    backoff,
    parse_rate_limit,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

USER_AGENT = "personio-recruiting-dashboard/0.1"
TOKEN_PATH = "/v2/auth/token"
APPLICATIONS_PATH = "/v2/recruiting/applications"
CANDIDATES_PATH = "/v2/recruiting/candidates"
PERSONS_PATH = "/v2/persons"  # Personio's people API (scope personio:persons:read): hiring-team names only
JOBS_PATH = "/v2/recruiting/jobs"
CATEGORIES_PATH = "/v2/recruiting/categories"
DEFAULT_EXPIRES_IN = 3600.0
MAX_PAGE_LIMIT = 200
MAX_BODY_BYTES = 64 * 1024 * 1024  # decoded (decompressed) size of any one response body
_INFLATE_STEP = 1024 * 1024  # decompress at most this much at a time (a 2 MB gzip can hold 2 GiB)
_ENCODINGS = {"gzip": 31, "x-gzip": 31, "deflate": 15}
REQUEST_DEADLINE = 120.0  # seconds for one whole answer (headers and body), however slowly it drips
MAX_WAIT_PER_REQUEST = 300.0  # total Retry-After / backoff waiting for one request before giving up
WAIT_SLICE = 0.25  # seconds between checks for a Cancel while waiting (only when `interrupt` is set)
MAX_PAGES = 10_000  # pages of one paginated list (2 million records at 200 a page)
MAX_UNPAGED_PAGES = 100  # next links followed on endpoints that document no pagination
_STALE_PAGES = 3  # consecutive pages bringing no record not seen before: the chain is going in circles
_ID_SEGMENT = re.compile(r"(/v2/recruiting/[a-z-]+)/[^/?]+")


@dataclass(frozen=True)
class RetryInfo:
    """One upcoming wait, for progress messages: what the client waits for, for how long, on which request.

    `attempt` is 1 for the first retry of a request and 0 for a pause the server's rate-limit headers asked
    for before the next request."""

    attempt: int
    wait_seconds: float
    reason: str  # "rate limited", "server error 503", "timeout", "connection error", "rate limit reached"
    status: int | None = None
    request: str = ""  # "GET /v2/recruiting/applications/{id}/stage-transitions" (ids masked)
    waited_seconds: float = 0.0  # already waited for this request before this wait
    max_wait_seconds: float = MAX_WAIT_PER_REQUEST

    def describe(self) -> str:
        """One line for a progress bar or the CLI."""
        what = f" ({self.request})" if self.request else ""
        retry = f", retry {self.attempt}" if self.attempt else ""
        return f"{self.reason.capitalize()}{what}: waiting {self.wait_seconds:.0f} s{retry}"


@dataclass
class ClientStats:
    """Counters over the client's lifetime; `requests` counts every HTTP request incl. token and retries."""

    requests: int = 0
    token_requests: int = 0
    retries: int = 0
    pages: int = 0
    rate_wait_seconds: float = 0.0
    retry_wait_seconds: float = 0.0


@dataclass(frozen=True)
class Probe:
    """The first page of a list endpoint as a connection check sees it."""

    status: int
    seconds: float
    items: list[dict]
    has_next: bool
    headers: dict[str, str]


class _ChainGuard:
    """Stops a page chain that cannot end: a repeated page or cursor, pages with nothing new, too many pages."""

    def __init__(self, max_pages: int) -> None:
        self.max_pages = max_pages
        self.pages = 0
        self.urls: set[str] = set()
        self.cursors: set[str] = set()
        self.ids: set[str] = set()
        self.stale = 0

    def page(self, url: str, items: list[dict]) -> None:
        """Account for one fetched page."""
        self.pages += 1
        self.urls.add(url)
        fresh = 0
        for item in items:
            ident = item.get("id")
            key = repr(ident) if ident is not None else None
            if key is None or key not in self.ids:
                fresh += 1
                if key is not None:
                    self.ids.add(key)
        self.stale = 0 if fresh else self.stale + 1
        if self.stale >= _STALE_PAGES:
            raise PaginationError(None, "No progress", f"{self.stale} pages in a row brought no new record")

    def next_link(self, url: httpx.URL) -> None:
        """Check the link to the next page before it is fetched."""
        cursor = url.params.get("cursor")
        if str(url) in self.urls or (cursor is not None and cursor in self.cursors):
            raise PaginationError(None, "Pagination loop", "the next-page link points to a page already fetched")
        if cursor is not None:
            self.cursors.add(cursor)
        if self.pages >= self.max_pages:
            raise PaginationError(None, "Too many pages",
                                  f"more than {self.max_pages:,} pages; far more than any company's records need")


def _decoded(resp: httpx.Response) -> Iterator[bytes]:
    """The body decompressed in bounded steps, so that a small compressed bomb never inflates all at once."""
    codings = [c.strip().lower() for c in resp.headers.get("content-encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if resp.is_stream_consumed:  # already read (an in-process transport built it from bytes): httpx decoded it
        yield resp.content
        return
    raw_chunks = resp.iter_raw()
    if not codings:
        yield from raw_chunks
        return
    if len(codings) > 1 or codings[0] not in _ENCODINGS:
        raise MalformedResponseError(resp.status_code, "Unsupported encoding",
                                     f"the body is compressed as {clean(', '.join(codings), limit=40)}")
    inflater = None
    for raw in raw_chunks:
        if inflater is None and raw:
            wbits = _ENCODINGS[codings[0]]
            if wbits == 15 and not (raw[0] & 0x0F == 8 and len(raw) > 1 and (raw[0] * 256 + raw[1]) % 31 == 0):
                wbits = -15  # raw deflate without the zlib header, as some servers send it
            inflater = zlib.decompressobj(wbits)
        data = raw
        while data and inflater is not None:
            out = inflater.decompress(data, _INFLATE_STEP)
            if out:
                yield out
            data = inflater.unconsumed_tail
    if inflater is not None:
        tail = inflater.flush()
        if tail:
            yield tail


def _duration(seconds: float) -> str:
    """`45 s`, `15 min`, `3.2 h`, `31.7 years`: a wait in words."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172_800:
        return f"{seconds / 3600:.1f} h"
    if seconds < 63_072_000:
        return f"{seconds / 86400:.0f} days"
    return f"{seconds / 31_557_600:,.0f} years"


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


def stage_transitions_path(application_id: str) -> str:
    """The path of one application's stage transitions (the id made safe as one path segment)."""
    return f"{APPLICATIONS_PATH}/{_segment(application_id)}/stage-transitions"


def request_label(method: str, path: str) -> str:
    """`GET /v2/recruiting/applications/{id}` for a request: the endpoint, with record ids masked."""
    return f"{method} {_ID_SEGMENT.sub(lambda m: m.group(1) + '/{id}', path)}"


def _http_url(url: str, what: str) -> httpx.URL:
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{what} must be an http(s) URL with a host, got {url!r}")
    return parsed


class PersonioClient:
    """Reads the Personio Recruiting API v2 with client credentials; transport, clock and sleep injectable."""

    def __init__(self, base_url: str = "https://api.personio.de", client_id: str = "", client_secret: str = "", *,
                 transport: httpx.BaseTransport | None = None, scope: str | None = None,
                 rate_per_second: float | None = 5.0, burst: int = 5, max_retries: int = 6,
                 backoff_base: float = 1.0, backoff_cap: float = 60.0, timeout: float = 30.0,
                 page_limit: int = 200, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, rng: random.Random | None = None,
                 career_site_url: str | None = None,
                 on_retry: Callable[[RetryInfo], None] | None = None,
                 request_deadline: float = REQUEST_DEADLINE, max_body_bytes: int = MAX_BODY_BYTES,
                 max_wait_per_request: float = MAX_WAIT_PER_REQUEST, max_pages: int = MAX_PAGES) -> None:
        base = _http_url(base_url.rstrip("/"), "base_url")
        if not 1 <= page_limit <= MAX_PAGE_LIMIT:
            raise ValueError(f"page_limit must be 1..{MAX_PAGE_LIMIT}, got {page_limit}")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = str(base).rstrip("/")
        self._origin = (base.scheme, base.host, base.port)
        self.client_id = client_id
        self._client_secret = _Secret(client_secret)
        self.scope = (scope or "").strip() or None  # sent only when the user configured one
        self.career_site_url = str(_http_url(career_site_url, "career_site_url")).rstrip("/") \
            if career_site_url else None
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.page_limit = page_limit
        self.on_retry = on_retry
        # called with the seconds left before each slice of a wait; may raise to abandon the wait
        self.interrupt: Callable[[float], None] | None = None
        self.request_deadline = request_deadline
        self.max_body_bytes = max_body_bytes
        self.max_wait_per_request = max_wait_per_request
        self.max_pages = max_pages
        self.rate_limit = RateLimitState()  # what the last response's rate-limit headers said
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
        if transport is None and not any(k in getproxies() for k in ("http", "https", "all")):
            transport = deadline_transport()  # the deadline covers waiting for headers too (not via a proxy)
        self._http = httpx.Client(
            base_url=self.base_url, transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False,
            headers={"Accept": "application/json", "Accept-Encoding": "gzip, deflate", "Beta": "true",
                     "User-Agent": USER_AGENT},
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

    def person(self, person_id: str) -> dict:
        """One person by id (a hiring-team member's name; callers keep it in memory only)."""
        return self._object(f"{PERSONS_PATH}/{_segment(person_id)}", "a person")

    def stage_transitions(self, application_id: str) -> list[dict]:
        """All stage transitions of one application, latest first as the API sends them (no query parameters:
        the endpoint documents none; a next link is followed only when one comes)."""
        return [item for page in self.iter_pages(stage_transitions_path(application_id), paged=False)
                for item in page]

    def candidates(self, updated_after: datetime | None = None) -> Iterator[dict]:
        """Candidates, last updated first, following all pages."""
        for page in self.iter_pages(CANDIDATES_PATH, self._since(updated_after)):
            yield from page

    def jobs(self, updated_after: datetime | None = None) -> Iterator[dict]:
        """Jobs, last updated first, following all pages (optionally only those updated after)."""
        for page in self.iter_pages(JOBS_PATH, self._since(updated_after)):
            yield from page

    def categories(self) -> list[dict]:
        """All categories with their stages (no query parameters: the endpoint documents none)."""
        return [item for page in self.iter_pages(CATEGORIES_PATH, paged=False) for item in page]

    def career_feed(self) -> list[dict] | None:
        """Published positions from the career-site XML feed; None when no career site is configured."""
        if not self.career_site_url:
            return None
        url = self.career_site_url if self.career_site_url.endswith("/xml") else f"{self.career_site_url}/xml"
        resp = self._request("GET", url, params={"language": "en"}, auth=False,
                             headers={"Accept": "application/xml, text/xml;q=0.9, */*;q=0.1"})
        return parse_career_feed(resp.content)

    def iter_pages(self, path: str, params: dict | None = None, *, paged: bool = True) -> Iterator[list[dict]]:
        """One `_data` list per page of a list endpoint, following `_meta.links.next.href` as given.

        `paged` endpoints get `limit` (and `params`) on the first request; the others get no query at all.
        A chain that repeats a cursor, brings nothing new for several pages or exceeds its page bound stops
        with a PaginationError."""
        if not paged and params:
            raise ValueError("an endpoint without documented pagination takes no query parameters")
        url: str | httpx.URL = self._link(httpx.URL(path)) if "://" in path else path
        query: dict[str, Any] | None = None
        if paged:
            query = {"limit": self.page_limit}
            query.update({k: v for k, v in (params or {}).items() if v is not None})
        bound = self.max_pages if paged else min(self.max_pages, MAX_UNPAGED_PAGES)
        guard = _ChainGuard(bound)
        while True:
            resp = self._request("GET", url, params=query)
            items, href = self._envelope(self._json(resp), resp.status_code, lenient=not paged)
            self._count(pages=1)
            guard.page(str(resp.request.url), items)
            yield items
            if href is None:
                return
            url, query = self._link(resp.request.url.join(href)), None  # the link carries cursor and filters
            guard.next_link(url)

    def probe(self, path: str, params: dict | None = None) -> Probe:
        """One GET of a list endpoint's first page, for a connection check: status, timing, items, headers."""
        started = self._clock()
        resp = self._request("GET", path, params=params)
        elapsed = max(0.0, self._clock() - started)
        items, href = self._envelope(self._json(resp), resp.status_code)
        return Probe(resp.status_code, elapsed, items, href is not None, dict(resp.headers))

    def check_token(self) -> float:
        """Ask for a fresh access token now (checks credentials and scope); returns the seconds it took."""
        started = self._clock()
        with self._token_lock:
            self._fetch_token()
        return max(0.0, self._clock() - started)

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

    def _link(self, url: httpx.URL) -> httpx.URL:
        """A next-page link on the configured base: links to another host (Personio's examples hard-code
        https://api.personio.de, so a proxy base receives those) keep their path and query, re-rooted onto
        the base URL. The bearer token goes to no other origin."""
        if url.scheme not in ("http", "https") or not url.host:
            raise PaginationError(None, "Unusable link", "a next-page link is not an http(s) address")
        if (url.scheme, url.host, url.port) == self._origin:
            return url
        base = httpx.URL(self.base_url)
        prefix = base.raw_path.rstrip(b"/")
        raw = url.raw_path if url.raw_path.startswith(prefix + b"/") else prefix + url.raw_path
        return base.copy_with(raw_path=raw)

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
        if self.interrupt is None:
            self._sleep(seconds)
        else:  # in slices, so a Cancel (or a progress countdown) need not wait for a long Retry-After
            left = seconds
            while left > 0:
                self.interrupt(left)
                step = min(left, WAIT_SLICE)
                self._sleep(step)
                left -= step
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
            if resp.is_redirect:
                raise self._redirect_error(resp)
            raise error_from_response(resp, self._redact())

    def _redirect_error(self, resp: httpx.Response) -> RedirectError:
        location = resp.headers.get("location", "")
        target = resp.request.url.join(location) if location else None
        where = f"{target.scheme}://{target.host}" if target is not None and target.host else "another address"
        return RedirectError(resp.status_code, "Redirect",
                             clean(f"it points to {where}; the access token is only sent to {self.base_url}",
                                   self._redact()))

    def _send(self, method: str, url: str | httpx.URL, *, params: dict | None = None,
              data: dict | None = None, headers: dict[str, str] | None = None,
              token_request: bool = False) -> httpx.Response:
        """One logical request: budget wait, then retries for 429/5xx/transport errors with backoff, waiting
        at most `max_wait_per_request` in total (a Retry-After beyond it fails at once)."""
        path = httpx.URL(url).path if isinstance(url, str) else url.path
        label = request_label(method, path)
        attempt = 0
        waited = 0.0
        while True:
            held = self._bucket.held_for()
            wait = self._bucket.reserve()
            if wait > 0:
                if held > 0:
                    self._notify(RetryInfo(0, wait, "rate limit reached", None, label, 0.0, self.max_wait_per_request))
                self._count(rate_wait_seconds=wait)
                self._pause(wait)
            self._count(requests=1, token_requests=int(token_request))
            sent_at = self._clock()
            try:
                resp = self._fetch(method, url, params=params, data=data, headers=headers)
            except httpx.UnsupportedProtocol as exc:
                raise NetworkError(None, type(exc).__name__, clean(exc, self._redact())) from None
            except httpx.TransportError as exc:
                if isinstance(exc, httpx.TimeoutException) and self._clock() - sent_at >= self.request_deadline:
                    raise NetworkError(None, "Too slow", f"no complete answer within {self.request_deadline:g} s "
                                       "(the server sends too slowly)") from None
                reason = "timeout" if isinstance(exc, httpx.TimeoutException) else "connection error"
                delay = self._retry_delay(attempt, None, waited)
                if attempt >= self.max_retries or delay is None:
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise NetworkError(None, type(exc).__name__,
                                       clean(f"{exc or type(exc).__name__}{tries}", self._redact())) from None
                self._retry(label, attempt, reason, None, delay, waited)
                waited += delay
                attempt += 1
                continue
            state = self._observe_rate_limit(resp)
            status = resp.status_code
            if (status == 429 or status >= 500) and attempt < self.max_retries:
                asked = retry_after_seconds(resp.headers.get("Retry-After"), self._utcnow())
                if asked is None and status == 429 and state.exhausted:
                    asked = state.reset_seconds
                delay = self._retry_delay(attempt, asked, waited)
                if delay is None:
                    raise self._gave_up(resp, asked, waited)
                reason = "rate limited" if status == 429 else f"server error {status}"
                self._retry(label, attempt, reason, status, delay, waited)
                waited += delay
                attempt += 1
                continue
            return resp

    def _retry_delay(self, attempt: int, asked: float | None, waited: float) -> float | None:
        """Seconds before the next attempt, or None when that would exceed this request's waiting budget."""
        left = self.max_wait_per_request - waited
        if asked is not None:
            return asked if asked <= left else None
        if left <= 0:
            return None
        return min(left, backoff(attempt, self.backoff_base, self.backoff_cap, self._rng))

    def _gave_up(self, resp: httpx.Response, asked: float | None, waited: float) -> PersonioError:
        err = error_from_response(resp, self._redact())
        if asked is not None:
            why = (f"Personio asked to wait {_duration(asked)} before trying again; the dashboard waits at most "
                   f"{_duration(self.max_wait_per_request)} per request")
        else:
            why = f"gave up after waiting {_duration(waited)} for this request"
        err.detail = f"{err.detail}; {why}" if err.detail else why
        return err

    def _retry(self, label: str, attempt: int, reason: str, status: int | None, wait: float,
               waited: float) -> None:
        self._count(retries=1, retry_wait_seconds=wait)
        log.warning("Personio %s: %s, retrying in %.1f s (retry %d of %d)",
                    label, reason, wait, attempt + 1, self.max_retries)
        self._notify(RetryInfo(attempt + 1, wait, reason, status, label, waited, self.max_wait_per_request))
        self._pause(wait)

    def _notify(self, info: RetryInfo) -> None:
        if self.on_retry is not None:
            self.on_retry(info)

    def _observe_rate_limit(self, resp: httpx.Response) -> RateLimitState:
        """Remember the response's rate-limit headers; when they say nothing is left, pause until the reset."""
        state = parse_rate_limit(resp.headers, self._utcnow().timestamp())
        if state != RateLimitState():
            self.rate_limit = state
        if state.exhausted and state.reset_seconds and resp.status_code != 429:
            self._bucket.hold(min(state.reset_seconds, MAX_HOLD))
        return state

    def _fetch(self, method: str, url: str | httpx.URL, *, params: dict | None, data: dict | None,
               headers: dict[str, str] | None) -> httpx.Response:
        """Send and read the whole body, decoded, within `request_deadline` and `max_body_bytes`."""
        started = self._clock()
        request = self._http.build_request(method, url, params=params, data=data, headers=headers)
        with deadline(self.request_deadline):
            return self._read(request, started)

    def _read(self, request: httpx.Request, started: float) -> httpx.Response:
        resp = self._http.send(request, stream=True)
        chunks: list[bytes] = []
        size = 0
        try:
            self._check_deadline(started)
            for chunk in _decoded(resp):
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise ResponseTooLargeError(
                        resp.status_code, "Too large",
                        f"the body is larger than {self.max_body_bytes // (1024 * 1024)} MiB once decompressed; "
                        "the dashboard stopped reading it")
                chunks.append(chunk)
                self._check_deadline(started)
        except (httpx.DecodingError, zlib.error):
            raise MalformedResponseError(resp.status_code, "Undecodable body",
                                         "the compressed body could not be decompressed") from None
        finally:
            resp.close()
        kept = [(k, v) for k, v in resp.headers.multi_items()
                if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(resp.status_code, headers=kept, content=b"".join(chunks), request=request)

    def _check_deadline(self, started: float) -> None:
        if self._clock() - started > self.request_deadline:
            raise NetworkError(None, "Too slow",
                               f"no complete answer within {self.request_deadline:g} s (the server sends too slowly)")

    def _json(self, resp: httpx.Response) -> Any:
        try:
            return resp.json()
        except (ValueError, UnicodeDecodeError):
            kind = clean(resp.headers.get("content-type", "no content type"), self._redact(), limit=60)
            raise MalformedResponseError(resp.status_code, "Not JSON",
                                         f"expected JSON but the body is not valid JSON ({kind}); "
                                         "truncated, or a proxy/login page?") from None

    @staticmethod
    def _envelope(payload: Any, status: int, lenient: bool = False) -> tuple[list[dict], str | None]:
        """(items, next href or None) of a list response: a `_data` envelope; when `lenient` (the unpaged
        endpoints, whose envelope is published nowhere: stage transitions, categories) also a `data` envelope
        or a bare list, the shapes the parser reads."""
        if lenient and isinstance(payload, list):
            payload = {"_data": payload}
        elif lenient and isinstance(payload, dict) and not isinstance(payload.get("_data"), list) \
                and isinstance(payload.get("data"), list):
            payload = {**payload, "_data": payload["data"]}
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


