"""Applications per candidate."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def applications_per_candidate(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Distribution over candidates of their number of cohort applications (anonymised excluded).

    Columns: applications_per_candidate (UInt32), candidates (UInt32), share (f64, sums to 1)."""
    raise NotImplementedError


def applications_per_candidate_summary(
    t: Tables, f: Filters, *, facts: pl.DataFrame | None = None
) -> dict:
    """{"candidates", "mean" (None when no candidate), "share_multi" (share with > 1 application),
    "anonymised_excluded" (cohort applications without a candidate)}."""
    raise NotImplementedError
