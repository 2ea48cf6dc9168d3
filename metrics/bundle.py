"""Every metric as one tidy frame, for CSV export and review packs."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def metric_tables(t: Tables, f: Filters) -> dict[str, pl.DataFrame]:
    """{csv stem: frame}; application facts are computed once and shared by every metric.

    Stems: applications_per_stage, funnel, volume_by_day, volume_by_week, volume_by_month,
    volume_by_channel_week, applications_by_job, applications_by_category, applications_by_department,
    applications_by_location, applications_by_channel, channel_conversion, channel_quality,
    time_to_hire, time_to_offer, time_to_fill, time_to_fill_by_category, time_to_fill_km_curve,
    time_in_stage_type, time_in_stage, stuck_applications, offer_outcomes, declined_offers,
    declined_offers_by_month, rejections_by_stage, withdrawals_by_stage, applications_per_candidate,
    data_quality_notes, kpis (one row per scalar KPI: key, value)."""
    raise NotImplementedError
