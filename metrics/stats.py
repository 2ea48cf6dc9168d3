"""Small statistics helpers: linear quantiles, summaries, Wilson intervals, Kaplan-Meier."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

Z95 = 1.959964


def quantile(values: Sequence[float] | pl.Series, q: float) -> float | None:
    """Quantile with linear interpolation between order statistics (numpy's default, Hyndman-Fan type 7).

    Nulls/NaNs are dropped; None for no values."""
    raise NotImplementedError


def summary(values: Sequence[float] | pl.Series) -> dict[str, float | int | None]:
    """{"n", "median", "p25", "p75", "p90", "mean"} of the non-null values; statistics None when n == 0."""
    raise NotImplementedError


def summary_exprs(col: str) -> list[pl.Expr]:
    """Aggregation expressions n, median, p25, p75, p90, mean over `col` (for group_by(...).agg)."""
    raise NotImplementedError


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval for successes/n; (None, None) when n == 0."""
    raise NotImplementedError


def wilson_exprs(successes: pl.Expr, n: pl.Expr, name: str, z: float = Z95) -> list[pl.Expr]:
    """Expressions `name`, `name_lo`, `name_hi`: the rate successes/n and its Wilson interval (null when n == 0)."""
    raise NotImplementedError


def kaplan_meier(durations: Sequence[float] | pl.Series, observed: Sequence[bool] | pl.Series) -> pl.DataFrame:
    """Kaplan-Meier product-limit estimate, one row per distinct duration.

    Columns: time (f64), at_risk (u32), events (u32), censored (u32), survival (f64, after this time).
    `observed` False = censored. Empty input -> empty frame with these columns."""
    raise NotImplementedError


def km_median(durations: Sequence[float] | pl.Series, observed: Sequence[bool] | pl.Series) -> float | None:
    """Smallest time at which the Kaplan-Meier survival is <= 0.5; None when the curve never gets there."""
    raise NotImplementedError


def km_median_by(frame: pl.DataFrame, by: Sequence[str], duration: str, observed: str) -> pl.DataFrame:
    """Kaplan-Meier median per group of `by` (vectorised): columns by... + km_median (f64, null if not reached)."""
    raise NotImplementedError
