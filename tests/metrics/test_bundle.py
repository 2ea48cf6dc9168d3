from metrics.bundle import metric_tables
from metrics.filters import Filters
from metrics.funnel import funnel


def test_bundle_frames_match_individual_metrics(small):
    tables = metric_tables(small, Filters())
    assert tables["funnel"].equals(funnel(small, Filters()))
    assert {"funnel", "volume_by_week", "channel_conversion", "time_to_fill", "kpis", "data_quality_notes"} <= set(tables)
    kpi = dict(tables["kpis"].rows())
    assert kpi["funnel_reached.hired"] == 1.0 and kpi["time_to_fill_days.median"] == 61.0


def test_bundle_on_empty_tables(empty):
    tables = metric_tables(empty, Filters())
    assert tables["funnel"].height == 5 and tables["time_to_hire"].height == 0
