"""Full and incremental sync from the Personio API into the local store, resumable and atomic.

Personio has no change feed: an incremental sync lists applications, candidates and jobs updated after the
last watermark (minus an overlap; timestamps in the future are ignored for it) and fetches stage transitions
only for applications whose `(id, updated_at)` is not already known, or whose stored history ends in another
stage than the application's current one (re-read once); a periodic full pass lists everything and drops what
vanished. Records are reduced to the fields the dashboard reads (allow-lists in dashboard/parse.py) before
they are stored. Transitions are saved to the store's work area in batches as they arrive, so a killed sync
resumes where it stopped. Every publish is one atomic step: a sync with many histories to fetch (a first
sync) publishes the lists at once and again every few hundred histories, newest applications first, each
snapshot saying how many histories it holds (`meta["histories"]`); otherwise it publishes once at the end.
The snapshots between the first and the last are parsed and written by one background worker while the
histories keep arriving (one at a time, in order; the sync waits for it before the next and before the end).
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from dashboard.parse import (
    APPLICATION_SPEC,
    CANDIDATE_SPEC,
    CATEGORY_SPEC,
    JOB_SPEC,
    latest_stage_id,
    sanitise,
    sanitise_transitions,
    stage_id,
)
from dashboard.store import CacheError, RawSnapshot, Store
from dashboard.timestamps import parse_timestamp

Phase = Literal["applications", "candidates", "jobs", "categories", "feed", "transitions", "publishing"]
BATCH_SIZE = 50
PUBLISH_EVERY = 300  # stage histories between two snapshots of a long first sync (see _publish_interval)
MAX_PUBLISHES = 12  # at most this many intermediate snapshots: each one re-parses the whole company
FUTURE_SKEW = timedelta(minutes=5)  # an updated_at later than now + this is ignored for the watermark
PUBLISHER_THREAD = "sync-publisher"  # name of the background worker writing intermediate snapshots
_LIST_PROGRESS_EVERY = 100
_COUNTDOWN_EVERY_S = 5.0  # a long wait re-shows "N s left" this often
_BAD_IDS = frozenset({"", ".", ".."})


def utcnow() -> datetime:
    """The current time, aware UTC (the default clock of `run_sync`)."""
    return datetime.now(UTC)


class SyncCancelled(Exception):  # noqa: N818 - reads as what happened, like KeyboardInterrupt
    """The user cancelled the sync: nothing half-done was published; fetched histories are kept for the next one."""

    def __init__(self) -> None:
        super().__init__("Sync cancelled. The data shown is the last published snapshot; the next sync resumes "
                         "where this one stopped.")


@dataclass(frozen=True)
class SyncProgress:
    """One progress tick: the phase, how many items are done and the total when known.

    During the stage histories, `requests_left` and `eta_s` (seconds, from the measured rate) say how long
    it will take; `waiting` says what the client is waiting for ("rate limited, retrying in 30 s")."""

    phase: Phase
    done: int
    total: int | None = None
    requests_left: int | None = field(default=None, compare=False)
    eta_s: float | None = field(default=None, compare=False)
    waiting: str | None = field(default=None, compare=False)


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
    errors: list[str] = field(default_factory=list)  # data the dashboard could not read at all (exit non-zero)
    histories_refreshed: int = 0  # stored histories re-read because they disagreed with the current stage
    snapshots: int = 0  # snapshots published (1, or more during a long first sync)
    first_usable_s: float | None = None  # seconds (on `now`'s clock) until the first snapshot was published


def user_message(exc: BaseException) -> str:
    """One line for the UI / CLI: the error's own (secret-free) message, or a plain description of its kind."""
    if isinstance(exc, KeyboardInterrupt):
        return "Sync interrupted."
    if isinstance(exc, RecursionError):
        return "Cannot read the response: it is nested too deeply to be data the dashboard uses."
    if isinstance(exc, MemoryError):
        return "Cannot read the response: it is too large to hold in memory."
    text = " ".join(str(exc).split())
    if type(exc).__module__.startswith(("dashboard", "metrics")):  # our errors are written for users
        return text or type(exc).__name__
    if isinstance(exc, OSError):
        return f"File system error ({type(exc).__name__}): {text}" if text else f"File system error ({type(exc).__name__})"
    return f"Internal error ({type(exc).__name__}): {text}" if text else f"Internal error ({type(exc).__name__})"


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


