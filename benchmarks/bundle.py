"""The metric bundle every implementation computes, our polars version of it, and the agreement check.

The bundle is what `kpis.json` and the pages need for one filter state: every KPI of `metrics.kpis.kpis`
plus the funnel, weekly volume, channel conversion, time in stage (by type), rejections by stage and
applications per candidate. Each implementation returns {name: frame-like}; `canonical` turns any of
them into {name: sorted rows} so that the three can be compared cell by cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

from dashboard.schema import Tables
from metrics import candidates, channels, funnel, outcomes, speed, volume
from metrics.bundle import _flatten
from metrics.filters import Filters
from metrics.kpis import kpis
from metrics.stages import application_facts

# Columns compared per frame (a frame's other columns are presentation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "funnel": ("step", "reached", "closed_at", "active_at", "step_conversion", "pass_through"),
    "volume_by_week": ("bucket_start", "applications"),
    "channel_conversion": (
        "channel_name", "applications", "reached_new", "reached_screening", "reached_interviews",
        "reached_offer", "reached_hired", "interview_rate", "hire_rate",
    ),
    "time_in_stage": ("stage_type", "n_completed", "median", "p90", "n_open", "km_median"),
    "rejections_by_stage": ("from_stage_type", "from_stage_name", "count", "reached", "rate"),
    "applications_per_candidate": ("applications_per_candidate", "candidates", "share"),
}
TOLERANCE = 1e-6  # days and rates; counts must match exactly


def filter_state(end: date) -> Filters:
    """The benchmarked filter state: the sidebar's "Last 12 months" preset, no label filters."""
    return Filters(date_from=end - timedelta(days=364), date_to=end)


def polars_bundle(t: Tables, f: Filters) -> dict[str, Any]:
    """The bundle with the product's own metric functions (facts computed once, as the app's loaders do)."""
    facts = application_facts(t, f)
    kw = {"facts": facts}
    return {
        "kpis": kpis(t, f, **kw),
        "funnel": funnel.funnel(t, f, **kw),
        "volume_by_week": volume.volume_over_time(t, f, "week", **kw),
        "channel_conversion": channels.channel_conversion(t, f, **kw),
        "time_in_stage": speed.time_in_stage(t, f, "stage_type", **kw),
        "rejections_by_stage": outcomes.rejections_by_stage(t, f, "rejected", **kw),
        "applications_per_candidate": candidates.applications_per_candidate(t, f, **kw),
    }


def _cell(value: Any) -> Any:
    """One comparable cell: NaN/NA -> None, numpy/pandas scalars -> Python, timestamps -> dates kept."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ == "NAType" or type(value).__name__ == "NaTType":
        return None
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date()
    return value


def _rows(frame: Any, columns: tuple[str, ...]) -> list[tuple]:
    """Rows of a polars / pandas frame or a list of dicts, in `columns` order, sorted."""
    if isinstance(frame, pl.DataFrame):
        raw = frame.select(columns).rows()
    elif hasattr(frame, "itertuples"):  # pandas
        raw = list(frame[list(columns)].itertuples(index=False, name=None))
    else:
        raw = [tuple(r[c] for c in columns) for r in frame]
    rows = [tuple(_cell(v) for v in r) for r in raw]
    return sorted(rows, key=lambda r: tuple((v is None, str(v) if not isinstance(v, int | float) else v) for v in r))


def canonical(result: Mapping[str, Any]) -> dict[str, list[tuple]]:
    """{name: sorted rows} of a bundle result of any implementation; kpis as (dotted key, value) rows."""
    kpi_rows = [(k, v) for k, v in _flatten(result["kpis"]) if not k.startswith(("as_of", "date_"))]
    out = {"kpis": sorted((k, _cell(v)) for k, v in kpi_rows)}
    for name, columns in COLUMNS.items():
        out[name] = _rows(result[name], columns)
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool | str | date) or isinstance(b, bool | str | date):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return abs(float(a) - float(b)) <= TOLERANCE * max(1.0, abs(float(a)))


def differences(expected: Mapping[str, list[tuple]], got: Mapping[str, list[tuple]], limit: int = 5) -> list[str]:
    """Human-readable disagreements between two canonical results (empty when they agree)."""
    problems: list[str] = []
    for name, rows in expected.items():
        other = got.get(name, [])
        if len(rows) != len(other):
            problems.append(f"{name}: {len(rows)} rows vs {len(other)}")
            continue
        for r1, r2 in zip(rows, other, strict=True):
            if len(r1) != len(r2) or not all(_same(x, y) for x, y in zip(r1, r2, strict=True)):
                problems.append(f"{name}: {r1} vs {r2}")
                if len(problems) >= limit:
                    return problems
    return problems
