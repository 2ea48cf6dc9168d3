"""Stage snapshot: applications by current (or as-of) stage, grouped under the stage type."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import base_layout, build, empty_figure, ids, is_empty, title_with_n
from dashboard.figures.guard import guarded
from dashboard.figures.template import STAGE_TYPE_ORDER, stage_color

TITLE = "Applications per stage"


@guarded
def stage_snapshot_chart(df: pl.DataFrame, as_of_label: str = "") -> go.Figure:
    """Horizontal bars, one per named stage, one trace (colour) per stage type, in funnel order.

    Input: `metrics.snapshot.applications_per_stage` — stage_type, stage_name, stage_id, count.
    `as_of_label` (e.g. "as of 2025-03-01") is appended to the title.
    customdata: `[stage_id, stage_type, stage_name]` per bar.
    """
    title = TITLE + (f" ({as_of_label})" if as_of_label else "")
    if is_empty(df, "stage_type", "stage_name", "stage_id", "count"):
        return empty_figure(title)
    n = int(df["count"].sum())
    df = df.with_row_index("_order")
    types = [t for t in STAGE_TYPE_ORDER if t in set(df["stage_type"])]
    types += [t for t in df["stage_type"].unique(maintain_order=True) if t not in types]
    layout = base_layout(title_with_n(title, n), height=max(320, 90 + 28 * df.height))
    labels = [
        str(name) if str(name).lower() == str(stype).lower() else f"{name} · {stype}"
        for name, stype in zip(df["stage_name"], df["stage_type"], strict=True)
    ]
    df = df.with_columns(pl.Series("_label", labels))
    data = []
    for stype in types:
        part = df.filter(pl.col("stage_type") == stype)
        data.append({
            "type": "bar", "name": stype, "orientation": "h", "y": part["_label"].to_list(), "x": part["count"].to_list(),
            "marker": {"color": stage_color(stype)}, "text": [f"{c:,}" for c in part["count"]],
            "textposition": "outside", "cliponaxis": False,
            "customdata": ids(part["stage_id"], part["stage_type"], part["stage_name"]),
            "hovertemplate": "<b>%{customdata[2]}</b> (%{customdata[1]})<br>%{x:,} applications<extra></extra>",
        })
    layout.update(
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels)), "showgrid": False, "title": {"text": ""}},
        xaxis={"title": {"text": "applications"}, "showgrid": True, "rangemode": "tozero"},
        barmode="overlay", legend={"traceorder": "normal"},
    )
    return build(data, layout)