def usable_id(value: Any) -> str | None:
    """A record id as text when it can name a record (and a URL path segment); None for anything else.

    Strings (not blank, not "." or "..") and integers are ids; floats (NaN, Infinity, 1.5), booleans and
    objects are not, so such a record can never be mistaken for one deleted in Personio."""
    if isinstance(value, str):
        text = value.strip()
        return None if text in _BAD_IDS else text
    if isinstance(value, int) and not isinstance(value, bool) and -(10**18) < value < 10**18:
        return str(value)
    return None


def _max_ts(records: Iterable[Mapping[str, Any]], limit: datetime) -> tuple[datetime | None, int]:
    """The latest `updated_at` not after `limit`, and how many records were later (a clock or data error)."""
    best: datetime | None = None
    future = 0
    for rec in records:
        t = _ts(rec.get("updated_at"))
        if t is None:
            continue
        if t > limit:
            future += 1
        elif best is None or t > best:
            best = t
    return best, future


def _newest_first(record: Mapping[str, Any]) -> float:
    """Sort key putting the most recent applications first (created_at, else application_date)."""
    t = _ts(record.get("created_at")) or _ts(record.get("application_date"))
    return -t.timestamp() if t is not None else math.inf


class _Run:
    """State of one sync run (keeps run_sync readable)."""

    def __init__(self, client: Any, store: Store, progress: Callable[[SyncProgress], None] | None,
                 cancel: Callable[[], bool] | None) -> None:
        self.client = client
        self.store = store
        self.progress = progress
        self.cancel = cancel
        self.notes: list[str] = []
        self.pending: dict[tuple[str, str], Any] = {}
        self.transitions_fetched = 0
        self.applications_fetched = 0
        self.histories_refreshed = 0
        self.last: SyncProgress | None = None
        self._waiting_for = ""  # what the client waits for since the last tick ("rate limited on GET …")
        self._countdown_at = 0.0  # seconds left when the waiting text was last shown

    def tick(self, phase: Phase, done: int, total: int | None = None, **extra: Any) -> None:
        self.check_cancel()
        self._waiting_for = ""
        self.last = SyncProgress(phase, done, total, **extra)
        if self.progress is not None:
            self.progress(self.last)

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise SyncCancelled()

    def waiting(self, info: Any) -> None:
        """Tell the progress listener what the client waits for (a retry after 429/5xx/timeout)."""
        self.check_cancel()
        last = self.last
        if self.progress is None or last is None:
            return
        reason = getattr(info, "reason", "waiting")
        seconds = float(getattr(info, "wait_seconds", 0.0) or 0.0)
        request = getattr(info, "request", "")
        self._waiting_for = f"{reason}{f' on {request}' if request else ''}"
        self._countdown_at = seconds
        text = f"{self._waiting_for}: waiting {seconds:,.0f} s"
        self.progress(SyncProgress(last.phase, last.done, last.total, last.requests_left, last.eta_s, text))

    def during_wait(self, seconds_left: float) -> None:
        """Between slices of a client wait: stop at once on Cancel; count a long wait down every 5 s."""
        self.check_cancel()
        last = self.last
        if not self._waiting_for or self.progress is None or last is None:
            return
        if self._countdown_at - seconds_left >= _COUNTDOWN_EVERY_S:
            self._countdown_at = seconds_left
            text = f"{self._waiting_for}: {seconds_left:,.0f} s left"
            self.progress(SyncProgress(last.phase, last.done, last.total, last.requests_left, last.eta_s, text))

    def collect(self, phase: Phase, records: Iterable[Any], spec: Mapping[str, Any]) -> dict[str, dict]:
        """id → allow-listed record for a list endpoint, with progress every hundred records.

        Records without a usable id are skipped and counted; an id listed twice (pages shifting under
        the listing) keeps its most recently updated copy, with a note."""
        out: dict[str, dict] = {}
        self.tick(phase, 0)
        n = unusable = duplicates = 0
        for rec in records:
            n += 1
            rid = usable_id(rec.get("id")) if isinstance(rec, Mapping) else None
            if rid is None:
                unusable += 1
                continue
            clean = sanitise(rec, spec)
            known = out.get(rid)
            if known is not None:
                duplicates += 1
                new_t, old_t = _ts(clean.get("updated_at")), _ts(known.get("updated_at"))
                if new_t is None or (old_t is not None and new_t <= old_t):
                    continue
            out[rid] = clean
            if n % _LIST_PROGRESS_EVERY == 0:
                self.tick(phase, n)
        if unusable:
            self.notes.append(f"{phase}: skipped records without a usable id (missing, blank, '.', '..' or not a "
                              f"string or whole number) ({unusable} record{'s' if unusable != 1 else ''})")
        if duplicates:
            self.notes.append(f"{phase}: the same id was listed more than once, merged keeping the most recently "
                              f"updated copy ({duplicates} record{'s' if duplicates != 1 else ''})")
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
             now: Callable[[], datetime] = utcnow, cancel: Callable[[], bool] | None = None,
             publish_every: int | None = PUBLISH_EVERY) -> SyncReport:
    """Sync `client`'s company into `store`; publishes atomically, records the attempt, re-raises errors.

    When many stage histories are missing (a first sync), a first snapshot is published as soon as the
    lists are in and again every `publish_every` histories or more (newest applications first), each marked
    with how many histories it holds; `publish_every=None` publishes once at the end. `cancel` is polled
    between requests: when it returns True the sync stops with `SyncCancelled`, publishing nothing more (a
    snapshot already being written in the background is finished first)."""
    if getattr(store, "read_only", False):  # fail before a single request: nothing could be saved
        raise CacheError(store.warning or "The cache is read-only: a sync cannot save.")
    started = now()
    t0 = time.monotonic()
    requests_before = _requests(client)
    run = _Run(client, store, progress, cancel)
    previous_on_retry = getattr(client, "on_retry", _MISSING_ATTR)
    if previous_on_retry is not _MISSING_ATTR:
        client.on_retry = _chain(run.waiting, previous_on_retry)
    previous_interrupt = getattr(client, "interrupt", _MISSING_ATTR)
    if previous_interrupt is not _MISSING_ATTR:
        client.interrupt = run.during_wait
    publisher: _Publisher | None = None
    try:
        meta, previous = store.load_raw()
        meta = meta or {}
        last_full = meta.get("full_sync_at")
        watermarks: dict[str, datetime | None] = dict(meta.get("watermarks") or {})
        if full is None:
            full = last_full is None or started - last_full >= full_every
        raw = RawSnapshot(feed=previous.feed)
        since = {k: (w - overlap if w is not None else None) for k, w in watermarks.items()}
        if full:
            raw.applications = run.collect("applications", client.applications(None), APPLICATION_SPEC)
            run.applications_fetched = len(raw.applications)
            raw.candidates = run.collect("candidates", client.candidates(None), CANDIDATE_SPEC)
            raw.jobs = run.collect("jobs", client.jobs(), JOB_SPEC)
        else:
            changed = run.collect("applications", client.applications(since.get("applications")), APPLICATION_SPEC)
            run.applications_fetched = len(changed)
            raw.applications = {**previous.applications, **changed}
            changed_c = run.collect("candidates", client.candidates(since.get("candidates")), CANDIDATE_SPEC)
            raw.candidates = {**previous.candidates, **changed_c}
            jobs_since = since.get("jobs")
            changed_j = run.collect("jobs", client.jobs(jobs_since) if jobs_since else client.jobs(), JOB_SPEC)
            raw.jobs = {**previous.jobs, **changed_j} if jobs_since else changed_j
        raw.categories = run.collect("categories", client.categories(), CATEGORY_SPEC)
        raw.feed = previous.feed  # the career-site feed only enriches jobs: fetched after the first snapshot

        limit = started + FUTURE_SKEW
        new_watermarks: dict[str, datetime | None] = {}
        for entity in ("applications", "candidates", "jobs"):
            latest, future = _max_ts(getattr(raw, entity).values(), limit)
            new_watermarks[entity] = latest or watermarks.get(entity)
            if future:
                run.notes.append(f"{entity}: updated_at later than now, not used to decide what the next sync "
                                 f"fetches ({future} record{'s' if future != 1 else ''})")
        publisher = _Publisher(run, raw, started, now, {
            "full_sync_at": started if full else last_full,
            "watermarks": new_watermarks,
            "full": full,
        })
        def fetch_feed() -> None:
            raw.feed = _career_feed(run, previous.feed)

        raw.transitions = _fetch_transitions(run, raw.applications, previous, meta, publisher, publish_every,
                                             fetch_feed)

        run.tick("publishing", 0, 1)
        errors = publisher.publish(complete=True)
        store.record_attempt(None, at=started)  # unreadable data is reported through the snapshot's errors
        run.tick("publishing", 1, 1)
    except BaseException as exc:
        if publisher is not None:
            with contextlib.suppress(Exception):
                publisher.wait()  # let a snapshot being written finish: it is complete and consistent
        try:
            run.flush()  # keep finished work for the next attempt
        except Exception:  # noqa: S110 - the original error is the one worth reporting
            pass
        if not isinstance(exc, SyncCancelled):
            try:
                store.record_attempt(user_message(exc), at=started)
            except Exception:  # noqa: S110
                pass
        raise
    finally:
        if previous_on_retry is not _MISSING_ATTR:
            client.on_retry = previous_on_retry
        if previous_interrupt is not _MISSING_ATTR:
            client.interrupt = previous_interrupt
    return SyncReport(
        requests=_requests(client) - requests_before,
        applications_fetched=run.applications_fetched,
        transitions_fetched=run.transitions_fetched,
        full=bool(full),
        as_of=started,
        duration_s=time.monotonic() - t0,
        notes=publisher.notes,
        errors=errors,
        histories_refreshed=run.histories_refreshed,
        snapshots=publisher.count,
        first_usable_s=publisher.first_usable_s,
    )


