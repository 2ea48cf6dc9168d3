"""A chart that fails shows a message in its own place; the page and its other charts go on.

Used by dashboard.ui.widgets.chart: a figure its builder could not draw (dashboard.figures.guard) and an
exception while showing one both end here instead of in Streamlit's generic "This app has encountered an
error" box, which would also hide everything after it.
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.figures.guard import failure_message

_log = logging.getLogger("dashboard.ui")


def figure_failed(name: str, exc: BaseException | None = None, message: str | None = None) -> None:
    """Show why chart `name` is missing (exception type only) and log the traceback for the server log."""
    if exc is not None:
        _log.error("chart %s failed", name, exc_info=exc)
    st.error(message or failure_message(exc or RuntimeError()), icon=":material/broken_image:")
