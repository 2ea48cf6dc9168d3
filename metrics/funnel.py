"""Funnel: reached-k counts, step conversion, pass-through rate, overall conversion."""

from __future__ import annotations

import polars as pl

from dashboard.schema import FUNNEL_STEPS, Tables
from metrics.filters import Filters
from metrics.memo import derived
from metrics.stages import cohort, get_facts
from metrics.stats import wilson, wilson_exprs


def funnel_from_cohort(apps: pl.DataFrame) -> pl.DataFrame:
    """The funnel table of a cohort facts frame (see `funnel`)."""
    # the three counts per rank as scalars of one select (a group-by and a join cost more on five groups)
    ranks = range(len(FUNNEL_STEPS))
    at_rank = [pl.col("furthest_rank") == k for k in ranks]
    sums = apps.select(
        *(a.sum().alias(f"at{k}") for k, a in zip(ranks, at_rank, strict=True)),
        *((a & pl.col("is_closed")).sum().alias(f"closed_at{k}") for k, a in zip(ranks, at_rank, strict=True)),
        *((a & pl.col("is_active")).sum().alias(f"active_at{k}") for k, a in zip(ranks, at_rank, strict=True)),
    ).row(0, named=True)
    table = pl.DataFrame(
        {
            "step": list(FUNNEL_STEPS),
            "rank": list(ranks),
            **{c: [sums[f"{c}{k}"] or 0 for k in ranks] for c in ("at", "closed_at", "active_at")},
        },
        schema={"step": pl.String, "rank": pl.Int8, "at": pl.UInt32, "closed_at": pl.UInt32, "active_at": pl.UInt32},
    )
    table = table.with_columns(pl.col("at").reverse().cum_sum().reverse().alias("reached"))
    nxt = pl.col("reached").shift(-1)
    decided = nxt + pl.col("closed_at")
    table = table.with_columns(
        *wilson_exprs(nxt, pl.col("reached"), "step_conversion"),
        *wilson_exprs(nxt, decided, "pass_through"),
    )
    return table.select(
        "step", "rank", "reached", "step_conversion", "step_conversion_lo", "step_conversion_hi",
        "closed_at", "active_at", "pass_through", "pass_through_lo", "pass_through_hi",
    )


def funnel(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per funnel step of the application cohort.

    Columns: step (String), rank (Int8), reached (UInt32: furthest rank >= rank),
    step_conversion / _lo / _hi (reached[k+1] / reached[k], null for the last step),
    closed_at (closed applications whose furthest rank == rank), active_at (active ones),
    pass_through / _lo / _hi (reached[k+1] / (reached[k+1] + closed_at[k]), null for the last step).
    Memoised per facts frame."""
    facts = get_facts(t, f, facts)
    return derived(facts, ("funnel",), lambda: funnel_from_cohort(cohort(facts))).clone()


def overall_conversion(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """{"reached_new", "reached_hired", "rate", "rate_lo", "rate_hi"}: reached[hired] / reached[new]."""
    apps = cohort(get_facts(t, f, facts))
    new = apps.height
    hired = int((apps["furthest_rank"] >= FUNNEL_STEPS.index("hired")).sum())
    lo, hi = wilson(hired, new)
    return {
        "reached_new": new,
        "reached_hired": hired,
        "rate": hired / new if new else None,
        "rate_lo": lo,
        "rate_hi": hi,
    }
