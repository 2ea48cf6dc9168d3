"""Funnel chart: applications reaching each step, with pass-through rates and Wilson intervals."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import base_layout, build, empty_figure, error_arrays, ids, title_with_n
from dashboard.figures.guard import guarded
from dashboard.figures.template import TEXT, stage_color

TITLE = "Recruiting funnel"
# The two rows (bars over rates, heights 0.62 / 0.38, 0.16 apart): the domains `make_subplots` computes.
_TOP = 0.9999999999999999
_BARS_DOMAIN = (0.47919999999999996, _TOP)
_RATES_TOP = 0.3192


@guarded
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
    conv = df["step_conversion"].to_list() if "step_conversion" in df.columns else [None] * df.height
    prev_conv = [None, *conv[:-1]]  # step_conversion of row k is k -> k+1; show it on the bar it leads to
    data = [{
        "type": "bar", "name": "Reached", "x": steps, "y": reached, "marker": {"color": [stage_color(s) for s in steps]},
        "text": [f"{r:,}" for r in reached], "textposition": "outside", "cliponaxis": False, "customdata": ids(steps),
        "hovertext": ["" if c is None else f"from previous step: {c * 100:.1f}%" for c in prev_conv],
        "hovertemplate": "<b>%{x}</b><br>reached: %{y:,}<br>%{hovertext}<extra></extra>", "showlegend": False,
        "xaxis": "x", "yaxis": "y",
    }]
    if "pass_through" in df.columns:
        pairs = df.with_columns(pl.col("step").shift(-1).alias("next_step")).filter(
            pl.col("next_step").is_not_null()
        )
        rates = pairs["pass_through"].to_list()
        plus, minus = error_arrays(rates, pairs["pass_through_lo"].to_list(), pairs["pass_through_hi"].to_list())
        labels = [f"{a} → {b}" for a, b in zip(pairs["step"], pairs["next_step"], strict=True)]
        active = pairs["active_at"].to_list() if "active_at" in pairs.columns else [None] * pairs.height
        data.append({
            "type": "scatter", "name": "Pass-through", "x": labels, "y": [None if r is None else r * 100 for r in rates],
            "mode": "markers+text",
            "marker": {"size": 10, "color": [stage_color(s) for s in pairs["next_step"]], "line": {"width": 1, "color": TEXT}},
            "error_y": {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, "color": TEXT,
                        "thickness": 1.5, "width": 6},
            "text": ["–" if r is None else f"{r * 100:.0f}%" for r in rates], "textposition": "middle right",
            "customdata": ids(pairs["step"], pairs["next_step"]),
            "hovertext": [f"still active (undecided): {a:,}" if a is not None else "" for a in active],
            "hovertemplate": "<b>%{x}</b><br>pass-through: %{y:.1f}%<br>%{hovertext}<extra></extra>",
            "showlegend": False, "xaxis": "x2", "yaxis": "y2",
        })
    layout = {
        **base_layout(title_with_n(TITLE, n), height=520),
        "xaxis": {"anchor": "y", "domain": [0.0, 1.0], "title": {"text": "funnel step"}},
        "yaxis": {"anchor": "x", "domain": [_BARS_DOMAIN[0], _TOP], "title": {"text": "applications"},
                  "rangemode": "tozero"},
        "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0]},
        "yaxis2": {"anchor": "x2", "domain": [0.0, _RATES_TOP], "title": {"text": "pass-through (%)"},
                   "range": [0, 105], "ticksuffix": "%"},
        "annotations": [{"font": {"size": 12}, "showarrow": False, "text": text, "x": 0, "xanchor": "left",
                         "xref": "paper", "y": y, "yanchor": "bottom", "yref": "paper"}
                        for text, y in (("Applications reaching each step", _TOP),
                                        ("Pass-through rate to the next step (95% CI)", _RATES_TOP))],
    }
    return build(data, layout)
