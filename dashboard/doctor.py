"""Connection check (`python -m dashboard doctor`): token, then one request per endpoint the dashboard uses.

The report holds statuses, timings, counts, field names with value types and rate-limit headers only: never a
value, so it can be pasted into a bug report (no secret, token, name or e-mail).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dashboard.personio import (
    AuthError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    PersonioClient,
    PersonioError,
    ScopeError,
)
from dashboard.personio.client import (
    APPLICATIONS_PATH,
    CANDIDATES_PATH,
    CATEGORIES_PATH,
    JOBS_PATH,
    stage_transitions_path,
)
from dashboard.personio.ratelimit import rate_limit_headers

MAX_FIELD_LINES = 60
_EMAIL = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[A-Za-z]{2,}")
_NAME_SAFE = re.compile(r"[^A-Za-z0-9_.\-\[\] ]")


@dataclass
class Check:
    """The outcome of one step of the check."""

    name: str
    ok: bool = True
    status: int | None = None
    seconds: float | None = None
    items: int | None = None
    more_pages: bool = False
    fields: list[str] = field(default_factory=list)
    understood: str = ""
    rate_limit: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    skipped: str = ""

    def lines(self) -> list[str]:
        """The check as indented report lines."""
        if self.skipped:
            return [f"- {self.name}: skipped ({self.skipped})"]
        head = f"- {self.name}: {'OK' if self.ok else 'FAILED'}"
        if self.status is not None:
            head += f", HTTP {self.status}"
        if self.seconds is not None:
            head += f", {self.seconds:.2f} s"
        if self.items is not None:
            head += f", {self.items} item{'s' if self.items != 1 else ''} on the first page"
            head += " (more pages follow)" if self.more_pages else ""
        out = [head]
        if self.problem:
            out.append(f"    problem: {self.problem}")
        if self.understood and not self.problem.endswith(self.understood):
            out.append(f"    parser: {self.understood}")
        if self.rate_limit:
            out.append("    rate-limit headers: " + ", ".join(f"{k}={v}" for k, v in self.rate_limit.items()))
        if self.fields:
            out.append("    fields (name: types seen):")
            out.extend(f"      {line}" for line in self.fields)
        return out


@dataclass
class DoctorReport:
    """Every check in order, where they went, and the first reason the connection is not usable."""

    target: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check that ran passed."""
        return all(c.ok for c in self.checks)

    @property
    def reason(self) -> str:
        """The first failure's reason ('' when all is well)."""
        return next((f"{c.name}: {c.problem}" for c in self.checks if not c.ok), "")

    def lines(self) -> list[str]:
        """The whole report as plain-text lines."""
        out = [f"Connection check of {self.target}"]
        for check in self.checks:
            out.extend(check.lines())
        out.append("Result: OK, the dashboard can read this account." if self.ok else f"Result: FAILED. {self.reason}")
        return out

    def text(self) -> str:
        """The report as one plain-text block."""
        return "\n".join(self.lines())


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Text safe for the report: secrets and e-mail addresses replaced."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return _EMAIL.sub("[e-mail]", text)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _safe_name(key: Any) -> str:
    return _NAME_SAFE.sub("?", str(key))[:40]


def field_types(items: Iterable[Any]) -> list[str]:
    """`name: type|type` for every field seen (nested objects and list items two levels deep), never values."""
    seen: dict[str, set[str]] = {}

    def walk(value: Any, prefix: str, depth: int) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                name = f"{prefix}{_safe_name(key)}"
                seen.setdefault(name, set()).add(_type_name(inner))
                if depth < 2 and key != "_meta":  # links only: not worth a line each
                    walk(inner, f"{name}.", depth + 1)
        elif isinstance(value, list) and prefix:
            for inner in value[:50]:
                name = f"{prefix[:-1]}[]"
                seen.setdefault(name, set()).add(_type_name(inner))
                if depth < 2 and isinstance(inner, Mapping):
                    walk(inner, f"{name}.", depth + 1)

    for item in items:
        walk(item, "", 0)
    lines = [f"{name}: {'|'.join(sorted(types))}" for name, types in sorted(seen.items())]
    if len(lines) > MAX_FIELD_LINES:
        lines = lines[:MAX_FIELD_LINES] + [f"(+{len(lines) - MAX_FIELD_LINES} more fields)"]
    return lines


