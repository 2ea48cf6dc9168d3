"""Time metrics: time to hire/offer distributions, time to fill per job, Kaplan–Meier curve, time in stage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.figures.common import base_figure, days, empty_figure, finish, ids, is_empty, title_with_n
from dashboard.figures.template import (
    COLORWAY,
    NEUTRAL,
    OKABE_ITO,
    STEP_COLORS,
    TEMPLATE_NAME,
    TEXT,
    stage_color,
)

MEDIAN_COLOR = OKABE_ITO["blue"]
P90_COLOR = OKABE_ITO["vermillion"]


def time_distribution_chart(
    df: pl.DataFrame, summary: Mapping[str, Any] | None = None, *, what: str = "hire", color: str | None = None
) -> go.Figure:
    """Histogram of days (top) over a box with every application as a point (bottom), median and p90 lines.

    Input: `metrics.speed.time_to_hire` / `time_to_offer` — application_id, days (job_name, channel_name
    used in hovers when present) and `summary` = `metrics.speed.speed_summary(df)` (n, median, p90, ...);
    the lines are drawn from the summary, never recomputed here.
    customdata: histogram and box points `[application_id]` per application (the histogram is binned
    by plotly; use the box points to select individual applications).
    """
    label = {"hire": "Time to hire", "offer": "Time to offer"}.get(what, f"Time to {what}")
    color = color or (STEP_COLORS["hired"] if what == "hire" else STEP_COLORS["offer"])
    if is_empty(df, "days", "application_id"):
        return empty_figure(label, f"No {what}s in this range")
    summary = summary or {}
    n = summary.get("n", df.height)
    extra = f"median {days(summary.get('median'))} · p90 {days(summary.get('p90'))}"
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22], vertical_spacing=0.04)
    id_rows = ids(df["application_id"])
    hover_bits = [c for c in ("job_name", "channel_name") if c in df.columns]
    fig.add_trace(
        go.Histogram(
            name=f"{what}s",
            x=df["days"].to_list(),
            marker_color=color,
            opacity=0.9,
            customdata=id_rows,
            hovertemplate=f"%{{x}} days: %{{y}} {what}s<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    hovertext = [" · ".join(str(v) for v in row) for row in df.select(hover_bits).iter_rows()] if hover_bits else None
    fig.add_trace(
        go.Box(
            name="",
            x=df["days"].to_list(),
            boxpoints="all",
            jitter=0.6,
            pointpos=0,
            marker={"color": color, "size": 5, "opacity": 0.6},
            line_color=TEXT,
            fillcolor="rgba(0,0,0,0)",
            customdata=id_rows,
            hovertext=hovertext,
            hovertemplate="%{x:.1f} days<br>%{hovertext}<extra></extra>" if hover_bits else "%{x:.1f} days<extra></extra>",
            showlegend=False,
            orientation="h",
        ),
        row=2,
        col=1,
    )
    for key, name, line_color, dash in (("median", "median", MEDIAN_COLOR, "solid"), ("p90", "p90", P90_COLOR, "dash")):
        value = summary.get(key)
        if value is None:
            continue
        fig.add_vline(x=value, line={"color": line_color, "width": 2, "dash": dash}, row="all", col=1)
        fig.add_annotation(
            x=value, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
            text=f"{name} {value:.1f} d", font={"color": line_color, "size": 12}, xanchor="left", xshift=3,
        )
    fig.update_layout(template=TEMPLATE_NAME, title={"text": title_with_n(label, n, f"{what}s", extra)}, height=440,
                      bargap=0.05)
    fig.update_yaxes(title_text=f"{what}s", row=1, col=1)
    fig.update_yaxes(showticklabels=False, showgrid=False, showline=False, ticks="", row=2, col=1)
    fig.update_xaxes(title_text="days", rangemode="tozero", row=2, col=1)
    return finish(fig)


def time_to_hire_chart(df: pl.DataFrame, summary: Mapping[str, Any] | None = None) -> go.Figure:
    """`time_distribution_chart` for `metrics.speed.time_to_hire` (customdata `[application_id]`)."""
    return time_distribution_chart(df, summary, what="hire")


def time_to_offer_chart(df: pl.DataFrame, summary: Mapping[str, Any] | None = None) -> go.Figure:
    """`time_distribution_chart` for `metrics.speed.time_to_offer` (customdata `[application_id]`)."""
    return time_distribution_chart(df, summary, what="offer")


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
    fig = base_figure(
        title_with_n(title, n_filled, f"filled jobs, {n_open:,} open", " · ".join(parts)),
        height=max(340, 130 + 24 * shown.height),
    )
    seen: dict[str, int] = {}
    for name in shown["job_name"]:
        seen[name] = seen.get(name, 0) + 1
    labels = [f"{nm} ({jid})" if seen[nm] > 1 else str(nm) for nm, jid in zip(shown["job_name"], shown["job_id"], strict=True)]
    shown = shown.with_columns(pl.Series("_label", labels))
    for status, name, color, pattern in (
        ("filled", "filled: days to last hire", COLORWAY[0], ""),
        ("open", "open: age so far", NEUTRAL, "/"),
    ):
        part = shown.filter(pl.col("status") == status)
        if part.height == 0:
            continue
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=part["_label"].to_list(),
                x=part["_len"].to_list(),
                marker={"color": color, "pattern": {"shape": pattern, "fgcolor": TEXT, "solidity": 0.3}},
                text=[days(v) for v in part["_len"]],
                textposition="outside",
                cliponaxis=False,
                customdata=ids(part["job_id"], part["status"]),
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{x:.1f}} days<extra></extra>",
            )
        )
    for key, name, color, dash in (("median", "median (filled)", MEDIAN_COLOR, "solid"),
                                   ("km_median", "Kaplan–Meier median", P90_COLOR, "dash")):
        if (value := summary.get(key)) is not None:
            fig.add_vline(x=value, line={"color": color, "width": 2, "dash": dash},
                          annotation={"text": f"{name} {value:.0f} d", "font": {"color": color, "size": 11}},
                          annotation_position="top")
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), showgrid=False)
    fig.update_xaxes(title_text="days", rangemode="tozero", showgrid=True)
    return finish(fig)


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
    fig = base_figure(title_with_n(title, n, "jobs", extra), height=420)
    fig.add_trace(
        go.Scatter(
            name="still open",
            x=times,
            y=surv,
            mode="lines",
            line={"shape": "hv", "color": COLORWAY[0], "width": 2.5},
            customdata=custom,
            hovertemplate="%{x:.1f} days: %{y:.0f}% still open<extra></extra>",
            showlegend=False,
        )
    )
    if "censored" in curve.columns:
        cens = curve.with_row_index("_i").filter(pl.col("censored") > 0)
        if cens.height:
            fig.add_trace(
                go.Scatter(
                    name="censored (still open at sync)",
                    x=cens["time"].to_list(),
                    y=[s * 100 for s in cens["survival"]],
                    mode="markers",
                    marker={"symbol": "line-ns-open", "size": 10, "color": TEXT, "line": {"width": 1.5}},
                    customdata=ids(cens["time"]),
                    hovertemplate="%{x:.1f} days: %{customdata[0]} censored<extra></extra>",
                )
            )
    if km_median is not None:
        fig.add_hline(y=50, line={"color": NEUTRAL, "width": 1, "dash": "dot"})
        fig.add_trace(
            go.Scatter(
                name=f"median {km_median:.1f} days",
                x=[km_median],
                y=[50],
                mode="markers+text",
                marker={"size": 11, "color": P90_COLOR, "symbol": "diamond"},
                text=[f"median {km_median:.1f} d"],
                textposition="top right",
                customdata=[["median", f"{km_median}"]],
                hovertemplate="Kaplan–Meier median: %{x:.1f} days<extra></extra>",
                showlegend=False,
            )
        )
    fig.update_xaxes(title_text="days since the job was created", rangemode="tozero", showgrid=True)
    fig.update_yaxes(title_text="jobs still open (%)", range=[0, 104], ticksuffix="%")
    return finish(fig)


def time_in_stage_chart(df: pl.DataFrame) -> go.Figure:
    """Median days per stage (bars) with the p90 as a marker, plus n completed / n open per bar.

    Input: `metrics.speed.time_in_stage` — stage_type, [stage_name], n_completed, median, p90, n_open,
    km_median. Keeps the input order.
    customdata: `[stage_type, stage_name ("" when by type)]` per bar and p90 marker.
    """
    title = "Time in stage"
    if is_empty(df, "stage_type", "median", "n_completed"):
        return empty_figure(title, "No stage changes in this range")
    by_name = "stage_name" in df.columns
    names = df["stage_name"].to_list() if by_name else [""] * df.height
    n = int(df["n_completed"].sum())
    n_open = df["n_open"].to_list() if "n_open" in df.columns else [None] * df.height
    custom = ids(df["stage_type"], names)
    p90 = df["p90"].to_list() if "p90" in df.columns else [None] * df.height
    label_text = [
        f"median {days(m)}" + ("" if p is None else f" · p90 {days(p)}") + f" · n={c:,}"
        + ("" if o is None else f", {o:,} open")
        for m, p, c, o in zip(df["median"], p90, df["n_completed"], n_open, strict=True)
    ]
    labels = [
        (f"{nm} · {t}" if by_name and str(nm).lower() != str(t).lower() else str(nm or t)) + f"<br><sub>{text}</sub>"
        for nm, t, text in zip(names, df["stage_type"], label_text, strict=True)
    ]
    fig = base_figure(title_with_n(title, n, "completed stays"), height=max(340, 120 + 30 * df.height))
    fig.add_trace(
        go.Bar(
            name="median",
            orientation="h",
            y=labels,
            x=df["median"].to_list(),
            marker_color=[stage_color(t) for t in df["stage_type"]],
            customdata=custom,
            hovertemplate="<b>%{y}</b><br>median %{x:.1f} days<extra></extra>",
        )
    )
    if "p90" in df.columns:
        fig.add_trace(
            go.Scatter(
                name="p90",
                y=labels,
                x=df["p90"].to_list(),
                mode="markers",
                marker={"symbol": "line-ns", "size": 16, "color": TEXT, "line": {"width": 2.5, "color": TEXT}},
                customdata=custom,
                hovertemplate="<b>%{y}</b><br>p90 %{x:.1f} days<extra></extra>",
            )
        )
    fig.update_layout(margin_r=24)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), showgrid=False)
    fig.update_xaxes(title_text="days", rangemode="tozero", showgrid=True)
    return finish(fig)
