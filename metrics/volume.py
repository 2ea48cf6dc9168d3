"""Application volume over time and per job / category / department / location / channel."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

import polars as pl

from dashboard.schema import KNOWN_STAGE_TYPES, Tables
from metrics.filters import Filters
from metrics.stages import cohort, get_facts

Bucket = Literal["day", "week", "month"]
Dimension = Literal["job", "category", "department", "location", "channel"]
SPLIT_COLUMNS: dict[str, str] = {
    "channel": "channel_name",
    "job": "job_name",
    "department": "department_name",
    "category": "category_name",
    "location": "location",
}
STAGE_COUNT_COLUMNS: tuple[str, ...] = (
    "n_new", "n_screening", "n_interviews", "n_offer", "n_hired",
    "n_rejected", "n_withdrawn", "n_talent_pool", "n_other", "n_unassigned", "n_unknown_type",
)


EVERY: dict[str, str] = {"day": "1d", "week": "1w", "month": "1mo"}


def bucket_expr(date_expr: pl.Expr, bucket: Bucket) -> pl.Expr:
    """Calendar bucket start of a Date expression (ISO weeks start on Monday)."""
    if bucket == "week":  # day number arithmetic (1970-01-01 was a Thursday): half the cost of dt.truncate
        days = date_expr.to_physical()
        return (days - ((days + 3) % 7 + 7) % 7).cast(pl.Date)
    return date_expr.dt.truncate(EVERY[bucket])


def _bucket_start(day: date, bucket: Bucket) -> date:
    """`bucket_expr` of one date, in Python (a query per scalar costs more than the arithmetic)."""
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if bucket == "month" else day


def bucket_range(dates: pl.Series, f: Filters, bucket: Bucket) -> pl.Series:
    """Every bucket start from the range start to its end (filter range, data range where open)."""
    start = f.date_from if f.date_from is not None else dates.min()
    end = f.date_to if f.date_to is not None else dates.max()
    if start is None or end is None or start > end:
        return pl.Series("bucket_start", [], dtype=pl.Date)
    first = _bucket_start(start, bucket)
    return pl.date_range(first, end, EVERY[bucket], eager=True).alias("bucket_start")


def bucket_end(start: pl.Expr, bucket: Bucket) -> pl.Expr:
    """Last day of the bucket starting at `start` (a Date expression)."""
    if bucket == "day":
        return start
    return start.dt.offset_by("1w" if bucket == "week" else "1mo").dt.offset_by("-1d")


def partial_buckets(starts: pl.Series, f: Filters, bucket: Bucket, as_of: datetime) -> pl.Series:
    """Which buckets the range or the data cover only in part (bool per start, named "partial").

    A bucket is partial when it begins before the range start, or ends after the range end or after
    the day the data were synced (`as_of`): its count is not comparable with a whole bucket."""
    last = min(f.date_to, as_of.date()) if f.date_to is not None else as_of.date()
    start = pl.col("bucket_start")
    partial = bucket_end(start, bucket) > last
    if f.date_from is not None:
        partial = partial | (start < f.date_from)
    return pl.DataFrame({"bucket_start": starts.cast(pl.Date)}).select(partial.alias("partial")).to_series()


def counts_per_bucket(
    frame: pl.DataFrame, date_col: str, f: Filters, bucket: Bucket, value: pl.Expr, name: str, fill: float | None = 0
) -> pl.DataFrame:
    """Aggregate `value` per bucket of `date_col` over every bucket of the range (bucket_start, name)."""
    dates = frame.get_column(date_col)
    buckets = bucket_range(dates, f, bucket).to_frame()
    agg = frame.group_by(bucket_expr(pl.col(date_col), bucket).alias("bucket_start")).agg(value.alias(name))
    out = buckets.join(agg, on="bucket_start", how="left", maintain_order="left")
    return out.with_columns(pl.col(name).fill_null(fill)) if fill is not None else out


def volume_over_time(
    t: Tables,
    f: Filters,
    bucket: Bucket = "week",
    split_by: str | None = None,
    *,
    facts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Cohort applications per calendar bucket of application_date (ISO week starts Monday).

    Columns: bucket_start (Date), [split column: channel_name | job_name | department_name |
    category_name | location when `split_by` is channel/job/department/category/location],
    applications (UInt32). Every bucket of the range (filter range, or data range where open) is
    present, zero when empty, for every split value seen in the cohort."""
    apps = cohort(get_facts(t, f, facts))
    if split_by is None:
        return counts_per_bucket(apps, "application_date", f, bucket, pl.len().cast(pl.UInt32), "applications")
    col = SPLIT_COLUMNS.get(split_by, split_by)
    buckets = bucket_range(apps["application_date"], f, bucket).to_frame()
    grid = buckets.join(apps.select(col).unique().sort(col), how="cross")
    agg = apps.group_by(bucket_expr(pl.col("application_date"), bucket).alias("bucket_start"), col).agg(
        pl.len().cast(pl.UInt32).alias("applications")
    )
    out = grid.join(agg, on=["bucket_start", col], how="left", nulls_equal=True, maintain_order="left")
    return out.with_columns(pl.col("applications").fill_null(0)).sort("bucket_start", col)


def applications_by(
    t: Tables, f: Filters, dimension: Dimension, *, facts: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Cohort applications per job / category / department / location / channel.

    Columns: key (job_id for "job", else the label), label, applications, hires (current type
    hired), n_<type> per current stage type (STAGE_COUNT_COLUMNS; n_unknown_type = any type not in
    the known list), share (applications / cohort size). Sorted by applications desc, label."""
    apps = cohort(get_facts(t, f, facts))
    label = SPLIT_COLUMNS[dimension]
    keys = ["job_id", label] if dimension == "job" else [label]
    # aggregate to (keys, stage_type) first: the per-type sums then run over a tiny frame
    small = apps.group_by(*keys, "stage_type").agg(pl.len().cast(pl.UInt32).alias("n"))
    typ = pl.col("stage_type")
    known = [
        pl.col("n").filter(typ == k).sum().cast(pl.UInt32).alias("n_" + k.replace(" ", "_")) for k in KNOWN_STAGE_TYPES
    ]
    unknown = pl.col("n").filter(~typ.is_in(KNOWN_STAGE_TYPES).fill_null(True)).sum().cast(pl.UInt32)
    out = small.group_by(keys).agg(
        pl.col("n").sum().cast(pl.UInt32).alias("applications"),
        pl.col("n").filter(typ == "hired").sum().cast(pl.UInt32).alias("hires"),
        *known,
        unknown.alias("n_unknown_type"),
    )
    key = pl.col("job_id").fill_null("Unknown") if dimension == "job" else pl.col(label)
    out = out.with_columns(key.alias("key"), pl.col(label).alias("label"))
    total = apps.height
    out = out.with_columns((pl.col("applications") / total if total else pl.lit(None, pl.Float64)).alias("share"))
    return out.select("key", "label", "applications", "hires", *STAGE_COUNT_COLUMNS, "share").sort(
        pl.col("applications"), pl.col("label"), descending=[True, False]
    )
