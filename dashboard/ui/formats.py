"""Column formats for st.dataframe, picked from column names so every table reads the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from dashboard.display import DAY_COLUMNS, RATE_NAMES, RATE_SUFFIXES, label, percent

__all__ = ["column_config", "display_rates", "label", "percent", "rate_with_interval"]

_DAY_COLUMNS = DAY_COLUMNS
_RATE_SUFFIXES = RATE_SUFFIXES
_RATE_NAMES = RATE_NAMES


def column_config(columns: Iterable[str], dtypes: Iterable[Any] | None = None) -> dict[str, Any]:
    """st.dataframe column_config for these columns (dates, days with one decimal, rates as percent)."""
    cfg: dict[str, Any] = {}
    dtypes = list(dtypes) if dtypes is not None else []
    for i, col in enumerate(columns):
        dtype = str(dtypes[i]) if i < len(dtypes) else ""
        title = label(col)
        if dtype.startswith("Datetime"):
            cfg[col] = st.column_config.DatetimeColumn(title, format="YYYY-MM-DD HH:mm")
        elif dtype == "Date" or col.endswith("_date") or col == "bucket_start":
            cfg[col] = st.column_config.DateColumn(title, format="YYYY-MM-DD")
        elif col in _DAY_COLUMNS or col.endswith("_days"):
            cfg[col] = st.column_config.NumberColumn(title, format="%.1f")
        elif col in _RATE_NAMES or (col.endswith(_RATE_SUFFIXES) and dtype.startswith("Float")):
            cfg[col] = st.column_config.NumberColumn(title, format="percent")
        elif dtype.startswith(("Int", "UInt")):
            cfg[col] = st.column_config.NumberColumn(title, format="localized")
        elif dtype == "Boolean":
            cfg[col] = st.column_config.CheckboxColumn(title)
        else:
            cfg[col] = st.column_config.TextColumn(title)
    return cfg


def _pct(expr: Any) -> Any:
    import polars as pl

    return (expr * 100).round(1).cast(pl.String) + pl.lit("%")


def rate_with_interval(column: str, title: str | None = None) -> Any:
    """Polars expression: '62.3% (58.1–66.2%)' from `column`, `column_lo`, `column_hi`; '–' when undefined."""
    import polars as pl

    text = _pct(pl.col(column)) + pl.lit(" (") + _pct(pl.col(f"{column}_lo")).str.strip_suffix("%") + pl.lit("–") \
        + _pct(pl.col(f"{column}_hi")) + pl.lit(")")
    return pl.when(pl.col(column).is_null()).then(pl.lit("–")).otherwise(text).alias(title or label(column))


def display_rates(df: Any, columns: Iterable[str], keep_first: Iterable[str] = (), keep_last: Iterable[str] = ()) -> Any:
    """A display copy of `df`: `keep_first` columns, each rate as 'x% (lo–hi%)' text, then `keep_last` columns."""
    cols = list(columns)
    head = [c for c in keep_first if c in df.columns]
    tail = [c for c in keep_last if c in df.columns]
    return df.select(*head, *[rate_with_interval(c, f"{label(c)} (95% CI)") for c in cols if c in df.columns], *tail)
