"""Small statistics helpers: linear quantiles, summaries, Wilson intervals, Kaplan-Meier."""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from metrics.common import constant

Z95 = 1.959964
SUMMARY_KEYS: tuple[str, ...] = ("n", "median", "p25", "p75", "p90", "mean")
# Survival at or below one half; the slack absorbs rounding of the running product (an exact 1/2 like
# 12/24 comes out as 0.5000000000000002 and would push the median to the next time).
KM_HALF = 0.5 + 1e-9
KM_SCHEMA: dict[str, pl.DataType] = {
    "time": pl.Float64,
    "at_risk": pl.UInt32,
    "events": pl.UInt32,
    "censored": pl.UInt32,
    "survival": pl.Float64,
}


def _clean(values: Sequence[float] | pl.Series) -> pl.Series:
    """Float series without nulls and NaNs."""
    s = values if isinstance(values, pl.Series) else pl.Series(values=list(values), dtype=pl.Float64)
    s = s.cast(pl.Float64).drop_nulls()
    return s.filter(s.is_not_nan())


def quantile(values: Sequence[float] | pl.Series, q: float) -> float | None:
    """Quantile with linear interpolation between order statistics (numpy's default, Hyndman-Fan type 7).

    Nulls/NaNs are dropped; None for no values."""
    s = _clean(values)
    return None if s.is_empty() else s.quantile(q, "linear")


def summary_exprs(col: str) -> list[pl.Expr]:
    """Aggregation expressions n, median, p25, p75, p90, mean over `col` (for group_by(...).agg)."""
    c = pl.col(col).drop_nulls()
    return [
        c.len().alias("n"),
        c.quantile(0.5, "linear").alias("median"),
        c.quantile(0.25, "linear").alias("p25"),
        c.quantile(0.75, "linear").alias("p75"),
        c.quantile(0.9, "linear").alias("p90"),
        c.mean().alias("mean"),
    ]


