"""Headline KPIs (kpis.json contract), KPI tiles with previous-period comparison, sparklines."""

from __future__ import annotations

import polars as pl

from dashboard.schema import FUNNEL_STEPS, Tables
from metrics.candidates import applications_per_candidate_summary
from metrics.common import as_utc_start, days_between
from metrics.filters import Filters, date_in_range, previous_period
from metrics.funnel import funnel
from metrics.outcomes import by_stage_type, offer_acceptance, rejections_by_stage
from metrics.speed import speed_summary, time_to_fill_summary, time_to_hire, time_to_offer
from metrics.stages import application_facts, cohort, get_facts, with_cohort
from metrics.volume import counts_per_bucket, partial_buckets

KPI_KEYS: tuple[str, ...] = (
    "as_of",
    "date_from",
    "date_to",
    "applications",
    "hires",
    "funnel_reached",
    "time_to_hire_days",
    "time_to_offer_days",
    "time_to_fill_days",
    "offer_acceptance",
    "applications_per_candidate_mean",
    "rejections_by_stage_type",
)
TILES: tuple[tuple[str, str, str], ...] = (
    ("applications", "Applications", "count"),
    ("hires", "Hires (hire date in range)", "count"),
    ("conversion", "Applied → hired", "ratio"),
    ("time_to_hire", "Median time to hire", "days"),
    ("time_to_offer", "Median time to offer", "days"),
    ("time_to_fill", "Median time to fill", "days"),
    ("offer_acceptance", "Offer acceptance", "ratio"),
    ("interview_rate", "Applied → interview", "ratio"),
)
# What a tile's n counts
N_UNITS: dict[str, str] = {
    "applications": "applications", "hires": "hires", "conversion": "applications", "time_to_hire": "hires",
    "time_to_offer": "offers", "time_to_fill": "filled jobs", "offer_acceptance": "decided offers",
    "interview_rate": "applications", "open_jobs": "jobs in scope",
}
# Whether a higher value is good news (tile colour): None where it is neither
BETTER: dict[str, str | None] = {
    "applications": "higher", "hires": "higher", "conversion": "higher", "time_to_hire": "lower",
    "time_to_offer": "lower", "time_to_fill": "lower", "offer_acceptance": "higher", "interview_rate": "higher",
    "open_jobs": None,
}


def kpis(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """The JSON-ready KPI dict with exactly KPI_KEYS (see docs/metrics.md for each key's shape)."""
    facts = get_facts(t, f, facts)
    steps = funnel(t, f, facts=facts)
    hires = time_to_hire(t, f, facts=facts)
    hired_in_range = facts.select(
        (
            (pl.col("stage_type") == "hired")
            & pl.col("hired_at").is_not_null()
            & date_in_range(pl.col("hired_at"), f)
        ).sum()
    ).item()
    fill = time_to_fill_summary(t, f, facts=facts)
    offers = offer_acceptance(t, f, facts=facts)
    return {
        "as_of": t.as_of.isoformat(),
        "date_from": f.date_from.isoformat() if f.date_from else None,
        "date_to": f.date_to.isoformat() if f.date_to else None,
        "applications": int(steps["reached"][0]),
        "hires": hired_in_range,
        "funnel_reached": {step: int(n) for step, n in zip(FUNNEL_STEPS, steps["reached"], strict=True)},
        "time_to_hire_days": speed_summary(hires),
        "time_to_offer_days": speed_summary(time_to_offer(t, f, facts=facts)),
        "time_to_fill_days": {k: fill[k] for k in ("n_filled", "n_open", "median", "km_median")},
        "offer_acceptance": {k: offers[k] for k in ("accepted", "declined", "withdrew", "pending", "rate")},
        "applications_per_candidate_mean": applications_per_candidate_summary(t, f, facts=facts)["mean"],
        "rejections_by_stage_type": by_stage_type(rejections_by_stage(t, f, facts=facts)),
    }


def _tile_values(k: dict) -> dict[str, tuple[float | int | None, int | None]]:
    """(value, n) per tile key from a kpis dict."""
    reached = k["funnel_reached"]
    offers = k["offer_acceptance"]
    decided = offers["accepted"] + offers["declined"] + offers["withdrew"]
    new = reached["new"]
    return {
        "applications": (k["applications"], k["applications"]),
        "hires": (k["hires"], k["hires"]),
        "conversion": (reached["hired"] / new if new else None, new),
        "time_to_hire": (k["time_to_hire_days"]["median"], k["time_to_hire_days"]["n"]),
        "time_to_offer": (k["time_to_offer_days"]["median"], k["time_to_offer_days"]["n"]),
        "time_to_fill": (k["time_to_fill_days"]["median"], k["time_to_fill_days"]["n_filled"]),
        "offer_acceptance": (offers["rate"], decided),
        "interview_rate": (reached["interviews"] / new if new else None, new),
    }


def kpi_tiles(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> list[dict]:
    """Overview tiles: [{"key", "label", "value", "previous", "delta", "unit", "n"}].

    unit is "count" | "days" | "ratio"; previous/delta are None without a closed date range.
    The previous period reuses `facts` (facts do not depend on the date range)."""
    facts = get_facts(t, f, facts)
    now = _tile_values(kpis(t, f, facts=facts))
    prev_f = previous_period(f)
    if prev_f is not None:
        prev_facts = with_cohort(t, facts, date_in_range(pl.col("application_date"), prev_f))
        prev = _tile_values(kpis(t, prev_f, facts=prev_facts))
    else:
        prev = {}
    tiles = []
    for key, label, unit in TILES:
        value, n = now[key]
        previous = prev.get(key, (None, None))[0]
        delta = value - previous if value is not None and previous is not None else None
        tiles.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "previous": previous,
                "delta": delta,
                "unit": unit,
                "n": n,
            }
        )
    return tiles


