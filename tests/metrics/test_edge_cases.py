"""The edge cases at the end of metrics.md, run through every metric of the bundle."""

import pytest

from metrics.bundle import metric_tables
from metrics.filters import Filters
from metrics.funnel import funnel
from metrics.kpis import kpi_tiles, kpis
from metrics.speed import time_in_stage, time_to_hire

from .conftest import app, job, make_tables, tr

CASES = {
    "empty": make_tables([], [], []),
    "single": make_tables([app("x")]),
    "all_active": make_tables([app("x", "screening"), app("y", "interviews")], [tr("x", "new", "screening", "2024-01-02")]),
    "no_transitions": make_tables([app("x", "hired"), app("y", "rejected"), app("z", "offer")]),
    "reopened": make_tables([app("x", "screening")], [tr("x", "new", "rejected", "2024-01-02"), tr("x", "rejected", "screening", "2024-01-03")]),
    "hired_moved_away": make_tables([app("x", "talent pool")], [tr("x", "offer", "hired", "2024-01-02"), tr("x", "hired", "talent pool", "2024-01-03")]),
    "job_after_hire": make_tables([app("x", "hired")], [tr("x", "offer", "hired", "2024-01-02")], [job(created="2024-02-01")]),
    "unknown_types": make_tables([app("x", "mystery")], [tr("x", "new", "mystery", "2024-01-02")]),
    "anonymised": make_tables([app("x", candidate=None), app("y", candidate=None, channel=None, job=None)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_metric_survives(name):
    t = CASES[name]
    tables = metric_tables(t, Filters())
    assert tables["funnel"].height == 5
    kpis(t, Filters())
    kpi_tiles(t, Filters())


def test_single_and_all_active():
    assert funnel(CASES["single"], Filters())["reached"].to_list() == [1, 0, 0, 0, 0]
    f = funnel(CASES["all_active"], Filters())
    # x furthest screening, y interviews, both active: reached 2,2,1,0 and closed_at all 0, so
    # pass-through 2/(2+0), 1/(1+0), then 0/0 -> undefined
    assert f["closed_at"].sum() == 0 and f["pass_through"].to_list()[:4] == [1.0, 1.0, None, None]


def test_reopened_counts_as_active_at_screening():
    f = funnel(CASES["reopened"], Filters())
    assert f["reached"].to_list() == [1, 1, 0, 0, 0] and f["active_at"].to_list() == [0, 1, 0, 0, 0]


def test_hired_then_moved_away_reached_hired_but_not_a_hire():
    t = CASES["hired_moved_away"]
    assert funnel(t, Filters())["reached"].to_list()[-1] == 1
    assert time_to_hire(t, Filters()).height == 0 and kpis(t, Filters())["hires"] == 0


def test_job_after_hire_not_plotted():
    t = CASES["job_after_hire"]
    assert metric_tables(t, Filters())["time_to_fill"].height == 0
    assert kpis(t, Filters())["time_to_fill_days"]["n_filled"] == 0


def test_unknown_type_kept_in_time_in_stage_and_snapshot():
    t = CASES["unknown_types"]
    assert "mystery" in time_in_stage(t, Filters())["stage_type"].to_list()
    assert metric_tables(t, Filters())["applications_per_stage"]["stage_type"].to_list() == ["mystery"]


def test_anonymised_count_everywhere_but_candidates():
    t = CASES["anonymised"]
    assert kpis(t, Filters())["applications"] == 2
    assert kpis(t, Filters())["applications_per_candidate_mean"] is None
