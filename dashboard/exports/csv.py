"""Safe exports: CSV without spreadsheet formula injection, safe file names, the whole-dashboard export.

Any text cell that a spreadsheet would evaluate (starting with =, +, -, @, a tab or a carriage return) gets
a leading apostrophe, the OWASP-recommended neutralisation; numbers, dates and booleans are untouched.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import os
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from dashboard.schema import Tables

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_cell(value: Any) -> Any:
    """`value` with a leading apostrophe when it is a string a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _neutralise_expr(col: str) -> pl.Expr:
    c = pl.col(col)
    risky = c.str.contains(r"^[=+\-@\t\r]")
    return pl.when(risky).then(pl.lit("'") + c).otherwise(c).alias(col)


def _flatten_nested(df: pl.DataFrame) -> pl.DataFrame:
    """CSV cannot hold lists/structs: turn them into JSON text."""
    nested = [name for name, dtype in df.schema.items() if dtype.is_nested()]
    if not nested:
        return df
    return df.with_columns(
        pl.col(name).map_elements(lambda v: json.dumps(_jsonable(v), ensure_ascii=False), return_dtype=pl.String)
        for name in nested
    )


def neutralise(df: pl.DataFrame) -> pl.DataFrame:
    """`df` with nested columns as JSON text and every risky string cell prefixed with an apostrophe."""
    df = _flatten_nested(df)
    text = [name for name, dtype in df.schema.items() if dtype in (pl.String, pl.Categorical, pl.Enum)
            or isinstance(dtype, (pl.Categorical, pl.Enum))]
    if not text:
        return df
    return df.with_columns(pl.col(text).cast(pl.String)).with_columns(_neutralise_expr(c) for c in text)


def _safe_headers(df: pl.DataFrame) -> pl.DataFrame:
    renames = {c: safe_cell(c) for c in df.columns if safe_cell(c) != c}
    return df.rename(renames) if renames else df


def csv_bytes(df: pl.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads umlauts) of `df`, safe to open in a spreadsheet."""
    buf = io.BytesIO()
    _safe_headers(neutralise(df)).write_csv(buf, datetime_format="%Y-%m-%dT%H:%M:%S%.fZ")
    return b"\xef\xbb\xbf" + buf.getvalue()


def write_csv(df: pl.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write `csv_bytes(df)` to `path` (parent directories created); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(csv_bytes(df))
    return target


def safe_filename(name: str, default: str = "export") -> str:
    """A portable file name from arbitrary text: no separators, control or reserved characters."""
    text = unicodedata.normalize("NFKC", str(name))
    text = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", text)
    text = re.sub(r"\s+", "_", text.strip())
    text = text.strip("._ ") or default
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text[:120]


def _jsonable(value: Any) -> Any:
    """JSON-ready copy: NaN/inf → None, dates → ISO text, timedeltas → days, frames → records."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, pl.DataFrame):
        return [_jsonable(r) for r in value.to_dicts()]
    if isinstance(value, pl.Series):
        return [_jsonable(v) for v in value.to_list()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    return str(value)


def kpis_json(kpis: Mapping[str, Any]) -> str:
    """The KPI dict as strict JSON (numbers as numbers, null where undefined)."""
    return json.dumps(_jsonable(kpis), indent=2, ensure_ascii=False, allow_nan=False, sort_keys=False) + "\n"


def metrics_available() -> bool:
    """True when the metrics bundle is installed (it is optional for the sync path)."""
    return importlib.util.find_spec("metrics.bundle") is not None


def export_all(tables: Tables, out_dir: str | os.PathLike[str], f: Any = None) -> list[Path]:
    """Write tables/*.csv, one CSV per metric and kpis.json into `out_dir`; returns the written paths."""
    out = Path(out_dir)
    written: list[Path] = []
    for name, frame in tables.frames().items():
        written.append(write_csv(frame, out / "tables" / f"{safe_filename(name)}.csv"))
    if not metrics_available():
        return written
    from metrics.bundle import metric_tables
    from metrics.filters import Filters
    from metrics.kpis import kpis
    from metrics.team import team_kpis, team_table

    f = Filters() if f is None else f
    for stem, frame in metric_tables(tables, f).items():
        written.append(write_csv(frame, out / f"{safe_filename(stem)}.csv"))
    team = team_table(tables, f)  # ids and roles only: member names never reach an export
    written.append(write_csv(team, out / "by_hiring_team_member.csv"))
    kpi_path = out / "kpis.json"
    kpi_path.write_text(kpis_json({**kpis(tables, f), "by_hiring_team_member": team_kpis(tables, f, table=team)}),
                        encoding="utf-8")
    written.append(kpi_path)
    return written


def display_frame(df: pl.DataFrame) -> pl.DataFrame:
    """A copy for people: human headers and rounded values, then the exact floats under their machine names.

    Shares become percentages with one decimal ('Pass through (%)' 68.0), days one decimal, other floats two;
    each rounded column is followed, at the end, by its exact value in the original snake_case column.
    A column whose header repeats an earlier one (e.g. hires beside n_hired) is left out."""
    from dashboard.display import is_days, is_rate, label

    shown: list[pl.Expr] = []
    exact: list[pl.Expr] = []
    used: set[str] = set()
    for name, dtype in df.schema.items():
        head = label(name)
        if dtype.is_float():
            if is_rate(name, dtype):
                head, expr = f"{head} (%)", (pl.col(name) * 100).round(1)
            else:
                expr = pl.col(name).round(1 if is_days(name) else 2)
            exact.append(pl.col(name))
        else:
            expr = pl.col(name)
        if head in used:
            continue
        used.add(head)
        shown.append(expr.alias(head))
    return df.select(*shown, *exact)


def display_csv_bytes(df: pl.DataFrame) -> bytes:
    """`csv_bytes` of `display_frame(df)`: what a download button hands to a person."""
    return csv_bytes(display_frame(df))
