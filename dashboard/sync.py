"""Full and incremental sync from the Personio API into the local store, resumable and atomic.

Personio has no change feed: an incremental sync lists applications and candidates updated after the
last watermark (minus an overlap) and fetches stage transitions only for applications whose
`(id, updated_at)` is not already known; a periodic full pass lists everything and drops what vanished.
Transitions are saved to the store's work area in batches as they arrive, so a killed sync resumes
where it stopped; the published snapshot only changes in one atomic step at the end.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from dashboard.store import RawSnapshot, Store
from dashboard.timestamps import parse_timestamp

Phase = Literal["applications", "candidates", "jobs", "categories", "feed", "transitions", "publishing"]
BATCH_SIZE = 50
_LIST_PROGRESS_EVERY = 100
# Candidate fields the dashboard keeps; names, e-mails, phones, addresses never reach the disk.
_CANDIDATE_KEEP = frozenset({"id", "created_at", "updated_at", "applications", "company", "is_anonymized"})
_EMBEDDED_CANDIDATE_KEEP = frozenset({"id"})


def utcnow() -> datetime:
    """The current time, aware UTC (the default clock of `run_sync`)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class SyncProgress:
    """One progress tick: the phase, how many items are done and the total when known."""

    phase: Phase
    done: int
    total: int | None = None


@dataclass(frozen=True)
class SyncReport:
    """What one sync did: API requests, records fetched, full or incremental, the snapshot's as_of."""

    requests: int
    applications_fetched: int
    transitions_fetched: int
    full: bool
    as_of: datetime
    duration_s: float
    notes: list[str] = field(default_factory=list)


def user_message(exc: BaseException) -> str:
    """One line for the UI / CLI: the error's own (secret-free) message, or its type when it has none."""
    if isinstance(exc, KeyboardInterrupt):
        return "Sync interrupted."
    text = " ".join(str(exc).split())
    if type(exc).__module__.startswith(("dashboard", "metrics")):  # our errors are written for users
        return text or type(exc).__name__
    return f"Unexpected {type(exc).__name__}: {text}" if text else f"Unexpected {type(exc).__name__}"


def _ts(value: Any) -> datetime | None:
    try:
        return parse_timestamp(value)
    except Exception:  # an odd timestamp must not stop the sync; the parser reports it
        return None


def _version(record: Mapping[str, Any]) -> str:
    """A canonical text of a record's `updated_at`, so the same instant in another format still matches."""
    raw = record.get("updated_at")
    parsed = _ts(raw)
    if parsed is not None:
        return parsed.isoformat()
    return json.dumps(raw, sort_keys=True, default=str)


def _record_id(record: Any) -> str | None:
    if isinstance(record, Mapping) and record.get("id") is not None:
        return str(record["id"])
    return None


def _minimise_application(record: dict[str, Any]) -> dict[str, Any]:
    cand = record.get("candidate")
    if isinstance(cand, Mapping):
        record = {**record, "candidate": {k: v for k, v in cand.items() if k in _EMBEDDED_CANDIDATE_KEEP}}
    return record


def _minimise_candidate(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k in _CANDIDATE_KEEP}


def _max_ts(records: Iterable[Mapping[str, Any]]) -> datetime | None:
    best: datetime | None = None
    for rec in records:
        t = _ts(rec.get("updated_at"))
        if t is not None and (best is None or t > best):
            best = t
    return best


class _Run:
    """State of one sync run (keeps run_sync readable)."""

    def __init__(self, client: Any, store: Store, progress: Callable[[SyncProgress], None] | None) -> None:
        self.client = client
        self.store = store
        self.progress = progress
        self.notes: list[str] = []
        self.pending: dict[tuple[str, str], list] = {}
        self.transitions_fetched = 0
        self.applications_fetched = 0

    def tick(self, phase: Phase, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(phase, done, total))

    def collect(self, phase: Phase, records: Iterable[Any],
                minimise: Callable[[dict], dict] | None = None) -> dict[str, dict]:
        """id → record for a list endpoint, with progress every hundred records."""
        out: dict[str, dict] = {}
        self.tick(phase, 0)
        n = 0
        for rec in records:
            n += 1
            rid = _record_id(rec)
            if rid is None:
                self.notes.append(f"{phase}: skipped a record without an id")
                continue
            out[rid] = minimise(dict(rec)) if minimise else dict(rec)
            if n % _LIST_PROGRESS_EVERY == 0:
                self.tick(phase, n)
        self.tick(phase, n, n)
        return out

    def flush(self) -> None:
        if self.pending:
            batch, self.pending = self.pending, {}
            self.store.save_work_transitions(batch)


def _career_feed(run: _Run, previous: str | None) -> str | None:
    """The career-site XML when configured and reachable; else the last good one (with a note)."""
    fetch = getattr(run.client, "career_feed", None)
    if fetch is None:
        return previous
    run.tick("feed", 0)
    try:
        feed = fetch()
    except Exception as exc:  # the feed only enriches jobs: never fail the sync for it
        run.notes.append(f"Career-site feed not reachable ({user_message(exc)}); job locations may be Unknown.")
        return previous
    run.tick("feed", 1, 1)
    return feed


