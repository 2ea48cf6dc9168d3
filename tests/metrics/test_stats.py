import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics.stats import (
    kaplan_meier,
    km_curve_by,
    km_median,
    km_median_by,
    quantile,
    summary,
    wilson,
    wilson_exprs,
)


def test_quantile_matches_numpy_linear():
    values = [3.0, 1.0, 10.0, 4.0, 2.0]
    for q in (0.0, 0.25, 0.5, 0.9, 1.0):
        assert quantile(values, q) == pytest.approx(float(np.quantile(values, q)))


def test_quantile_by_hand():
    # sorted [1,2,3,4,10]; h = (5-1)*0.9 = 3.6 -> 4 + 0.6*(10-4) = 7.6
    assert quantile([1, 2, 3, 4, 10], 0.9) == pytest.approx(7.6)
    assert quantile([], 0.5) is None
    assert quantile([None, float("nan")], 0.5) is None


def test_summary_by_hand_and_empty():
    # [1,2,3,4]: median 2.5, p25 = 1 + 0.75 = 1.75, p75 = 3.25, p90 = 3 + 0.7 = 3.7, mean 2.5
    assert summary([4, 1, 3, 2]) == {"n": 4, "median": 2.5, "p25": 1.75, "p75": 3.25, "p90": pytest.approx(3.7), "mean": 2.5}
    assert summary([]) == {"n": 0, "median": None, "p25": None, "p75": None, "p90": None, "mean": None}


def test_wilson_textbook_values():
    # 0/10: (0, z²/(n+z²)) = 3.8415/13.8415 = 0.2775; 10/10 symmetric; 5/10: 0.5 ± 0.2634
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.27753, abs=1e-5)
    lo, hi = wilson(10, 10)
    assert lo == pytest.approx(0.72247, abs=1e-5) and hi == pytest.approx(1.0)
    lo, hi = wilson(5, 10)
    assert (lo, hi) == (pytest.approx(0.23659, abs=1e-5), pytest.approx(0.76341, abs=1e-5))
    assert wilson(0, 0) == (None, None)


def test_wilson_exprs_match_scalar_and_null_for_zero_n():
    df = pl.DataFrame({"s": [0, 5, 3], "n": [10, 10, 0]}).select(wilson_exprs(pl.col("s"), pl.col("n"), "r"))
    assert df["r"].to_list() == [0.0, 0.5, None]
    assert df["r_lo"][1] == pytest.approx(wilson(5, 10)[0])
    assert df["r_hi"][0] == pytest.approx(wilson(0, 10)[1])
    assert df["r_lo"][2] is None


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_interval_contains_estimate(s, n):
    s = min(s, n)
    lo, hi = wilson(s, n)
    assert lo - 1e-12 <= s / n <= hi + 1e-12


# Freireich et al. (1963) 6-MP group, the classic Kaplan-Meier textbook example (+ = censored):
# 6,6,6,6+,7,9+,10,10+,11+,13,16,17+,19+,20+,22,23,25+,32+,32+,34+,35+
FREIREICH_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
FREIREICH_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_kaplan_meier_textbook_curve():
    curve = kaplan_meier(FREIREICH_T, [bool(e) for e in FREIREICH_E])
    at = {row["time"]: row for row in curve.iter_rows(named=True)}
    # S(6)=18/21=.857, S(7)=.857*16/17=.807, S(10)=.807*14/15=.753, S(13)=.690, S(16)=.627, S(22)=.538, S(23)=.448
    expected = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}
    for time, s in expected.items():
        assert at[float(time)]["survival"] == pytest.approx(s, abs=1e-3)
    assert at[6.0]["at_risk"] == 21 and at[6.0]["events"] == 3 and at[6.0]["censored"] == 1
    assert at[35.0]["at_risk"] == 1
    assert km_median(FREIREICH_T, [bool(e) for e in FREIREICH_E]) == 23.0


def test_km_median_at_an_exact_half_despite_float_rounding_is_the_midpoint_to_the_next_event():
    # 24 events, no censoring: S(12) = 12/24 = 1/2 exactly (the float product is 0.5000000000000002) until the
    # next event at 13, so the median is (12 + 13) / 2 = 12.5, the plain median of 1..24
    assert km_median(list(range(1, 25)), [True] * 24) == 12.5


