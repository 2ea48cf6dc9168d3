"""Offer acceptance, declined offers, rejections and withdrawals by stage."""

from __future__ import annotations

from typing import Literal

import polars as pl

from dashboard.schema import FUNNEL_STEPS, UNKNOWN, Tables
from metrics.common import constant, type_order
from metrics.filters import Filters
from metrics.memo import derived
from metrics.stages import ROW, cohort, get_facts, keyed_transitions, rank_of
from metrics.stats import wilson

OUTCOME_COLUMNS: tuple[str, ...] = (
    "application_id", "candidate_id", "job_id", "job_name", "channel_name", "application_date", "offer_at",
    "offer_outcome", "offer_decided_at",
)


def offer_outcomes(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per cohort application that ever entered an offer stage.

    Columns: application_id, candidate_id, job_id, job_name, channel_name, application_date, offer_at,
    offer_outcome (accepted | declined | withdrew | pending | other), offer_decided_at."""
    return cohort(get_facts(t, f, facts)).filter(pl.col("ever_offer")).select(OUTCOME_COLUMNS)


def offer_acceptance(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> dict:
    """{"accepted", "declined", "withdrew", "pending", "other", "rate", "rate_lo", "rate_hi"}.

    rate = accepted / (accepted + declined + withdrew); None when nothing is decided."""
    outcomes = offer_outcomes(t, f, facts=facts)["offer_outcome"]
    counts = {k: int((outcomes == k).sum()) for k in ("accepted", "declined", "withdrew", "pending", "other")}
    decided = counts["accepted"] + counts["declined"] + counts["withdrew"]
    lo, hi = wilson(counts["accepted"], decided)
    return {**counts, "rate": counts["accepted"] / decided if decided else None, "rate_lo": lo, "rate_hi": hi}


def declined_offers(t: Tables, f: Filters, *, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """The declined and withdrew-after-offer applications: columns of `offer_outcomes`, newest first."""
    out = offer_outcomes(t, f, facts=facts).filter(pl.col("offer_outcome").is_in(["declined", "withdrew"]))
    return out.sort("offer_decided_at", "application_id", descending=[True, False], nulls_last=True)


def declined_offers_by(
    t: Tables, f: Filters, by: Literal["month", "job", "channel"], *, facts: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Declined/withdrew counts per month of the decision (month: Date), job (job_id, job_name) or
    channel (channel_name). Columns: <by columns>, declined, withdrew, total."""
    rows = declined_offers(t, f, facts=facts)
    keys: list[pl.Expr] = {
        "month": [pl.col("offer_decided_at").dt.date().dt.truncate("1mo").alias("month")],
        "job": [pl.col("job_id"), pl.col("job_name")],
        "channel": [pl.col("channel_name")],
    }[by]
    out = rows.group_by(keys).agg(
        (pl.col("offer_outcome") == "declined").sum().cast(pl.UInt32).alias("declined"),
        (pl.col("offer_outcome") == "withdrew").sum().cast(pl.UInt32).alias("withdrew"),
    )
    out = out.with_columns((pl.col("declined") + pl.col("withdrew")).alias("total"))
    names = [k.meta.output_name() for k in keys]
    return out.sort(names) if by == "month" else out.sort(pl.col("total"), *names, descending=[True] + [False] * len(names))


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
    facts = get_facts(t, f, facts)
    out = derived(facts, ("rejections_by_stage", id(t.transitions), kind), lambda: _rejections_by_stage(t, facts, kind))
    return out.clone()


def _rejections_by_stage(t: Tables, facts: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The `rejections_by_stage` table of one facts frame (memoised by the caller)."""
    apps = cohort(facts)
    exits = derived(facts, ("exits", id(t.transitions)), lambda: _exits(t, facts))
    into = exits.filter(pl.col("to_stage_type") == kind)
    # cohort applications currently in a `kind` stage without any transition into one (rows marked by scatter)
    entered = constant(False, facts.height, pl.Boolean).scatter(into.get_column(ROW), True)
    without = facts.select(
        (pl.col("in_cohort") & (pl.col("stage_type") == kind) & ~pl.lit(entered)).sum()
    ).item()
    counts = into.group_by(
        pl.col("from_stage_type").fill_null(UNKNOWN), pl.col("from_stage_name").fill_null(UNKNOWN)
    ).agg(pl.len().cast(pl.UInt32).alias("count"))
    if without:
        unknown = pl.DataFrame(
            {"from_stage_type": [UNKNOWN], "from_stage_name": [UNKNOWN], "count": [without]},
            schema=counts.schema,
        )
        counts = pl.concat([counts, unknown]).group_by("from_stage_type", "from_stage_name").agg(pl.col("count").sum())
    reached = [int((apps["furthest_rank"] >= k).sum()) for k in range(len(FUNNEL_STEPS))]
    rank = rank_of(pl.col("from_stage_type")).cast(pl.Int32)
    out = counts.with_columns(
        pl.when(rank.is_not_null())
        .then(pl.lit(pl.Series(reached, dtype=pl.UInt32)).gather(rank.fill_null(0)))
        .alias("reached")
    )
    out = out.with_columns((pl.col("count") / pl.col("reached")).alias("rate"))
    return out.sort(type_order(pl.col("from_stage_type")), "from_stage_name").select(
        "from_stage_type", "from_stage_name", "count", "reached", "rate"
    )


def _exits(t: Tables, facts: pl.DataFrame) -> pl.DataFrame:
    """ROW, from_stage_type, from_stage_name, to_stage_type of the transitions of cohort applications into a
    rejected or withdrawn stage (lazy: only these columns are filtered)."""
    into = keyed_transitions(t, facts).lazy().filter(pl.col("to_stage_type").is_in(["rejected", "withdrawn"]))
    into = into.filter(pl.lit(facts.get_column("in_cohort")).gather(pl.col(ROW)))
    return into.select(ROW, "from_stage_type", "from_stage_name", "to_stage_type").collect()


def by_stage_type(table: pl.DataFrame) -> dict[str, int]:
    """{from_stage_type: count} of a `rejections_by_stage` table."""
    grouped = table.group_by("from_stage_type").agg(pl.col("count").sum()).sort(type_order(pl.col("from_stage_type")))
    return {row[0]: int(row[1]) for row in grouped.iter_rows()}
