"""Hiring channels: conversion rates with intervals (small samples flagged) and quality by furthest step."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.display import percent
from dashboard.figures.common import (
    base_figure,
    empty_figure,
    error_arrays,
    finish,
    ids,
    is_empty,
    title_with_n,
)
from dashboard.figures.guard import guarded
from dashboard.figures.template import NEUTRAL, STEP_COLORS, TEXT

SMALL_N_LABEL = "n<20"
RATES = {"interview_rate": ("interview rate", STEP_COLORS["interviews"]), "hire_rate": ("hire rate", STEP_COLORS["hired"])}


@guarded
def channel_conversion_chart(df: pl.DataFrame, rates: tuple[str, ...] = ("interview_rate", "hire_rate")) -> go.Figure:
    """Grouped horizontal bars of interview and hire rate per channel with 95% Wilson error bars.

    Channels flagged `too_few_to_judge` are drawn grey and hatched and labelled "n<20" (never hidden).
    Input: `metrics.channels.channel_conversion` — channel_name, applications, interview_rate(_lo/_hi),
    hire_rate(_lo/_hi), too_few_to_judge. Keeps the input order (applications desc).
    customdata: `[channel_name, rate column]` per bar, e.g. `["LinkedIn", "hire_rate"]`.
    """
    title = "Conversion by hiring channel"
    if is_empty(df, "channel_name", "applications"):
        return empty_figure(title)
    n = int(df["applications"].sum())
    small = df["too_few_to_judge"].to_list() if "too_few_to_judge" in df.columns else [False] * df.height
    labels = [
        f"{name} ({apps:,}{', ' + SMALL_N_LABEL if s else ''})"
        for name, apps, s in zip(df["channel_name"], df["applications"], small, strict=True)
    ]
    fig = base_figure(
        title_with_n(title, n, extra=f"grey hatched = {SMALL_N_LABEL}: too few applications to judge"),
        height=max(340, 130 + 22 * len(rates) * df.height),
    )
    for col in reversed(rates):  # horizontal groups draw the first trace at the bottom
        if col not in df.columns:
            continue
        name, color = RATES.get(col, (col.replace("_", " "), TEXT))
        values = df[col].to_list()
        plus, minus = error_arrays(values, df[f"{col}_lo"].to_list(), df[f"{col}_hi"].to_list())
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=labels,
                x=[None if v is None else v * 100 for v in values],
                marker={
                    "color": [NEUTRAL if s else color for s in small],
                    "pattern": {"shape": ["/" if s else "" for s in small], "fgcolor": TEXT, "solidity": 0.25},
                },
                error_x={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                         "color": TEXT, "thickness": 1.25, "width": 4},
                customdata=ids(df["channel_name"], [col] * df.height),
                offsetgroup=col,
                # the rate sits at the bar (inside its end, or just past a short bar), not at the whisker's end
                text=[percent(v) for v in values],
                textposition="auto",
                insidetextanchor="end",
                textfont={"size": 11},
                cliponaxis=False,
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{x:.1f}}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", scattermode="group", legend_traceorder="reversed")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), showgrid=False)
    fig.update_xaxes(title_text="share of the channel's applications (%)", ticksuffix="%", rangemode="tozero",
                     showgrid=True)
    return finish(fig)


@guarded
def channel_quality_chart(df: pl.DataFrame) -> go.Figure:
    """100% stacked horizontal bars per channel: share of applications by furthest funnel step reached.

    Input: `metrics.channels.channel_quality` — channel_name, furthest_step, rank, applications, share.
    Channels are ordered by their number of applications (largest on top).
    customdata: `[channel_name, furthest_step, applications]` per bar segment.
    """
    title = "Candidate quality by channel (furthest step reached)"
    if is_empty(df, "channel_name", "furthest_step", "share", "applications"):
        return empty_figure(title)
    n = int(df["applications"].sum())
    if n == 0:
        return empty_figure(title)
    totals = (
        df.group_by("channel_name").agg(pl.col("applications").sum().alias("_n"))
        .sort(["_n", "channel_name"], descending=[True, False])
    )
    channels = totals["channel_name"].to_list()
    label_of = {c: f"{c} ({k:,})" for c, k in zip(totals["channel_name"], totals["_n"], strict=True)}
    fig = base_figure(title_with_n(title, n), height=max(320, 130 + 28 * len(channels)))
    order_col = "rank" if "rank" in df.columns else "furthest_step"
    for step in df.sort(order_col)["furthest_step"].unique(maintain_order=True):
        part = df.filter(pl.col("furthest_step") == step)
        fig.add_trace(
            go.Bar(
                name=step,
                orientation="h",
                y=[label_of[c] for c in part["channel_name"]],
                x=[None if s is None else s * 100 for s in part["share"]],
                marker_color=STEP_COLORS.get(step, NEUTRAL),
                customdata=ids(part["channel_name"], part["furthest_step"], part["applications"]),
                hovertemplate=f"<b>%{{y}}</b><br>furthest step {step}: %{{x:.1f}}% "
                              "(%{customdata[2]} applications)<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_title_text="furthest step", legend_traceorder="normal")
    fig.update_yaxes(categoryorder="array", categoryarray=[label_of[c] for c in reversed(channels)], showgrid=False)
    fig.update_xaxes(title_text="share of the channel's applications (%)", range=[0, 100], ticksuffix="%",
                     showgrid=True)
    return finish(fig)