def test_km_median_without_censoring_equals_the_plain_median():
    # even n: S(2) = 2/4 exactly -> (2 + 4) / 2 = 3 (the next event is 4; ties at 2 count whole)
    assert km_median([1.0, 2.0, 4.0, 9.0], [True] * 4) == 3.0
    # odd n: S(2) = 2/3, S(5) = 1/3 -> 5, no flat half
    assert km_median([2.0, 5.0, 7.0], [True] * 3) == 5.0
    # ties: S(1) = 3/4, S(2) = 1/4 -> 2, the plain median of 1, 2, 2, 3
    assert km_median([1.0, 2.0, 2.0, 3.0], [True] * 4) == 2.0


def test_km_median_flat_half_skips_censored_times_to_the_next_event():
    # times 1 (event), 2 (event), 3 (censored), 5 (event): S(1) = 3/4, S(2) = 3/4 * 2/3 = 1/2, 3 is censored
    # (S stays 1/2), S(5) = 0 -> the median is the midpoint of 2 and the next EVENT time 5 = 3.5
    assert km_median([1.0, 2.0, 3.0, 5.0], [True, True, False, True]) == 3.5


def test_km_median_flat_half_to_the_end_uses_the_largest_time_observed():
    # times 1, 2 events, 3, 4 censored: S(2) = 1/2 and no later event -> (2 + 4) / 2 = 3
    assert km_median([1.0, 2.0, 3.0, 4.0], [True, True, False, False]) == 3.0


def test_km_median_by_takes_the_midpoint_per_group():
    frame = pl.DataFrame({"g": ["a"] * 4 + ["b"] * 3, "d": [1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0], "o": [True] * 7})
    medians = dict(km_median_by(frame, ["g"], "d", "o").iter_rows())
    assert medians == {"a": 2.5, "b": 2.0}  # a: S(2) = 1/2 -> (2 + 3) / 2; b: S(2) = 1/3 -> 2
    # one group of all 7 times 1, 1, 2, 2, 3, 3, 4: S(1) = 5/7, S(2) = 3/7 -> 2, the plain median
    assert km_median_by(frame, [], "d", "o")["km_median"].to_list() == [2.0]


def test_km_median_none_when_not_reached_and_empty():
    assert km_median([1, 2, 3], [True, False, False]) is None  # S = 2/3 and stays
    assert km_median([], []) is None
    assert kaplan_meier([], []).columns == ["time", "at_risk", "events", "censored", "survival"]


def test_km_median_of_series_skips_missing_times_and_counts_ties_whole():
    # valid rows: 1 (observed null = censored), 2 (event), 2 (censored), 3 (event); null and NaN times dropped
    # S(1) = 1, S(2) = 1 - 1/3 = 2/3, S(3) = 2/3 * (1 - 1/1) = 0 -> median 3; -0.0 and 0.0 are one time
    durations = pl.Series([2.0, 2.0, None, float("nan"), 1.0, 3.0])
    observed = pl.Series([True, False, True, True, None, True])
    assert km_median(durations, observed) == 3.0
    assert km_median(pl.Series([-0.0, 0.0, 5.0]), pl.Series([True, True, False])) == 0.0  # S(0) = 1/3


def test_km_curve_by_orders_groups_and_negative_zero_and_huge_times():
    # group "a": times -2 (event), -0.0 and 0.0 (one time: 1 event + 1 censored), 1e300 (event);
    # group "b": 5e-324 (the smallest float, event) and -1e300 (censored) -> -1e300 first
    frame = pl.DataFrame(
        {
            "g": ["a", "b", "a", "a", "b", "a"],
            "d": [0.0, 5e-324, -2.0, 1e300, -1e300, -0.0],
            "o": [True, True, True, True, False, False],
        }
    )
    curve = km_curve_by(frame, ["g"], "d", "o")
    assert curve["g"].to_list() == ["a", "a", "a", "b", "b"]
    assert curve["time"].to_list() == [-2.0, 0.0, 1e300, -1e300, 5e-324]
    assert curve["at_risk"].to_list() == [4, 3, 1, 2, 1]
    assert curve["events"].to_list() == [1, 1, 1, 0, 1]
    assert curve["censored"].to_list() == [0, 1, 0, 1, 0]
    # a: 3/4, then 3/4 * 2/3 = 1/2, then 0; b: 1, then 0
    assert curve["survival"].to_list() == pytest.approx([0.75, 0.5, 0.0, 1.0, 0.0])
