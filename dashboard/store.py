"""Local, private cache of one company's synced data: a published snapshot plus a resumable work area.

Location: `<cache root>/<source key>/`, where the cache root is `$RECRUITING_DASHBOARD_CACHE_DIR` or the
per-user cache directory (`platformdirs.user_cache_dir("personio-recruiting-dashboard")`, e.g.
`~/.cache/personio-recruiting-dashboard` on Linux, `~/Library/Caches/personio-recruiting-dashboard` on
macOS); `python -m dashboard where` prints it and `python -m dashboard purge` deletes it. Directories are
created 0700 and files 0600: the cache holds recruiting data (never credentials or tokens).

Layout inside one diskcache (SQLite; every value is kept inside the database file, no side files):

- `current` → the generation id of the PUBLISHED snapshot. A snapshot is written under fresh generation
  keys (`("gen", id, "meta")`, `("gen", id, "tables")`, `("gen", id, "raw", entity)`), then `current`
  is flipped in one write, then the old generation is deleted. Readers follow `current` and retry when
  the generation they picked vanished under them, so they only ever see a complete snapshot.
- WORK area `("work", "tx", <time>, <id>)` → `{(application_id, updated_at): transitions}`: one batch of
  stage transitions fetched by a sync in progress. A killed sync resumes from here; publishing clears
  the batches the snapshot includes.
- `attempt` → when the last sync was attempted and its user-facing error (None when it succeeded).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import diskcache
import polars as pl

from dashboard.schema import SCHEMAS, Tables

MARKER = ".personio-recruiting-dashboard-store"
RAW_ENTITIES: tuple[str, ...] = ("applications", "candidates", "jobs", "categories", "transitions", "feed")
_CACHE_SETTINGS: dict[str, Any] = {
    "eviction_policy": "none",  # synced data must never be culled silently
    "size_limit": 2**62,
    "disk_min_file_size": 2**62,  # keep values inside the SQLite file: one file to protect
    "statistics": 0,
}
_CURRENT = "current"
_ATTEMPT = "attempt"
_WORK_TX = ("work", "tx")
_ORPHAN_AGE = timedelta(hours=1)
_MISSING = object()


@dataclass(frozen=True)
class StoreStatus:
    """What the UI shows about the cached data: its age, the last attempt and its error, sizes."""

    as_of: datetime | None
    synced_at: datetime | None
    full_sync_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    counts: dict[str, int] = field(default_factory=dict)
    snapshot_id: str | None = None
    path: Path | None = None
    notes: list[str] = field(default_factory=list)  # data-quality notes of the snapshot's sync (warnings first)
    errors: list[str] = field(default_factory=list)  # data that could not be read at all (no stage history)
    histories: dict[str, Any] | None = None  # {"done", "total", "complete", "order"} of the stage histories

    @property
    def histories_complete(self) -> bool:
        """False while a first sync is still fetching stage histories into published snapshots."""
        return self.histories is None or bool(self.histories.get("complete", True))


@dataclass
class RawSnapshot:
    """Raw API records of a published snapshot, by entity, as the sync merges them.

    applications/candidates/jobs/categories: id → record; transitions: application id →
    `(updated_at, items)`; feed: the career-site XML text or None.
    """

    applications: dict[str, dict] = field(default_factory=dict)
    candidates: dict[str, dict] = field(default_factory=dict)
    jobs: dict[str, dict] = field(default_factory=dict)
    categories: dict[str, dict] = field(default_factory=dict)
    transitions: dict[str, tuple[str, list]] = field(default_factory=dict)
    feed: str | None = None


_UMASK_LOCK = threading.Lock()
_umask_state: dict[str, int] = {"depth": 0, "saved": 0}


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Create files 0600 / directories 0700 inside the block (umask is process-wide, so keep it short).

    Blocks may overlap across threads (a sync and its background publisher): the first one in sets the
    umask and the last one out restores it, so an overlap never leaves the process at 0077."""
    with _UMASK_LOCK:
        if _umask_state["depth"] == 0:
            _umask_state["saved"] = os.umask(0o077)
        _umask_state["depth"] += 1
    try:
        yield
    finally:
        with _UMASK_LOCK:
            _umask_state["depth"] -= 1
            if _umask_state["depth"] == 0:
                os.umask(_umask_state["saved"])


