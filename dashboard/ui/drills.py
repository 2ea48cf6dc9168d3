"""Drill-downs: map the customdata ids of selected chart points back to the applications behind them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import polars as pl

from dashboard.ui.widgets import Drill, drill_union
from metrics.drilldown import DRILLDOWN_COLUMNS, drilldown

DIMENSION_COLUMN = {"job": "job_id", "category": "category_name", "department": "department_name",
                    "location": "location", "channel": "channel_name"}
SPLIT_COLUMN = {"channel": "channel_name", "job": "job_name", "department": "department_name",
                "category": "category_name", "location": "location"}
_KNOWN_TYPES = {"new", "screening", "interviews", "offer", "hired", "rejected", "withdrawn", "talent pool",
                "other", "unassigned"}


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except (ValueError, TypeError):
        return None


def selections(ctx: Any, make: Callable[[list[str]], dict[str, Any] | None]) -> Drill:
    """A drill that runs metrics.drilldown once per selected point (cached) and unions the applications."""
    def run(rows: list[list[str]]) -> pl.DataFrame:
        frames = []
        for row in rows:
            sel = make(row)
            if sel is not None:
                frames.append(ctx.data.metric(drilldown, ctx.filters, **sel))
        return drill_union(frames) if frames else pl.DataFrame(schema={c: pl.String for c in DRILLDOWN_COLUMNS})
    return run


def durations(frame: pl.DataFrame, id_column: str = "application_id", value_column: str = "days") -> Drill:
    """Box points `[application_id]` → that application; histogram bars `[bin_start, bin_end]` → the rows whose
    `value_column` lies in [bin_start, bin_end)."""
    def run(rows: list[list[str]]) -> pl.DataFrame:
        wanted = [r[0] for r in rows if len(r) == 1]
        keep = pl.col(id_column).cast(pl.String).is_in(wanted)
        for r in rows:
            low, high = (_number(v) for v in r[:2]) if len(r) == 2 else (None, None)
            if low is not None and high is not None:
                keep = keep | pl.col(value_column).is_between(low, high, closed="left")
        return frame.filter(keep)
    return run


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def funnel(ctx: Any) -> Drill:
    """Funnel bars `[step]` and pass-through markers `[step, next_step]` → applications that reached step."""
    return selections(ctx, lambda r: {"step": r[0]} if r and r[0] else None)


def volume(ctx: Any, bucket: str, split: str | None) -> Drill:
    """Volume bars `[bucket_start, split value]` → applications of that bucket (and split value)."""
    def make(r: list[str]) -> dict[str, Any] | None:
        start = _iso(r[0]) if r else None
        if start is None:
            return None
        sel: dict[str, Any] = {"bucket_start": start, "bucket": bucket}
        if split and len(r) > 1 and r[1]:
            sel[SPLIT_COLUMN[split]] = r[1]
        return sel
    return selections(ctx, make)


def applications_by(ctx: Any, dimension: str) -> Drill:
    """Stacked bars `[key, stage_type]` → applications of that job/category/... in that current stage type."""
    def make(r: list[str]) -> dict[str, Any] | None:
        if not r or not r[0]:
            return None
        sel: dict[str, Any] = {DIMENSION_COLUMN[dimension]: r[0]}
        stage_type = r[1].removeprefix("n_") if len(r) > 1 else ""
        if stage_type in _KNOWN_TYPES:
            sel["stage_type"] = stage_type
        return sel
    return selections(ctx, make)


def current_stage(ctx: Any) -> Drill:
    """Snapshot bars `[stage_id, stage_type, stage_name]` → applications currently in that stage."""
    return selections(ctx, lambda r: {"stage_id": r[0]} if r and r[0] else None)


def channel_rate(ctx: Any) -> Drill:
    """Conversion bars `[channel, rate column]` → the channel's applications that reached that step."""
    steps = {"interview_rate": "interviews", "hire_rate": "hired", "offer_rate": "offer", "screening_rate": "screening"}

    def make(r: list[str]) -> dict[str, Any] | None:
        if not r:
            return None
        sel: dict[str, Any] = {"channel_name": r[0]}
        if len(r) > 1 and r[1] in steps:
            sel["step"] = steps[r[1]]
        return sel
    return selections(ctx, make)


def channel_quality(ctx: Any) -> Drill:
    """100% bars `[channel, furthest_step]` → the channel's applications whose furthest step is exactly that."""
    return selections(ctx, lambda r: {"channel_name": r[0], "furthest_step": r[1]} if len(r) > 1 else None)


def hires_by_job(ctx: Any) -> Drill:
    """Time-to-fill bars `[job_id, status]` → the job's hires in range (filled) or its applications (open)."""
    def make(r: list[str]) -> dict[str, Any] | None:
        if not r or not r[0]:
            return None
        if len(r) > 1 and r[1] == "filled":
            return {"job_id": r[0], "hired": True}
        return {"job_id": r[0]}
    return selections(ctx, make)


def offer_outcome(ctx: Any) -> Drill:
    """Offer outcome bars `[outcome]` → cohort applications with that offer outcome."""
    return selections(ctx, lambda r: {"offer_outcome": r[0]} if r and r[0] else None)


def exits_by_stage(ctx: Any, kind: str) -> Drill:
    """Rejection/withdrawal bars `[from_stage_name, from_stage_type]` → applications that left from there."""
    return selections(ctx, lambda r: {"from_stage_name": r[0], "from_stage_type": r[1], "kind": kind}
                      if len(r) > 1 else None)


def declined_by_month(declined: pl.DataFrame) -> Drill:
    """Declined-offer bars `[month, outcome]` → the declined/withdrawn offers decided in that month."""
    def run(rows: list[list[str]]) -> pl.DataFrame:
        frames = []
        for r in rows:
            month = _iso(r[0]) if r else None
            if month is None:
                continue
            part = declined.filter(pl.col("offer_decided_at").dt.date().dt.truncate("1mo") == month)
            if len(r) > 1 and r[1]:
                part = part.filter(pl.col("offer_outcome") == r[1])
            frames.append(part)
        return drill_union(frames) if frames else declined.clear()
    return run


def stage_stays(intervals: pl.DataFrame) -> Drill:
    """Time-in-stage bars `[stage_type, stage_name]` → the stays in that stage (completed and open)."""
    def run(rows: list[list[str]]) -> pl.DataFrame:
        frames = []
        for r in rows:
            part = intervals.filter(~pl.col("is_final_closed") & (pl.col("stage_type") == r[0]))
            if len(r) > 1 and r[1]:
                part = part.filter(pl.col("stage_name") == r[1])
            frames.append(part)
        out = pl.concat(frames) if frames else intervals.clear()
        return out.drop("is_final_closed").sort("days", descending=True, nulls_last=True)
    return run


def candidates_with(cohort: pl.DataFrame) -> Drill:
    """Applications-per-candidate bars `[k]` → the cohort applications of candidates with k applications."""
    def run(rows: list[list[str]]) -> pl.DataFrame:
        ks = [int(r[0]) for r in rows if r and r[0].isdigit()]
        named = cohort.filter(pl.col("candidate_id").is_not_null())
        counts = named.group_by("candidate_id").len("k").filter(pl.col("k").is_in(ks))
        cols = [c for c in DRILLDOWN_COLUMNS if c in named.columns]
        return (named.join(counts, on="candidate_id", how="semi").select(cols)
                .sort("candidate_id", "application_date"))
    return run


def keep(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """`frame` with only the listed columns that exist, in that order."""
    return frame.select([c for c in columns if c in frame.columns])
