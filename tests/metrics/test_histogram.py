"""Day bins of the time to hire / offer histograms: nice widths, empty bins kept, every value in its bin."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from metrics.histogram import NICE_WIDTHS, TARGET_BINS, bin_width, duration_bins


def test_bins_use_the_narrowest_nice_width_and_keep_empty_bins():
    # days 0.5 .. 30: width 1 needs bins 0..30 = 31 > 25; width 2 needs floor(30/2) - floor(0.5/2) + 1 = 16
    df = pl.DataFrame({"days": [0.5, 3.0, 3.9, 12.0, 30.0, None]})
    bins = duration_bins(df)
    assert bins.height == 16
    assert bins["bin_start"].to_list() == [2.0 * k for k in range(16)]
    assert bins["bin_end"].to_list() == [2.0 * k + 2 for k in range(16)]
    counts = dict(zip(bins["bin_start"].to_list(), bins["count"].to_list(), strict=True))
    # 0.5 -> [0,2); 3.0 and 3.9 -> [2,4); 12.0 -> [12,14) (bins are closed on the left); 30.0 -> [30,32)
    assert {k: v for k, v in counts.items() if v} == {0.0: 1, 2.0: 2, 12.0: 1, 30.0: 1}
    assert bins["count"].sum() == 5  # the null is left out


def test_one_value_and_no_values():
    assert duration_bins(pl.DataFrame({"days": [7.0]})).rows() == [(7.0, 8.0, 1)]
    empty = duration_bins(pl.DataFrame({"days": []}, schema={"days": pl.Float64}))
    assert empty.height == 0 and empty.columns == ["bin_start", "bin_end", "count"]
    assert duration_bins(pl.DataFrame({"other": [1.0]})).height == 0


def test_width_grows_with_the_span():
    assert bin_width(0, 24) == 1  # 25 one-day bins
    assert bin_width(0, 25) == 2
    assert bin_width(0, 240) == 10  # 25 bins of 10 days
    assert bin_width(0, 10_000) == 365  # beyond the widest nice width: the widest


@given(st.lists(st.floats(min_value=-50, max_value=2_000, allow_nan=False), min_size=1, max_size=60))
def test_every_value_falls_in_exactly_one_bin_and_counts_add_up(values):
    bins = duration_bins(pl.DataFrame({"days": values}))
    assert int(bins["count"].sum()) == len(values)
    assert bins.height <= TARGET_BINS
    width = bins["bin_end"][0] - bins["bin_start"][0]
    assert width in NICE_WIDTHS
    for v in values:
        inside = bins.filter((pl.col("bin_start") <= v) & (pl.col("bin_end") > v))
        assert inside.height == 1 and inside["count"][0] >= 1


def test_a_value_that_rounds_onto_a_bin_edge_lands_in_the_bin_that_holds_it():
    # -5e-324 / 2 underflows to -0.0, whose floor is bin [0, 2); the value belongs to [-2, 0)
    bins = duration_bins(pl.DataFrame({"days": [24.0, -5e-324]}))
    assert bins["bin_start"][0] == -2.0 and bins["count"][0] == 1
    assert int(bins["count"].sum()) == 2
