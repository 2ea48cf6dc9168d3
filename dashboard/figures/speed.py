"""Time metrics: time to hire/offer distributions, time to fill per job, Kaplan–Meier curve, time in stage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import (
    base_layout,
    build,
    days,
    empty_figure,
    ids,
    is_empty,
    reference_labels,
    title_with_n,
)
from dashboard.figures.guard import guarded
from dashboard.figures.safe import ESCAPED, LABEL_CHARS, plotly_text
from dashboard.figures.template import (
    COLORWAY,
    NEUTRAL,
    OKABE_ITO,
    STEP_COLORS,
    TEXT,
    stage_color,
)
from metrics.histogram import duration_bins

MEDIAN_COLOR = OKABE_ITO["blue"]
P90_COLOR = OKABE_ITO["vermillion"]


# Above this many applications the box strip is drawn from its five numbers instead of one point per application:
# at 100k applications the offers' points were 120 KB of the Speed page's 170 KB figure JSON and ~6x its draw time
# in Chromium (benchmarks/RESULTS.md, section 9); a point per application is unreadable at that count anyway.
MAX_BOX_POINTS = 1000

# Rows of the distribution figure: histogram over a box strip (row heights 0.78 / 0.22, 0.04 apart), shared x.
_HIST_DOMAIN = [0.2512, 1.0]
_BOX_DOMAIN = [0.0, 0.2112]


def time_distribution_chart(
    df: pl.DataFrame, summary: Mapping[str, Any] | None = None, *, what: str = "hire", color: str | None = None
) -> go.Figure:
    """Histogram of days (top) over a box with every application as a point (bottom), median and p90 lines.

    Above MAX_BOX_POINTS applications the box is drawn from its five numbers, without points.
    Input: `metrics.speed.time_to_hire` / `time_to_offer` — application_id, days (job_name, channel_name
    used in hovers when present) and `summary` = `metrics.speed.speed_summary(df)` (n, median, p90, ...);
    the lines are drawn from the summary, never recomputed here.
    customdata: histogram bars `[bin_start, bin_end]` (days, bins from `metrics.histogram.duration_bins`,
    so a selected bar lists exactly its applications); box points `[application_id]` per application (only
    up to MAX_BOX_POINTS).
    Assembled as dicts and built once (`common.build`): the two rows are the axes `make_subplots` would make.
    """
    label = {"hire": "Time to hire", "offer": "Time to offer"}.get(what, f"Time to {what}")
    color = color or (STEP_COLORS["hired"] if what == "hire" else STEP_COLORS["offer"])
    if is_empty(df, "days", "application_id"):
        return empty_figure(label, f"No {what}s in this range")
    summary = summary or {}
    n = summary.get("n", df.height)
    extra = f"median {days(summary.get('median'))} · p90 {days(summary.get('p90'))}"
    x = df["days"].to_list()
    hover_bits = [c for c in ("job_name", "channel_name") if c in df.columns]
    bins = duration_bins(df, "days")
    starts, ends = bins["bin_start"].to_list(), bins["bin_end"].to_list()
    histogram = {
        "type": "bar", "name": f"{what}s", "x": [(a + b) / 2 for a, b in zip(starts, ends, strict=True)],
        "width": [0.94 * (b - a) for a, b in zip(starts, ends, strict=True)], "y": bins["count"].to_list(),
        "marker": {"color": color}, "opacity": 0.9,
        "customdata": [[f"{a:.0f}", f"{b:.0f}"] for a, b in zip(starts, ends, strict=True)],  # whole-day edges
        "hovertemplate": f"%{{customdata[0]}}–%{{customdata[1]}} days: %{{y}} {what}s<extra></extra>",
        "showlegend": False, "xaxis": "x", "yaxis": "y",
    }
    box = {
        "type": "box", "name": "", "line": {"color": TEXT}, "fillcolor": "rgba(0,0,0,0)", "showlegend": False,
        "orientation": "h", "xaxis": "x2", "yaxis": "y2",
    }
    if df.height <= MAX_BOX_POINTS:
        box |= {"x": [None if v is None else round(v, 2) for v in x], "boxpoints": "all", "jitter": 0.6, "pointpos": 0,
                "marker": {"color": color, "size": 5, "opacity": 0.6}, "customdata": ids(df["application_id"]),
                "hovertemplate": "%{x:.1f} days<br>%{hovertext}<extra></extra>" if hover_bits
                else "%{x:.1f} days<extra></extra>"}
        if hover_bits:
            box["hovertext"] = [" · ".join(str(v) for v in row) for row in df.select(hover_bits).iter_rows()]
    else:  # the box from its five numbers: the histogram above lists the applications (see MAX_BOX_POINTS)
        box |= _box_stats(df["days"]) | {"y": [""], "hoverinfo": "x"}
    shapes, labels = [], []
    for key, name, line_color, dash in (("median", "median", MEDIAN_COLOR, "solid"), ("p90", "p90", P90_COLOR, "dash")):
        value = summary.get(key)
        if value is None:
            continue
        line = {"color": line_color, "width": 2, "dash": dash}
        shapes += [{"type": "line", "x0": value, "x1": value, "xref": xref, "y0": 0, "y1": 1, "yref": f"{yref} domain",
                    "line": line} for xref, yref in (("x", "y"), ("x2", "y2"))]
        labels.append((value, f"{name} {value:.1f} d", line_color))
    annotations = reference_labels(labels, max([*ends, *x]))
    layout = {
        **base_layout(title_with_n(label, n, f"{what}s", extra), height=440),
        "bargap": 0.05,
        "xaxis": {"anchor": "y", "domain": [0.0, 1.0], "matches": "x2", "showticklabels": False},
        "yaxis": {"anchor": "x", "domain": _HIST_DOMAIN, "title": {"text": f"{what}s"}},
        "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0], "title": {"text": "days"}, "rangemode": "tozero"},
        "yaxis2": {"anchor": "x2", "domain": _BOX_DOMAIN, "showticklabels": False, "showgrid": False,
                   "showline": False, "ticks": ""},
    }
    if shapes:
        layout["shapes"] = shapes
        layout["annotations"] = annotations
    return build([histogram, box], layout)


def _box_stats(days: pl.Series) -> dict[str, list[float]]:
    """A precomputed plotly box: quartiles (linear, as plotly's own) and whiskers at the last point within 1.5 IQR."""
    d = days.drop_nulls()
    q1, med, q3 = (d.quantile(q, "linear") for q in (0.25, 0.5, 0.75))
    iqr = q3 - q1
    low, high = d.filter(d >= q1 - 1.5 * iqr).min(), d.filter(d <= q3 + 1.5 * iqr).max()
    return {"q1": [q1], "median": [med], "q3": [q3], "lowerfence": [low], "upperfence": [high]}


@guarded
def time_to_hire_chart(df: pl.DataFrame, summary: Mapping[str, Any] | None = None) -> go.Figure:
    """`time_distribution_chart` for `metrics.speed.time_to_hire` (customdata `[application_id]`)."""
    return time_distribution_chart(df, summary, what="hire")


@guarded
def time_to_offer_chart(df: pl.DataFrame, summary: Mapping[str, Any] | None = None) -> go.Figure:
    """`time_distribution_chart` for `metrics.speed.time_to_offer` (customdata `[application_id]`)."""
    return time_distribution_chart(df, summary, what="offer")


@guarded
def time_to_fill_chart(df: pl.DataFrame, summary: Mapping[str, Any] | None = None, max_rows: int = 40) -> go.Figure:
    """Horizontal bars per job: days to fill (solid), open jobs as their age at as_of (hatched, grey).

    Input: `metrics.speed.time_to_fill` — job_id, job_name, status ("filled" | "open"), days, age_days;
    optional `summary` = `time_to_fill_summary` (median, km_median, n_filled, n_open) for reference lines.
    Longest first; at most `max_rows` jobs (the title says so).
    customdata: `[job_id, status]` per bar.
    """
    title = "Time to fill per job"
    if is_empty(df, "job_id", "job_name", "status"):
        return empty_figure(title, "No jobs in this range")
    df = df.with_columns(
        pl.when(pl.col("status") == "filled").then(pl.col("days")).otherwise(pl.col("age_days")).alias("_len")
    ).sort("_len", descending=True, nulls_last=True)
    shown = df.head(max_rows)
    n_filled = int((df["status"] == "filled").sum())
    n_open = df.height - n_filled
    summary = summary or {}
    parts = []
    if summary:
        parts.append(f"median {days(summary.get('median'))} (filled) · "
                     f"Kaplan–Meier median {days(summary.get('km_median'))}")
    if df.height > max_rows:
        parts.append(f"showing the {max_rows} longest of {df.height}")
    layout = base_layout(title_with_n(title, n_filled, f"filled jobs, {n_open:,} open", " · ".join(parts)),
                         height=max(340, 130 + 24 * shown.height))
    seen: dict[str, int] = {}
    for name in shown["job_name"]:
        seen[name] = seen.get(name, 0) + 1
    labels = [f"{nm} ({jid})" if seen[nm] > 1 else str(nm) for nm, jid in zip(shown["job_name"], shown["job_id"], strict=True)]
    shown = shown.with_columns(pl.Series("_label", labels))
    data = []
    for status, name, color, pattern in (
        ("filled", "filled: days to last hire", COLORWAY[0], ""),
        ("open", "open: age so far", NEUTRAL, "/"),
    ):
        part = shown.filter(pl.col("status") == status)
        if part.height == 0:
            continue
        data.append({
            "type": "bar", "name": name, "orientation": "h", "y": part["_label"].to_list(), "x": part["_len"].to_list(),
            "marker": {"color": color, "pattern": {"shape": pattern, "fgcolor": TEXT, "solidity": 0.3}},
            "text": [days(v) for v in part["_len"]], "textposition": "outside", "cliponaxis": False,
            "customdata": ids(part["job_id"], part["status"]),
            "hovertemplate": f"<b>%{{y}}</b><br>{name}: %{{x:.1f}} days<extra></extra>",
        })
    shapes, lines = [], []  # not `labels`: that list holds the job rows' category order below
    for key, name, color, dash in (("median", "median (filled)", MEDIAN_COLOR, "solid"),
                                   ("km_median", "Kaplan–Meier median", P90_COLOR, "dash")):
        if (value := summary.get(key)) is not None:
            shapes.append(_vline(value, {"color": color, "width": 2, "dash": dash}))
            lines.append((value, f"{name} {days(value)}", color))  # the same rounding as the tiles
    longest = shown["_len"].max()
    annotations = reference_labels(lines, max([float(longest or 0), *(v for v, _t, _c in lines)]),
                                   yref="y domain", size=11)
    if shapes:
        layout.update(shapes=shapes, annotations=annotations)
    layout.update(
        barmode="overlay",
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels)), "showgrid": False},
        xaxis={"title": {"text": "days"}, "rangemode": "tozero", "showgrid": True},
    )
    return build(data, layout)


