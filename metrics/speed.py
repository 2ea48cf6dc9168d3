"""Time metrics (completion cohorts): time to hire / offer / fill, time in stage, stuck applications."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import polars as pl

from dashboard.schema import Tables
from metrics.common import as_utc_start, days_between, lit_ts, type_order
from metrics.filters import Filters, date_in_range, scoped_jobs
from metrics.memo import derived
from metrics.stages import ROW, application_facts, cohort, get_facts, keyed_transitions
from metrics.stats import kaplan_meier, km_median, km_median_by, quantile, summary

MIN_STAGE_STAYS = 5
COMPLETION_COLUMNS = ("application_id", "job_id", "job_name", "channel_name", "application_date")


def time_to_hire(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per hired application (current type hired) whose hire date lies in the range.

    Columns: application_id, job_id, job_name, channel_name, application_date, hired_at, days (f64,
    from application_date 00:00 UTC). Negative durations are excluded (see `time_to_hire_exclusions`)."""
    facts = get_facts(t, f, facts)
    hires = facts.lazy().filter(  # lazy: only the selected columns are filtered, not all of facts
        (pl.col("stage_type") == "hired") & pl.col("hired_at").is_not_null() & date_in_range(pl.col("hired_at"), f)
    )
    out = hires.select(
        *COMPLETION_COLUMNS, "hired_at", days_between(as_utc_start(pl.col("application_date")), pl.col("hired_at")).alias("days")
    )
    return out.filter(pl.col("days") >= 0).sort("hired_at").collect()


