"""The builders accept what the metric functions really return (guards against column drift)."""

from datetime import UTC, date, datetime

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard.figures.candidates import applications_per_candidate_chart
from dashboard.figures.channels import channel_conversion_chart, channel_quality_chart
from dashboard.figures.funnel import funnel_chart
from dashboard.figures.kpi import sparkline
from dashboard.figures.outcomes import (
    declined_offers_chart,
    offer_acceptance_chart,
    rejections_by_stage_chart,
)
from dashboard.figures.snapshot import stage_snapshot_chart
from dashboard.figures.speed import (
    km_curve_chart,
    time_in_stage_chart,
    time_to_fill_chart,
    time_to_hire_chart,
)
from dashboard.figures.volume import applications_by_chart, volume_chart
from dashboard.schema import SCHEMAS, Tables
from metrics import candidates, channels, funnel, kpis, outcomes, snapshot, speed, volume
from metrics.filters import Filters

AS_OF = datetime(2025, 3, 1, tzinfo=UTC)


def _ts(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _app(app_id: str, stage: str, applied: str, channel: str, candidate: str) -> dict:
    return {"application_id": app_id, "candidate_id": candidate, "job_id": "j1",
            "application_date": date.fromisoformat(applied), "created_at": _ts(applied), "updated_at": _ts(applied),
            "stage_id": f"system:{stage}", "stage_name": stage.capitalize(), "stage_type": stage,
            "channel_id": channel, "channel_name": channel, "is_anonymized": False}


def _tr(app_id: str, seq: int, a: str, b: str, at: str) -> dict:
    return {"application_id": app_id, "seq": seq, "from_stage_id": f"system:{a}", "from_stage_name": a.capitalize(),
            "from_stage_type": a, "to_stage_id": f"system:{b}", "to_stage_name": b.capitalize(), "to_stage_type": b,
            "transitioned_at": _ts(at)}


def tables() -> Tables:
    apps = [
        _app("a1", "hired", "2025-01-06", "LinkedIn", "c1"),
        _app("a2", "rejected", "2025-01-07", "LinkedIn", "c2"),
        _app("a3", "screening", "2025-01-20", "Referral", "c1"),
        _app("a4", "rejected", "2025-01-21", "Referral", "c3"),
    ]
    trs = [
        _tr("a1", 0, "new", "screening", "2025-01-08"), _tr("a1", 1, "screening", "interviews", "2025-01-15"),
        _tr("a1", 2, "interviews", "offer", "2025-01-25"), _tr("a1", 3, "offer", "hired", "2025-02-01"),
        _tr("a2", 0, "new", "rejected", "2025-01-10"),
        _tr("a3", 0, "new", "screening", "2025-01-22"),
        _tr("a4", 0, "new", "screening", "2025-01-23"), _tr("a4", 1, "screening", "offer", "2025-02-03"),
        _tr("a4", 2, "offer", "rejected", "2025-02-10"),
    ]
    jobs = [{"job_id": "j1", "job_name": "Backend", "department_id": "d1", "department_name": "R&D",
             "category_id": "k1", "category_name": "Engineering", "location": "Munich",
             "employment_type": "permanent", "created_at": _ts("2025-01-01")}]
    return Tables(
        applications=pl.DataFrame(apps, schema=SCHEMAS["applications"]),
        transitions=pl.DataFrame(trs, schema=SCHEMAS["transitions"]),
        jobs=pl.DataFrame(jobs, schema=SCHEMAS["jobs"]),
        as_of=AS_OF,
    )


def builds(t: Tables, f: Filters) -> dict[str, go.Figure]:
    hires = speed.time_to_hire(t, f)
    fill = speed.time_to_fill_summary(t, f)
    spark = kpis.kpi_sparklines(t, f)
    return {
        "funnel": funnel_chart(funnel.funnel(t, f)),
        "snapshot": stage_snapshot_chart(snapshot.applications_per_stage(t, f)),
        "volume": volume_chart(volume.volume_over_time(t, f, "week", "channel"), "week", "channel"),
        "by_job": applications_by_chart(volume.applications_by(t, f, "job"), "job"),
        "conversion": channel_conversion_chart(channels.channel_conversion(t, f)),
        "quality": channel_quality_chart(channels.channel_quality(t, f)),
        "time_to_hire": time_to_hire_chart(hires, speed.speed_summary(hires)),
        "time_to_fill": time_to_fill_chart(speed.time_to_fill(t, f), fill),
        "km": km_curve_chart(speed.time_to_fill_km_curve(t, f), fill["km_median"]),
        "time_in_stage": time_in_stage_chart(speed.time_in_stage(t, f, by="stage")),
        "offers": offer_acceptance_chart(outcomes.offer_acceptance(t, f)),
        "declined": declined_offers_chart(outcomes.declined_offers_by(t, f, "month")),
        "rejections": rejections_by_stage_chart(outcomes.rejections_by_stage(t, f)),
        "per_candidate": applications_per_candidate_chart(candidates.applications_per_candidate(t, f)),
        "spark": sparkline(spark, "applications"),
    }


def test_every_builder_draws_the_real_metric_frames():
    figs = builds(tables(), Filters())
    empty = [name for name, fig in figs.items() if not fig.data]
    assert empty == []
    assert "n = 4 applications" in figs["funnel"].layout.title.text
    assert "n = 1 hires" in figs["time_to_hire"].layout.title.text


@pytest.mark.parametrize("t", [Tables(), tables()])
def test_every_builder_survives_an_empty_cohort(t):
    f = Filters(date_from=date(2030, 1, 1), date_to=date(2030, 1, 31))
    for name, fig in builds(t, f).items():
        assert isinstance(fig, go.Figure), name
