"""In-process fake Personio (Recruiting API v2 + career-site XML feed) serving a DemoCompany as an httpx handler.

Use it with `httpx.MockTransport(fake.handler)` (or `fake.transport()`), or over a real socket via
`dashboard.demo.serve`. Records are rendered lazily, one page at a time, from the company's frames; mutations
(touch, delete, add) live in an overlay of numpy arrays, never in a regenerated company. Faults (429, 5xx,
timeouts, malformed or truncated bodies, extra or dropped fields, latency) are injected per path for tests.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
import secrets
import threading
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import httpx
import numpy as np
import polars as pl

from dashboard.demo.generator import DemoCompany, generate_company, team_people

RECRUITING_SCOPE = "personio:recruiting:read"
PERSONS_SCOPE = "personio:persons:read"  # GET /v2/persons/{id}: the hiring-team members' names
# Query parameters Personio documents per endpoint (official reference); anything else is a 400, as on a
# strict server. Categories, stage transitions and the by-id endpoints document none at all.
_LIST_PARAMS = frozenset({"limit", "cursor", "updated_at.gt", "updated_at.lt"})
DOCUMENTED_PARAMS: dict[str, frozenset[str]] = {
    "applications": _LIST_PARAMS,
    "candidates": _LIST_PARAMS | {"email"},
    "jobs": _LIST_PARAMS,
    "feed": frozenset({"language"}),
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_AVAILABLE = ("Immediately", "Jan 2026", "Summer", "After 3 months notice")
_ERROR_DOCS = "https://developer.personio.de/v2.0/page/public-api-error-codes"
_PREFIX = "/v2/recruiting/"
PERSONS_PATH = "/v2/persons"
try:
    from zoneinfo import ZoneInfo

    _BERLIN: Any = ZoneInfo("Europe/Berlin")
except Exception:  # noqa: BLE001 - no tz database: Berlin-style records fall back to UTC
    _BERLIN = UTC


class RequestRecord(NamedTuple):
    """One request the fake received: method, path and query parameters."""

    method: str
    path: str
    query: dict[str, str]


@dataclass
class Fault:
    """An injected fault for requests whose path matches `pattern` (re.search), used up after `times` hits
    (None: forever). An error status (>= 300) or a `body` replaces the response; `raise_exc` raises instead;
    otherwise the real response is served with `extra_fields` added, `drop_fields` removed and/or cut to
    `truncate` bytes (True: half). `delay` seconds are recorded in `fake.delays` (and slept if the fake has a
    `sleep`)."""

    pattern: str
    status: int = 429
    times: int | None = 1
    retry_after: float | None = None
    body: bytes | None = None
    delay: float = 0.0
    raise_exc: BaseException | type[BaseException] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    truncate: int | bool | None = None
    extra_fields: dict[str, Any] | None = None
    drop_fields: tuple[str, ...] = ()
    method: str | None = None
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        """True when this fault applies to the request and has hits left."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        return re.search(self.pattern, path) is not None

    @property
    def replaces_response(self) -> bool:
        """True when the fault answers instead of the fake (error status or a fixed body)."""
        return self.status >= 300 or self.body is not None


