from dataclasses import replace

import polars as pl

from dashboard.schema import STAGES_SCHEMA
from metrics.filters import Filters
from metrics.snapshot import applications_per_stage

from .conftest import app, job, make_tables, tr, ts


def counts(frame):
    return {(r["stage_type"], r["stage_name"]): r["count"] for r in frame.iter_rows(named=True)}


def test_current_snapshot(small):
    assert counts(applications_per_stage(small, Filters())) == {
        ("new", "New"): 1, ("interviews", "Interviews"): 1, ("hired", "Hired"): 1,
        ("rejected", "Rejected"): 2, ("withdrawn", "Withdrawn"): 1,
    }
    # funnel order first, exits after
    assert applications_per_stage(small, Filters())["stage_type"].to_list() == ["new", "interviews", "hired", "rejected", "withdrawn"]


def test_snapshot_as_of_past_date(small):
    # at 01-09: a1..a3 exist (a4 created 01-10). a1 in screening since 01-03, a2 rejected 01-08, a3 screening 01-06
    assert counts(applications_per_stage(small, Filters(), ts("2024-01-09"))) == {("screening", "Screening"): 2, ("rejected", "Rejected"): 1}


def test_snapshot_before_first_transition_uses_first_stage():
    t = make_tables([app("x", "offer", stage_name="Contract")], [tr("x", "screening", "offer", "2024-01-05", from_name="Call", to_name="Contract")])
    assert counts(applications_per_stage(t, Filters(), ts("2024-01-03"))) == {("screening", "Call"): 1}
    assert counts(applications_per_stage(t, Filters(), ts("2024-01-05"))) == {("offer", "Contract"): 1}
    assert applications_per_stage(t, Filters(), ts("2023-12-31")).height == 0  # created 01-01


def _pipelines(t):
    """Two categories' pipelines: Tech new → CV review → Phone screen → Tech interview → rejected; Sales new →
    Call → rejected."""
    rows = [("k:Tech", "system:new", "New", "new", 0), ("k:Tech", "s:CV review", "CV review", "screening", 1),
            ("k:Tech", "s:Phone screen", "Phone screen", "screening", 2),
            ("k:Tech", "s:Tech interview", "Tech interview", "interviews", 3),
            ("k:Tech", "system:rejected", "Rejected", "rejected", 4), ("k:Sales", "system:new", "New", "new", 0),
            ("k:Sales", "s:Call", "Call", "screening", 1), ("k:Sales", "system:rejected", "Rejected", "rejected", 2)]
    stages = pl.DataFrame([(c, i, n, ty, "custom", p) for c, i, n, ty, p in rows], schema=STAGES_SCHEMA, orient="row")
    return replace(t, stages=stages)


def test_stages_come_in_pipeline_order_not_by_count_now_and_as_of():
    t = _pipelines(make_tables(
        [app("a1", "screening", stage_name="Phone screen"), app("a2", "screening", stage_name="CV review"),
         app("a3", "screening", stage_name="Call", job="j2"), app("a4", "rejected"),
         app("a5", "screening", stage_name="Phone screen"), app("a6", "interviews", stage_name="Tech interview"),
         app("a7", "screening", stage_name="Quick chat")],  # a stage no pipeline lists
        [tr("a6", "screening", "interviews", "2024-01-05", from_name="CV review", to_name="Tech interview")],
        jobs=[job("j1", category="Tech"), job("j2", category="Sales")],
    ))
    now = applications_per_stage(t, Filters())
    # screening by pipeline (Sales before Tech), then position: Call, CV review, Phone screen (2 applications,
    # still third); the unlisted Quick chat after the listed ones
    assert now["stage_name"].to_list() == ["Call", "CV review", "Phone screen", "Quick chat", "Tech interview", "Rejected"]
    assert now["count"].to_list() == [1, 1, 2, 1, 1, 1]
    assert now["position_in_type"].to_list() == [0, 1, 2, None, 0, 0]
    assert now["pipeline"].to_list() == ["Sales", "Tech", "Tech", "", "Tech", "Sales, Tech"]
    # on 01-03 a6 was still in CV review: same order, same positions
    then = applications_per_stage(t, Filters(), ts("2024-01-03"))
    assert then["stage_name"].to_list() == ["Call", "CV review", "Phone screen", "Quick chat", "Rejected"]
    assert then["count"].to_list() == [1, 2, 2, 1, 1]
    assert then["position_in_type"].to_list() == [0, 1, 2, None, 0]
