"""Shared pieces of every builder: titles with n, the empty-state figure, customdata ids, formatting."""

from __future__ import annotations

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
    if "<br>" in title:  # room for the subtitle line above the legend
        fig.update_layout(margin_t=layout.get("margin_t", 92))
    return fig


def empty_figure(title: str, message: str = NO_APPLICATIONS, *, height: int | None = 320) -> go.Figure:
    """A figure that explains why it is empty (no axes, one centred annotation)."""
    fig = base_figure(title, height=height)
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