class _Problem(Exception):  # noqa: N818 - control flow inside the fake, not an error of the fake
    """An API error to answer with."""

    def __init__(self, status: int, title: str, detail: str, code: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.code = status, title, detail, code
        self.headers = headers or {}


def _bad_request(detail: str) -> _Problem:
    return _Problem(400, "Bad request", detail, "common.bad_request")


def _not_found() -> _Problem:
    return _Problem(404, "Resource not found", "There is no resource for the specified ID.", "common.resource_not_found")


# --- rendering helpers -------------------------------------------------------------------------------------


def _dt(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=int(us))


def _iso(moment: datetime) -> str:
    text = moment.isoformat(timespec="seconds" if moment.microsecond == 0 else "microseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _berlin(key: str) -> bool:
    """Whether a record is rendered in Europe/Berlin local time (about a quarter; the instant is the same)."""
    return zlib.crc32(key.encode()) % 4 == 0


def _ts_obj(us: int, key: str) -> dict[str, str]:
    moment = _dt(us)
    if _berlin(key):
        return {"date-time": _iso(moment.astimezone(_BERLIN)), "timezone": "Europe/Berlin"}
    return {"date-time": _iso(moment), "timezone": "UTC"}


def _ts_str(us: int, key: str) -> str:
    moment = _dt(us)
    return _iso(moment.astimezone(_BERLIN)) if _berlin(key) else _iso(moment)


def _us(series: pl.Series) -> np.ndarray:
    """A UTC datetime series as epoch microseconds."""
    return series.cast(pl.Int64).to_numpy().astype(np.int64, copy=True)


def _parse_time(value: str, name: str) -> int:
    """RFC 3339 date-time query value as epoch µs (naive taken as UTC)."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise _bad_request(f"{name} must be an RFC 3339 date-time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _encode_cursor(*parts: int | None) -> str:
    raw = ".".join("n" if p is None else str(p) for p in parts).encode()
    return "cur_" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, n_parts: int) -> list[int | None]:
    try:
        if not cursor.startswith("cur_"):
            raise ValueError(cursor)
        text = cursor[4:]
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        parts = [None if p == "n" else int(p) for p in raw.split(".")]
        if len(parts) != n_parts:
            raise ValueError(cursor)
        return parts
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _bad_request("The cursor is invalid.") from None


class _Order:
    """Rows of a resource sorted last updated first (ties by row), recomputed only after a change."""

    def __init__(self, updated: np.ndarray):
        self.updated = updated
        self.alive = np.ones(len(updated), dtype=bool)
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def changed(self) -> None:
        self._sorted = None

    def extend(self, updated: np.ndarray) -> None:
        self.updated = np.concatenate([self.updated, updated])
        self.alive = np.concatenate([self.alive, np.ones(len(updated), dtype=bool)])
        self._sorted = None

    def sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """(rows, negated updated) in list order."""
        if self._sorted is None:
            rows = np.flatnonzero(self.alive)
            neg = -self.updated[rows]
            order = np.lexsort((rows, neg))
            self._sorted = rows[order], neg[order]
        return self._sorted


# --- the fake ----------------------------------------------------------------------------------------------


class FakePersonio:
    """A fake Personio Recruiting API v2 over a DemoCompany; `handler` is an httpx MockTransport handler."""

    def __init__(self, company: DemoCompany | None = None, *, client_id: str = "demo",
                 client_secret: str = "demo-secret", scopes: Iterable[str] = (RECRUITING_SCOPE,),  # noqa: S107
                 token_ttl: int = 86400, clock: Callable[[], float] = time.time,
                 transition_shape: str = "from_to", rate_limit_per_second: float | None = None,
                 sleep: Callable[[float], None] | None = None, strict_params: bool = True,
                 link_origin: str | None = None, transition_page_size: int | None = None):
        """`strict_params`: 400 for any query parameter the endpoint does not document (as Personio would);
        `link_origin`: write next/self links on this origin (e.g. "https://api.personio.de", as the official
        examples do) instead of the request's; `transition_page_size`: page stage transitions through next
        links (Personio documents no pagination there; the default sends each history whole)."""
        if transition_shape not in ("from_to", "entered"):
            raise ValueError("transition_shape must be 'from_to' or 'entered'")
        self.strict_params = strict_params
        self.link_origin = link_origin.rstrip("/") if link_origin else None
        self.transition_page_size = transition_page_size
        self.company = company if company is not None else generate_company()
        self.client_id, self.client_secret = client_id, client_secret
        self.scopes = tuple(scopes)
        self.token_ttl = token_ttl
        self.clock = clock
        self.sleep = sleep
        self.transition_shape = transition_shape
        self.rate_limit_per_second = rate_limit_per_second
        self.faults: list[Fault] = []
        self.requests: list[RequestRecord] = []
        self.counts: Counter[str] = Counter()
        self.delays: list[float] = []
        self.tokens: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._lock = threading.RLock()
        self._trace = itertools.count(1)
        self._bucket = (float(max(1.0, rate_limit_per_second or 1.0)), None)
        self._load(self.company)

    # -- loading the company into render-friendly structures --

    def _load(self, company: DemoCompany) -> None:
        on_teams = set(company.hiring_team.get_column("person_id").to_list())
        people = team_people(company.seed).filter(pl.col("person_id").is_in(list(on_teams)))
        self._persons: dict[str, dict] = {row["person_id"]: row for row in people.iter_rows(named=True)}
        stages = company.stages.unique("stage_id", keep="first", maintain_order=True)
        self._stage_ids: list[str] = stages["stage_id"].to_list()
        self._stage_pos = {s: i for i, s in enumerate(self._stage_ids)}
        self._stage_objs = [
            {"kind": "system", "type": t} if k == "system" else {"id": s, "name": n, "type": t, "kind": k}
            for s, n, t, k in stages.select("stage_id", "stage_name", "stage_type", "stage_kind").iter_rows()
        ]
        self._stage_type = stages["stage_type"].to_list()
        self._category_stages: dict[str, list[int]] = {}
        for cat_id, stage_id in company.stages.sort("category_id", "position").select("category_id", "stage_id").iter_rows():
            self._category_stages.setdefault(cat_id, []).append(self._stage_pos[stage_id])

        jobs = company.jobs.join(company.job_details.drop("employment_type"), on="job_id", how="left")
        teams, self._app_team = _teams(company.hiring_team)
        self._jobs = jobs.to_dicts()
        self._job_pos = {j["job_id"]: i for i, j in enumerate(self._jobs)}
        self._job_team = [teams.get(j["job_id"], []) for j in self._jobs]
        self._job_created = _us(jobs["created_at"])
        self._job_order = _Order(_us(jobs["updated_at"]))
        self._categories = company.stages["category_id"].unique(maintain_order=True).to_list()
        self._category_names = dict(company.categories.iter_rows())

        apps = company.applications
        det = company.candidate_details
        cand_pos = {c: i for i, c in enumerate(company.candidates["candidate_id"].to_list())}
        self._cand = company.candidates.join(det, on="candidate_id", how="left")
        self._cand_ids: list[str] = self._cand["candidate_id"].to_list()
        self._cand_pos = cand_pos
        self._cand_created = _us(self._cand["created_at"])
        self._cand_order = _Order(_us(self._cand["updated_at"]))
        self._email_pos: dict[str, list[int]] | None = None

        self._apps = apps.select(
            "application_id", "candidate_id", "job_id", pl.col("application_date").cast(pl.String),
            "channel_id", "channel_name", "is_anonymized",
        )
        self._app_ids: list[str] = apps["application_id"].to_list()
        self._app_pos = {a: i for i, a in enumerate(self._app_ids)}
        self._app_created = _us(apps["created_at"])
        self._app_stage = apps["stage_id"].replace_strict(self._stage_pos, return_dtype=pl.Int32).to_numpy().copy()
        self._app_job = apps["job_id"].replace_strict(self._job_pos, return_dtype=pl.Int32).to_numpy().copy()
        self._app_cand = apps["candidate_id"].replace_strict(cand_pos, default=-1, return_dtype=pl.Int64).to_numpy().copy()
        self._app_order = _Order(_us(apps["updated_at"]))
        self._index_candidate_apps()

        tr = company.transitions.with_columns(
            pl.col("application_id").replace_strict(self._app_pos, return_dtype=pl.Int64).alias("row")
        ).sort("row", "seq")
        self._tr_from = tr["from_stage_id"].replace_strict(self._stage_pos, default=-1, return_dtype=pl.Int32).to_numpy()
        self._tr_to = tr["to_stage_id"].replace_strict(self._stage_pos, return_dtype=pl.Int32).to_numpy()
        self._tr_at = _us(tr["transitioned_at"])
        rows = tr["row"].to_numpy()
        self._tr_start = np.searchsorted(rows, np.arange(len(self._app_ids) + 1))
        self._tr_extra: dict[int, list[tuple[int, int, int]]] = {}

    def _index_candidate_apps(self) -> None:
        order = np.argsort(self._app_cand, kind="stable")
        self._cand_apps = order
        self._cand_apps_start = np.searchsorted(self._app_cand[order], np.arange(len(self._cand_ids) + 1))

    # -- public test API --

    def transport(self) -> httpx.MockTransport:
        """An httpx transport answering every request with this fake."""
        return httpx.MockTransport(self.handler)

    def inject(self, pattern: str, status: int = 429, times: int | None = 1, retry_after: float | None = None,
               body: bytes | None = None, delay: float = 0.0, raise_exc: BaseException | type[BaseException] | None = None,
               **options: Any) -> Fault:
        """Add a fault for paths matching `pattern` (see `Fault` for the options); returns it (`.hits` counts)."""
        fault = Fault(pattern, status=status, times=times, retry_after=retry_after, body=body, delay=delay,
                      raise_exc=raise_exc, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self._lock:
            self.faults.clear()

    def count(self, endpoint: str) -> int:
        """Requests received for `endpoint` (token, revoke, applications, application, transitions, candidates,
        candidate, jobs, job, categories, category, feed, unknown)."""
        return self.counts[endpoint]

    def expire_tokens(self) -> None:
        """Make every issued token expired (the next data request gets 401)."""
        with self._lock:
            self.tokens = {t: (float("-inf"), s) for t, (_, s) in self.tokens.items()}

    def touch_applications(self, ids: Iterable[str], stage_type: str | None = None, *, stage_id: str | None = None,
                           at: datetime | None = None) -> None:
        """Mark applications updated at `at` (default: the clock, never before their last update); with a stage,
        move them there and record the transition."""
        with self._lock:
            for app_id in ids:
                row = self._app_row(app_id)
                moment = self._now_us(at)
                moment = max(moment, int(self._app_order.updated[row]) + 1_000_000) if at is None else moment
                target = self._target_stage(row, stage_type, stage_id)
                if target is not None and target != self._app_stage[row]:
                    self._tr_extra.setdefault(row, []).append((int(self._app_stage[row]), target, moment))
                    self._app_stage[row] = target
                self._app_order.updated[row] = moment
            self._app_order.changed()

    def delete_application(self, app_id: str) -> None:
        """Delete an application: it leaves every list; by id it is 404."""
        with self._lock:
            self._app_order.alive[self._app_row(app_id)] = False
            self._app_order.changed()

    def delete_candidate(self, candidate_id: str) -> None:
        """Delete a candidate and, as Personio does, their applications."""
        with self._lock:
            pos = self._cand_pos.get(candidate_id)
            if pos is None or not self._cand_order.alive[pos]:
                raise KeyError(candidate_id)
            self._cand_order.alive[pos] = False
            self._cand_order.changed()
            self._app_order.alive[self._app_cand == pos] = False
            self._app_order.changed()

    def add_application(self, job_id: str | None = None, *, candidate_id: str | None = None,
                        channel_id: str | None = None, at: datetime | None = None) -> str:
        """A new application in stage `new` (with a new candidate unless `candidate_id`); returns its id."""
        with self._lock:
            moment = self._now_us(at)
            job_row = self._job_pos[job_id] if job_id is not None else 0
            app_id = str(max(int(a) for a in self._app_ids[-1:] or ["1999999"]) + 1)
            if candidate_id is None:
                candidate_id = str(max(int(c) for c in self._cand_ids[-1:] or ["4999999"]) + 1)
                first, last = "Robin", "Demo"
                new = pl.DataFrame({"candidate_id": [candidate_id], "first_name": [first], "last_name": [last],
                                    "email": [f"robin.demo.{candidate_id}@example.com"], "phone": ["+4915100000000"],
                                    "gender": ["UNDEFINED"], "location": ["Berlin"]})
                self._cand = pl.concat([self._cand, new], how="diagonal_relaxed")
                self._cand_pos[candidate_id] = len(self._cand_ids)
                self._cand_ids.append(candidate_id)
                self._cand_created = np.append(self._cand_created, moment)
                self._cand_order.extend(np.array([moment], dtype=np.int64))
                self._email_pos = None
            channels = dict(self.company.channels.iter_rows())
            row = pl.DataFrame({
                "application_id": [app_id], "candidate_id": [candidate_id], "job_id": [self._jobs[job_row]["job_id"]],
                "application_date": [_dt(moment).date().isoformat()], "channel_id": [channel_id],
                "channel_name": [channels.get(channel_id, "Unknown") if channel_id else "Unknown"],
                "is_anonymized": [False],
            }, schema=self._apps.schema)
            self._apps = pl.concat([self._apps, row])
            self._app_pos[app_id] = len(self._app_ids)
            self._app_ids.append(app_id)
            self._app_created = np.append(self._app_created, moment)
            category = self._jobs[job_row]["category_id"]
            self._app_stage = np.append(self._app_stage, np.int32(self._category_stages[category][0]))
            self._app_job = np.append(self._app_job, np.int32(job_row))
            self._app_cand = np.append(self._app_cand, self._cand_pos[candidate_id])
            self._app_order.extend(np.array([moment], dtype=np.int64))
            self._tr_start = np.append(self._tr_start, self._tr_start[-1])
            self._index_candidate_apps()
            return app_id

    # -- the handler --

    def handler(self, request: httpx.Request) -> httpx.Response:
        """Answer one request like Personio would (plus any injected fault)."""
        path = request.url.path
        method = request.method.upper()
        with self._lock:
            self.requests.append(RequestRecord(method, path, dict(request.url.params)))
            self.counts[self._endpoint(path)] += 1
            fault = next((f for f in self.faults if f.matches(method, path)), None)
            if fault is not None:
                fault.hits += 1
                if fault.delay:
                    self.delays.append(fault.delay)
        if fault is not None:
            if fault.delay and self.sleep is not None:
                self.sleep(fault.delay)
            if fault.raise_exc is not None:
                exc = fault.raise_exc
                if isinstance(exc, type):
                    exc = exc("injected fault", request=request) if issubclass(exc, httpx.RequestError) else exc()
                raise exc
            if fault.replaces_response:
                return self._fault_response(fault, request)
        with self._lock:
            limited = self._rate_limited()
            if limited is not None:
                response = self._problem(request, limited)
            else:
                try:
                    response = self._route(request, method, path)
                except _Problem as problem:
                    response = self._problem(request, problem)
        return self._transform(response, fault, request) if fault is not None else response

    def _endpoint(self, path: str) -> str:
        if path.endswith("/xml"):
            return "feed"
        if path == "/v2/auth/token":
            return "token"
        if path == "/v2/auth/revoke":
            return "revoke"
        person = path[len(PERSONS_PATH) + 1:].strip("/") if path.startswith(PERSONS_PATH + "/") else ""
        if person and "/" not in person:
            return "person"
        if path.startswith(_PREFIX):
            parts = path[len(_PREFIX):].strip("/").split("/")
            if parts[0] == "applications" and len(parts) == 3 and parts[2] == "stage-transitions":
                return "transitions"
            singular = {"applications": "application", "candidates": "candidate", "jobs": "job",
                        "categories": "category"}
            if parts[0] in singular and len(parts) <= 2:
                return parts[0] if len(parts) == 1 else singular[parts[0]]
        return "unknown"

    def _route(self, request: httpx.Request, method: str, path: str) -> httpx.Response:
        endpoint = self._endpoint(path)
        if endpoint in ("token", "revoke"):
            if method != "POST":
                raise _Problem(405, "Method not allowed", "Use POST.", "common.method_not_allowed")
            return self._token(request) if endpoint == "token" else self._revoke(request)
        if endpoint == "feed":
            self._check_params(request, endpoint)
            return self._feed(request)
        if endpoint == "unknown":
            raise _Problem(404, "Not found", "There is no such endpoint.", "common.not_found")
        if method != "GET":
            raise _Problem(405, "Method not allowed", "Only GET is supported.", "common.method_not_allowed")
        self._authorise(request, PERSONS_SCOPE if endpoint == "person" else RECRUITING_SCOPE)
        self._check_params(request, endpoint)
        if endpoint == "person":
            return self._json(self._render_person(path[len(PERSONS_PATH):].strip("/"), request))
        ident = path[len(_PREFIX):].strip("/").split("/")[1] if endpoint not in (
            "applications", "candidates", "jobs", "categories") else None
        base = f"{request.url.scheme}://{request.url.netloc.decode()}"
        if endpoint == "applications":
            return self._json(self._page(request, self._app_order, lambda rows: self._render_apps(rows, base)))
        if endpoint == "application":
            return self._json(self._render_apps(np.array([self._app_row(ident, problem=True)]), base)[0])
        if endpoint == "transitions":
            return self._json(self._transitions(request, self._app_row(ident, problem=True)))
        if endpoint == "candidates":
            email = request.url.params.get("email")
            only = None if email is None else np.asarray(self._by_email(email), dtype=np.int64)
            return self._json(self._page(request, self._cand_order, lambda rows: self._render_candidates(rows, base), only))
        if endpoint == "candidate":
            pos = self._cand_pos.get(ident or "")
            if pos is None or not self._cand_order.alive[pos]:
                raise _not_found()
            return self._json(self._render_candidates(np.array([pos]), base)[0])
        if endpoint == "jobs":
            return self._json(self._page(request, self._job_order, lambda rows: [self._render_job(int(r), base) for r in rows]))
        if endpoint == "job":
            pos = self._job_pos.get(ident or "")
            if pos is None:
                raise _not_found()
            return self._json(self._render_job(pos, base))
        if endpoint == "categories":
            links = {"self": {"href": self._href(request, request.url.raw_path.decode("ascii"))}}
            return self._json({"_data": [self._render_category(c) for c in self._categories], "_meta": {"links": links}})
        if ident not in self._category_stages:
            raise _not_found()
        return self._json(self._render_category(ident))

    # -- auth and limits --

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode("utf-8", "replace")).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic ") and client_id is None:
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                pass
        if form.get("grant_type") != "client_credentials":
            return self._oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported.")
        if client_id != self.client_id or secret != self.client_secret:
            return self._oauth_error(401, "invalid_client", "Client authentication failed.")
        requested = form.get("scope", "").split()
        granted = tuple(s for s in requested if s in self.scopes) if requested else self.scopes
        token = "fake_" + secrets.token_urlsafe(24)
        self.tokens[token] = (self.clock() + self.token_ttl, granted)
        return self._json({"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl,
                           "scope": " ".join(granted)})

    def _revoke(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode("utf-8", "replace")).items()}
        self.tokens.pop(form.get("token", ""), None)
        return httpx.Response(200, json={})

    def _oauth_error(self, status: int, error: str, description: str) -> httpx.Response:
        return httpx.Response(status, json={"error": error, "error_description": description})

    def _authorise(self, request: httpx.Request, scope: str = RECRUITING_SCOPE) -> None:
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            raise _Problem(401, "Unauthorized", "Missing bearer token.", "common.unauthorized",
                           {"WWW-Authenticate": "Bearer"})
        entry = self.tokens.get(auth[7:].strip())
        if entry is None or entry[0] <= self.clock():
            detail = "The access token is unknown." if entry is None else "The access token has expired."
            raise _Problem(401, "Unauthorized", detail, "common.unauthorized",
                           {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if scope not in entry[1]:
            raise _Problem(403, "Forbidden", f"The token lacks the scope {scope}.", "common.forbidden")

    def _rate_limited(self) -> _Problem | None:
        """Token bucket of `rate_limit_per_second` on the injected clock; None when the request may pass."""
        rate = self.rate_limit_per_second
        if not rate:
            return None
        capacity = max(1.0, rate)
        tokens, last = self._bucket
        now = self.clock()
        tokens = capacity if last is None else min(capacity, tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._bucket = (tokens - 1.0, now)
            return None
        self._bucket = (tokens, now)
        wait = max(1, int(np.ceil((1.0 - tokens) / rate)))
        return _Problem(429, "Too many requests", "Rate limit exceeded.", "common.too_many_requests",
                        {"Retry-After": str(wait)})

    # -- lists --

    def _check_params(self, request: httpx.Request, endpoint: str) -> None:
        """400 for a query parameter the endpoint does not document (strict mode)."""
        if not self.strict_params:
            return
        allowed = DOCUMENTED_PARAMS.get(endpoint, frozenset())
        if endpoint == "transitions" and self.transition_page_size:
            allowed = frozenset({"cursor"})  # only the cursor of the fake's own next links
        unknown = sorted(set(request.url.params.keys()) - allowed)
        if unknown:
            raise _bad_request(f"Provided request parameters are invalid. Not documented here: {', '.join(unknown)}.")

    def _href(self, request: httpx.Request, path_and_query: str) -> str:
        """An absolute link: on `link_origin` when set, else on the origin the request came to."""
        origin = self.link_origin or f"{request.url.scheme}://{request.url.netloc.decode()}"
        return origin + path_and_query

    def _limit(self, request: httpx.Request) -> int:
        raw = request.url.params.get("limit")
        if raw is None:
            return 100
        try:
            limit = int(raw)
        except ValueError:
            raise _bad_request("Provided request parameters are invalid.") from None
        if not 1 <= limit <= 200:
            raise _bad_request("Provided request parameters are invalid.")
        return limit

    def _page(self, request: httpx.Request, order: _Order, render: Callable[[np.ndarray], list[dict]],
              only: np.ndarray | None = None) -> dict:
        """One page; the next link carries only `cursor` (as in Personio's examples), which holds the limit and
        the filters of the first request."""
        params = request.url.params
        cursor = params.get("cursor")
        upd = row = None
        limit, gt_us, lt_us = self._limit(request), None, None
        if cursor is not None:
            upd, row, c_limit, gt_us, lt_us = _decode_cursor(cursor, 5)
            limit = limit if "limit" in params else (c_limit or 100)
        gt, lt = params.get("updated_at.gt"), params.get("updated_at.lt")
        if gt is not None:
            gt_us = _parse_time(gt, "updated_at.gt")
        if lt is not None:
            lt_us = _parse_time(lt, "updated_at.lt")
        if gt_us is not None and lt_us is not None:
            raise _bad_request("updated_at.gt and updated_at.lt are mutually exclusive.")
        rows, neg = order.sorted()
        if only is not None:
            keep = np.isin(rows, only)
            rows, neg = rows[keep], neg[keep]
        lo, hi = 0, len(rows)
        if gt_us is not None:
            hi = int(np.searchsorted(neg, -gt_us, side="left"))
        if lt_us is not None:
            lo = int(np.searchsorted(neg, -lt_us, side="right"))
        if upd is not None and row is not None:
            a = int(np.searchsorted(neg, -upd, side="left"))
            b = int(np.searchsorted(neg, -upd, side="right"))
            lo = max(lo, a + int(np.searchsorted(rows[a:b], row, side="right")))
        stop = min(hi, lo + limit)
        page = rows[lo:stop]
        links: dict[str, Any] = {"self": {"href": self._href(request, request.url.raw_path.decode("ascii"))}}
        if stop < hi and len(page):
            last = int(page[-1])
            nxt = _encode_cursor(int(order.updated[last]), last, limit, gt_us, lt_us)
            links["next"] = {"href": self._href(request, f"{request.url.path}?cursor={nxt}")}
        return {"_data": render(page), "_meta": {"links": links}}

    def _transitions(self, request: httpx.Request, row: int) -> dict:
        """The whole history latest first (no pagination is documented), or pages of `transition_page_size`."""
        lo, hi = int(self._tr_start[row]), int(self._tr_start[row + 1])
        items = [(int(self._tr_from[i]), int(self._tr_to[i]), int(self._tr_at[i])) for i in range(lo, hi)]
        items += self._tr_extra.get(row, [])
        app_id = self._app_ids[row]
        rendered = [self._render_transition(app_id, seq, *item) for seq, item in enumerate(items)][::-1]
        links: dict[str, Any] = {"self": {"href": self._href(request, request.url.raw_path.decode("ascii"))}}
        size = self.transition_page_size
        if not size:
            return {"_data": rendered, "_meta": {"links": links}}
        cursor = request.url.params.get("cursor")
        start = (_decode_cursor(cursor, 1)[0] or 0) if cursor is not None else 0
        if start + size < len(rendered):
            links["next"] = {"href": self._href(request, f"{request.url.path}?cursor={_encode_cursor(start + size)}")}
        return {"_data": rendered[start:start + size], "_meta": {"links": links}}

    def _by_email(self, email: str) -> list[int]:
        if self._email_pos is None:
            index: dict[str, list[int]] = {}
            for i, e in enumerate(self._cand["email"].to_list()):
                index.setdefault(e.lower(), []).append(i)
            self._email_pos = index
        return self._email_pos.get(email.strip().lower(), [])

    # -- rendering --

    def _render_apps(self, rows: np.ndarray, base: str) -> list[dict]:
        """Application records of `rows`, gathered from the frames in one go."""
        cand_rows = self._app_cand[rows]
        cands = self._cand[np.maximum(cand_rows, 0)].select(
            "candidate_id", "first_name", "last_name", "email", "gender").rows() if len(rows) else []
        return [self._render_app(int(r), values, cand if c >= 0 else None, base)
                for r, values, c, cand in zip(rows, self._apps[rows].rows(), cand_rows, cands, strict=True)]

    def _render_app(self, row: int, values: tuple, cand: tuple | None, base: str) -> dict:
        app_id, cand_id, job_id, app_date, chan_id, chan_name, anonymised = values
        job_row = int(self._app_job[row])
        record: dict[str, Any] = {"id": app_id, "company": {"id": self.company.company_id}}
        if cand is not None and not anonymised:
            record["candidate"] = {"id": cand[0], "first_name": cand[1], "last_name": cand[2], "email": cand[3],
                                   "gender": cand[4],
                                   "_meta": {"links": {"self": {"href": f"{base}{_PREFIX}candidates/{cand[0]}"}}}}
        else:
            record["candidate"] = None
        record["job"] = self._job_ref(self._jobs[job_row], base)
        record["current_stage"] = self._stage_objs[int(self._app_stage[row])]
        record["application_date"] = app_date
        if chan_id is not None:
            record["channel"] = {"id": chan_id, "name": chan_name}
        record["is_anonymized"] = bool(anonymised)
        own = self._app_team.get(app_id)
        record["hiring_team"] = self._team(job_row, base) if own is None else _team_records(own, base)
        record["created_at"] = _ts_obj(int(self._app_created[row]), app_id)
        record["updated_at"] = _ts_obj(int(self._app_order.updated[row]), app_id)
        record["_meta"] = {"links": {"self": {"href": f"{base}{_PREFIX}applications/{app_id}"}}}
        return record

    def _job_ref(self, job: dict, base: str) -> dict:
        ref: dict[str, Any] = {"id": job["job_id"], "name": job["job_name"],
                               "category": {"id": job["category_id"], "name": job["category_name"]}}
        if job["department_id"] is not None:
            ref["department"] = {"id": job["department_id"], "name": job["department_name"]}
        ref["_meta"] = {"links": {"self": {"href": f"{base}{_PREFIX}jobs/{job['job_id']}"}}}
        return ref

    def _team(self, job_row: int, base: str) -> list[dict]:
        return _team_records(self._job_team[job_row], base)

    def _render_transition(self, app_id: str, seq: int, from_stage: int, to_stage: int, at: int) -> dict:
        tid = f"{app_id}-{seq}"
        if self.transition_shape == "entered":
            return {"id": tid, "stage": self._stage_objs[to_stage], "entered_at": _ts_str(at, tid)}
        return {"id": tid, "from_stage": self._stage_objs[from_stage] if from_stage >= 0 else None,
                "to_stage": self._stage_objs[to_stage], "created_at": _ts_obj(at, tid)}

    def _render_candidates(self, rows: np.ndarray, base: str) -> list[dict]:
        """Candidate records of `rows`, gathered from the frames in one go."""
        values = self._cand[rows].select(
            "candidate_id", "first_name", "last_name", "email", "gender", "phone", "location").rows()
        app_lists = [[int(a) for a in self._cand_apps[self._cand_apps_start[p]:self._cand_apps_start[p + 1]]
                      if self._app_order.alive[a]] for p in rows]
        flat = np.asarray([a for apps in app_lists for a in apps], dtype=np.int64)
        dates = iter(self._apps["application_date"].gather(flat).to_list() if len(flat) else [])
        out = []
        for pos, (cid, first, last, email, gender, phone, location), apps in zip(rows, values, app_lists, strict=True):
            salt = zlib.crc32(cid.encode())
            out.append({
                "id": cid, "company": {"id": self.company.company_id},
                "first_name": first, "last_name": last, "email": email, "gender": gender,
                "birthday": f"{1960 + salt % 40}-{1 + salt // 40 % 12:02d}-{1 + salt // 480 % 28:02d}",
                "phone": phone, "location": location,
                "available_from": _AVAILABLE[salt % len(_AVAILABLE)],
                "applications": [{"id": self._app_ids[a], "application_date": next(dates),
                                  "_meta": {"links": {"self": {"href": f"{base}{_PREFIX}applications/{self._app_ids[a]}"}}}}
                                 for a in apps],
                "linkedin_profile": f"https://www.linkedin.com/in/demo-{cid}/",
                "created_at": _ts_str(int(self._cand_created[pos]), cid),
                "updated_at": _ts_str(int(self._cand_order.updated[pos]), cid),
                "_meta": {"links": {"self": {"href": f"{base}{_PREFIX}candidates/{cid}"}}},
            })
        return out

    def _render_job(self, pos: int, base: str) -> dict:
        job = self._jobs[pos]
        jid = job["job_id"]
        record: dict[str, Any] = {"id": jid, "name": job["job_name"], "company": {"id": self.company.company_id}}
        if job["department_id"] is not None:
            record["department"] = {"id": job["department_id"], "name": job["department_name"]}
        record["category"] = {"id": job["category_id"], "name": job["category_name"]}
        record["hiring_team"] = self._team(pos, base)
        record["created_at"] = _ts_obj(int(self._job_created[pos]), jid)
        record["updated_at"] = _ts_obj(int(self._job_order.updated[pos]), jid)
        record["_meta"] = {"links": {"self": {"href": f"{base}{_PREFIX}jobs/{jid}"}}}
        return record

    def _render_person(self, person_id: str, request: httpx.Request) -> dict:
        """A hiring-team member in the shape of Personio's `GET /v2/persons/{id}` example (made-up person)."""
        person = self._persons.get(person_id)
        if person is None:
            raise _not_found()
        base = f"{request.url.scheme}://{request.url.netloc.decode()}"
        created = self.company.end - timedelta(days=int(person["created_days_ago"]))
        updated = self.company.end - timedelta(days=int(person["created_days_ago"]) // 4)
        employment = uuid.uuid5(uuid.NAMESPACE_URL, f"demo-employment/{self.company.seed}/{person_id}")
        return {
            "id": person_id, "email": person["email"],
            "created_at": _iso(created.replace(microsecond=0)), "updated_at": _iso(updated.replace(microsecond=0)),
            "first_name": person["first_name"], "last_name": person["last_name"],
            "preferred_name": person["preferred_name"], "gender": person["gender"],
            "profile_picture": {"url": f"{base}/v1/company/employees/{person_id}/profile-picture"},
            "status": "ACTIVE", "custom_attributes": [], "employments": [{"id": str(employment)}],
            "_meta": {"links": {"employments": {"href": f"{base}{PERSONS_PATH}/{person_id}/employments"}}},
        }

    def _render_category(self, cat_id: str) -> dict:
        stages = [{**self._stage_objs[s], "position": i} for i, s in enumerate(self._category_stages[cat_id])]
        return {"id": cat_id, "name": self._category_names.get(cat_id), "stages": stages}

    def _feed(self, request: httpx.Request) -> httpx.Response:
        parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<workzag-jobs>"]
        for job in self._jobs:
            if not job["published"]:
                continue
            created = job["created_at"].astimezone(_BERLIN).strftime("%Y-%m-%dT%H:%M:%S%z")
            fields = [("id", job["job_id"]), ("subcompany", ""), ("office", job["office"])]
            if job["department_id"] is not None:
                fields.append(("department", job["department_name"]))
            fields += [("recruitingCategory", job["category_name"]), ("name", job["job_name"])]
            parts.append("<position>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields))
            parts.append("<jobDescriptions><jobDescription><name>About the role</name><value><![CDATA["
                         f"<p>Join our {escape(job['department_name'])} team as {escape(job['job_name'])}.</p>"
                         "]]></value></jobDescription></jobDescriptions>")
            tail = [("employmentType", job["employment_type"]), ("seniority", job["seniority"]),
                    ("schedule", job["schedule"]),
                    ("yearsOfExperience", "2-5"), ("keywords", job["job_name"].lower()), ("createdAt", created)]
            parts.append("".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in tail) + "</position>")
        parts.append("</workzag-jobs>")
        return httpx.Response(200, headers={"Content-Type": "application/xml; charset=utf-8"},
                              content="".join(parts).encode())

    # -- responses --

    def _json(self, payload: Any) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/json"},
                              content=json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())

    def _problem_body(self, title: str, detail: str, code: str) -> bytes:
        body = {"personio_trace_id": f"fake-{next(self._trace):08d}",
                "timestamp": _iso(datetime.fromtimestamp(self.clock(), UTC).replace(microsecond=0)),
                "errors": [{"title": title, "detail": detail, "type": f"{_ERROR_DOCS}#{code}"}]}
        return json.dumps(body).encode()

    def _problem(self, request: httpx.Request, problem: _Problem) -> httpx.Response:
        headers = {"Content-Type": "application/problem+json", **problem.headers}
        return httpx.Response(problem.status, headers=headers,
                              content=self._problem_body(problem.title, problem.detail, problem.code))

    def _fault_response(self, fault: Fault, request: httpx.Request) -> httpx.Response:
        headers = dict(fault.headers)
        if fault.retry_after is not None:
            value = fault.retry_after
            headers.setdefault("Retry-After", str(int(value)) if float(value).is_integer() else str(value))
        if fault.body is not None:
            headers.setdefault("Content-Type", "application/json")
            return httpx.Response(fault.status, headers=headers, content=fault.body)
        headers.setdefault("Content-Type", "application/problem+json")
        titles = {429: "Too many requests", 500: "Internal server error", 502: "Bad gateway",
                  503: "Service unavailable", 504: "Gateway timeout"}
        with self._lock:
            body = self._problem_body(titles.get(fault.status, "Error"), "Injected fault.", f"http.{fault.status}")
        return httpx.Response(fault.status, headers=headers, content=body)

    def _transform(self, response: httpx.Response, fault: Fault, request: httpx.Request) -> httpx.Response:
        content = response.content
        if (fault.extra_fields or fault.drop_fields) and response.status_code == 200 \
                and response.headers.get("content-type", "").startswith("application/json"):
            payload = json.loads(content)
            records = payload.get("_data") if isinstance(payload, dict) and "_data" in payload else [payload]
            for rec in records or []:
                if isinstance(rec, dict):
                    for name in fault.drop_fields:
                        rec.pop(name, None)
                    rec.update(fault.extra_fields or {})
            content = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        if fault.truncate:
            cut = len(content) // 2 if fault.truncate is True else int(fault.truncate)
            content = content[:cut]
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        headers.update(fault.headers)
        return httpx.Response(response.status_code, headers=headers, content=content)

    # -- helpers --

    def _app_row(self, app_id: str | None, problem: bool = False) -> int:
        row = self._app_pos.get(app_id or "")
        if row is None or not self._app_order.alive[row]:
            if problem:
                raise _not_found()
            raise KeyError(app_id)
        return row

    def _now_us(self, at: datetime | date | None) -> int:
        if at is None:
            return int(self.clock()) * 1_000_000
        if not isinstance(at, datetime):
            at = datetime(at.year, at.month, at.day, tzinfo=UTC)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
        return (at - _EPOCH) // timedelta(microseconds=1)

    def _target_stage(self, row: int, stage_type: str | None, stage_id: str | None) -> int | None:
        if stage_id is not None:
            if stage_id not in self._stage_pos:
                raise KeyError(stage_id)
            return self._stage_pos[stage_id]
        if stage_type is None:
            return None
        category = self._jobs[int(self._app_job[row])]["category_id"]
        for s in self._category_stages[category]:
            if self._stage_type[s] == stage_type:
                return s
        raise KeyError(stage_type)


def _teams(team: pl.DataFrame) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    """(person, role) lists in team order: per job (rows without an application) and per application (own teams)."""
    by_job: dict[str, list[tuple[str, str]]] = {}
    by_app: dict[str, list[tuple[str, str]]] = {}
    rows = team.sort("job_id", "position").select("application_id", "job_id", "person_id", "role").iter_rows()
    for app_id, job_id, person, role in rows:
        (by_job.setdefault(job_id, []) if app_id is None else by_app.setdefault(app_id, [])).append((person, role))
    return by_job, by_app


def _team_records(members: list[tuple[str, str]], base: str) -> list[dict]:
    """A `hiring_team` list in the official shape: [{person: {id, _meta}, role: {name}}]."""
    return [{"person": {"id": person, "_meta": {"links": {"self": {"href": f"{base}/v2/persons/{person}"}}}},
             "role": {"name": role}} for person, role in members]
