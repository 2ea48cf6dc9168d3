"""Funnel: reached-k counts, step conversion, pass-through rate, overall conversion."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def funnel(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per funnel step of the application cohort.

    Columns: step (String), rank (Int8), reached (UInt32: furthest rank >= rank),
    step_conversion / _lo / _hi (reached[k+1] / reached[k], null for the last step),
    closed_at (closed applications whose furthest rank == rank), active_at (active ones),
    pass_through / _lo / _hi (reached[k+1] / (reached[k+1] + closed_at[k]), null for the last step)."""
    raise NotImplementedError


def overall_conversion(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """{"reached_new", "reached_hired", "rate", "rate_lo", "rate_hi"}: reached[hired] / reached[new]."""
    raise NotImplementedError
