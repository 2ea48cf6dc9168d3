"""Pure helpers of the UI: selection ids, progress, formats, display reshapes, drill mapping."""

from datetime import UTC, date, datetime, timedelta

import polars as pl

from dashboard.sync import SyncProgress
from dashboard.ui import drills
from dashboard.ui.formats import label, rate_with_interval
from dashboard.ui.loaders import age_text
from dashboard.ui.syncing import advice, progress_fraction
from dashboard.ui.views import stage_counts_side_by_side
from dashboard.ui.widgets import drill_union, format_delta, format_value, selected_customdata


def test_selection_uses_customdata_never_point_indices() -> None:
    event = {"selection": {"points": [{"point_index": 3, "customdata": ["LinkedIn", "hire_rate"]},
                                      {"point_index": 0},  # a reference line: no ids
                                      {"point_index": 3, "customdata": ["LinkedIn", "hire_rate"]},
                                      {"point_index": 1, "customdata": "2026-01-05"}]}}
    assert selected_customdata(event) == [["LinkedIn", "hire_rate"], ["2026-01-05"]]
    assert selected_customdata({}) == []


def test_progress_moves_forward_through_the_phases() -> None:
    ticks = [SyncProgress("applications", 0, 10), SyncProgress("applications", 10, 10),
             SyncProgress("transitions", 5, 10), SyncProgress("publishing", 1, 1)]
    values = [progress_fraction(t) for t in ticks]
    assert values == sorted(values)
    assert values[0] == 0.0 and values[-1] == 1.0


def test_advice_depends_on_the_status() -> None:
    class Unauthorized(Exception):
        status = 401

    class Limited(Exception):
        status = 429

    assert "scope" in advice(Unauthorized("bad"))
    assert "wait a minute" in advice(Limited("slow down"))


def test_value_and_delta_formats() -> None:
    assert format_value(1234, "count") == "1,234"
    assert format_value(0.456, "ratio") == "46%"
    assert format_value(12.34, "days") == "12.3 d"
    assert format_value(None, "days") == "–"
    assert format_delta(-0.04, "ratio") == "-4.0 pp"
    assert format_delta(-0.12, "ratio") == "-12 pp"
    assert format_value(0.026, "ratio") == "2.6%"
    assert format_delta(3, "count") == "+3"
    assert format_delta(-0.04, "count") == "-0.04"


def test_age_text() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert age_text(now - timedelta(minutes=5), now) == "5 min ago"
    assert age_text(now - timedelta(days=3), now) == "3 days ago"
    assert age_text(None, now) == "never"


def test_labels() -> None:
    assert label("n_screening") == "Screening"
    assert label("time_to_hire") == "Time to hire"


def test_rate_with_interval_text() -> None:
    df = pl.DataFrame({"r": [0.5, None], "r_lo": [0.25, None], "r_hi": [0.75, None]})
    assert df.select(rate_with_interval("r", "R"))["R"].to_list() == ["50.0% (25.0–75.0%)", "–"]


def test_stage_counts_side_by_side_sums_stages_of_the_same_name() -> None:
    now = pl.DataFrame({"stage_type": ["new", "new", "hired"], "stage_name": ["New", "New", "Hired"],
                        "stage_id": ["a", "b", "c"], "rank": [0, 0, 4], "count": [2, 3, 1]})
    then = pl.DataFrame({"stage_type": ["new"], "stage_name": ["New"], "stage_id": ["a"], "rank": [0], "count": [4]})
    out = stage_counts_side_by_side(now, then, "then")
    assert out.to_dicts() == [{"stage_type": "new", "stage_name": "New", "now": 5, "then": 4},
                              {"stage_type": "hired", "stage_name": "Hired", "now": 1, "then": 0}]


def test_stage_counts_side_by_side_keeps_the_pipeline_order_not_the_counts() -> None:
    now = pl.DataFrame({"stage_type": ["screening", "screening", "rejected"], "stage_name": ["CV", "Call", "Rejected"],
                        "stage_id": ["a", "b", "r"], "rank": [1, 1, None], "count": [1, 9, 50]})
    then = pl.DataFrame({"stage_type": ["screening", "offer"], "stage_name": ["Call", "Offer"],
                         "stage_id": ["b", "o"], "rank": [1, 3], "count": [2, 1]})
    out = stage_counts_side_by_side(now, then, "then")
    assert out["stage_name"].to_list() == ["CV", "Call", "Rejected", "Offer"]  # a stage only listed then comes last
    assert out["now"].to_list() == [1, 9, 50, 0] and out["then"].to_list() == [0, 2, 0, 1]


def test_drill_union_lists_each_application_once() -> None:
    a = pl.DataFrame({"application_id": ["1", "2"]})
    b = pl.DataFrame({"application_id": ["2", "3"]})
    assert drill_union([a, b])["application_id"].to_list() == ["1", "2", "3"]


def test_duration_drill_maps_point_ids_and_bar_bins_back_to_rows() -> None:
    frame = pl.DataFrame({"application_id": ["a1", "a2", "a3", "a4"], "days": [1.0, 2.0, 3.0, 4.0]})
    drill = drills.durations(frame)
    assert drill([["a3"], ["a1"]])["days"].to_list() == [1.0, 3.0]  # box points: by id
    assert drill([["2", "4"]])["application_id"].to_list() == ["a2", "a3"]  # a bar [2, 4): 4.0 is the next bin's
    assert drill([["4", "6"], ["a1"]])["application_id"].to_list() == ["a1", "a4"]
    assert drill([["x", "y"]]).height == 0  # a malformed selection selects nothing


def test_declined_by_month_picks_the_decision_month_and_outcome() -> None:
    declined = pl.DataFrame({
        "application_id": ["1", "2", "3"],
        "offer_outcome": ["declined", "withdrew", "declined"],
        "offer_decided_at": [datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 20, tzinfo=UTC),
                             datetime(2026, 2, 1, tzinfo=UTC)],
    })
    out = drills.declined_by_month(declined)([[date(2026, 1, 1).isoformat(), "declined"]])
    assert out["application_id"].to_list() == ["1"]


def test_job_health_day_columns_show_one_decimal():
    from dashboard.ui.formats import column_config

    cfg = column_config(["days_open", "days_since_movement"], ["Float64", "Float64"])
    assert all(c["type_config"]["format"] == "%.1f" for c in cfg.values())
