"""Application volume over time and applications by dimension with the current-stage breakdown."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import base_layout, build, empty_figure, ids, is_empty, title_with_n
from dashboard.figures.guard import guarded
from dashboard.figures.template import COLORWAY, STAGE_TYPE_ORDER, series_colors, stage_color

SPLIT_COLUMNS = ("channel_name", "job_name", "department_name", "category_name", "location")
BUCKET_LABELS = {"day": "day", "week": "ISO week (Monday)", "month": "month"}
MAX_SERIES = 12  # beyond this the remaining split values are listed in the legend as hidden traces
DIMENSION_TITLES = {
    "job": "job",
    "category": "job category",
    "department": "department",
    "location": "location",
    "channel": "hiring channel",
}


@guarded
def volume_chart(df: pl.DataFrame, bucket: str = "week", split: str | None = None, stacked: bool = True,
                 universe: list[str] | None = None, partial: Collection[date] = ()) -> go.Figure:
    """Applications per bucket: one bar series, or one series per split value (stacked bars or lines).

    Input: `metrics.volume.volume_over_time` — bucket_start (Date), applications, plus the split
    column (channel_name | job_name | department_name | category_name | location) when `split` names it
    (the column name, or the dimension "channel"/"job"/... ). Series beyond the 12 largest start hidden. Each split
    value has one colour by sorted name (`template.series_colors`; pass every possible value as `universe` to keep
    colours stable across filters), "Unknown" grey. Ticks sit on bucket starts: Mondays for ISO weeks, the 1st for
    months. Buckets in `partial` (covered only in part by the range or the data,
    `metrics.volume.partial_buckets`) are hatched and say "partial" on hover.
    customdata: `[bucket_start ISO date, split value ("" when unsplit)]` per bar/point.
    """
    partial = set(partial)
    title = f"Applications per {bucket}"
    split_col = _split_column(df, split)
    if is_empty(df, "bucket_start", "applications"):
        return empty_figure(title)
    n = int(df["applications"].sum())
    if n == 0:
        return empty_figure(title)
    layout = base_layout(title_with_n(title, n), height=420)
    x_title = BUCKET_LABELS.get(bucket, bucket)
    data = []
    if split_col is None:
        df = df.sort("bucket_start")
        data.append({
            "type": "bar", "name": "applications", "x": df["bucket_start"].to_list(), "y": df["applications"].to_list(),
            "marker": {"color": COLORWAY[0], **_hatch(df["bucket_start"], partial)},
            "customdata": ids(df["bucket_start"], [""] * df.height), "text": _partial_text(df["bucket_start"], partial),
            "textposition": "none",
            "hovertemplate": "%{x|%Y-%m-%d}: %{y:,} applications%{text}<extra></extra>", "showlegend": False,
        })
    else:
        order = (
            df.group_by(split_col).agg(pl.col("applications").sum().alias("_total"))
            .sort(["_total", split_col], descending=[True, False])[split_col].to_list()
        )
        colors = series_colors(order, universe)
        for i, value in enumerate(order):
            part = df.filter(pl.col(split_col) == value).sort("bucket_start")
            color = colors[str(value)]
            common = {
                "name": str(value),
                "x": part["bucket_start"].to_list(),
                "y": part["applications"].to_list(),
                "customdata": ids(part["bucket_start"], part[split_col]),
                "text": _partial_text(part["bucket_start"], partial),
                "hovertemplate": f"<b>{_esc(value)}</b><br>%{{x|%Y-%m-%d}}: %{{y:,}} applications%{{text}}<extra></extra>",
                "visible": True if i < MAX_SERIES else "legendonly",
            }
            if stacked:
                data.append({"type": "bar", "marker": {"color": color, **_hatch(part["bucket_start"], partial)},
                             "textposition": "none", **common})
            else:
                data.append({"type": "scatter", "mode": "lines+markers", "line": {"color": color},
                             "marker": {"size": 5}, **common})
        layout.update(barmode="stack", legend={"title": {"text": split_col.replace("_", " ")}})
    layout.update(
        xaxis={"title": {"text": x_title}, "showgrid": False, **bucket_ticks(bucket, df["bucket_start"].n_unique())},
        yaxis={"title": {"text": "applications"}, "rangemode": "tozero"},
    )
    if partial & set(df["bucket_start"].to_list()):
        layout.setdefault("annotations", []).append({
            "text": f"hatched: partial {bucket}, not comparable with a whole one", "xref": "paper", "yref": "paper",
            "x": 1, "y": 1.02, "xanchor": "right", "yanchor": "bottom", "showarrow": False,
            "font": {"size": 11, "color": "#666"},
        })
    return build(data, layout)


def _hatch(starts: pl.Series, partial: set[date]) -> dict:
    """marker settings that hatch the partial buckets' bars ({} when none is partial)."""
    if not partial:
        return {}
    return {"pattern": {"shape": ["/" if d in partial else "" for d in starts.to_list()], "solidity": 0.45}}


