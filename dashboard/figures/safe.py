"""Figures show data strings as plain text: plotly renders `<b>`, `<a href>`, `<br>` and entities in every text
of a figure (tick labels, legend, hover, annotations), so names from Personio are escaped, and a huge name is
shortened on its axis (full text on hover) so that it cannot squeeze the plot to a sliver.

`figure(fig)` is applied to every figure the app shows (dashboard.ui.widgets.chart) and so to review packs.
A builder that mixes its own markup into data labels escapes the data itself and marks the trace
`meta=ESCAPED`; `figure` then leaves that trace's x/y alone.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go

LABEL_CHARS = 40  # longest tick / legend label before it is shortened (the full text stays in the hover)
HOVER_CHARS = 400  # longest hover / text value kept (a 100k-character name would fill the screen)
ELLIPSIS = "…"
ESCAPED = "plotly-escaped"  # trace.meta of a trace whose x/y its builder escaped itself (mixed with markup)

_DATA_ATTRS = ("x", "y", "z", "text", "hovertext", "customdata", "labels", "parents", "ids", "values")
_NAME_ATTRS = ("name", "legendgroup")


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """`text` cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: max(1, limit - 1)] + ELLIPSIS


def plotly_text(value: str, limit: int | None = None) -> str:
    """A string plotly shows literally: `<`, `>`, `&` and quotes as entities (optionally shortened first)."""
    return html.escape(shorten(value, limit) if limit else value, quote=True)


def unescape(value: str) -> str:
    """The original string of a `plotly_text` value (selected points carry escaped customdata)."""
    return html.unescape(value)


def _escape_values(values: Any, limit: int | None) -> Any:
    """Every string inside `values` (nested lists/tuples/arrays) escaped; other values unchanged."""
    if isinstance(values, str):
        return plotly_text(values, limit)
    if isinstance(values, (list, tuple)):
        return [_escape_values(v, limit) for v in values]
    try:
        import numpy as np

        if isinstance(values, np.ndarray) and values.dtype.kind in "OUS":
            return [_escape_values(v, limit) for v in values.tolist()]
    except ImportError:  # pragma: no cover - plotly depends on numpy
        pass
    return values


def _is_category_strings(values: Any) -> bool:
    return isinstance(values, (list, tuple)) and any(isinstance(v, str) for v in values)


def _axis_name(trace: Any, letter: str) -> str:
    """Layout key of the axis a trace's x or y is drawn on ('xaxis', 'yaxis2', ...)."""
    ref = getattr(trace, f"{letter}axis", None) or letter
    return f"{letter}axis{ref[1:]}"


def _categories(trace: Any, axes: dict[str, list[str]], long: set[str]) -> None:
    """Add `trace`'s string categories (escaped) to its axes; note the axes that have a label over LABEL_CHARS."""
    for letter in ("x", "y"):
        values = trace[letter] if letter in trace else None
        if values is None or not isinstance(values, (list, tuple)) or not _is_category_strings(values):
            continue
        name = _axis_name(trace, letter)
        cats = axes.setdefault(name, [])
        cats.extend(e for e in dict.fromkeys(plotly_text(v) for v in values if isinstance(v, str)) if e not in cats)
        if any(isinstance(v, str) and len(v) > LABEL_CHARS for v in values):
            long.add(name)


def figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` with every data string escaped for plotly and long category / legend labels shortened.

    Our own markup (hovertemplates, titles, annotations) is kept; data arrays (x, y, text, hovertext,
    customdata, labels, ...) and trace names are escaped. Category labels longer than LABEL_CHARS are shown
    shortened on their axis (tickvals/ticktext) while the hover keeps the full value."""
    fig = go.Figure(fig)
    categories: dict[str, list[str]] = {}
    long_axes: set[str] = set()
    own_axes: set[str] = set()  # axes of traces whose builder escaped x/y itself
    for trace in fig.data:
        own = trace.meta == ESCAPED if "meta" in trace else False
        if own:
            own_axes.update(_axis_name(trace, letter) for letter in ("x", "y"))
        else:
            _categories(trace, categories, long_axes)
        updates: dict[str, Any] = {}
        for attr in _DATA_ATTRS:
            if own and attr in ("x", "y"):
                continue
            if attr in trace and trace[attr] is not None:
                updates[attr] = _escape_values(trace[attr], HOVER_CHARS if attr in ("text", "hovertext") else None)
        for attr in _NAME_ATTRS:
            value = trace[attr] if attr in trace else None
            if isinstance(value, str) and value:
                updates[attr] = plotly_text(value, LABEL_CHARS if attr == "name" else None)
        if updates:
            trace.update(updates)
    for key in [k for k in fig.layout if k.startswith(("xaxis", "yaxis")) and k not in own_axes]:
        axis = fig.layout[key]
        for attr in ("categoryarray", "tickvals", "ticktext"):  # category values must match the escaped data
            if axis[attr] is not None and _is_category_strings(axis[attr]):
                axis[attr] = _escape_values(axis[attr], None)
    for axis in long_axes - own_axes:
        cats = [c for c in fig.layout[axis].categoryarray or () if isinstance(c, str)] or categories[axis]
        fig.layout[axis].update(tickmode="array", tickvals=cats,
                                ticktext=[plotly_text(shorten(html.unescape(c))) for c in cats])
    return fig