def time_to_hire_exclusions(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict[str, int]:
    """{"no_hire_date": hired applications (application_date in range) without a transition into hired,
    "negative": hires in range whose hire precedes the application date}."""
    facts = get_facts(t, f, facts)
    hired = facts.filter(pl.col("stage_type") == "hired")
    no_date = hired.filter(pl.col("hired_at").is_null() & pl.col("in_cohort")).height
    in_range = hired.filter(pl.col("hired_at").is_not_null() & date_in_range(pl.col("hired_at"), f))
    negative = in_range.filter(pl.col("hired_at") < as_utc_start(pl.col("application_date"))).height
    return {"no_hire_date": no_date, "negative": negative}


def time_to_offer(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per application with a first transition into an offer stage whose date lies in the range.

    Columns: application_id, job_id, job_name, channel_name, application_date, offer_at, days (f64).
    Negative durations excluded."""
    facts = get_facts(t, f, facts)
    offers = facts.lazy().filter(pl.col("offer_at").is_not_null() & date_in_range(pl.col("offer_at"), f))
    out = offers.select(
        *COMPLETION_COLUMNS, "offer_at", days_between(as_utc_start(pl.col("application_date")), pl.col("offer_at")).alias("days")
    )
    return out.filter(pl.col("days") >= 0).sort("offer_at").collect()


def speed_summary(frame: pl.DataFrame, column: str = "days") -> dict[str, float | int | None]:
    """{"n", "median", "p25", "p75", "p90", "mean"} of `column` (stats.summary)."""
    return summary(frame.get_column(column)) if column in frame.columns else summary([])


def time_to_fill(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per job in scope: filled jobs whose fill date (latest hire) lies in the range + open jobs.

    Columns: job_id, job_name, category_name, department_name, created_at, filled_at (null when
    open), status ("filled" | "open"), days (f64, filled only), age_days (f64 at as_of, open only),
    duration (f64 = days or age_days, for Kaplan-Meier), observed (Bool = filled).
    Open jobs are those without any hire created on or before date_to (all without range).
    Jobs whose duration is negative (created after their hire / after as_of) are excluded and
    counted by `time_to_fill_summary` and the data-quality notes."""
    return _fill_frame(t, f, facts).filter(~pl.col("negative")).drop("negative")


def time_to_fill_summary(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """{"n_filled", "n_open", "median" (filled jobs), "km_median" (open censored at as_of), "n_negative"}."""
    frame = _fill_frame(t, f, facts)
    # Series steps, not frame filters: a few hundred jobs, where each query's overhead is the cost
    ok = ~frame.get_column("negative")
    observed = frame.get_column("observed").filter(ok)
    n_ok, n_filled = observed.len(), int(observed.sum())
    return {
        "n_filled": n_filled,
        "n_open": n_ok - n_filled,
        "median": quantile(frame.get_column("days").filter(ok).filter(observed), 0.5),
        "km_median": km_median(frame.get_column("duration").filter(ok), observed),
        "n_negative": frame.height - n_ok,
    }


def time_to_fill_by_category(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per job category: category_name, n_filled, n_open, median, p90, km_median (days, f64)."""
    frame = time_to_fill(t, f, facts=facts)
    stats = frame.group_by("category_name").agg(
        pl.col("observed").sum().cast(pl.UInt32).alias("n_filled"),
        (~pl.col("observed")).sum().cast(pl.UInt32).alias("n_open"),
        pl.col("days").drop_nulls().quantile(0.5, "linear").alias("median"),
        pl.col("days").drop_nulls().quantile(0.9, "linear").alias("p90"),
    )
    km = km_median_by(frame, ["category_name"], "duration", "observed")
    return stats.join(km, on="category_name", how="left").sort("category_name")


def time_to_fill_km_curve(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Kaplan-Meier curve of time to fill: time, at_risk, events, censored, survival (share still open)."""
    frame = time_to_fill(t, f, facts=facts)
    return kaplan_meier(frame["duration"], frame["observed"])


def stage_intervals(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every stay of a scoped application in a stage (from events sorted by time, ties by seq).

    Columns: application_id, stage_id, stage_name, stage_type, entered_at, left_at (null when open),
    days (f64: left-entered, or as_of-entered when open), is_open (Bool: current stage of an active
    application), is_final_closed (Bool: final stage of a closed application, no duration).
    Memoised per facts frame (the Speed page asks for it three times)."""
    facts = get_facts(t, f, facts)
    key = ("stage_intervals", id(t.transitions), t.as_of)
    return derived(facts, key, lambda: _stage_intervals(t, facts)).clone()


def _stage_intervals(t: Tables, facts: pl.DataFrame) -> pl.DataFrame:
    """`stage_intervals` of one facts frame (one lazy query: the three kinds of stay are built, stacked,
    filtered and finished without materialising each step)."""
    tr = keyed_transitions(t, facts).lazy()
    row = pl.col(ROW)
    same_next = row.shift(-1) == row
    first_of_app = row.shift(1).ne_missing(row)
    stay_cols = ("application_id", "stage_id", "stage_name", "stage_type", "entered_at", "left_at", ROW)
    later = tr.select(
        "application_id",
        pl.col("to_stage_id").alias("stage_id"),
        pl.col("to_stage_name").alias("stage_name"),
        pl.col("to_stage_type").alias("stage_type"),
        pl.col("transitioned_at").alias("entered_at"),
        pl.when(same_next).then(pl.col("transitioned_at").shift(-1)).alias("left_at"),
        row,
    )
    first = tr.filter(first_of_app).select(
        "application_id",
        pl.col("from_stage_id").alias("stage_id"),
        pl.col("from_stage_name").alias("stage_name"),
        pl.col("from_stage_type").alias("stage_type"),
        pl.lit(facts.get_column("created_at")).gather(row).alias("entered_at"),
        pl.col("transitioned_at").alias("left_at"),
        row,
    )
    untouched = facts.lazy().with_row_index(ROW).filter(pl.col("n_transitions") == 0).select(
        "application_id", "stage_id", "stage_name", "stage_type", pl.col("created_at").alias("entered_at"),
        pl.lit(None, dtype=facts.schema["created_at"]).alias("left_at"), row,
    )
    stays = pl.concat([first, later, untouched], how="vertical_relaxed").select(stay_cols)
    stays = stays.filter(pl.col("stage_type").is_not_null())
    stays = stays.with_columns(pl.lit(facts.get_column("is_active")).gather(row))
    last = pl.col("left_at").is_null()
    end = pl.when(last).then(lit_ts(t.as_of)).otherwise(pl.col("left_at"))
    return stays.with_columns(
        (last & pl.col("is_active")).alias("is_open"),
        (last & ~pl.col("is_active")).alias("is_final_closed"),
    ).with_columns(
        pl.when(~pl.col("is_final_closed")).then(days_between(pl.col("entered_at"), end)).alias("days"),
    ).select(
        "application_id", "stage_id", "stage_name", "stage_type", "entered_at", "left_at", "days", "is_open", "is_final_closed"
    ).collect()


def time_in_stage(
    t: Tables,
    f: Filters,
    by: Literal["stage_type", "stage"] = "stage_type",
    *,
    facts: pl.DataFrame | None = None,
    intervals: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Time spent per stage type (by="stage_type") or per named stage (by="stage").

    Columns: stage_type, [stage_name when by="stage"], n_completed, median, p90 (completed stays,
    days), n_open (stays open at as_of; null when not counted), km_median (open stays censored). Completed
    stays count when they ended inside the range; open stays when as_of's date is inside the range (all
    without range), else n_open is null: "0 open" would contradict the stays open today (stuck list)."""
    stays = stage_intervals(t, f, facts=facts) if intervals is None else intervals
    keys = ["stage_type"] if by == "stage_type" else ["stage_type", "stage_name"]
    as_of_in = pl.select(date_in_range(lit_ts(t.as_of), f)).item()
    completed = pl.col("left_at").is_not_null() & (pl.col("days") >= 0) & date_in_range(pl.col("left_at"), f)
    open_ = pl.col("is_open") & pl.lit(as_of_in) & (pl.col("days") >= 0)
    # lazy: only the used columns of the stays are filtered
    used = stays.lazy().filter(completed | open_).select(*keys, "days", "is_open", (~pl.col("is_open")).alias("observed")).collect()
    done = pl.col("days").filter(pl.col("observed"))
    stats = used.group_by(keys).agg(
        pl.col("observed").sum().cast(pl.UInt32).alias("n_completed"),
        done.quantile(0.5, "linear").alias("median"),
        done.quantile(0.9, "linear").alias("p90"),
        pl.col("is_open").sum().cast(pl.UInt32).alias("n_open"),
    )
    km = km_median_by(used, keys, "days", "observed")
    out = stats.join(km, on=keys, how="left", nulls_equal=True)
    if not as_of_in:  # no stay was open within a range that ends before the sync day: not counted, not 0
        out = out.with_columns(pl.lit(None, dtype=pl.UInt32).alias("n_open"))
    return out.sort(type_order(pl.col("stage_type")), *keys[1:], nulls_last=True).select(
        *keys, "n_completed", "median", "p90", "n_open", "km_median"
    )


def stuck_applications(
    t: Tables, f: Filters, *, facts: pl.DataFrame | None = None, intervals: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Active cohort applications whose time in their current stage exceeds that stage's p90.

    The p90 is over all completed stays of that named stage in scope (any date); when the named stage
    has fewer than 5 completed stays, the p90 of its stage type is used.
    Columns: application_id, candidate_id, job_name, channel_name, stage_name, stage_type,
    days_in_stage, p90_days, p90_basis ("stage" | "type"). Sorted by days_in_stage / p90_days desc."""
    facts = get_facts(t, f, facts)
    stays = stage_intervals(t, f, facts=facts) if intervals is None else intervals
    done = stays.filter(pl.col("left_at").is_not_null() & (pl.col("days") >= 0))
    by_stage = done.group_by("stage_type", "stage_name").agg(
        pl.len().alias("n_stage"), pl.col("days").quantile(0.9, "linear").alias("p90_stage")
    )
    by_type = done.group_by("stage_type").agg(pl.col("days").quantile(0.9, "linear").alias("p90_type"))
    active = cohort(facts).filter(pl.col("is_active")).with_columns(
        days_between(pl.col("stage_entered_at"), lit_ts(t.as_of)).alias("days_in_stage")
    )
    joined = active.join(by_stage, on=["stage_type", "stage_name"], how="left", nulls_equal=True).join(
        by_type, on="stage_type", how="left", nulls_equal=True
    )
    use_stage = pl.col("n_stage").fill_null(0) >= MIN_STAGE_STAYS
    joined = joined.with_columns(
        pl.when(use_stage).then(pl.col("p90_stage")).otherwise(pl.col("p90_type")).alias("p90_days"),
        pl.when(use_stage).then(pl.lit("stage")).otherwise(pl.lit("type")).alias("p90_basis"),
    )
    stuck = joined.filter(pl.col("days_in_stage") > pl.col("p90_days"))
    return stuck.sort(pl.col("days_in_stage") / pl.col("p90_days"), descending=True).select(
        "application_id", "candidate_id", "job_name", "channel_name", "stage_name", "stage_type",
        "days_in_stage", "p90_days", "p90_basis",
    )


def _last_hire(t: Tables, f: Filters, facts: pl.DataFrame | None) -> pl.DataFrame:
    """job_id, filled_at (latest hire of its currently-hired applications), over every channel.

    Memoised per facts frame, or, when the channel filter applies (those facts lack other channels' hires),
    per tables and label filters without channels and dates: the date range never changes it."""
    def build(hires_from: pl.DataFrame) -> pl.DataFrame:
        return (
            hires_from.lazy()
            .filter((pl.col("stage_type") == "hired") & pl.col("hired_at").is_not_null())
            .group_by("job_id")
            .agg(pl.col("hired_at").max().alias("filled_at"))
            .collect()
        )

    if facts is not None and not f.channels:
        return derived(facts, ("last_hire",), lambda: build(facts))
    key = replace(f, channels=(), date_from=None, date_to=None)
    return derived(t, ("last_hire", key), lambda: build(application_facts(t, key)))


def _fill_frame(t: Tables, f: Filters, facts: pl.DataFrame | None) -> pl.DataFrame:
    """Time-to-fill rows incl. negative ones (flag `negative`); the channel filter does not apply."""
    jobs = scoped_jobs(t, f).join(_last_hire(t, f, facts), on="job_id", how="left")
    filled = pl.col("filled_at").is_not_null()
    created_ok = pl.lit(True) if f.date_to is None else (pl.col("created_at").dt.date() <= f.date_to)
    jobs = jobs.filter(pl.col("created_at").is_not_null()).filter(
        pl.when(filled).then(date_in_range(pl.col("filled_at"), f)).otherwise(created_ok)
    )
    days = days_between(pl.col("created_at"), pl.col("filled_at"))
    age = days_between(pl.col("created_at"), lit_ts(t.as_of))
    out = jobs.select(
        "job_id", "job_name", "category_name", "department_name", "created_at", "filled_at",
        pl.when(filled).then(pl.lit("filled")).otherwise(pl.lit("open")).alias("status"),
        pl.when(filled).then(days).alias("days"),
        pl.when(~filled).then(age).alias("age_days"),
        pl.when(filled).then(days).otherwise(age).alias("duration"),
        filled.alias("observed"),
    )
    return out.with_columns((pl.col("duration") < 0).alias("negative")).sort("created_at")