def _tighten(path: Path) -> None:
    """chmod a store directory to 0700 and everything in it to 0700 (dirs) / 0600 (files)."""
    if not path.exists():
        return
    path.chmod(0o700)
    for root, dirs, files in os.walk(path):
        for d in dirs:
            (Path(root) / d).chmod(0o700)
        for f in files:
            p = Path(root) / f
            if not p.is_symlink():
                p.chmod(stat.S_IRUSR | stat.S_IWUSR)


def _tables_to_bytes(tables: Tables) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for name, frame in tables.frames().items():
        buf = io.BytesIO()
        frame.write_parquet(buf, compression="zstd", statistics=False)
        out[name] = buf.getvalue()
    return out


def _tables_from_bytes(blobs: Mapping[str, bytes], as_of: datetime) -> Tables:
    frames = {name: pl.read_parquet(io.BytesIO(blobs[name])) if name in blobs else pl.DataFrame(schema=schema)
              for name, schema in SCHEMAS.items()}
    return Tables(**frames, as_of=as_of)


class CacheError(Exception):
    """The local cache cannot be used as it is (damaged, or not writable); the message says what to do."""


def is_damaged(exc: BaseException) -> bool:
    """True for SQLite's "this file is not (or no longer) a database" errors, not for locks or permissions."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return any(part in text for part in ("not a database", "malformed", "corrupt", "disk image"))


def _is_read_only(exc: BaseException) -> bool:
    """True when the cache directory or database cannot be written (permissions, read-only file system)."""
    if isinstance(exc, PermissionError):
        return True
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("readonly" in text or "read-only" in text
                                                          or "unable to open" in text)


def set_aside(path: Path, now: datetime | None = None) -> Path:
    """Move a damaged store directory out of the way (kept, private, for inspection) and return where to."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    path.rename(target)
    with contextlib.suppress(OSError):
        _tighten(target)
    return target


