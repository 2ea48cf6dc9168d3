"""Stage snapshot: applications by current (or as-of) stage, active stages apart from closed outcomes."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import (
    GAP,
    TITLE_LINE,
    TITLE_TOP,
    base_layout,
    build,
    empty_figure,
    ids,
    is_empty,
    title_with_n,
)
from dashboard.figures.guard import guarded
from dashboard.figures.stage_colors import named_stage_color
from dashboard.figures.template import TEXT
from dashboard.schema import EXIT_TYPES

TITLE = "Applications per stage"
CLOSED_TYPES: tuple[str, ...] = ("hired", *EXIT_TYPES)  # outcomes: an application in one is no longer in the pipeline
CLOSED_OPACITY = 0.55  # closed outcomes are muted: the active stages are what a review acts on
ROW = 26  # px per bar
HEADING = 26  # px above each panel for its heading
AXIS_GAP = 34  # px between the panels: the upper panel's tick labels
MARGIN_B = 52  # px: the lower axis' tick labels and title
MIN_HEIGHT = 320


def _labels(df: pl.DataFrame) -> list[str]:
    """'Name · type' per row ('Name' when they agree); a label that repeats names its pipeline (or its id)."""
    base = [
        str(name) if str(name).lower() == str(stype).lower() else f"{name} · {stype}"
        for name, stype in zip(df["stage_name"], df["stage_type"], strict=True)
    ]
    pipelines = df["pipeline"].to_list() if "pipeline" in df.columns else [""] * df.height
    return [
        f"{label} ({pipe or sid})" if base.count(label) > 1 else label
        for label, pipe, sid in zip(base, pipelines, df["stage_id"], strict=True)
    ]


def _panel(part: pl.DataFrame, axis: str, closed: bool) -> dict[str, Any]:
    """One horizontal bar trace: a bar per stage, its own colour, the count outside the bar."""
    positions = part["position_in_type"].to_list() if "position_in_type" in part.columns else [None] * part.height
    return {
        "type": "bar", "name": "closed" if closed else "active", "orientation": "h", "showlegend": False,
        "xaxis": f"x{axis}", "yaxis": f"y{axis}", "y": part["_label"].to_list(), "x": part["count"].to_list(),
        "marker": {"color": [named_stage_color(t, p) for t, p in zip(part["stage_type"], positions, strict=True)],
                   "opacity": CLOSED_OPACITY if closed else 1.0},
        "text": [f"{c:,}" for c in part["count"]], "textposition": "outside", "cliponaxis": False,
        "customdata": ids(part["stage_id"], part["stage_type"], part["stage_name"]),
        "hovertemplate": "<b>%{customdata[2]}</b> (%{customdata[1]})<br>%{x:,} applications<extra></extra>",
    }


@guarded
def stage_snapshot_chart(df: pl.DataFrame, as_of_label: str = "") -> go.Figure:
    """Two panels of horizontal bars, each with its own axis: active stages (pipeline order) above, closed
    outcomes (hired, rejected, withdrawn, talent pool; muted) below, so the active stages read on their own.

    Input: `metrics.snapshot.applications_per_stage` — stage_type, stage_name, stage_id, count, and
    position_in_type, pipeline when present; rows are drawn in the input order (the metric's pipeline order).
    One colour per stage (its type's hue, a shade per position_in_type), the same in "now" and "as of" charts.
    `as_of_label` (e.g. "as of 2025-03-01") is appended to the title.
    customdata: `[stage_id, stage_type, stage_name]` per bar.
    """
    title = TITLE + (f" ({as_of_label})" if as_of_label else "")
    if is_empty(df, "stage_type", "stage_name", "stage_id", "count"):
        return empty_figure(title)
    df = df.with_columns(pl.Series("_label", _labels(df)))
    is_closed = pl.col("stage_type").str.to_lowercase().is_in(CLOSED_TYPES)
    panels = [(part, closed) for part, closed in ((df.filter(~is_closed), False), (df.filter(is_closed), True))
              if part.height]
    n = int(df["count"].sum())
    top = TITLE_TOP + TITLE_LINE + GAP  # what `build` sets as the top margin for a one-line title
    plot = sum(HEADING + ROW * part.height for part, _ in panels) + AXIS_GAP * (len(panels) - 1)
    height = max(MIN_HEIGHT, top + plot + MARGIN_B)
    plot = height - top - MARGIN_B
    layout = base_layout(title_with_n(title, n), height=height)
    layout.update(margin={"b": MARGIN_B, "r": 56}, showlegend=False, bargap=0.28)
    data, annotations, y_px = [], [], 0.0
    for i, (part, closed) in enumerate(panels):
        axis = "" if i == 0 else str(i + 1)
        y_top = 1 - y_px / plot
        y_px += HEADING + ROW * part.height
        y_bottom = max(0.0, 1 - y_px / plot)
        y_px += AXIS_GAP
        labels = part["_label"].to_list()
        data.append(_panel(part, axis, closed))
        k = int(part["count"].sum())
        heading = (f"<b>Closed</b> · {k:,} hired, rejected, withdrawn or in a talent pool" if closed
                   else f"<b>Active stages</b> · {k:,} applications in the pipeline")
        annotations.append({"text": heading, "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left",
                            "y": y_top, "yanchor": "top", "showarrow": False, "font": {"size": 13, "color": TEXT}})
        layout[f"yaxis{axis}"] = {
            "domain": [y_bottom, y_top - HEADING / plot], "anchor": f"x{axis}", "categoryorder": "array",
            "categoryarray": list(reversed(labels)), "showgrid": False, "title": {"text": ""},
        }
        last = i == len(panels) - 1
        layout[f"xaxis{axis}"] = {
            "anchor": f"y{axis}", "showgrid": True, "rangemode": "tozero",
            "title": {"text": "applications" if last else ""},
        }
    layout["annotations"] = annotations
    return build(data, layout)