def run_sync(client: Any, store: Store, *, full: bool | None = None, overlap: timedelta = timedelta(minutes=10),
             full_every: timedelta = timedelta(days=7), progress: Callable[[SyncProgress], None] | None = None,
             now: Callable[[], datetime] = utcnow) -> SyncReport:
    """Sync `client`'s company into `store`; publishes atomically, records the attempt, re-raises errors."""
    started = now()
    t0 = time.monotonic()
    requests_before = _requests(client)
    run = _Run(client, store, progress)
    try:
        meta, previous = store.load_raw()
        meta = meta or {}
        last_full = meta.get("full_sync_at")
        watermarks: dict[str, datetime | None] = dict(meta.get("watermarks") or {})
        if full is None:
            full = last_full is None or started - last_full >= full_every
        raw = RawSnapshot(feed=previous.feed)
        if full:
            raw.applications = run.collect("applications", client.applications(None), _minimise_application)
            run.applications_fetched = len(raw.applications)
            raw.candidates = run.collect("candidates", client.candidates(None), _minimise_candidate)
        else:
            since = {k: (w - overlap if w is not None else None) for k, w in watermarks.items()}
            changed = run.collect("applications", client.applications(since.get("applications")),
                                  _minimise_application)
            run.applications_fetched = len(changed)
            raw.applications = {**previous.applications, **changed}
            changed_c = run.collect("candidates", client.candidates(since.get("candidates")), _minimise_candidate)
            raw.candidates = {**previous.candidates, **changed_c}
        raw.jobs = run.collect("jobs", client.jobs())
        raw.categories = run.collect("categories", client.categories())
        raw.feed = _career_feed(run, previous.feed)

        raw.transitions = _fetch_transitions(run, raw.applications, previous.transitions)

        run.tick("publishing", 0, 1)
        tables, parse_notes = _parse(raw, started)
        run.notes.extend(parse_notes)
        new_watermarks = {
            "applications": _max_ts(raw.applications.values()) or watermarks.get("applications"),
            "candidates": _max_ts(raw.candidates.values()) or watermarks.get("candidates"),
        }
        store.publish(raw, tables, {
            "synced_at": now(),
            "full_sync_at": started if full else last_full,
            "watermarks": new_watermarks,
            "full": full,
            "notes": list(run.notes),
        })
        store.record_attempt(None, at=started)
        run.tick("publishing", 1, 1)
    except BaseException as exc:
        try:
            run.flush()  # keep finished work for the next attempt
        except Exception:  # noqa: S110 - the original error is the one worth reporting
            pass
        try:
            store.record_attempt(user_message(exc), at=started)
        except Exception:  # noqa: S110
            pass
        raise
    return SyncReport(
        requests=_requests(client) - requests_before,
        applications_fetched=run.applications_fetched,
        transitions_fetched=run.transitions_fetched,
        full=bool(full),
        as_of=started,
        duration_s=time.monotonic() - t0,
        notes=run.notes,
    )


def _requests(client: Any) -> int:
    stats = getattr(client, "stats", None)
    return int(getattr(stats, "requests", 0) or 0)


def _fetch_transitions(run: _Run, applications: dict[str, dict],
                       published: Mapping[str, tuple[str, list]]) -> dict[str, tuple[str, list]]:
    """Transitions of every listed application: reused when its version is known, else fetched.

    An application whose transitions answer 404 was deleted meanwhile and is removed from `applications`.
    """
    work = run.store.work_transitions()
    result: dict[str, tuple[str, list]] = {}
    todo: list[tuple[str, str]] = []
    for app_id, rec in applications.items():
        version = _version(rec)
        known = published.get(app_id)
        if known is not None and known[0] == version:
            result[app_id] = known
        elif (app_id, version) in work:
            result[app_id] = (version, work[(app_id, version)])
        else:
            todo.append((app_id, version))
    total = len(todo)
    run.tick("transitions", 0, total)
    vanished: list[str] = []
    for done, (app_id, version) in enumerate(todo, start=1):
        try:
            items = list(run.client.stage_transitions(app_id))
        except Exception as exc:
            if getattr(exc, "status", None) != 404:
                raise
            vanished.append(app_id)  # deleted between listing and now: gone from this snapshot too
        else:
            result[app_id] = (version, items)
            run.pending[(app_id, version)] = items
        run.transitions_fetched += 1
        if len(run.pending) >= BATCH_SIZE:
            run.flush()
        run.tick("transitions", done, total)
    run.flush()
    if vanished:
        run.notes.append(f"applications: deleted in Personio during the sync, left out ({len(vanished)} records)")
        for app_id in vanished:
            del applications[app_id]
    return result


def _parse(raw: RawSnapshot, as_of: datetime) -> tuple[Any, list[str]]:
    from dashboard.parse import build_tables

    tables, notes = build_tables(
        applications=list(raw.applications.values()),
        transitions={app_id: items for app_id, (_, items) in raw.transitions.items()},
        jobs=list(raw.jobs.values()),
        candidates=list(raw.candidates.values()),
        categories=list(raw.categories.values()),
        feed=raw.feed,
        as_of=as_of,
    )
    return tables, summarise_notes(notes)


def summarise_notes(notes: Iterable[Any]) -> list[str]:
    """Parse notes grouped by table and message with a record count ("applications: ... (12 records)")."""
    counts: dict[tuple[str, str], int] = {}
    for note in notes:
        key = (str(getattr(note, "table", "data")), str(getattr(note, "message", note)))
        counts[key] = counts.get(key, 0) + 1
    return [f"{table}: {message} ({n} record{'s' if n != 1 else ''})" for (table, message), n in counts.items()]
