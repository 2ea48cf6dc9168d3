"""Offer acceptance, declined offers over time, rejections/withdrawals by the stage they left."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import base_figure, empty_figure, finish, ids, is_empty, pct, title_with_n
from dashboard.figures.guard import guarded
from dashboard.figures.template import EXIT_COLORS, NEUTRAL, STEP_COLORS, TEXT, stage_color

OUTCOME_COLORS = {
    "accepted": STEP_COLORS["hired"],
    "declined": EXIT_COLORS["rejected"],
    "withdrew": EXIT_COLORS["withdrawn"],
    "pending": STEP_COLORS["offer"],
    "other": NEUTRAL,
}


@guarded
def offer_acceptance_chart(acceptance: Mapping[str, Any] | pl.DataFrame) -> go.Figure:
    """One horizontal bar per offer outcome (accepted, declined, withdrew, pending, other); the title
    states the acceptance rate with its 95% Wilson interval over n decided offers.

    Input: the dict of `metrics.outcomes.offer_acceptance` (accepted, declined, withdrew, pending, other,
    rate, rate_lo, rate_hi) or a one-row frame with those columns.
    customdata: `[offer_outcome]` per bar (matches `offer_outcomes.offer_outcome`).
    """
    title = "Offer acceptance"
    if isinstance(acceptance, pl.DataFrame):
        acceptance = acceptance.row(0, named=True) if acceptance.height else {}
    counts = {k: int(acceptance.get(k) or 0) for k in OUTCOME_COLORS}
    if not acceptance or sum(counts.values()) == 0:
        return empty_figure(title, "No offers in this range")
    decided = counts["accepted"] + counts["declined"] + counts["withdrew"]
    rate = acceptance.get("rate")
    extra = (
        f"acceptance {pct(rate)} (95% CI {pct(acceptance.get('rate_lo'))}–{pct(acceptance.get('rate_hi'))})"
        if rate is not None else "no decided offers yet"
    ) + f" · {counts['pending']:,} pending"
    outcomes = [k for k in OUTCOME_COLORS if counts[k] or k != "other"]
    fig = base_figure(title_with_n(title, decided, "decided offers", extra), height=330)
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=outcomes,
            x=[counts[k] for k in outcomes],
            marker={
                "color": [OUTCOME_COLORS[k] for k in outcomes],
                "pattern": {"shape": ["/" if k == "pending" else "" for k in outcomes], "fgcolor": TEXT,
                            "solidity": 0.25},
            },
            text=[f"{counts[k]:,}" for k in outcomes],
            textposition="outside",
            cliponaxis=False,
            customdata=ids(outcomes),
            hovertemplate="<b>%{y}</b>: %{x:,} offers<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(outcomes)), showgrid=False)
    fig.update_xaxes(title_text="offers", rangemode="tozero", showgrid=True)
    return finish(fig)


@guarded
def declined_offers_chart(df: pl.DataFrame) -> go.Figure:
    """Stacked bars per month of the decision: offers declined and candidates who withdrew after an offer.

    Input: `metrics.outcomes.declined_offers_by(..., by="month")` — month (Date), declined, withdrew, total.
    customdata: `[month ISO date, outcome]` per bar segment (outcome = "declined" | "withdrew").
    """
    title = "Declined offers per month"
    if is_empty(df, "month", "declined", "withdrew"):
        return empty_figure(title, "No declined offers in this range")
    df = df.sort("month")
    n = int(df["declined"].sum() + df["withdrew"].sum())
    fig = base_figure(title_with_n(title, n, "offers not accepted"), height=380)
    for col, name in (("declined", "declined"), ("withdrew", "withdrew after offer")):
        fig.add_trace(
            go.Bar(
                name=name,
                x=df["month"].to_list(),
                y=df[col].to_list(),
                marker_color=OUTCOME_COLORS[col],
                customdata=ids(df["month"], [col] * df.height),
                hovertemplate=f"%{{x|%b %Y}}: %{{y:,}} {name}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="month of the decision", dtick="M1", tickformat="%b %Y", showgrid=False)
    fig.update_yaxes(title_text="offers", rangemode="tozero", dtick=1 if df["total"].max() <= 6 else None)
    return finish(fig)


@guarded
def rejections_by_stage_chart(df: pl.DataFrame, kind: str = "rejected") -> go.Figure:
    """Bars of rejections (or withdrawals) by the stage left, coloured by stage type, labelled with the
    rate over applications that reached that step.

    Input: `metrics.outcomes.rejections_by_stage` — from_stage_type, from_stage_name, count, reached, rate.
    Keeps the input order (funnel rank).
    customdata: `[from_stage_name, from_stage_type]` per bar.
    """
    noun = "Rejections" if kind == "rejected" else "Withdrawals"
    title = f"{noun} by stage"
    if is_empty(df, "from_stage_type", "from_stage_name", "count"):
        return empty_figure(title, f"No {noun.lower()} in this range")
    n = int(df["count"].sum())
    rates = df["rate"].to_list() if "rate" in df.columns else [None] * df.height
    labels = [f"{nm} · {t}" if nm != t else str(nm) for nm, t in zip(df["from_stage_name"], df["from_stage_type"], strict=True)]
    fig = base_figure(title_with_n(title, n, noun.lower(), "label: count (share of applications that reached the step)"),
                      height=max(320, 120 + 28 * df.height))
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=labels,
            x=df["count"].to_list(),
            marker_color=[stage_color(t) for t in df["from_stage_type"]],
            text=[f"{c:,}" + ("" if r is None else f" ({pct(r)})") for c, r in zip(df["count"], rates, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=ids(df["from_stage_name"], df["from_stage_type"]),
            hovertemplate=f"<b>%{{y}}</b><br>%{{x:,}} {noun.lower()}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(margin_r=90)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), showgrid=False)
    fig.update_xaxes(title_text=noun.lower(), rangemode="tozero", showgrid=True)
    return finish(fig)
