from datetime import date

import pytest

from metrics.filters import Filters
from metrics.speed import (
    speed_summary,
    stuck_applications,
    time_in_stage,
    time_to_fill,
    time_to_fill_by_category,
    time_to_fill_km_curve,
    time_to_fill_summary,
    time_to_hire,
    time_to_hire_exclusions,
    time_to_offer,
)

from .conftest import app, job, make_tables, tr


def test_time_to_hire_and_offer(small):
    hires = time_to_hire(small, Filters())
    assert hires["application_id"].to_list() == ["a1"] and hires["days"].to_list() == [30.0]  # 01-01 -> 01-31
    offers = speed_summary(time_to_offer(small, Filters()))
    # a1 01-01 -> 01-20 = 19, a4 01-10 -> 01-15 = 5
    assert offers == {"n": 2, "median": 12.0, "p25": 8.5, "p75": 15.5, "p90": pytest.approx(17.6), "mean": 12.0}


def test_time_to_hire_uses_hire_date_cohort(small):
    assert time_to_hire(small, Filters(date_from=date(2024, 2, 1))).height == 0
    assert time_to_hire(small, Filters(date_from=date(2024, 1, 31), date_to=date(2024, 1, 31))).height == 1


def test_hired_without_hire_date_counted_not_timed():
    t = make_tables([app("x", "hired"), app("y", "hired", applied="2024-01-10")], [tr("y", "offer", "hired", "2024-01-05")])
    assert time_to_hire(t, Filters()).height == 0  # y's hire precedes its application date
    assert time_to_hire_exclusions(t, Filters()) == {"no_hire_date": 1, "negative": 1}


def test_time_to_fill_filled_open_and_km(small):
    rows = {r["job_id"]: r for r in time_to_fill(small, Filters()).iter_rows(named=True)}
    # j1 created 2023-12-01, last hire 2024-01-31 -> 61 days; j2 open since 01-15, as_of 03-01 -> 46 days
    assert rows["j1"]["status"] == "filled" and rows["j1"]["days"] == 61.0
    assert rows["j2"]["status"] == "open" and rows["j2"]["age_days"] == 46.0
    # KM: 46 censored (S=1), 61 event with 1 at risk (S=0) -> median 61
    assert time_to_fill_summary(small, Filters()) == {"n_filled": 1, "n_open": 1, "median": 61.0, "km_median": 61.0, "n_negative": 0}
    assert time_to_fill_km_curve(small, Filters())["survival"].to_list() == [1.0, 0.0]
    by_cat = {r["category_name"]: r for r in time_to_fill_by_category(small, Filters()).iter_rows(named=True)}
    assert by_cat["Business"]["n_open"] == 1 and by_cat["Business"]["km_median"] is None
    assert by_cat["Tech"]["median"] == 61.0


def test_job_created_after_hire_excluded_and_counted():
    t = make_tables([app("x", "hired")], [tr("x", "offer", "hired", "2024-01-05")], [job(created="2024-02-01")])
    assert time_to_fill(t, Filters()).height == 0
    assert time_to_fill_summary(t, Filters())["n_negative"] == 1


def test_time_in_stage_by_type(small):
    rows = {r["stage_type"]: r for r in time_in_stage(small, Filters()).iter_rows(named=True)}
    # new stays 2 (a1 01-01->03), 2 (a2 01-02->04), 1 (a3), 1 (a4), 1 (a6); a5 open 41 days (01-20 -> 03-01)
    # sorted [1,1,1,2,2]: median 1, p90 h=(5-1)*.9=3.6 -> 2 + .6*(2-2) = 2
    # KM: S(1) = 1 - 3/6 = 1/2 exactly until the next event at 2 -> the midpoint 1.5
    assert (rows["new"]["n_completed"], rows["new"]["median"], rows["new"]["n_open"]) == (5, 1.0, 1)
    assert rows["new"]["p90"] == 2.0 and rows["new"]["km_median"] == 1.5
    # screening 7,4,6,4 -> median 5, p90 6.7; interviews 10 done + a3 open 49: S(10) = 1/2 with no later
    # event -> the midpoint of 10 and the largest time observed, (10 + 49) / 2 = 29.5
    assert rows["screening"]["median"] == 5.0 and rows["screening"]["p90"] == pytest.approx(6.7)
    assert (rows["interviews"]["n_completed"], rows["interviews"]["n_open"], rows["interviews"]["km_median"]) == (1, 1, 29.5)
    assert rows["offer"]["median"] == 10.5  # 11 (a1), 10 (a4)
    assert "hired" not in rows and "rejected" not in rows  # closed final stages have no duration


def test_time_in_stage_by_name_and_range(small):
    named = time_in_stage(small, Filters(), "stage")
    assert named.columns[:2] == ["stage_type", "stage_name"]
    # only stays that ended in Feb: a6 new (02-05 -> 02-06); as_of 03-01 outside -> no open stays
    feb = time_in_stage(small, Filters(date_from=date(2024, 2, 1), date_to=date(2024, 2, 29)))
    # as_of (03-01) is after the range: open stays are not counted (null), not "0 open"
    assert feb.select("stage_type", "n_completed", "n_open").rows() == [("new", 1, None)]


def test_stuck_applications(small):
    stuck = stuck_applications(small, Filters())
    # a5: 41 days in "New" (5 completed stays, p90 2.0); a3: 49 days in interviews (1 stay -> type p90 10)
    assert stuck["application_id"].to_list() == ["a5", "a3"]
    assert stuck["p90_basis"].to_list() == ["stage", "type"]
    assert stuck["days_in_stage"].to_list() == [41.0, 49.0]
