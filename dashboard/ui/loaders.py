"""Cached loaders: one client/store per source, tables per snapshot, metric results per (snapshot, Filters).

- `st.cache_resource` holds the client and the store (keyed on the Source; the secret goes in as the
  underscore-prefixed `_secret`, which Streamlit never hashes; a revision number stands in for it).
- `st.cache_resource` holds the Tables, keyed on (store path, snapshot id): a new sync makes a new key;
  and the application facts per (snapshot, label filters), with `in_cohort` re-computed per date range
  (`_facts`). Both are shared, never-modified polars frames:
  `st.cache_data` would unpickle a fresh copy (tens of MB at 100k applications) on every metric call.
- `st.cache_data` holds every metric result, keyed on (store path, snapshot id, metric name, Filters,
  arguments): a filter change recomputes from cached frames and never touches the store or the API.
  Large frames that pages only read (drill-down sources) go through `Data.shared` (`st.cache_resource`)
  instead, so they are never pickled.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import streamlit as st

from dashboard.config import Secret
from dashboard.schema import Tables
from dashboard.source import Source, make_client, open_store
from dashboard.store import Store
from metrics.filters import Filters

_MAX_SNAPSHOTS = 4
_MAX_METRIC_RESULTS = 512
_STORES_BY_PATH: dict[str, Store] = {}


@st.cache_resource(show_spinner=False, max_entries=8)
def store_for(source: Source, cache_root: str) -> Store:
    """The Store of `source` under `cache_root` (one per process: diskcache connections are thread-safe)."""
    store = open_store(source, cache_root)
    _STORES_BY_PATH[str(store.path)] = store
    return store


def store_at(path: str) -> Store:
    """The Store opened for `path` by `store_for` (or a fresh one, e.g. in another process)."""
    return _STORES_BY_PATH.get(path) or Store(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def client_for(source: Source, secret_revision: int, _secret: Secret) -> Any:
    """An API client for `source`; `_secret` is never hashed, `secret_revision` changes when it does."""
    return make_client(source, _secret.get() if _secret else None)


@st.cache_resource(show_spinner=False, max_entries=_MAX_SNAPSHOTS)
def tables_for(store_path: str, snapshot_id: str) -> Tables:
    """The published tables of snapshot `snapshot_id` (eager polars frames, shared: never modified)."""
    tables = store_at(store_path).load_tables()
    return tables if tables is not None else Tables()


def _resolve(name: str) -> Callable[..., Any]:
    module, _, func = name.rpartition(".")
    mod = __import__(module, fromlist=[func])
    return getattr(mod, func)


# few entries: each is a large frame (~25 MB of stays per filter state at 100k applications), kept for the
# filter states a user is switching between, not for every state of a long session
@st.cache_resource(show_spinner=False, max_entries=_MAX_SNAPSHOTS * 2)
def _undated_facts(store_path: str, snapshot_id: str, f: Filters) -> pl.DataFrame:
    """Application facts of label filters `f` (no date range): the expensive part, shared by every date range."""
    from metrics.stages import application_facts

    return application_facts(tables_for(store_path, snapshot_id), f)


@st.cache_resource(show_spinner=False, max_entries=_MAX_SNAPSHOTS * 16)
def _facts(store_path: str, snapshot_id: str, f: Filters) -> pl.DataFrame:
    """Application facts of one filter state, shared by every metric of a run (and by metrics.memo).

    Facts depend on the date range only through `in_cohort`, so a new date range (and the previous
    period of the KPI tiles) re-uses the facts of its label filters and recomputes that one column."""
    if not f.has_dates:
        return _undated_facts(store_path, snapshot_id, f)
    from metrics.filters import date_in_range
    from metrics.stages import with_cohort

    undated = _undated_facts(store_path, snapshot_id, replace(f, date_from=None, date_to=None))
    tables = tables_for(store_path, snapshot_id)
    return with_cohort(tables, undated, date_in_range(pl.col("application_date"), f))


@st.cache_data(show_spinner=False, max_entries=_MAX_METRIC_RESULTS)
def _metric(store_path: str, snapshot_id: str, name: str, f: Filters | None, args: tuple,
            kwargs: tuple[tuple[str, Any], ...]) -> Any:
    return _compute(store_path, snapshot_id, name, f, args, kwargs)


# few entries: each is a large frame (~25 MB of stays per filter state at 100k applications), kept for the
# filter states a user is switching between, not for every state of a long session
@st.cache_resource(show_spinner=False, max_entries=_MAX_SNAPSHOTS * 2)
def _shared_metric(store_path: str, snapshot_id: str, name: str, f: Filters | None, args: tuple,
                   kwargs: tuple[tuple[str, Any], ...]) -> Any:
    return _compute(store_path, snapshot_id, name, f, args, kwargs)


def _compute(store_path: str, snapshot_id: str, name: str, f: Filters | None, args: tuple,
             kwargs: tuple[tuple[str, Any], ...]) -> Any:
    fn = _resolve(name)
    tables = tables_for(store_path, snapshot_id)
    kw = dict(kwargs)
    if f is not None and "facts" in inspect.signature(fn).parameters:
        kw["facts"] = _facts(store_path, snapshot_id, f)
    if f is None:
        return fn(tables, *args, **kw)
    return fn(tables, f, *args, **kw)


class Data:
    """The data of one published snapshot plus cached access to every metric on it."""

    def __init__(self, store_path: str, snapshot_id: str, tables: Tables) -> None:
        self.store_path = store_path
        self.snapshot_id = snapshot_id
        self.tables = tables

    @property
    def as_of(self) -> datetime:
        """When the snapshot was synced (UTC)."""
        return self.tables.as_of

    def metric(self, fn: Callable[..., Any], f: Filters | None, *args: Any, **kwargs: Any) -> Any:
        """`fn(tables, f, *args, **kwargs)` cached on (snapshot, fn, f, args); facts are shared when accepted."""
        name = f"{fn.__module__}.{fn.__name__}"
        return _metric(self.store_path, self.snapshot_id, name, f, tuple(args), tuple(sorted(kwargs.items())))

    def shared(self, fn: Callable[..., Any], f: Filters | None, *args: Any, **kwargs: Any) -> pl.DataFrame:
        """Like `metric`, for a large frame read only (e.g. a drill-down source): one shared, never-pickled object.

        `st.cache_data` pickles a result on a miss and unpickles it on every hit: ~110 ms / ~60 ms for the
        290k stays of `stage_intervals` at 100k applications, on every run of the Speed page."""
        name = f"{fn.__module__}.{fn.__name__}"
        return _shared_metric(self.store_path, self.snapshot_id, name, f, tuple(args), tuple(sorted(kwargs.items())))


def open_data(store: Store) -> Data | None:
    """The published snapshot of `store` through the cache (None when nothing has been synced yet)."""
    status = store.status()
    if status.snapshot_id is None:
        return None
    path = str(store.path)
    return Data(path, status.snapshot_id, tables_for(path, status.snapshot_id))


def clear_caches() -> None:
    """Forget cached tables and metric results (after a purge)."""
    tables_for.clear()
    _undated_facts.clear()
    _facts.clear()
    _metric.clear()
    _shared_metric.clear()


def age_text(when: datetime | None, now: datetime | None = None) -> str:
    """'3 min ago' / '2 h ago' / '5 days ago' / 'never'."""
    if when is None:
        return "never"
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400 * 2:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def as_of_text(when: datetime | None, now: datetime | None = None) -> str:
    """'data as of 23 Nov 2026 18:05 UTC (3 min ago)'."""
    if when is None:
        return "no data synced yet"
    return f"data as of {when.astimezone(UTC):%-d %b %Y %H:%M} UTC ({age_text(when, now)})"


def today_utc() -> date:
    """Today's calendar date in UTC: date presets are relative to it."""
    return datetime.now(UTC).date()