def summary(values: Sequence[float] | pl.Series) -> dict[str, float | int | None]:
    """{"n", "median", "p25", "p75", "p90", "mean"} of the non-null values; statistics None when n == 0."""
    s = _clean(values)
    if s.is_empty():
        return {"n": 0, "median": None, "p25": None, "p75": None, "p90": None, "mean": None}
    row = pl.DataFrame({"v": s}).select(summary_exprs("v")).row(0, named=True)
    return {k: (int(row[k]) if k == "n" else float(row[k])) for k in SUMMARY_KEYS}


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval for successes/n; (None, None) when n == 0."""
    if n <= 0:
        return None, None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_exprs(successes: pl.Expr, n: pl.Expr, name: str, z: float = Z95) -> list[pl.Expr]:
    """Expressions `name`, `name_lo`, `name_hi`: the rate successes/n and its Wilson interval (null when n == 0)."""
    n = n.cast(pl.Float64)
    valid = n > 0
    p = successes.cast(pl.Float64) / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)).sqrt() / denom
    return [
        pl.when(valid).then(p).alias(name),
        pl.when(valid).then((centre - half).clip(0.0, 1.0)).alias(f"{name}_lo"),
        pl.when(valid).then((centre + half).clip(0.0, 1.0)).alias(f"{name}_hi"),
    ]


_SIGN = 2**63
_MAGNITUDE = _SIGN - 1  # every bit of an f64 but its sign


def _sorted_by_group_then_time(data: pl.DataFrame) -> pl.DataFrame:
    """`data` (_group u32, time f64 without NaN, _o bool) sorted by (group, time): _group, time, _o.

    Rows with equal (group, time) are counted whole, so only the values matter, not which row is which:
    each row becomes one Int128 (group, order-preserving bits of time, censored flag), and one value sort
    of that column replaces an arg sort by time, a stable sort by group and gathering the columns."""
    i128 = pl.Int128
    censored = ~pl.col("_o").fill_null(False)
    lowest = data.get_column("time").min()  # a Series kernel: no query
    if lowest is None or lowest >= 0:
        # durations >= 0 (the usual case): bits of time * 2 + censored fit 64 bits, so the arithmetic stays
        # in UInt64 and the group takes the upper 64 bits
        low = (pl.col("time") + 0.0).reinterpret(dtype=pl.UInt64) * 2 + censored.cast(pl.UInt64)  # + 0.0: no -0.0
        key = data.select((pl.col("_group").cast(i128) * 2**64 + low.cast(i128)).sort().alias("_k"))
        k = pl.col("_k")
        low = (k % 2**64).cast(pl.UInt64)
        return key.select(
            (k // 2**64).cast(pl.UInt32).alias("_group"),
            (low // 2).reinterpret(dtype=pl.Float64).alias("time"),
            (low % 2 == 0).alias("_o"),
        )
    bits = (pl.col("time") + 0.0).reinterpret(dtype=pl.Int64)  # + 0.0: -0.0 becomes 0.0
    # signed ints in the floats' order (a negative float's magnitude bits reversed), then shifted to >= 0
    ordered = pl.when(bits < 0).then(bits ^ _MAGNITUDE).otherwise(bits).cast(i128) + _SIGN
    key = data.select((pl.col("_group").cast(i128) * 2**65 + ordered * 2 + censored.cast(i128)).sort().alias("_k"))
    k = pl.col("_k")
    back = ((k % 2**65) // 2 - _SIGN).cast(pl.Int64)
    time_bits = pl.when(back < 0).then(back ^ _MAGNITUDE).otherwise(back)
    return key.select(
        (k // 2**65).cast(pl.UInt32).alias("_group"),
        time_bits.reinterpret(dtype=pl.Float64).alias("time"),
        (k % 2 == 0).alias("_o"),
    )


def _km_runs(frame: pl.DataFrame, by: Sequence[str], duration: str, observed: str) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """(Kaplan-Meier rows keyed by `_group`, ids: every group of `frame` with its `_group`; None without `by`).

    One numeric sort by (group id, time); each distinct time is the last row of its run, so counts
    come from position and running-sum differences instead of a group-by over (group, time)."""
    by = list(by)
    time = frame.get_column(duration).cast(pl.Float64)
    if by:
        keys = frame.select(by)
        ids = keys.unique().sort(by, nulls_last=False).with_row_index("_group")
        gid = keys.join(ids, on=by, how="left", nulls_equal=True, maintain_order="left").get_column("_group")
    else:
        ids = None
        gid = constant(0, frame.height, pl.UInt32)
    # Series steps where they are enough: each frame query costs ~0.1-1 ms on the few thousand stays here
    keep = time.is_not_null() & time.is_not_nan()
    data = pl.DataFrame(
        {"_group": gid.filter(keep), "time": time.filter(keep), "_o": frame.get_column(observed).cast(pl.Boolean).filter(keep)}
    )
    g = pl.col("_group")
    ordered = _sorted_by_group_then_time(data)
    last = ((g != g.shift(-1)) | (pl.col("time") != pl.col("time").shift(-1))).fill_null(True)
    # each distinct time is the last row of its run; each group's last row's _pos is the group's end
    runs = ordered.select(
        g.filter(last).set_sorted(),
        pl.col("time").filter(last),
        pl.int_range(pl.len(), dtype=pl.UInt32).filter(last).alias("_pos"),
        pl.col("_o").cast(pl.UInt32).cum_sum().filter(last).alias("_cum_o"),
    )
    group_end = pl.when(g.ne_missing(g.shift(-1))).then(pl.col("_pos")).fill_null(strategy="backward")
    prev_pos = pl.col("_pos").shift(1).fill_null(-1).cast(pl.Int64)
    n = (pl.col("_pos").cast(pl.Int64) - prev_pos)
    events = (pl.col("_cum_o") - pl.col("_cum_o").shift(1).fill_null(0)).cast(pl.UInt32)
    at_risk = (group_end.cast(pl.Int64) - prev_pos).cast(pl.UInt32)
    runs = runs.select(
        "_group", "time", at_risk.alias("at_risk"), events.alias("events"), (n - events).cast(pl.UInt32).alias("censored")
    )
    factor = 1 - pl.col("events").cast(pl.Float64) / pl.col("at_risk").cast(pl.Float64)
    groups = runs.get_column("_group")
    one_group = runs.height == 0 or groups.first() == groups.last()
    survival = factor.cum_prod() if one_group else factor.cum_prod().over("_group")  # rows sorted by group
    return runs.with_columns(survival.alias("survival")), ids


def _km_table(frame: pl.DataFrame, by: Sequence[str], duration: str, observed: str) -> pl.DataFrame:
    """Kaplan-Meier rows per group (by..., time, at_risk, events, censored, survival)."""
    runs, ids = _km_runs(frame, by, duration, observed)
    if ids is not None:
        runs = runs.join(ids, on="_group", how="left", maintain_order="left")
    return runs.select(*by, *KM_SCHEMA)


def kaplan_meier(durations: Sequence[float] | pl.Series, observed: Sequence[bool] | pl.Series) -> pl.DataFrame:
    """Kaplan-Meier product-limit estimate, one row per distinct duration.

    Columns: time (f64), at_risk (u32), events (u32), censored (u32), survival (f64, after this time).
    `observed` False = censored. Empty input -> empty frame with these columns."""
    frame = pl.DataFrame({"d": _series(durations, pl.Float64), "o": _series(observed, pl.Boolean)})
    return _km_table(frame, [], "d", "o").cast(KM_SCHEMA)


def _series(values: Sequence | pl.Series, dtype: pl.DataType) -> pl.Series:
    """`values` as a Series of `dtype` (a Series is cast, not copied through a Python list)."""
    return values.cast(dtype) if isinstance(values, pl.Series) else pl.Series(values=list(values), dtype=dtype)


def km_curve_by(frame: pl.DataFrame, by: Sequence[str], duration: str, observed: str) -> pl.DataFrame:
    """Kaplan-Meier rows per group: by... + time, at_risk, events, censored, survival."""
    return _km_table(frame, by, duration, observed)


def _km_medians(runs: pl.DataFrame) -> pl.DataFrame:
    """Kaplan-Meier median per `_group` of `runs` (sorted by group, time): `_group`, km_median.

    The first time t with survival <= 0.5; where survival is exactly 0.5 (within 1e-9) the midpoint of t
    and the next event time, or of t and the group's largest time when no event follows (as R's survival
    package), so that with nothing censored the median equals the plain median."""
    g = pl.col("_group")
    event_time = pl.when(pl.col("events") > 0).then(pl.col("time"))
    next_event = event_time.shift(-1).fill_null(strategy="backward")
    later = pl.coalesce(next_event.over("_group"), pl.col("time").max().over("_group"))
    flat = (pl.col("survival") - 0.5).abs() <= 1e-9
    median = pl.when(flat).then((pl.col("time") + later) / 2).otherwise(pl.col("time"))
    rows = runs.with_columns(median.alias("km_median")).filter(pl.col("survival") <= KM_HALF)
    return rows.group_by(g, maintain_order=True).agg(pl.col("km_median").first())


def km_median_by(frame: pl.DataFrame, by: Sequence[str], duration: str, observed: str) -> pl.DataFrame:
    """Kaplan-Meier median per group of `by` (vectorised): columns by... + km_median (f64, null if not reached)."""
    by = list(by)
    runs, ids = _km_runs(frame, by, duration, observed)
    medians = _km_medians(runs)
    if ids is not None:
        return ids.join(medians, on="_group", how="left").select(*by, "km_median")
    value = medians["km_median"][0] if medians.height else None
    return pl.DataFrame({"km_median": [value]}, schema={"km_median": pl.Float64})


def km_median(durations: Sequence[float] | pl.Series, observed: Sequence[bool] | pl.Series) -> float | None:
    """Kaplan-Meier median (see `_km_medians`); None when the survival curve never reaches 0.5."""
    frame = pl.DataFrame({"d": _series(durations, pl.Float64), "o": _series(observed, pl.Boolean)})
    runs, _ = _km_runs(frame, [], "d", "o")
    medians = _km_medians(runs)
    return None if medians.is_empty() else float(medians["km_median"][0])
