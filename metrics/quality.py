"""Data-quality notes: what the metrics had to skip, guess or trust."""

from __future__ import annotations

import polars as pl

from dashboard.schema import KNOWN_STAGE_TYPES, UNKNOWN, Tables
from metrics.common import as_utc_start, days_between
from metrics.filters import Filters
from metrics.stages import application_facts, scoped_transitions

NOTE_SCHEMA: dict[str, pl.DataType] = {
    "note": pl.String,
    "severity": pl.String,
    "count": pl.UInt32,
    "example_ids": pl.String,
}


def _note(note: str, severity: str, ids: pl.Series) -> dict | None:
    """One note row from the offending ids (None when there are none)."""
    ids = ids.drop_nulls().unique(maintain_order=True)
    if ids.is_empty():
        return None
    return {
        "note": note,
        "severity": severity,
        "count": ids.len(),
        "example_ids": ", ".join(ids.head(5).to_list()),
    }


def data_quality_notes(t: Tables, f: Filters | None = None, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per kind of issue found (issues with count 0 are omitted).

    Columns: note (String), severity ("warning" | "info"), count (UInt32), example_ids (String: up
    to 5 ids, comma-separated). Notes: unknown stage types, inconsistent transitions (from-stage
    differs from the previous to-stage), negative durations (job created after its hire, hire or
    offer before the application date, first transition before created_at), hired without a hire
    date, applications with a job missing from the jobs table, applications with no channel (info),
    anonymised applications (info)."""
    f = f or Filters()
    facts = application_facts(t, f) if facts is None else facts
    tr = scoped_transitions(t, facts)
    known = list(KNOWN_STAGE_TYPES)
    bad_type = pl.col("stage_type").is_not_null() & ~pl.col("stage_type").is_in(known)
    unknown_type_ids = pl.concat(
        [
            facts.filter(bad_type)["application_id"],
            tr.filter(
                (pl.col("from_stage_type").is_not_null() & ~pl.col("from_stage_type").is_in(known))
                | (pl.col("to_stage_type").is_not_null() & ~pl.col("to_stage_type").is_in(known))
            )["application_id"],
        ]
    )
    same_prev = pl.col("application_id").shift(1) == pl.col("application_id")
    prev_to = pl.col("to_stage_id").shift(1)
    inconsistent = tr.filter(
        same_prev & pl.col("from_stage_id").is_not_null() & pl.col("from_stage_id").ne_missing(prev_to)
    )
    hired = facts.filter(pl.col("stage_type") == "hired")
    last_hire = hired.group_by("job_id").agg(pl.col("hired_at").max())
    jobs_after_hire = t.jobs.join(last_hire, on="job_id").filter(pl.col("created_at") > pl.col("hired_at"))
    app_start = as_utc_start(pl.col("application_date"))
    before_applied = facts.filter(
        (pl.col("hired_at").is_not_null() & (pl.col("hired_at") < app_start))
        | (pl.col("offer_at").is_not_null() & (pl.col("offer_at") < app_start))
    )
    first_tr = tr.filter(pl.col("application_id").shift(1).ne_missing(pl.col("application_id")))
    before_created = first_tr.join(facts.select("application_id", "created_at"), on="application_id").filter(
        days_between(pl.col("created_at"), pl.col("transitioned_at")) < 0
    )
    missing_job = facts.join(t.jobs.select("job_id"), on="job_id", how="anti")
    rows = [
        _note("Unknown stage type (kept, no funnel rank)", "warning", unknown_type_ids),
        _note(
            "Stage change whose from-stage differs from the previous to-stage (time order trusted)",
            "warning",
            inconsistent["application_id"],
        ),
        _note(
            "Job created after its last hire (negative time to fill, excluded)",
            "warning",
            jobs_after_hire["job_id"],
        ),
        _note(
            "Hire or offer before the application date (negative duration, excluded)",
            "warning",
            before_applied["application_id"],
        ),
        _note(
            "First stage change before the application was created (negative stay, excluded)",
            "warning",
            before_created["application_id"],
        ),
        _note(
            "Hired without a transition into a hired stage (no hire date; excluded from time to hire)",
            "warning",
            hired.filter(pl.col("hired_at").is_null())["application_id"],
        ),
        _note(
            "Application for a job missing from the jobs list (job shown as Unknown)",
            "warning",
            missing_job["application_id"],
        ),
        _note(
            "Application date missing (created date used)",
            "info",
            t.applications.filter(pl.col("application_date").is_null())["application_id"],
        ),
        _note(
            "No hiring channel (shown as Unknown)",
            "info",
            facts.filter(pl.col("channel_id").is_null() | (pl.col("channel_name") == UNKNOWN))[
                "application_id"
            ],
        ),
        _note(
            "Anonymised applications (counted, no candidate details)",
            "info",
            facts.filter(pl.col("candidate_id").is_null() | pl.col("is_anonymized").fill_null(False))[
                "application_id"
            ],
        ),
    ]
    return (
        pl.DataFrame([r for r in rows if r], schema=NOTE_SCHEMA, orient="row")
        if any(rows)
        else pl.DataFrame(schema=NOTE_SCHEMA)
    )
