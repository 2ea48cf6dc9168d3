from datetime import date

import polars as pl
import pytest

from metrics.filters import Filters, date_in_range
from metrics.funnel import funnel, overall_conversion
from metrics.stages import application_facts, with_cohort


def test_funnel_by_hand(small):
    rows = {r["step"]: r for r in funnel(small, Filters()).iter_rows(named=True)}
    # furthest ranks a1..a6 = 4,1,2,3,0,0 -> reached 6,4,3,2,1
    assert [rows[s]["reached"] for s in ("new", "screening", "interviews", "offer", "hired")] == [6, 4, 3, 2, 1]
    # closed at: rank0 a6, rank1 a2, rank2 none (a3 active), rank3 a4, rank4 a1; active: a5 (0), a3 (2)
    assert [rows[s]["closed_at"] for s in rows] == [1, 1, 0, 1, 1]
    assert [rows[s]["active_at"] for s in rows] == [1, 0, 1, 0, 0]
    # step conversion 4/6, 3/4, 2/3, 1/2; pass-through 4/(4+1), 3/(3+1), 2/(2+0), 1/(1+1)
    assert rows["new"]["step_conversion"] == pytest.approx(4 / 6)
    assert rows["offer"]["step_conversion"] == pytest.approx(0.5)
    assert [rows[s]["pass_through"] for s in ("new", "screening", "interviews", "offer")] == pytest.approx([0.8, 0.75, 1.0, 0.5])
    assert rows["hired"]["step_conversion"] is None and rows["hired"]["pass_through"] is None
    assert rows["interviews"]["pass_through_lo"] < 1.0 <= rows["interviews"]["pass_through_hi"] + 1e-12


def test_overall_conversion(small):
    # cohort Jan 2024 = a1..a5, one hire -> 1/5
    result = overall_conversion(small, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31)))
    assert (result["reached_new"], result["reached_hired"], result["rate"]) == (5, 1, 0.2)
    assert result["rate_lo"] < 0.2 < result["rate_hi"]


def test_empty_funnel(empty):
    table = funnel(empty, Filters())
    assert table["reached"].to_list() == [0] * 5
    assert table["step_conversion"].null_count() == 5
    assert overall_conversion(empty, Filters())["rate"] is None


def test_funnel_shared_facts_follow_their_own_cohort(small):
    everything = Filters()
    facts = application_facts(small, everything)
    first = funnel(small, everything, facts=facts)
    assert funnel(small, everything, facts=facts)["reached"].to_list() == first["reached"].to_list() == [6, 4, 3, 2, 1]
    # same facts, January 2024 cohort (a1..a5, ranks 4,1,2,3,0) -> reached 5,4,3,2,1
    january = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31))
    jan_facts = with_cohort(small, facts, date_in_range(pl.col("application_date"), january))
    assert funnel(small, january, facts=jan_facts)["reached"].to_list() == [5, 4, 3, 2, 1]
