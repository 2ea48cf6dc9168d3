"""Shared pieces of every builder: titles with n, the empty-state figure, customdata ids, formatting."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.template import TEMPLATE_NAME, TEXT

NO_APPLICATIONS = "No applications in this range"


def n_text(n: int | None, unit: str = "applications") -> str:
    """'n = 1,234 applications' (thousands separated)."""
    return f"n = {int(n or 0):,} {unit}".rstrip()


def title_with_n(title: str, n: int | None, unit: str = "applications", extra: str = "") -> str:
    """Chart title stating n, e.g. 'Funnel · n = 120 applications'; `extra` goes on a smaller second line."""
    text = f"{title} · {n_text(n, unit)}"
    if extra:
        text += f"<br><sup>{extra}</sup>"
    return text


def base_figure(title: str, *, height: int | None = None, **layout: Any) -> go.Figure:
    """An empty figure with the recruiting template and a title."""
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE_NAME, title={"text": title}, height=height, **layout)
    return fig


# Header layout (pixels): the title at the top of the figure, the legend in rows right under it, then the plot.
# Rows are counted for the narrowest chart the app shows (MIN_WIDTH), so wider charts never need more.
MIN_WIDTH = 680
TITLE_TOP = 6
TITLE_LINE = 26
SUBTITLE_LINE = 17
LEGEND_ROW = 24
LEGEND_CHAR = 7.2  # width of one character of the 12 px legend font, generous for Inter / Source Sans / DejaVu
LEGEND_SYMBOL = 46  # symbol + gaps of one legend entry
GAP = 10
MAX_LEGEND_ROWS = 5  # more rows would crowd the plot: such legends go to the right
DEFAULT_HEIGHT = 450  # plotly's default when a builder sets none


def _plain(text: object) -> str:
    return re.sub(r"<[^>]+>", "", str(text or ""))


def legend_entries(fig: go.Figure) -> list[str]:
    """Names the legend will list (traces not hidden from it), or [] when the legend is not shown."""
    names = [_plain(t.name) for t in fig.data if t.showlegend is not False]
    show = fig.layout.showlegend if fig.layout.showlegend is not None else len(names) >= 2
    return names if show else []


def finish(fig: go.Figure, *, min_width: int = MIN_WIDTH) -> go.Figure:
    """Place title, legend and plot so they never overlap at any chart width ≥ `min_width`.

    The title is anchored to the figure (container) top in pixels, the horizontal legend in equal-width entries
    right below it, and the top margin holds both (rows counted at `min_width`). A legend of more than
    MAX_LEGEND_ROWS rows goes to the right of the plot instead (vertical, scrolling). All of it is set on the
    figure's own layout, so neither the template nor Streamlit's chart theme can move it."""
    height = fig.layout.height or DEFAULT_HEIGHT
    title = str(fig.layout.title.text or "")
    block = (TITLE_LINE if title else 0) + SUBTITLE_LINE * title.count("<br>")
    title_h = TITLE_TOP + block
    # "middle" keeps multi-line titles (subtitle in <sup>) inside the figure; plotly's "top" anchors only line one.
    fig.update_layout(height=height, title={"yref": "container", "y": 1 - (TITLE_TOP + block / 2) / height,
                                            "yanchor": "middle", "xref": "container", "x": 0, "xanchor": "left",
                                            "pad": {"l": 4}})
    entries = legend_entries(fig)
    if not entries:
        fig.update_layout(margin_t=title_h + GAP)
        return fig
    legend_title = _plain(fig.layout.legend.title.text)
    title_w = len(legend_title) * LEGEND_CHAR + 12 if legend_title else 0
    entry_w = math.ceil(max(len(n) for n in entries) * LEGEND_CHAR + LEGEND_SYMBOL)
    per_row = max(1, int((min_width - title_w) // entry_w))
    rows = math.ceil(len(entries) / per_row)
    if rows > MAX_LEGEND_ROWS:
        fig.update_layout(
            legend={"orientation": "v", "xref": "paper", "x": 1.02, "xanchor": "left", "yref": "paper", "y": 1,
                    "yanchor": "top", "title": {"side": "top"}, "valign": "middle", "itemsizing": "constant"},
            margin_t=title_h + GAP,
        )
        return fig
    fig.update_layout(
        legend={"orientation": "h", "xref": "container", "x": 0, "xanchor": "left", "yref": "container",
                "y": 1 - (title_h + 2) / height, "yanchor": "top", "entrywidth": entry_w, "entrywidthmode": "pixels",
                "title": {"side": "left"}, "valign": "middle", "itemsizing": "constant", "tracegroupgap": 0},
        margin_t=title_h + rows * LEGEND_ROW + GAP,
    )
    return fig


def empty_figure(title: str, message: str = NO_APPLICATIONS, *, height: int | None = 320) -> go.Figure:
    """A figure that explains why it is empty (no axes, one centred annotation)."""
    fig = base_figure(title, height=height)
    finish(fig)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": TEXT},
    )
    return fig


def is_empty(df: pl.DataFrame | None, *columns: str) -> bool:
    """True when there is nothing to draw: no frame, no rows, or a required column missing."""
    return df is None or df.height == 0 or any(c not in df.columns for c in columns)


def iso(value: Any) -> str:
    """Stable string id of a value: ISO date for dates, str() otherwise, '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def ids(*columns: Iterable[Any]) -> list[list[str]]:
    """customdata rows: one list of string ids per point, zipped from the given columns."""
    return [[iso(v) for v in row] for row in zip(*columns, strict=True)]


def pct(value: float | None, digits: int = 0) -> str:
    """0.4567 -> '46%'; None -> '–'."""
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def days(value: float | None) -> str:
    """12.345 -> '12.3 d'; None -> '–'."""
    return "–" if value is None else f"{value:.1f} d"


def error_arrays(
    rates: Sequence[float | None], lo: Sequence[float | None], hi: Sequence[float | None], scale: float = 100.0
) -> tuple[list[float | None], list[float | None]]:
    """Asymmetric error bar lengths (plus, minus) from a rate and its interval ends; None where unknown."""
    plus, minus = [], []
    for r, low, high in zip(rates, lo, hi, strict=True):
        ok = r is not None and low is not None and high is not None
        plus.append((high - r) * scale if ok else None)
        minus.append((r - low) * scale if ok else None)
    return plus, minus


def point_ids(points: Iterable[Mapping[str, Any]], position: int = 0) -> list[str]:
    """The ids at `position` of the customdata of selected points (e.g. Streamlit's event.selection.points).

    Points without customdata (e.g. annotations, reference lines) are skipped."""
    out: list[str] = []
    for point in points:
        data = point.get("customdata")
        if data is None:
            continue
        if isinstance(data, list | tuple):
            if len(data) > position:
                out.append(str(data[position]))
        elif position == 0:
            out.append(str(data))
    return out
