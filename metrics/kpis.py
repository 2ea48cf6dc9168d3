"""Headline KPIs (kpis.json contract), KPI tiles with previous-period comparison, sparklines."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters

KPI_KEYS: tuple[str, ...] = (
    "as_of", "date_from", "date_to", "applications", "hires", "funnel_reached", "time_to_hire_days",
    "time_to_offer_days", "time_to_fill_days", "offer_acceptance", "applications_per_candidate_mean",
    "rejections_by_stage_type",
)


def kpis(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """The JSON-ready KPI dict with exactly KPI_KEYS (see docs/metrics.md for each key's shape)."""
    raise NotImplementedError


def kpi_tiles(t: Tables, f: Filters) -> list[dict]:
    """Overview tiles: [{"key", "label", "value", "previous", "delta", "unit", "n"}].

    unit is "count" | "days" | "ratio"; previous/delta are None without a closed date range."""
    raise NotImplementedError


def kpi_sparklines(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Weekly series per tile KPI: key, bucket_start (Date, Monday), value (f64, null when undefined)."""
    raise NotImplementedError
