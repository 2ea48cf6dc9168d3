from metrics.filters import Filters
from metrics.snapshot import applications_per_stage

from .conftest import app, make_tables, tr, ts


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
