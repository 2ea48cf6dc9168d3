"""Applications per candidate."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters
from metrics.memo import derived
from metrics.stages import cohort, get_facts


def _per_candidate(facts: pl.DataFrame) -> pl.DataFrame:
    """candidate_id, n: cohort applications per identified candidate (memoised per facts frame)."""
    build = lambda: (  # noqa: E731
        cohort(facts).filter(pl.col("candidate_id").is_not_null()).group_by("candidate_id").agg(pl.len().alias("n"))
    )
    return derived(facts, ("per_candidate",), build)


def applications_per_candidate(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Distribution over candidates of their number of cohort applications (anonymised excluded).

    Columns: applications_per_candidate (UInt32), candidates (UInt32), share (f64, sums to 1)."""
    per = _per_candidate(get_facts(t, f, facts))
    dist = per.group_by(pl.col("n").cast(pl.UInt32).alias("applications_per_candidate")).agg(
        pl.len().cast(pl.UInt32).alias("candidates")
    )
    return dist.with_columns((pl.col("candidates") / pl.col("candidates").sum()).alias("share")).sort(
        "applications_per_candidate"
    )


def applications_per_candidate_summary(
    t: Tables, f: Filters, *, facts: pl.DataFrame | None = None
) -> dict:
    """{"candidates", "mean" (None when no candidate), "share_multi" (share with > 1 application),
    "anonymised_excluded" (cohort applications without a candidate)}."""
    facts = get_facts(t, f, facts)
    apps = cohort(facts)
    per = _per_candidate(facts)
    n = per.height
    return {
        "candidates": n,
        "mean": float(per["n"].mean()) if n else None,
        "share_multi": float((per["n"] > 1).sum() / n) if n else None,
        "anonymised_excluded": int(apps["candidate_id"].is_null().sum()),
    }