def failure_reason(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """What a failed request means for the user: wrong credentials, missing scope, not found, unreachable…"""
    text = scrub(str(exc), secrets)
    if isinstance(exc, AuthError):
        return f"wrong credentials (HTTP {exc.status or 401}): {text}"
    if isinstance(exc, ScopeError):
        return f"missing scope (HTTP {exc.status or 403}): {text}"
    if isinstance(exc, NotFoundError):
        return f"not found (HTTP 404), is the base URL right? {text}"
    if isinstance(exc, NetworkError):
        return f"unreachable host: {text}"
    if isinstance(exc, MalformedResponseError):
        return f"unknown shape: {text}"
    if isinstance(exc, PersonioError):
        return text
    return f"{type(exc).__name__}: {text}"


def _understood(kind: str, items: list[dict], **extra: Any) -> tuple[bool, str]:
    """Whether the parser reads `items` of a list endpoint: (ok, what it made of them)."""
    from dashboard.parse import build_tables

    records: dict[str, Any] = {"applications": [], "transitions": {}, "jobs": [], "candidates": [],
                               "categories": [], "feed": None, "as_of": datetime.now(UTC)}
    records.update(extra)
    if kind != "transitions":
        records[kind] = items
    tables, notes = build_tables(**records)
    errors = [n.message for n in notes if getattr(n, "severity", "note") == "error" and n.table == kind]
    if kind == "transitions":
        read = tables.transitions.height
        if errors or (items and not read):
            return False, errors[0] if errors else f"none of the {len(items)} items could be read"
        return True, f"read {read} of {len(items)} transitions"
    table = {"applications": tables.applications, "candidates": tables.candidates, "jobs": tables.jobs,
             "categories": tables.stages}[kind]
    if kind == "categories":
        return (not items or table.height > 0), f"read {table.height} stages of {len(items)} categories"
    ok = not errors and (not items or table.height > 0)
    text = f"read {table.height} of {len(items)} records"
    skipped = sorted({n.message for n in notes if n.table == kind and n.record_id is not None})[:3]
    if skipped:
        text += "; notes: " + "; ".join(skipped)
    return ok, errors[0] if errors else text


def run_doctor(client: PersonioClient, *, secrets: Iterable[str] = ()) -> DoctorReport:
    """Check `client`'s account: token, then the first page of every endpoint the dashboard uses."""
    secrets = tuple(secrets)
    report = DoctorReport(target=_target(client.base_url))
    token = Check("token (POST /v2/auth/token)")
    report.checks.append(token)
    try:
        token.seconds = client.check_token()
        token.status = 200
    except Exception as exc:  # noqa: BLE001 - every failure becomes the report's reason
        token.ok, token.status = False, getattr(exc, "status", None)
        token.problem = failure_reason(exc, secrets)
        return report

    applications = _probe(report, client, "applications", f"GET {APPLICATIONS_PATH}", APPLICATIONS_PATH,
                          {"limit": client.page_limit}, secrets)
    _probe(report, client, "candidates", f"GET {CANDIDATES_PATH}", CANDIDATES_PATH, {"limit": client.page_limit},
           secrets)
    _probe(report, client, "jobs", f"GET {JOBS_PATH}", JOBS_PATH, {"limit": client.page_limit}, secrets)
    _probe(report, client, "categories", f"GET {CATEGORIES_PATH}", CATEGORIES_PATH, None, secrets)
    app = _with_history(applications or [])
    label = f"GET {APPLICATIONS_PATH}/{{id}}/stage-transitions"
    if app is None:
        why = "the applications list could not be read" if applications is None else "no application to ask about"
        report.checks.append(Check(label, skipped=why))
    else:
        try:
            path = stage_transitions_path(str(app["id"]))
        except ValueError:
            report.checks.append(Check(label, skipped="the first application has no usable id"))
            path = None
        if path is not None:
                _probe(report, client, "transitions", label, path, None, secrets,
                   applications=[app], app_id=str(app["id"]))
    _feed(report, client, secrets)
    return report


def _with_history(applications: list[dict]) -> dict | None:
    """An application likely to have a stage history (not in stage `new`), else the first with an id."""
    usable = [a for a in applications if isinstance(a.get("id"), str | int)]
    moved = [a for a in usable if isinstance(a.get("current_stage"), Mapping) and a["current_stage"].get("type") != "new"]
    return (moved or usable or [None])[0]


def _target(base_url: str) -> str:
    """The base URL without any user:password part."""
    return re.sub(r"//[^/@]*@", "//", base_url)


def _probe(report: DoctorReport, client: PersonioClient, kind: str, label: str, path: str,
           params: dict | None, secrets: tuple[str, ...], applications: list[dict] | None = None,
           app_id: str | None = None) -> list[dict] | None:
    check = Check(label)
    report.checks.append(check)
    try:
        probe = client.probe(path, params)
    except Exception as exc:  # noqa: BLE001
        check.ok, check.status = False, getattr(exc, "status", None)
        check.problem = failure_reason(exc, secrets)
        return None
    check.status, check.seconds, check.items, check.more_pages = (probe.status, probe.seconds, len(probe.items),
                                                                  probe.has_next)
    check.fields = field_types(probe.items)
    check.rate_limit = rate_limit_headers(probe.headers)
    extra: dict[str, Any] = {}
    if kind == "transitions":
        extra = {"applications": applications or [], "transitions": {app_id: probe.items}}
    try:
        ok, text = _understood(kind, probe.items, **extra)
    except Exception as exc:  # noqa: BLE001 - a parser crash is an unknown shape too
        ok, text = False, f"the parser failed ({type(exc).__name__})"
    check.understood = scrub(text, secrets)
    if not ok:
        check.ok = False
        check.problem = f"unknown shape: {check.understood}"
    return probe.items


def _feed(report: DoctorReport, client: PersonioClient, secrets: tuple[str, ...]) -> None:
    label = "career-site feed (GET /xml)"
    if not client.career_site_url:
        report.checks.append(Check(label, skipped="no career site configured"))
        return
    check = Check(label)
    report.checks.append(check)
    started = datetime.now(UTC)
    try:
        positions = client.career_feed() or []
    except Exception as exc:  # noqa: BLE001
        check.ok, check.status = False, getattr(exc, "status", None)
        check.problem = failure_reason(exc, secrets)
        return
    check.status, check.items = 200, len(positions)
    check.seconds = (datetime.now(UTC) - started).total_seconds()
    check.fields = field_types(positions)
    check.understood = f"read {len(positions)} published positions"


# One attempt per request: the report says what happened (a 429 too) instead of waiting it out.
QUICK_CLIENT = {"max_retries": 0, "max_wait_per_request": 30.0, "request_deadline": 30.0}


def check_source(source: Any, secret: str | None, *, rate_per_second: float | None = None,
                 make_client: Callable[..., Any] | None = None) -> DoctorReport:
    """Run the check for `source` (the demo company or a Personio account) with its client secret."""
    if make_client is None:
        from dashboard.source import make_client
    options: dict[str, Any] = dict(QUICK_CLIENT)
    if not source.is_demo and rate_per_second:
        options["rate_per_second"] = rate_per_second
    with make_client(source, None if source.is_demo else secret, **options) as client:
        report = run_doctor(client, secrets=(secret or "",))
    if source.is_demo:
        report.target = "the built-in demo company (no credentials configured)"
    return report


def check_settings(settings: Any, *, demo_size: int | None = None) -> DoctorReport:
    """Run the check for the company `settings` point at (the demo company without credentials)."""
    from dashboard.source import DEMO_SIZE, source_from_settings

    source = source_from_settings(settings, demo_size=demo_size or DEMO_SIZE)
    return check_source(source, settings.client_secret.get() or None, rate_per_second=settings.rate_per_second)


def check_token(source: Any, secret: str | None, *, make_client: Callable[..., Any] | None = None) -> tuple[bool, str]:
    """A token request with these credentials at once: (accepted, a line saying so or why not)."""
    if make_client is None:
        from dashboard.source import make_client
    try:
        with make_client(source, secret, **QUICK_CLIENT) as client:
            seconds = client.check_token()
    except Exception as exc:  # noqa: BLE001 - every failure becomes the message
        return False, failure_reason(exc, (secret or "",))
    return True, f"Personio at {_target(source.base_url)} accepted these credentials (token in {seconds:.1f} s)."