_MISSING_ATTR = object()


def _chain(first: Callable[[Any], None], second: Callable[[Any], None] | None) -> Callable[[Any], None]:
    def both(info: Any) -> None:
        first(info)
        if second is not None:
            second(info)
    return both


def _requests(client: Any) -> int:
    stats = getattr(client, "stats", None)
    return int(getattr(stats, "requests", 0) or 0)


class _Publisher:
    """Parses and publishes the snapshot as it stands: once at the end, or also while histories arrive.

    `publish` works in the caller's thread; `publish_in_background` hands a copy of the snapshot as it
    stands to one worker thread and returns. At most one publish is in flight: each waits for the one
    before, so snapshots are published in the order asked for, each exactly once."""

    def __init__(self, run: _Run, raw: RawSnapshot, started: datetime, now: Callable[[], datetime],
                 meta: dict[str, Any]) -> None:
        self.run = run
        self.raw = raw
        self.started = started
        self.now = now
        self.meta = meta
        self.count = 0
        self.first_usable_s: float | None = None
        self.notes: list[str] = []
        self._worker: threading.Thread | None = None
        self._failure: BaseException | None = None

    def publish(self, *, complete: bool, histories: Mapping[str, tuple[str, Any]] | None = None,
                total: int | None = None) -> list[str]:
        """Parse `histories` (default: raw.transitions) with the lists and publish; returns the error notes."""
        self.wait()
        return self._publish(*self._job(complete, histories, total), work=None)

    def publish_in_background(self, *, complete: bool, histories: Mapping[str, tuple[str, Any]],
                              total: int) -> None:
        """Publish a copy of the snapshot as it stands in the worker thread (after the one in flight)."""
        self.wait()
        raw, meta = self._job(complete, histories, total)
        work = self.run.store.work_keys()  # every batch saved so far is in `histories`: cleared with the flip
        self._worker = threading.Thread(target=self._work, args=(raw, meta, work), name=PUBLISHER_THREAD,
                                        daemon=True)
        self._worker.start()

    def wait(self) -> None:
        """Wait for the background publish in flight, if any; re-raise what stopped it."""
        if self._worker is not None:
            self._worker.join()
            self._worker = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def _work(self, raw: RawSnapshot, meta: dict[str, Any], work: list[tuple]) -> None:
        try:
            self._publish(raw, meta, work=work)
        except BaseException as exc:  # handed to the sync's thread by `wait`
            self._failure = exc

    def _job(self, complete: bool, histories: Mapping[str, tuple[str, Any]] | None,
             total: int | None) -> tuple[RawSnapshot, dict[str, Any]]:
        """The snapshot to publish and its meta, copied: the sync goes on changing its own."""
        raw = self.raw
        raw = RawSnapshot(applications=dict(raw.applications), candidates=dict(raw.candidates),
                          jobs=dict(raw.jobs), categories=dict(raw.categories),
                          transitions=dict(raw.transitions if histories is None else histories), feed=raw.feed)
        done = sum(1 for app_id in raw.transitions if app_id in raw.applications)
        meta = {**self.meta, "heal_checked": dict(self.meta.get("heal_checked") or {}),
                "notes": list(self.run.notes), "synced_at": self.now(),
                "histories": {"done": done, "total": total if total is not None else len(raw.applications),
                              "complete": complete, "order": "newest first"}}
        return raw, meta

    def _publish(self, raw: RawSnapshot, meta: dict[str, Any], work: list[tuple] | None) -> list[str]:
        tables, parse_notes, errors = _parse(raw, self.started)
        notes = [*meta["notes"], *parse_notes]
        self.run.store.publish(raw, tables, {**meta, "notes": notes, "errors": errors}, work=work)
        self.count += 1
        if self.first_usable_s is None:
            self.first_usable_s = max(0.0, (self.now() - self.started).total_seconds())
        self.notes = notes
        return errors