def _partial_text(starts: pl.Series, partial: set[date]) -> list[str]:
    """Per point: ' (partial)' for a partial bucket, else '' (shown on hover through %{text})."""
    return [" (partial)" if d in partial else "" for d in starts.to_list()]


WEEK_MS = 7 * 86_400_000
A_MONDAY = "2024-01-01"  # tick0 of weekly axes: ticks fall on Mondays, the first day of an ISO week


def bucket_ticks(bucket: str, n_buckets: int, max_ticks: int = 12) -> dict:
    """x-axis tick settings that put ticks on bucket starts: every k-th Monday for weeks, every k-th 1st of a
    month for months (k grows with the range so at most about `max_ticks` labels show); {} for days (auto)."""
    step = max(1, -(-n_buckets // max_ticks))
    if bucket == "week":
        step = next(k for k in (1, 2, 4, 8, 13, 26, 52) if k >= step or k == 52)
        return {"tick0": A_MONDAY, "dtick": step * WEEK_MS}  # plotly's date labels add the year where it changes
    if bucket == "month":
        step = next(k for k in (1, 2, 3, 6, 12) if k >= step or k == 12)
        return {"tick0": "2000-01-01", "dtick": f"M{step}", "tickformat": "%b %Y"}
    return {}


def _split_column(df: pl.DataFrame | None, split: str | None) -> str | None:
    if split is None or df is None:
        return None
    col = {"channel": "channel_name", "job": "job_name", "department": "department_name",
           "category": "category_name", "location": "location"}.get(split, split)
    return col if col in df.columns else None


def _esc(value: object) -> str:
    """Escape a label for a hovertemplate literal (plotly treats %{...} as placeholders)."""
    return str(value).replace("%", "%%").replace("<", "&lt;").replace(">", "&gt;")


@guarded
def applications_by_chart(df: pl.DataFrame, dimension: str = "channel", max_rows: int = 25) -> go.Figure:
    """Horizontal stacked bars per job/category/department/location/channel, split by current stage type.

    Input: `metrics.volume.applications_by` — key, label, applications, hires, n_<stage type> columns
    (n_new … n_unassigned, n_unknown_type). Keeps the input order (applications desc); the first
    `max_rows` rows are drawn and the title says how many more there are.
    customdata: `[key, stage_type]` per bar segment (key = job_id for jobs, else the label).
    """
    name = DIMENSION_TITLES.get(dimension, dimension)
    title = f"Applications by {name}"
    if is_empty(df, "key", "label", "applications"):
        return empty_figure(title)
    n = int(df["applications"].sum())
    shown = df.head(max_rows)
    extra = f"showing the {max_rows} largest of {df.height}" if df.height > max_rows else ""
    layout = base_layout(title_with_n(title, n, extra=extra), height=max(340, 120 + 26 * shown.height))
    labels = _unique_labels(shown["label"].to_list(), shown["key"].to_list())
    data = []
    for stype in (*STAGE_TYPE_ORDER, "unknown_type"):
        col = "n_" + stype.replace(" ", "_")
        if col not in shown.columns or shown[col].sum() == 0:
            continue
        data.append({
            "type": "bar", "name": stype.replace("_", " "), "orientation": "h", "y": labels, "x": shown[col].to_list(),
            "marker": {"color": stage_color(stype)}, "customdata": ids(shown["key"], [stype] * shown.height),
            "hovertemplate": f"<b>%{{y}}</b><br>{stype.replace('_', ' ')}: %{{x:,}}<extra></extra>",
        })
    if not data:  # no per-type columns: plain totals
        data.append({"type": "bar", "orientation": "h", "y": labels, "x": shown["applications"].to_list(),
                     "marker": {"color": COLORWAY[0]}, "customdata": ids(shown["key"], [""] * shown.height),
                     "name": "applications", "showlegend": False})
    if "hires" in shown.columns:
        data.append({
            "type": "scatter", "name": "total (hires)", "mode": "text", "y": labels, "x": shown["applications"].to_list(),
            "text": [f"  {a:,} ({h:,} hired)" for a, h in zip(shown["applications"], shown["hires"], strict=True)],
            "textposition": "middle right", "cliponaxis": False, "customdata": ids(shown["key"], ["total"] * shown.height),
            "hoverinfo": "skip", "showlegend": False,
        })
    layout.update(
        barmode="stack", legend={"title": {"text": "current stage"}},
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels)), "showgrid": False},
        xaxis={"title": {"text": "applications"}, "showgrid": True, "rangemode": "tozero"},
        margin={"r": 110},
    )
    return build(data, layout)


def _unique_labels(labels: list[str], keys: list[str]) -> list[str]:
    """Labels made unique (two jobs may share a name) by appending the key where needed."""
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [f"{lab} ({key})" if seen[lab] > 1 else str(lab) for lab, key in zip(labels, keys, strict=True)]
