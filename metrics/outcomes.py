"""Offer acceptance, declined offers, rejections and withdrawals by stage."""

from __future__ import annotations

from typing import Literal

import polars as pl

from dashboard.schema import Tables
from metrics.filters import Filters


def offer_outcomes(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per cohort application that ever entered an offer stage.

    Columns: application_id, candidate_id, job_id, job_name, channel_name, application_date, offer_at,
    offer_outcome (accepted | declined | withdrew | pending | other), offer_decided_at."""
    raise NotImplementedError


def offer_acceptance(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """{"accepted", "declined", "withdrew", "pending", "other", "rate", "rate_lo", "rate_hi"}.

    rate = accepted / (accepted + declined + withdrew); None when nothing is decided."""
    raise NotImplementedError


def declined_offers(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """The declined and withdrew-after-offer applications: columns of `offer_outcomes`, newest first."""
    raise NotImplementedError


def declined_offers_by(
    t: Tables, f: Filters, by: Literal["month", "job", "channel"], *, facts: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Declined/withdrew counts per month of the decision (month: Date), job (job_id, job_name) or
    channel (channel_name). Columns: <by columns>, declined, withdrew, total."""
    raise NotImplementedError


def rejections_by_stage(
    t: Tables,
    f: Filters,
    kind: Literal["rejected", "withdrawn"] = "rejected",
    *,
    facts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Transitions of cohort applications into a `kind` stage, by the stage they left.

    Columns: from_stage_type, from_stage_name, count (transitions), reached (cohort applications
    that reached the from-stage's rank; null for unranked types / Unknown), rate (count / reached).
    Applications currently in a `kind` stage with no transition into one count once as
    from_stage_type = from_stage_name = "Unknown". Sorted by funnel rank of from_stage_type."""
    raise NotImplementedError
