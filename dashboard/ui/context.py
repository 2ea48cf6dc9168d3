"""What app.py prepares on every run and every page reads: source, store, snapshot, filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard.config import Settings
from dashboard.source import Source
from dashboard.store import Store, StoreStatus
from dashboard.ui import state
from dashboard.ui.loaders import Data
from dashboard.ui.query import Selection
from metrics.filters import Filters


@dataclass(frozen=True)
class AppContext:
    """One run's view of the world. `data` is None until the first successful sync."""

    settings: Settings
    source: Source | None  # None: Personio chosen but no credentials yet
    store: Store | None
    status: StoreStatus | None
    data: Data | None
    selection: Selection
    filters: Filters
    today: date
    credentials_missing: bool = False

    @property
    def has_data(self) -> bool:
        """True when a snapshot has been synced."""
        return self.data is not None


def set_current(ctx: AppContext) -> None:
    """Publish this run's context for the page script."""
    st.session_state[state.CONTEXT] = ctx


def current() -> AppContext:
    """This run's context (set by app.py before the page runs)."""
    ctx = st.session_state.get(state.CONTEXT)
    if ctx is None:
        st.error("Open the dashboard through app.py (`streamlit run app.py`).")
        st.stop()
    return ctx
