"""Funnel chart: applications reaching each step, with pass-through rates and Wilson intervals."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.figures.common import empty_figure, error_arrays, finish, ids, title_with_n
from dashboard.figures.template import TEMPLATE_NAME, TEXT, stage_color

TITLE = "Recruiting funnel"


def funnel_chart(df: pl.DataFrame) -> go.Figure:
    """Bars of `reached` per step (top) and pass-through rate k → k+1 with 95% Wilson error bars (bottom).

    Input: `metrics.funnel.funnel` — step, rank, reached, active_at, closed_at, pass_through,
    pass_through_lo, pass_through_hi (active_at/closed_at optional).
    customdata: bars `[step]`; pass-through markers `[step, next_step]` (the rate is *from* `step`).
    """
    if df is None or df.height == 0 or "reached" not in df.columns or (df["reached"].max() or 0) == 0:
        return empty_figure(TITLE)
    df = df.sort("rank") if "rank" in df.columns else df
    steps = df["step"].to_list()
    reached = df["reached"].to_list()
    n = reached[0]
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[0.62, 0.38],
        vertical_spacing=0.16,
        subplot_titles=("Applications reaching each step", "Pass-through rate to the next step (95% CI)"),
    )
    conv = df["step_conversion"].to_list() if "step_conversion" in df.columns else [None] * df.height
    prev_conv = [None, *conv[:-1]]  # step_conversion of row k is k -> k+1; show it on the bar it leads to
    fig.add_trace(
        go.Bar(
            name="Reached",
            x=steps,
            y=reached,
            marker_color=[stage_color(s) for s in steps],
            text=[f"{r:,}" for r in reached],
            textposition="outside",
            cliponaxis=False,
            customdata=ids(steps),
            hovertext=["" if c is None else f"from previous step: {c * 100:.1f}%" for c in prev_conv],
            hovertemplate="<b>%{x}</b><br>reached: %{y:,}<br>%{hovertext}<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    if "pass_through" in df.columns:
        pairs = df.with_columns(pl.col("step").shift(-1).alias("next_step")).filter(
            pl.col("next_step").is_not_null()
        )
        rates = pairs["pass_through"].to_list()
        plus, minus = error_arrays(rates, pairs["pass_through_lo"].to_list(), pairs["pass_through_hi"].to_list())
        labels = [f"{a} → {b}" for a, b in zip(pairs["step"], pairs["next_step"], strict=True)]
        active = pairs["active_at"].to_list() if "active_at" in pairs.columns else [None] * pairs.height
        fig.add_trace(
            go.Scatter(
                name="Pass-through",
                x=labels,
                y=[None if r is None else r * 100 for r in rates],
                mode="markers+text",
                marker={"size": 10, "color": [stage_color(s) for s in pairs["next_step"]],
                        "line": {"width": 1, "color": TEXT}},
                error_y={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                         "color": TEXT, "thickness": 1.5, "width": 6},
                text=["–" if r is None else f"{r * 100:.0f}%" for r in rates],
                textposition="middle right",
                customdata=ids(pairs["step"], pairs["next_step"]),
                hovertext=[f"still active (undecided): {a:,}" if a is not None else "" for a in active],
                hovertemplate="<b>%{x}</b><br>pass-through: %{y:.1f}%<br>%{hovertext}<extra></extra>",
                showlegend=False,
            ),
            row=2,
            col=1,
        )
    fig.update_layout(
        template=TEMPLATE_NAME,
        title={"text": title_with_n(TITLE, n)},
        height=520,
    )
    fig.update_annotations(font_size=12, xanchor="left", x=0)
    fig.update_yaxes(title_text="applications", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text="pass-through (%)", range=[0, 105], ticksuffix="%", row=2, col=1)
    fig.update_xaxes(title_text="funnel step", row=1, col=1)
    return finish(fig)