def _publish_interval(total: int, publish_every: int) -> int:
    """Histories between two intermediate snapshots: `publish_every`, spread out so that at most
    MAX_PUBLISHES re-parses of the whole company happen (each costs about 1 s per 10,000 applications)."""
    return max(publish_every, math.ceil(total / MAX_PUBLISHES))


def _fetch_transitions(run: _Run, applications: dict[str, dict], previous: RawSnapshot, meta: Mapping[str, Any],
                       publisher: _Publisher, publish_every: int | None,
                       before_histories: Callable[[], None] = lambda: None) -> dict[str, tuple[str, Any]]:
    """Transitions of every listed application: reused when its version is known, else fetched newest first.

    A stored history is re-read when its latest stage disagrees with the application's current stage (a
    stage move that did not bump `updated_at`). An application whose transitions answer 404 was deleted
    meanwhile and is removed from `applications`. With many histories to fetch, snapshots are published
    along the way (see run_sync)."""
    published = previous.transitions
    checked: dict[str, str] = dict(meta.get("heal_checked") or {})
    heal_checked: dict[str, str] = {}
    publisher.meta["heal_checked"] = heal_checked
    work = run.store.work_transitions()
    result: dict[str, tuple[str, Any]] = {}
    todo: list[tuple[str, str]] = []
    for app_id, rec in applications.items():
        version = _version(rec)
        known = published.get(app_id)
        if (app_id, version) in work:
            result[app_id] = (version, work[(app_id, version)])
        elif known is not None and known[0] == version:
            current = stage_id(rec.get("current_stage"))
            latest = latest_stage_id(known[1])
            mark = f"{version}|{current}"
            if current is not None and latest is not None and current != latest and checked.get(app_id) != mark:
                run.histories_refreshed += 1  # re-read once per (version, stage): Personio may simply disagree
                heal_checked[app_id] = mark
                todo.append((app_id, version))
            else:
                if checked.get(app_id) == mark:
                    heal_checked[app_id] = mark
                result[app_id] = known
        else:
            todo.append((app_id, version))
    todo.sort(key=lambda item: _newest_first(applications[item[0]]))
    total = len(todo)
    progressive = publish_every is not None and total > 0 and (total > publish_every or not previous.applications)
    interval = _publish_interval(total, publish_every) if progressive and publish_every else 0
    if progressive:
        # the lists are in: publish them with the histories already known (stale ones until re-read)
        stale = {app_id: published[app_id] for app_id, _ in todo if app_id in published}
        publisher.publish(complete=False, histories={**stale, **result}, total=len(applications))
    before_histories()
    run.tick("transitions", 0, total, requests_left=total)
    vanished: list[str] = []
    since_publish = 0
    t_start = time.monotonic()
    for done, (app_id, version) in enumerate(todo, start=1):
        run.check_cancel()
        try:
            items = sanitise_transitions(run.client.stage_transitions(app_id))
        except Exception as exc:
            if getattr(exc, "status", None) != 404:
                raise
            vanished.append(app_id)  # deleted between listing and now: gone from this snapshot too
        else:
            result[app_id] = (version, items)
            run.pending[(app_id, version)] = items
            current = stage_id(applications[app_id].get("current_stage"))
            latest = latest_stage_id(items)
            if current is not None and latest is not None and current != latest:
                heal_checked[app_id] = f"{version}|{current}"  # fresh, yet disagrees: do not re-read it again
        run.transitions_fetched += 1
        since_publish += 1
        if len(run.pending) >= BATCH_SIZE:
            run.flush()
        if interval and since_publish >= interval and done < total:
            since_publish = 0
            run.flush()
            gone = set(vanished)
            stale = {a: published[a] for a, _ in todo[done:] if a in published}
            publisher.publish_in_background(complete=False, total=len(applications) - len(gone),
                                            histories={**stale, **{a: h for a, h in result.items() if a not in gone}})
        elapsed = time.monotonic() - t_start
        rate = done / elapsed if elapsed > 0 else None
        left = total - done
        run.tick("transitions", done, total, requests_left=left, eta_s=left / rate if rate else None)
    run.flush()
    publisher.wait()
    if vanished:
        run.notes.append(f"applications: deleted in Personio during the sync, left out ({len(vanished)} records)")
        for app_id in vanished:
            del applications[app_id]
            result.pop(app_id, None)
    if run.histories_refreshed:
        run.notes.append(f"transitions: stage histories re-read because the application's current stage "
                         f"disagreed with them ({run.histories_refreshed} records)")
    return {app_id: result[app_id] for app_id in applications if app_id in result}  # listing order, every time


def _parse(raw: RawSnapshot, as_of: datetime) -> tuple[Any, list[str], list[str]]:
    """Tables of a raw snapshot, its summarised notes (warnings first) and its errors."""
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
    errors = [str(n.message) for n in notes if getattr(n, "severity", "note") == "error"]
    warnings = [f"{n.message}" for n in notes if getattr(n, "severity", "note") == "warning"]
    rest = [n for n in notes if getattr(n, "severity", "note") == "note"]
    return tables, [*warnings, *summarise_notes(rest)], errors


def summarise_notes(notes: Iterable[Any]) -> list[str]:
    """Parse notes grouped by table and message with a record count ("applications: ... (12 records)")."""
    counts: dict[tuple[str, str], int] = {}
    for note in notes:
        key = (str(getattr(note, "table", "data")), str(getattr(note, "message", note)))
        counts[key] = counts.get(key, 0) + 1
    return [f"{table}: {message} ({n} record{'s' if n != 1 else ''})" for (table, message), n in counts.items()]