def overview_tiles(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> list[dict]:
    """`kpi_tiles` plus "Open jobs" (jobs in scope without a hire, now and for the previous period)."""
    facts = get_facts(t, f, facts)
    tiles = kpi_tiles(t, f, facts=facts)
    now = time_to_fill_summary(t, f, facts=facts)
    prev_f = previous_period(f)
    prev = time_to_fill_summary(t, prev_f) if prev_f is not None else None
    tiles.append({
        "key": "open_jobs", "label": "Open jobs", "unit": "count", "value": now["n_open"],
        "previous": prev["n_open"] if prev else None,
        "delta": now["n_open"] - prev["n_open"] if prev else None,
        "n": now["n_open"] + now["n_filled"],
    })
    return tiles


def kpi_sparklines(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Weekly series per tile KPI: key, bucket_start (Date, Monday), value (f64, null when undefined).

    Only whole weeks: a first or last week the range (or the sync) covers in part is left out, so a
    short week never reads as a drop. applications by application week; hires, time_to_hire (median) by hire week; time_to_offer by
    offer week; offer_acceptance by decision week; conversion by application week."""
    facts = get_facts(t, f, facts)
    apps = cohort(facts).select("application_date", "furthest_rank")
    lazy = facts.lazy()  # each series filters only the columns it uses
    hires = lazy.filter(
        (pl.col("stage_type") == "hired")
        & pl.col("hired_at").is_not_null()
        & date_in_range(pl.col("hired_at"), f)
    ).with_columns(
        pl.col("hired_at").dt.date().alias("hire_date"),
        days_between(as_utc_start(pl.col("application_date")), pl.col("hired_at")).alias("days"),
    ).select("hire_date", "days").collect()
    offers = lazy.filter(
        pl.col("offer_at").is_not_null() & date_in_range(pl.col("offer_at"), f)
    ).with_columns(
        pl.col("offer_at").dt.date().alias("offer_date"),
        days_between(as_utc_start(pl.col("application_date")), pl.col("offer_at")).alias("days"),
    ).select("offer_date", "days").collect()
    decided = lazy.filter(
        pl.col("offer_outcome").is_in(["accepted", "declined", "withdrew"])
        & pl.col("offer_decided_at").is_not_null()
        & date_in_range(pl.col("offer_decided_at"), f)
    ).select(pl.col("offer_decided_at").dt.date().alias("decided_date"), "offer_outcome").collect()
    ok = pl.col("days").filter(pl.col("days") >= 0)
    series = [
        ("applications", counts_per_bucket(apps, "application_date", f, "week", pl.len(), "value")),
        (
            "conversion",
            counts_per_bucket(
                apps, "application_date", f, "week", (pl.col("furthest_rank") == 4).mean(), "value", None
            ),
        ),
        ("hires", counts_per_bucket(hires, "hire_date", f, "week", pl.len(), "value")),
        ("time_to_hire", counts_per_bucket(hires, "hire_date", f, "week", ok.median(), "value", None)),
        ("time_to_offer", counts_per_bucket(offers, "offer_date", f, "week", ok.median(), "value", None)),
        (
            "offer_acceptance",
            counts_per_bucket(
                decided,
                "decided_date",
                f,
                "week",
                (pl.col("offer_outcome") == "accepted").mean(),
                "value",
                None,
            ),
        ),
    ]
    frames = [
        s.select(pl.lit(key).alias("key"), "bucket_start", pl.col("value").cast(pl.Float64))
        for key, s in series
    ]
    out = pl.concat(frames)
    return out.filter(~partial_buckets(out["bucket_start"], f, "week", t.as_of))


def facts_for(t: Tables, f: Filters) -> pl.DataFrame:
    """Application facts for `f` (re-export for callers that cache them)."""
    return application_facts(t, f)