def _vline(x: float, line: Mapping[str, Any]) -> dict[str, Any]:
    """A vertical line across the plot at `x` (what `Figure.add_vline` adds, without its per-call validation)."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": dict(line)}


@guarded
def km_curve_chart(curve: pl.DataFrame, km_median: float | None = None, what: str = "fill") -> go.Figure:
    """Kaplan–Meier step curve of the share of jobs still open over days, censoring ticks, median marked.

    Input: `metrics.speed.time_to_fill_km_curve` — time, at_risk, events, censored, survival; `km_median`
    from `time_to_fill_summary` (drawn, not recomputed; "not reached" when None).
    customdata: curve points `[time, at_risk, events, censored]` (time = days, the point's id);
    censoring ticks `[time]`.
    """
    title = "Jobs still open over time (Kaplan–Meier)" if what == "fill" else f"Kaplan–Meier: time to {what}"
    if is_empty(curve, "time", "survival"):
        return empty_figure(title, "No jobs in this range")
    curve = curve.sort("time")
    n = int(curve["at_risk"][0]) if "at_risk" in curve.columns else curve.height
    times = [0.0, *curve["time"].to_list()]
    surv = [100.0, *[s * 100 for s in curve["survival"].to_list()]]
    extra_cols = [c for c in ("at_risk", "events", "censored") if c in curve.columns]
    custom = [["0", str(n), "0", "0"], *ids(curve["time"], *(curve[c] for c in extra_cols))]
    extra = "median " + (f"{km_median:.1f} days" if km_median is not None else "not reached")
    layout = base_layout(title_with_n(title, n, "jobs", extra), height=420)
    data: list[dict[str, Any]] = [{
        "type": "scatter", "name": "still open", "x": times, "y": surv, "mode": "lines",
        "line": {"shape": "hv", "color": COLORWAY[0], "width": 2.5}, "customdata": custom,
        "hovertemplate": "%{x:.1f} days: %{y:.0f}% still open<extra></extra>", "showlegend": False,
    }]
    if "censored" in curve.columns:
        cens = curve.with_row_index("_i").filter(pl.col("censored") > 0)
        if cens.height:
            data.append({
                "type": "scatter", "name": "censored (still open at sync)", "x": cens["time"].to_list(),
                "y": [s * 100 for s in cens["survival"]], "mode": "markers",
                "marker": {"symbol": "line-ns-open", "size": 10, "color": TEXT, "line": {"width": 1.5}},
                "customdata": ids(cens["time"]),
                "hovertemplate": "%{x:.1f} days: %{customdata[0]} censored<extra></extra>",
            })
    if km_median is not None:
        layout["shapes"] = [{"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": 50, "y1": 50, "yref": "y",
                             "line": {"color": NEUTRAL, "width": 1, "dash": "dot"}}]
        data.append({
            "type": "scatter", "name": f"median {km_median:.1f} days", "x": [km_median], "y": [50],
            "mode": "markers+text", "marker": {"size": 11, "color": P90_COLOR, "symbol": "diamond"},
            "text": [f"median {km_median:.1f} d"], "textposition": "top right",
            "customdata": [["median", f"{km_median}"]],
            "hovertemplate": "Kaplan–Meier median: %{x:.1f} days<extra></extra>", "showlegend": False,
        })
    layout.update(
        xaxis={"title": {"text": "days since the job was created"}, "rangemode": "tozero", "showgrid": True},
        yaxis={"title": {"text": "jobs still open (%)"}, "range": [0, 104], "ticksuffix": "%"},
    )
    return build(data, layout)


OUTCOME_TYPES = ("hired", "rejected", "withdrawn", "talent pool")


def working_stages(df: pl.DataFrame) -> pl.DataFrame:
    """Rows of `metrics.speed.time_in_stage` for stages where work happens (outcome types left out)."""
    return df.filter(~pl.col("stage_type").is_in(OUTCOME_TYPES))


NOT_COUNTED = "open stays not counted: the range ends before the data's sync day"
ROW_HEIGHT = 48  # px per stage: a 13 px name and a 12 px line of numbers under it, plus the gap between bars


def open_stays(df: pl.DataFrame) -> int | None:
    """Open stays of the rows of `metrics.speed.time_in_stage`, or None when they were not counted (n_open null:
    the range ends before the sync day, so no stay was open within it)."""
    if "n_open" not in df.columns or df.height == 0 or df["n_open"].null_count() == df.height:
        return None
    return int(df["n_open"].sum())


def stays_caption_unit(df: pl.DataFrame) -> tuple[int, str]:
    """(n, unit) of a time-in-stage caption, the same numbers as the chart's title."""
    shown = working_stages(df) if df.height else df
    done = int(shown["n_completed"].sum()) if shown.height else 0
    still = open_stays(shown)
    return done, "completed stays" + (f" ({NOT_COUNTED})" if still is None else f", {still:,} still open")


@guarded
def time_in_stage_chart(df: pl.DataFrame) -> go.Figure:
    """Median days per working stage (bars) with the p90 as a marker; under each stage's name a line with its
    median, p90, completed stays and open stays, in type the size of the tick labels (readable in a PNG too).

    Outcome types (hired, rejected, withdrawn, talent pool) are left out: they end an application.

    Input: `metrics.speed.time_in_stage` — stage_type, [stage_name], n_completed, median, p90, n_open (null:
    not counted), km_median. Keeps the input order.
    customdata: `[stage_type, stage_name ("" when by type)]` per bar and p90 marker.
    """
    title = "Time in stage"
    if not is_empty(df, "stage_type", "median", "n_completed"):
        df = working_stages(df)
    if is_empty(df, "stage_type", "median", "n_completed"):
        return empty_figure(title, "No stage changes in this range")
    by_name = "stage_name" in df.columns
    names = df["stage_name"].to_list() if by_name else [""] * df.height
    n = int(df["n_completed"].sum())  # df holds the working stages only, as stays_caption_unit counts them
    still = open_stays(df)
    n_open = df["n_open"].to_list() if "n_open" in df.columns else [None] * df.height
    custom = ids(df["stage_type"], names)
    p90 = df["p90"].to_list() if "p90" in df.columns else [None] * df.height
    label_text = [
        f"median {days(m)}" + ("" if p is None else f" · p90 {days(p)}") + f" · n = {c:,}"
        + ("" if o is None else f", {o:,} open")
        for m, p, c, o in zip(df["median"], p90, df["n_completed"], n_open, strict=True)
    ]
    labels = [  # names come from Personio: escaped and shortened here, as the label carries our own second line
        plotly_text(f"{nm} · {t}" if by_name and str(nm).lower() != str(t).lower() else str(nm or t), LABEL_CHARS)
        + f"<br><span style=\"font-size:12px\">{text}</span>"
        for nm, t, text in zip(names, df["stage_type"], label_text, strict=True)
    ]
    unit = "completed stays" + ("" if still is None else f", {still:,} still open")
    text = title_with_n(title, n, unit, "outcomes (hired, rejected, withdrawn, talent pool) are not stages "
                        "with a duration and are left out")
    if still is None:  # a line of its own: one line with both would not fit a narrow chart
        text += f"<br><sup>{NOT_COUNTED}</sup>"
    layout = base_layout(text, height=max(340, 130 + ROW_HEIGHT * df.height))
    data: list[dict[str, Any]] = [{
        "type": "bar", "name": "median", "orientation": "h", "y": labels, "x": df["median"].to_list(), "meta": ESCAPED,
        "marker": {"color": [stage_color(t) for t in df["stage_type"]]}, "customdata": custom,
        "hovertemplate": "<b>%{y}</b><br>median %{x:.1f} days<extra></extra>",
    }]
    if "p90" in df.columns:
        data.append({
            "type": "scatter", "name": "p90", "y": labels, "x": df["p90"].to_list(), "mode": "markers", "meta": ESCAPED,
            "marker": {"symbol": "line-ns", "size": 18, "color": TEXT, "line": {"width": 2.5, "color": TEXT}},
            "customdata": custom, "hovertemplate": "<b>%{y}</b><br>p90 %{x:.1f} days<extra></extra>",
        })
    layout.update(
        margin={"r": 24},
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels)), "showgrid": False,
               "tickfont": {"size": 13}},
        xaxis={"title": {"text": "days", "font": {"size": 13}}, "rangemode": "tozero", "showgrid": True,
               "tickfont": {"size": 13}},
        legend={"font": {"size": 13}},
    )
    return build(data, layout)
