"""Applications per candidate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import base_figure, empty_figure, finish, ids, is_empty, pct, title_with_n
from dashboard.figures.guard import guarded
from dashboard.figures.template import COLORWAY


@guarded
def applications_per_candidate_chart(df: pl.DataFrame, summary: Mapping[str, Any] | None = None) -> go.Figure:
    """Bars: number of candidates with 1, 2, 3, … applications in the cohort.

    Input: `metrics.candidates.applications_per_candidate` — applications_per_candidate, candidates, share;
    optional `summary` = `applications_per_candidate_summary` (mean, share_multi, anonymised_excluded).
    customdata: `[applications_per_candidate]` per bar (as a string, e.g. "2").
    """
    title = "Applications per candidate"
    if is_empty(df, "applications_per_candidate", "candidates"):
        return empty_figure(title, "No candidates in this range")
    df = df.sort("applications_per_candidate")
    summary = summary or {}
    n = summary.get("candidates", int(df["candidates"].sum()))
    parts = []
    if summary.get("mean") is not None:
        parts.append(f"mean {summary['mean']:.2f}")
    if summary.get("share_multi") is not None:
        parts.append(f"{pct(summary['share_multi'])} applied more than once")
    if summary.get("anonymised_excluded"):
        parts.append(f"{summary['anonymised_excluded']:,} anonymised applications excluded")
    fig = base_figure(title_with_n(title, n, "candidates", " · ".join(parts)), height=360)
    shares = df["share"].to_list() if "share" in df.columns else [None] * df.height
    fig.add_trace(
        go.Bar(
            x=[str(v) for v in df["applications_per_candidate"]],
            y=df["candidates"].to_list(),
            marker_color=COLORWAY[0],
            text=[f"{c:,}" + ("" if s is None else f" ({pct(s)})") for c, s in zip(df["candidates"], shares, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=ids(df["applications_per_candidate"]),
            hovertemplate="%{x} applications: %{y:,} candidates<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(title_text="applications per candidate", type="category", showgrid=False)
    fig.update_yaxes(title_text="candidates", rangemode="tozero")
    return finish(fig)
