"""KPI sparklines: a tiny weekly line under a KPI tile, no axes."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import ids, is_empty
from dashboard.figures.template import COLORWAY, TEMPLATE_NAME

SPARK_HEIGHT = 56


def sparkline(df: pl.DataFrame, key: str | None = None, color: str = COLORWAY[0]) -> go.Figure:
    """A 56-px line of a KPI's weekly values (gaps where undefined), last point marked; no axes or title.

    Input: `metrics.kpis.kpi_sparklines` — key, bucket_start (Date, Monday), value; rows of `key` only when
    given. Empty input gives an empty, axis-free figure (a sparkline has no room for a message).
    customdata: `[bucket_start ISO date, key]` per point.
    """
    fig = go.Figure()
    fig.update_layout(
        template=TEMPLATE_NAME, height=SPARK_HEIGHT, margin={"l": 2, "r": 2, "t": 2, "b": 2},
        showlegend=False, hovermode="x",
    )
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, fixedrange=True)
    if not is_empty(df, "bucket_start", "value") and key is not None and "key" in df.columns:
        df = df.filter(pl.col("key") == key)
    if is_empty(df, "bucket_start", "value"):
        return fig
    df = df.sort("bucket_start")
    keys = df["key"].to_list() if "key" in df.columns else [key or ""] * df.height
    fig.add_trace(
        go.Scatter(
            x=df["bucket_start"].to_list(),
            y=df["value"].to_list(),
            mode="lines",
            line={"color": color, "width": 1.75, "shape": "spline", "smoothing": 0.4},
            fill="tozeroy",
            fillcolor=_translucent(color),
            connectgaps=False,
            customdata=ids(df["bucket_start"], keys),
            hovertemplate="week of %{x|%Y-%m-%d}: %{y:,.3~f}<extra></extra>",
        )
    )
    last = df.filter(pl.col("value").is_not_null()).tail(1)
    if last.height:
        fig.add_trace(
            go.Scatter(
                x=last["bucket_start"].to_list(), y=last["value"].to_list(), mode="markers",
                marker={"size": 5, "color": color}, customdata=ids(last["bucket_start"], [keys[-1]]),
                hoverinfo="skip",
            )
        )
    return fig


def _translucent(hex_color: str, alpha: float = 0.12) -> str:
    """'#0072B2' -> 'rgba(0,114,178,0.12)' for the area under the line."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
