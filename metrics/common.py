"""Shared expression helpers: durations in days, stage-type ordering."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import polars as pl

from dashboard.schema import KNOWN_STAGE_TYPES, UTC_TS

US_PER_DAY = 86_400_000_000


def as_utc_start(date_expr: pl.Expr) -> pl.Expr:
    """A calendar date as 00:00 UTC of that date."""
    return date_expr.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def days_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """(end - start) in days as f64, from exact timestamps."""
    return (end.cast(UTC_TS) - start.cast(UTC_TS)).dt.total_microseconds().cast(pl.Float64) / US_PER_DAY


@lru_cache(maxsize=64)
def lit_ts(value: datetime) -> pl.Expr:
    """A timestamp literal in the table's UTC datetime type (cached: a datetime literal costs ~0.5 ms to build)."""
    return pl.lit(value).cast(UTC_TS)


def constant(value: object, n: int, dtype: pl.DataType, name: str = "") -> pl.Series:
    """A Series of `n` copies of `value` (a fresh buffer to scatter into; `pl.repeat` builds it via a query)."""
    return pl.Series(name, [value], dtype=dtype).new_from_index(0, n)


def type_order(expr: pl.Expr) -> pl.Expr:
    """Sort key of a stage type: funnel order, then exits, then other/unassigned, unknown types last."""
    order = {t: i for i, t in enumerate(KNOWN_STAGE_TYPES)}
    return expr.replace_strict(order, default=len(order), return_dtype=pl.Int32)


def lex_sort(frame: pl.DataFrame, *keys: str) -> pl.DataFrame:
    """`frame.sort(*keys)` (ascending, nulls first), as stable one-key sorts of the key columns alone.

    polars' multi-key sort encodes rows and was 5-7x slower on millions of rows than chained one-key
    sorts; sorting only the keys' row numbers gathers the other columns once, and input that is already
    in order (transitions usually arrive grouped and in API order) is returned as is."""
    if frame.height < 2:
        return frame
    if frame.select(_in_order(keys)).item():
        return frame
    order = frame.select(*keys).with_row_index("_i")
    for key in reversed(keys):
        order = order.sort(key, maintain_order=True)
    return frame[order.get_column("_i")]


def _in_order(keys: tuple[str, ...]) -> pl.Expr:
    """True when consecutive rows never go down in the (keys...) order (nulls make it False)."""
    ok = pl.lit(True)
    for key in reversed(keys):
        c, prev = pl.col(key), pl.col(key).shift(1)
        ok = (c > prev) | ((c == prev) & ok)
    return ok.slice(1).fill_null(False).all()


def decimal_ids(ids: pl.Series) -> pl.Series | None:
    """`ids` (String) as UInt64 when every non-null id is a plain decimal without leading zeros, else None.

    Such ids are equal exactly when their integers are, so sorts and joins may use the integers (several
    times faster than on strings); anything else ("007", "+7", "a1", 21+ digits) returns None."""
    values = ids.cast(pl.UInt64, strict=False)
    if values.null_count() != ids.null_count():
        return None
    # the cast accepts an optional sign and digits; an n-byte id is canonical iff its value >= 10^(n-1) (or "0")
    n = pl.col("s").str.len_bytes().clip(1, len(_POW10))
    lowest = pl.lit(_POW10).gather(n - 1)
    canonical = (pl.col("v") >= lowest) | (n == 1)
    return values if pl.DataFrame({"v": values, "s": ids}).select(canonical.all()).item() else None


_POW10 = pl.Series([10**k for k in range(20)], dtype=pl.UInt64)
