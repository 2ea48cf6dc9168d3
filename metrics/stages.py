"""Per-application facts derived from current stage + transitions: furthest rank, closed, hire/offer dates."""

from __future__ import annotations

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def application_facts(t: Tables, f: Filters) -> pl.DataFrame:
    """One row per scoped application (all dimension filters applied, NOT the date filter).

    Columns: every column of `scoped_applications` plus
      furthest_rank (Int8, 0..4), furthest_step (String, FUNNEL_STEPS[rank]),
      is_closed (Bool: current type hired or an exit), is_active (Bool),
      hired_at (Datetime UTC: last transition into a `hired` stage; null if none),
      offer_at (Datetime UTC: first transition into an `offer` stage; null if none),
      ever_offer (Bool: current stage or any transition from/to is an `offer` stage),
      offer_outcome (String: accepted | declined | withdrew | pending | other; null unless ever_offer),
      offer_decided_at (Datetime UTC: when the offer outcome happened: hired_at for accepted,
        the offer->rejected/withdrawn transition for declined/withdrew; null otherwise),
      stage_entered_at (Datetime UTC: when the application entered its current stage = last
        transition time, or created_at without transitions),
      n_transitions (UInt32),
      in_cohort (Bool: application_date inside the filter's date range)."""
    raise NotImplementedError


def cohort(facts: pl.DataFrame) -> pl.DataFrame:
    """The application cohort rows of a facts frame (`in_cohort`)."""
    return facts.filter(pl.col("in_cohort"))
