"""Running a sync from the UI: a progress bar, one sync per store at a time, errors with what to do."""

from __future__ import annotations

import threading
import time

import streamlit as st

from dashboard.config import Secret
from dashboard.source import Source
from dashboard.store import Store
from dashboard.sync import SyncCancelled, SyncProgress, run_sync, user_message
from dashboard.ui import state
from dashboard.ui.loaders import client_for
from dashboard.ui.plain import md

# Share of the bar each phase fills; transitions (one request per application) dominate a real sync.
_PHASES: tuple[tuple[str, str, float], ...] = (
    ("applications", "Fetching applications", 0.12),
    ("candidates", "Fetching candidates", 0.06),
    ("jobs", "Fetching jobs", 0.02),
    ("categories", "Fetching stages", 0.01),
    ("feed", "Reading the career site", 0.02),
    ("transitions", "Fetching stage histories", 0.72),
    ("publishing", "Saving the snapshot", 0.05),
)


_REDRAW_S = 0.5


def progress_fraction(p: SyncProgress) -> float:
    """Where the whole sync stands (0..1) after progress tick `p`."""
    start = 0.0
    for phase, _label, weight in _PHASES:
        if phase == p.phase:
            part = min(1.0, p.done / p.total) if p.total else 0.5
            return min(1.0, start + weight * part)
        start += weight
    return start


def duration_text(seconds: float) -> str:
    """'45 s', '12 min', '1 h 05 min'."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{round(s / 60)} min"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def progress_text(p: SyncProgress) -> str:
    """'Fetching stage histories: 120 of 400 · 280 requests left, about 1 min', plus what the client waits for."""
    label = next((lbl for phase, lbl, _w in _PHASES if phase == p.phase), p.phase)
    if p.total:
        text = f"{label}: {p.done:,} of {p.total:,}"
    else:
        text = f"{label}: {p.done:,}" if p.done else f"{label}…"
    if p.requests_left:
        text += f" · {p.requests_left:,} requests left"
        if p.eta_s is not None:
            text += f", about {duration_text(p.eta_s)}"
    if p.waiting:
        text += f" · {p.waiting}"
    return text


def advice(exc: BaseException) -> str:
    """What the user can do about a failed sync (from the error's status or type, never its body)."""
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    name = type(exc).__name__.lower()
    if status in (401, 403) or "auth" in name or "credential" in name:
        return ("Check the client ID and secret (Personio › Settings › Integrations › API credentials) and that "
                "the credential has the scope `personio:recruiting:read`.")
    if status == 429 or "ratelimit" in name:
        return "Personio is limiting requests: wait a minute and sync again. Finished work is kept."
    if "connect" in name or "timeout" in name or "transport" in name or "network" in name:
        return "Personio could not be reached: check the network (proxy, VPN), then sync again. Finished work is kept."
    if isinstance(exc, ValueError) and "client" in str(exc).lower():
        return "Enter the client ID and secret in the sidebar or on the Data page."
    return "Sync again: finished work is kept and the sync resumes. If it keeps failing, try a full resync on the Data page."


@st.cache_resource(show_spinner=False)
def _lock_for(store_path: str) -> threading.Lock:
    return threading.Lock()


def show_sync_error(message: str, exc: BaseException | None, has_data: bool, as_of_text: str = "") -> None:
    """The error box: what failed, what to do, and which data is still shown."""
    lines = [f"**Sync failed:** {md(message)}"]  # the server's words: plain text
    if exc is not None:
        lines.append(advice(exc))
    if has_data:
        lines.append(f"Still showing the last good data ({as_of_text}).")
    st.error("\n\n".join(lines), icon="⚠️")


def sync_with_progress(source: Source, store: Store, secret: Secret, secret_revision: int, *,
                       full: bool | None = None, has_data: bool = False, as_of_text: str = "") -> bool:
    """Sync `source` into `store` with a progress bar; True on success, else shows the error and returns False.

    The first sync of a real Personio company (nothing published yet: the one that takes long) runs in the
    background instead (dashboard/ui/background.py): this starts it, reruns the app so the sidebar shows its
    progress, and pages show each snapshot as it is published. Later, incremental syncs run here."""
    if not source.is_demo and store.status().snapshot_id is None:
        from dashboard.ui.background import start_sync

        if start_sync(source, store, secret, secret_revision, full=full):
            st.rerun()
        return False
    lock = _lock_for(str(store.path))
    if not lock.acquire(blocking=False):
        st.info("A sync of this company is already running in another tab; its data appears when it finishes.")
        return False
    bar = st.progress(0.0, text="Connecting to Personio…" if not source.is_demo else "Generating the demo company…")
    cancel_slot = st.empty()
    cancel_slot.button("Cancel sync", key=state.SYNC_CANCEL, icon=":material/cancel:",
                       help="Stop the sync: the data shown stays as it is, the next sync resumes where this one stopped")

    shown: list[tuple[str, int]] = []
    last_shown = [0.0]
    stopped: list[BaseException] = []

    def on_progress(p: SyncProgress) -> None:
        # at most one message per percent and phase, or every half second: a tick per stage history would
        # flood the browser connection; each message is also where Streamlit notices a Cancel click
        step = (p.phase, int(progress_fraction(p) * 100))
        now = time.monotonic()
        if shown and shown[-1] == step and not p.waiting and now - last_shown[0] < _REDRAW_S:
            return
        shown.append(step)
        last_shown[0] = now
        try:
            bar.progress(progress_fraction(p), text=progress_text(p))
        except BaseException as exc:  # Streamlit stops this run: Cancel pressed or the user moved on
            if isinstance(exc, Exception):
                raise
            stopped.append(exc)
            raise SyncCancelled() from exc

    try:
        client = client_for(source, secret_revision, secret)
        run_sync(client, store, full=full, progress=on_progress,
                 publish_every=source.publish_every)
    except SyncCancelled:
        st.session_state[state.SYNC_STOPPED] = True
        if stopped:
            raise stopped[0] from None  # let Streamlit carry on with the rerun it asked for
        return False
    except Exception as exc:  # every failure is shown; the published snapshot stays as it was
        message = user_message(exc)
        st.session_state[state.SYNC_ERROR] = message
        bar.empty()
        cancel_slot.empty()
        show_sync_error(message, exc, has_data, as_of_text)
        return False
    finally:
        lock.release()
    bar.empty()
    cancel_slot.empty()
    st.session_state[state.SYNC_ERROR] = None
    return True


def show_stopped_notice() -> None:
    """Once after a sync was stopped before it finished: say what that means for the data shown."""
    if st.session_state.pop(state.SYNC_STOPPED, False):
        st.info("Sync stopped before it finished. The data shown is the last published snapshot; the next sync "
                "resumes where this one stopped.", icon=":material/cancel:")
