"""Day bins for duration distributions: whole-day widths a recruiter can read, every bin of the span kept.

The Speed page draws its time to hire / offer histograms from these bins (not plotly's own binning), so a
selected bar names its bin `[bin_start, bin_end)` and the drill-down lists exactly the applications in it.
"""

from __future__ import annotations

import math

import polars as pl

NICE_WIDTHS: tuple[int, ...] = (1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365)
TARGET_BINS = 25
BIN_SCHEMA = {"bin_start": pl.Float64, "bin_end": pl.Float64, "count": pl.UInt32}


def bin_width(low: float, high: float, target_bins: int = TARGET_BINS) -> int:
    """The narrowest nice width (days) that covers [low, high] in at most `target_bins` bins."""
    for width in NICE_WIDTHS:
        if _bin_of(high, width) - _bin_of(low, width) + 1 <= target_bins:
            return width
    return NICE_WIDTHS[-1]


def _bin_of(value: float, width: int) -> int:
    """k with k * width <= value < (k + 1) * width (value / width can round onto an edge, e.g. to -0.0)."""
    k = math.floor(value / width)
    if k * width > value:
        return k - 1
    return k + 1 if (k + 1) * width <= value else k


def duration_bins(df: pl.DataFrame, column: str = "days", target_bins: int = TARGET_BINS) -> pl.DataFrame:
    """Counts of `column` in bins [bin_start, bin_end) of one nice width; empty bins inside the span count 0.

    Nulls and NaN are left out. Columns: bin_start, bin_end (days), count."""
    values = df.get_column(column).cast(pl.Float64).drop_nulls().drop_nans() if column in df.columns else None
    if values is None or values.len() == 0:
        return pl.DataFrame(schema=BIN_SCHEMA)
    width = bin_width(float(values.min()), float(values.max()), target_bins)
    k = (pl.col("v") / width).floor().cast(pl.Int64)
    # v / width can round onto a bin edge (e.g. a tiny negative v gives -0.0): step to the bin that holds v
    k = pl.when(k * width > pl.col("v")).then(k - 1).when((k + 1) * width <= pl.col("v")).then(k + 1).otherwise(k)
    keys = values.to_frame("v").select(k.alias("k"))
    counts = keys.group_by("k").len(name="count")
    first, last = keys["k"].min(), keys["k"].max()
    return (pl.DataFrame({"k": pl.int_range(first, last + 1, eager=True, dtype=pl.Int64)})
            .join(counts, on="k", how="left")
            .select((pl.col("k") * width).cast(pl.Float64).alias("bin_start"),
                    ((pl.col("k") + 1) * width).cast(pl.Float64).alias("bin_end"),
                    pl.col("count").fill_null(0).cast(pl.UInt32)))
