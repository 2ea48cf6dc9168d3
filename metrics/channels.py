"""Per-channel conversion rates and candidate quality (furthest stage distribution)."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters

TOO_FEW = 20


def channel_conversion(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per channel of the application cohort.

    Columns: channel_name, applications, reached_new, reached_screening, reached_interviews,
    reached_offer, reached_hired, interview_rate / _lo / _hi (reached_interviews / applications),
    hire_rate / _lo / _hi (reached_hired / applications), too_few_to_judge (applications < 20).
    Sorted by applications desc."""
    raise NotImplementedError


def channel_quality(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per channel x furthest step: channel_name, furthest_step, rank, applications, share.

    Every channel has all five steps (zero rows included); shares within a channel sum to 1."""
    raise NotImplementedError
