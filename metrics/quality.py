"""Data-quality notes: what the metrics had to skip, guess or trust."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def data_quality_notes(t: Tables, f: Filters | None = None) -> pl.DataFrame:
    """One row per kind of issue found (issues with count 0 are omitted).

    Columns: note (String), severity ("warning" | "info"), count (UInt32), example_ids (String: up
    to 5 ids, comma-separated). Notes: unknown stage types, inconsistent transitions (from-stage
    differs from the previous to-stage), negative durations (job created after its hire, hire or
    offer before the application date, first transition before created_at), hired without a hire
    date, applications with a job missing from the jobs table, applications with no channel (info),
    anonymised applications (info)."""
    raise NotImplementedError