class Store:
    """diskcache-backed store of one company; safe to share between threads and processes.

    A damaged database (truncated, garbled) is set aside as `<dir>.damaged-<time>` and a fresh, empty store
    started; `recovered` then says what happened. A directory that cannot be written is opened read-only
    from a private temporary copy (`read_only`; `warning` says so): cached data can still be shown and
    exported, a sync says it cannot save."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        self.recovered: str | None = None
        self.read_only = False
        self._copy: Path | None = None
        self._memo: tuple[str, Tables] | None = None
        try:
            self._open()
        except Exception as exc:
            if is_damaged(exc):
                self._recover(exc)
            elif _is_read_only(exc) and (self.path / "cache.db").exists():
                self._open_read_only()
            elif _is_read_only(exc):
                raise CacheError(f"Cannot create the local cache at {self.path}: the directory is not writable. "
                                 "Fix its permissions or set RECRUITING_DASHBOARD_CACHE_DIR to another "
                                 "directory.") from None
            else:
                raise

    def _open(self) -> None:
        with private_umask():
            self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
            (self.path / MARKER).touch()
            cache = diskcache.Cache(str(self.path), **_CACHE_SETTINGS)
        try:
            cache.get(_CURRENT)  # a garbled file passes the open; the first read finds out
            _tighten(self.path)
        except BaseException:
            cache.close()
            raise
        self._cache = cache

    def _open_read_only(self) -> None:
        """Open a private temporary copy of the database: reading works, writing is refused by `_writable`."""
        tmp = Path(tempfile.mkdtemp(prefix="recruiting-dashboard-ro-"))
        tmp.chmod(0o700)
        for name in ("cache.db", "cache.db-wal"):
            if (self.path / name).exists():
                shutil.copyfile(self.path / name, tmp / name)
        self._copy = tmp
        self.read_only = True
        try:
            self._cache = diskcache.Cache(str(tmp), **_CACHE_SETTINGS)
            self._cache.get(_CURRENT)
        except Exception as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if is_damaged(exc):
                raise CacheError(f"The local cache at {self.path} is damaged and its directory is not writable, "
                                 "so it cannot be set aside: delete it (python -m dashboard purge) or fix the "
                                 "directory's permissions.") from None
            raise

    def _recover(self, exc: BaseException) -> None:
        """Set the damaged store aside and start an empty one; remember the message for the UI / CLI."""
        with contextlib.suppress(Exception):
            self._cache.close()
        try:
            moved = set_aside(self.path)
        except OSError:
            raise CacheError(f"The local cache at {self.path} is damaged ({exc}) and cannot be moved aside: "
                             "delete it (python -m dashboard purge) and sync again.") from None
        self._memo = None
        self._open()
        self.recovered = (f"The local cache was damaged ({exc}). It was moved to {moved} and a fresh, empty "
                          "cache was started: sync again to fill it (the damaged copy can be deleted).")

    @property
    def warning(self) -> str | None:
        """What the user should know about this cache (recovered from damage, or read-only), else None."""
        if self.read_only:
            return (f"The cache directory {self.path} is not writable: showing the cached data read-only; a "
                    "sync cannot save. Fix its permissions or set RECRUITING_DASHBOARD_CACHE_DIR elsewhere.")
        return self.recovered

    def _writable(self) -> None:
        if self.read_only:
            raise CacheError(self.warning or "The cache is read-only.")

    def _read(self, fn: Callable[[], Any]) -> Any:
        """Run a read; a database found damaged now is set aside (fresh store) and the read answers from that."""
        try:
            return fn()
        except sqlite3.DatabaseError as exc:
            if not is_damaged(exc) or self.read_only:
                raise
            self._recover(exc)
            return fn()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ---- published snapshot (readers) -------------------------------------------------------------
    def _generation(self) -> str | None:
        return self._cache.get(_CURRENT)

    def load_tables(self) -> Tables | None:
        """The published tables (None when never synced); never a half-written snapshot."""
        return self._read(self._load_tables)

    def _load_tables(self) -> Tables | None:
        for _ in range(20):
            gen = self._generation()
            if gen is None:
                return None
            memo = self._memo
            if memo is not None and memo[0] == gen:
                return memo[1]
            meta = self._cache.get(("gen", gen, "meta"))
            blobs = self._cache.get(("gen", gen, "tables"))
            if meta is None or blobs is None:
                continue  # a sync published a newer generation and deleted this one meanwhile
            tables = _tables_from_bytes(blobs, meta["as_of"])
            self._memo = (gen, tables)
            return tables
        raise RuntimeError("the cache keeps changing under the reader; try again")

    def meta(self) -> dict[str, Any] | None:
        """The published snapshot's meta (as_of, synced_at, full_sync_at, watermarks, counts, ...)."""
        return self._read(self._meta)

    def _meta(self) -> dict[str, Any] | None:
        for _ in range(20):
            gen = self._generation()
            if gen is None:
                return None
            meta = self._cache.get(("gen", gen, "meta"))
            if meta is not None:
                return meta
        raise RuntimeError("the cache keeps changing under the reader; try again")

    def load_raw(self) -> tuple[dict[str, Any] | None, RawSnapshot]:
        """Meta and raw records of the published snapshot (empty when never synced), for the next sync."""
        return self._read(self._load_raw)

    def _load_raw(self) -> tuple[dict[str, Any] | None, RawSnapshot]:
        for _ in range(20):
            gen = self._generation()
            if gen is None:
                return None, RawSnapshot()
            meta = self._cache.get(("gen", gen, "meta"))
            parts = {e: self._cache.get(("gen", gen, "raw", e), default=_MISSING) for e in RAW_ENTITIES}
            if meta is None or any(v is _MISSING for v in parts.values()):
                continue
            return meta, RawSnapshot(**parts)
        raise RuntimeError("the cache keeps changing under the reader; try again")

    def status(self) -> StoreStatus:
        """Age and size of the published snapshot plus the outcome of the last attempt."""
        meta = self.meta() or {}
        attempt = self._read(lambda: self._cache.get(_ATTEMPT)) or {}
        return StoreStatus(
            as_of=meta.get("as_of"),
            synced_at=meta.get("synced_at"),
            full_sync_at=meta.get("full_sync_at"),
            last_attempt_at=attempt.get("at"),
            last_error=attempt.get("error"),
            counts=dict(meta.get("counts", {})),
            snapshot_id=meta.get("snapshot_id"),
            path=self.path,
            notes=list(meta.get("notes") or []),
            errors=list(meta.get("errors") or []),
            histories=meta.get("histories"),
        )

    # ---- writers (the sync) -------------------------------------------------------------------------
    def record_attempt(self, error: str | None, at: datetime | None = None) -> None:
        """Remember when a sync was last attempted and its user-facing error (None = success)."""
        if self.read_only:
            return  # nothing can be saved; the error itself is shown to the user directly
        with private_umask():
            self._cache.set(_ATTEMPT, {"at": at or datetime.now(UTC), "error": error})

    def publish(self, raw: RawSnapshot, tables: Tables, meta: Mapping[str, Any],
                work: Collection[tuple] | None = None) -> str:
        """Write a new generation, flip `current` to it, clear the work area, drop the old generation.

        `work`: the work-area keys (`work_keys()`) the snapshot includes, cleared with the flip; None clears
        all of it. A sync publishing in the background passes them, keeping batches saved meanwhile."""
        self._writable()
        gen = uuid.uuid4().hex[:16]
        full_meta = {**meta, "snapshot_id": gen, "as_of": tables.as_of,
                     "counts": {name: frame.height for name, frame in tables.frames().items()}}
        blobs = _tables_to_bytes(tables)
        with private_umask():
            self._cache.set(("gen", gen, "started"), datetime.now(UTC))
            for entity in RAW_ENTITIES:
                self._cache.set(("gen", gen, "raw", entity), getattr(raw, entity))
            self._cache.set(("gen", gen, "tables"), blobs)
            self._cache.set(("gen", gen, "meta"), full_meta)
            old = self._generation()
            with self._cache.transact():
                self._cache.set(_CURRENT, gen)
                self._clear_work(work)
            if old is not None and old != gen:
                self._delete_generation(old)
            self._delete_orphans(keep=gen)
        _tighten(self.path)
        return gen

    def _delete_generation(self, gen: str) -> None:
        for key in list(self._cache.iterkeys()):
            if isinstance(key, tuple) and key[:2] == ("gen", gen):
                self._cache.delete(key)

    def _delete_orphans(self, keep: str) -> None:
        """Drop generations left behind by a publish that died between writing and flipping.

        A generation younger than an hour may belong to a concurrent sync that is about to flip.
        """
        cutoff = datetime.now(UTC) - _ORPHAN_AGE
        gens = {key[1] for key in self._cache.iterkeys() if isinstance(key, tuple) and key[:1] == ("gen",)}
        for gen in gens - {keep, self._generation()}:
            started = self._cache.get(("gen", gen, "started"))
            if started is None or started < cutoff:
                self._delete_generation(gen)

    def work_keys(self) -> list[tuple]:
        """Keys of the transition batches in the work area, oldest first (see `publish`)."""
        return sorted(k for k in self._cache.iterkeys() if isinstance(k, tuple) and k[:2] == _WORK_TX)

    def work_transitions(self) -> dict[tuple[str, str], list]:
        """Transitions a sync in progress has fetched so far: (application id, updated_at) → items."""
        out: dict[tuple[str, str], list] = {}
        for key in self.work_keys():
            batch = self._cache.get(key)
            if batch:
                out.update(batch)
        return out

    def save_work_transitions(self, batch: Mapping[tuple[str, str], list]) -> None:
        """Persist one batch of fetched transitions, keyed (application id, updated_at), in one write."""
        if not batch:
            return
        self._writable()
        with private_umask():
            self._cache.set((*_WORK_TX, time.time_ns(), uuid.uuid4().hex[:8]), dict(batch))

    def _clear_work(self, keys: Collection[tuple] | None = None) -> None:
        if keys is not None:
            for key in keys:
                self._cache.delete(key)
            return
        for key in list(self._cache.iterkeys()):
            if isinstance(key, tuple) and key[:1] == ("work",):
                self._cache.delete(key)

    def clear_work(self) -> None:
        """Forget a sync in progress (the published snapshot stays)."""
        with self._cache.transact():
            self._clear_work()

    # ---- lifecycle ----------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the database connections (the store can be reopened with a new Store)."""
        self._cache.close()
        if self._copy is not None:
            shutil.rmtree(self._copy, ignore_errors=True)
            self._copy = None

    def purge(self) -> None:
        """Delete every cached byte of this company: the whole store directory."""
        self._memo = None
        self._cache.close()
        shutil.rmtree(self.path, ignore_errors=True)


def purge_root(cache_root: str | os.PathLike[str]) -> list[Path]:
    """Delete every store under `cache_root` (only directories this app created) and the root if empty."""
    root = Path(cache_root).expanduser()
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.is_symlink() and (child / MARKER).exists():
            shutil.rmtree(child)
            removed.append(child)
    with contextlib.suppress(OSError):
        root.rmdir()  # only when empty: never delete what the user put there
    return removed
