"""One broken figure never takes the page down: a builder that raises returns a figure saying so.

`guarded` wraps a builder; on an exception it logs the traceback (server log) and returns a figure marked
`FAILED` whose only content is a plain message. `dashboard.ui.widgets.chart` shows a message for that
chart alone and the page goes on with its other figures.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec

import plotly.graph_objects as go

from dashboard.figures.common import empty_figure

FAILED = "figure-failed"  # layout.meta of a figure whose builder raised
_log = logging.getLogger("dashboard.figures")
P = ParamSpec("P")


def failure_message(exc: BaseException) -> str:
    """What a user reads instead of the chart (the exception type only: its text may hold data)."""
    return (f"This chart could not be drawn ({type(exc).__name__}). The rest of the page is not affected; "
            "the details are in the server log.")


def failed_figure(title: str, exc: BaseException) -> go.Figure:
    """A figure carrying only `failure_message(exc)`, marked FAILED in layout.meta."""
    fig = empty_figure(title, failure_message(exc))
    fig.update_layout(meta=FAILED)
    return fig


def is_failed(fig: object) -> bool:
    """True for a figure made by `failed_figure`."""
    return isinstance(fig, go.Figure) and fig.layout.meta == FAILED


def guarded(builder: Callable[P, go.Figure]) -> Callable[P, go.Figure]:
    """`builder`, but an exception inside it is logged and becomes a `failed_figure`."""
    title = builder.__name__.removesuffix("_chart").replace("_", " ").capitalize()

    @functools.wraps(builder)
    def build(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        try:
            return builder(*args, **kwargs)
        except Exception as exc:  # one figure's failure must not stop the page
            _log.exception("figure %s failed", builder.__name__)
            return failed_figure(title, exc)

    return build
