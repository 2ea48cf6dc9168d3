"""The first sync of a real Personio company runs in a background thread, so pages show each published snapshot.

A first sync of a large company takes most of an hour (one request per stage history), but it publishes the
lists within a minute and more histories every few hundred (dashboard/sync.py). Run in the page's own thread,
the sync would hold the page until the end; here it runs in a thread of its own, and a small fragment in the
sidebar shows its progress (requests left, time left, what the client waits for), offers Cancel, and reruns
the app whenever a newer snapshot is published.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from dashboard.config import Secret
from dashboard.source import Source
from dashboard.store import Store
from dashboard.sync import SyncCancelled, SyncProgress, run_sync, user_message
from dashboard.ui import state

_POLL_S = 1.0


@dataclass
class BackgroundSync:
    """One running (or just finished) sync: its progress, how to cancel it, how it ended."""

    cancel: threading.Event = field(default_factory=threading.Event)
    progress: SyncProgress | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None


@st.cache_resource(show_spinner=False)
def _jobs() -> dict[str, BackgroundSync]:
    """Running syncs by store path, shared by every session of this server process."""
    return {}


def running(store: Store) -> BackgroundSync | None:
    """The background sync of `store`, if one was started and not yet collected."""
    return _jobs().get(str(store.path))


def start(client: Any, store: Store, lock: threading.Lock, *, full: bool | None = None,
          job: BackgroundSync | None = None) -> BackgroundSync:
    """Run `run_sync(client, store)` in a daemon thread; `lock` (already held) is released when it ends."""
    job = job or BackgroundSync()

    def on_progress(p: SyncProgress) -> None:
        job.progress = p

    def work() -> None:
        try:
            run_sync(client, store, full=full, progress=on_progress, cancel=job.cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - reported to the page, never raised in this thread
            job.error = exc
        finally:
            lock.release()
            job.done.set()

    job.thread = threading.Thread(target=work, name=f"sync {store.path.name}", daemon=True)
    _jobs()[str(store.path)] = job
    job.thread.start()
    return job


def start_sync(source: Source, store: Store, secret: Secret, secret_revision: int, *, full: bool | None = None) -> bool:
    """Start a background sync of `source` unless one runs already; True when started."""
    from dashboard.ui.loaders import client_for
    from dashboard.ui.syncing import _lock_for

    job = running(store)
    if job is not None and not job.done.is_set():
        st.info("A sync of this company is already running; its progress is in the sidebar.")
        return False
    lock = _lock_for(str(store.path))
    if not lock.acquire(blocking=False):
        st.info("A sync of this company is already running in another tab; its data appears as it is published.")
        return False
    try:
        client = client_for(source, secret_revision, secret)
    except BaseException:
        lock.release()
        raise
    start(client, store, lock, full=full)
    return True


def finish(store: Store) -> str | None:
    """Collect a finished background sync: None when it succeeded or was cancelled, else its message."""
    job = _jobs().pop(str(store.path), None)
    if job is None or job.error is None:
        return None
    if isinstance(job.error, SyncCancelled):
        st.session_state[state.SYNC_STOPPED] = True
        return None
    return user_message(job.error)


def progress_panel(store: Store, shown_snapshot: str | None) -> None:
    """Sidebar panel of a running background sync: bar, Cancel, and an app rerun on each new snapshot."""
    if running(store) is None:
        return
    from dashboard.ui.syncing import progress_fraction, progress_text

    @st.fragment(run_every=_POLL_S)
    def panel() -> None:
        job = running(store)
        if job is None:
            return
        if job.done.is_set():
            st.session_state[state.SYNC_ERROR] = finish(store)
            st.rerun(scope="app")
        p = job.progress
        st.progress(progress_fraction(p) if p else 0.0, text=progress_text(p) if p else "Connecting to Personio…")
        if job.cancel.is_set():
            st.caption("Cancelling…")
        elif st.button("Cancel sync", key=state.SYNC_CANCEL_BACKGROUND, icon=":material/cancel:"):
            job.cancel.set()
        if store.status().snapshot_id != shown_snapshot:
            st.rerun(scope="app")  # a newer snapshot (more stage histories) was published: show it

    panel()
