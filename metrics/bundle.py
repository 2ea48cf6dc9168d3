"""Every metric as one tidy frame, for CSV export and review packs."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics import candidates, channels, funnel, outcomes, quality, snapshot, speed, volume
from metrics.filters import Filters
from metrics.kpis import kpis
from metrics.stages import application_facts


def _flatten(d: dict, prefix: str = "") -> list[tuple[str, float | None]]:
    """Numeric leaves of a nested dict as (dotted key, value); strings and None dates are skipped."""
    rows: list[tuple[str, float | None]] = []
    for key, value in d.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(_flatten(value, f"{name}."))
        elif isinstance(value, bool) or value is None or isinstance(value, int | float):
            rows.append((name, None if value is None else float(value)))
    return rows


def metric_tables(t: Tables, f: Filters) -> dict[str, pl.DataFrame]:
    """{csv stem: frame}; application facts are computed once and shared by every metric.

    Stems: applications_per_stage, funnel, volume_by_day, volume_by_week, volume_by_month,
    volume_by_channel_week, applications_by_job, applications_by_category, applications_by_department,
    applications_by_location, applications_by_channel, channel_conversion, channel_quality,
    time_to_hire, time_to_offer, time_to_fill, time_to_fill_by_category, time_to_fill_km_curve,
    time_in_stage_type, time_in_stage, stuck_applications, offer_outcomes, declined_offers,
    declined_offers_by_month, rejections_by_stage, withdrawals_by_stage, applications_per_candidate,
    data_quality_notes, kpis (one row per numeric KPI leaf: key, value)."""
    facts = application_facts(t, f)
    kw = {"facts": facts}
    stays = speed.stage_intervals(t, f, facts=facts)
    tables: dict[str, pl.DataFrame] = {
        "applications_per_stage": snapshot.applications_per_stage(t, f, **kw),
        "funnel": funnel.funnel(t, f, **kw),
        "volume_by_day": volume.volume_over_time(t, f, "day", **kw),
        "volume_by_week": volume.volume_over_time(t, f, "week", **kw),
        "volume_by_month": volume.volume_over_time(t, f, "month", **kw),
        "volume_by_channel_week": volume.volume_over_time(t, f, "week", "channel", **kw),
    }
    for dim in ("job", "category", "department", "location", "channel"):
        tables[f"applications_by_{dim}"] = volume.applications_by(t, f, dim, **kw)
    tables |= {
        "channel_conversion": channels.channel_conversion(t, f, **kw),
        "channel_quality": channels.channel_quality(t, f, **kw),
        "time_to_hire": speed.time_to_hire(t, f, **kw),
        "time_to_offer": speed.time_to_offer(t, f, **kw),
        "time_to_fill": speed.time_to_fill(t, f, **kw),
        "time_to_fill_by_category": speed.time_to_fill_by_category(t, f, **kw),
        "time_to_fill_km_curve": speed.time_to_fill_km_curve(t, f, **kw),
        "time_in_stage_type": speed.time_in_stage(t, f, "stage_type", facts=facts, intervals=stays),
        "time_in_stage": speed.time_in_stage(t, f, "stage", facts=facts, intervals=stays),
        "stuck_applications": speed.stuck_applications(t, f, facts=facts, intervals=stays),
        "offer_outcomes": outcomes.offer_outcomes(t, f, **kw),
        "declined_offers": outcomes.declined_offers(t, f, **kw),
        "declined_offers_by_month": outcomes.declined_offers_by(t, f, "month", **kw),
        "rejections_by_stage": outcomes.rejections_by_stage(t, f, "rejected", **kw),
        "withdrawals_by_stage": outcomes.rejections_by_stage(t, f, "withdrawn", **kw),
        "applications_per_candidate": candidates.applications_per_candidate(t, f, **kw),
        "data_quality_notes": quality.data_quality_notes(t, f, **kw),
    }
    rows = _flatten(kpis(t, f, **kw))
    tables["kpis"] = pl.DataFrame(rows, schema={"key": pl.String, "value": pl.Float64}, orient="row")
    return tables
