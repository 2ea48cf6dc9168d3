"""Per-application facts derived from current stage + transitions: furthest rank, closed, hire/offer dates."""

from __future__ import annotations

import polars as pl

from dashboard.schema import EXIT_TYPES, FUNNEL_STEPS, STAGE_RANK, Tables
from metrics.common import constant, decimal_ids, lex_sort
from metrics.filters import Filters, date_in_range, scoped_applications
from metrics.memo import derived

CLOSED_TYPES: tuple[str, ...] = ("hired", *EXIT_TYPES)
OFFER_OUTCOMES: tuple[str, ...] = ("accepted", "declined", "withdrew", "pending", "other")


def rank_of(expr: pl.Expr) -> pl.Expr:
    """Funnel rank of a stage-type expression (Int8); null for unranked and unknown types."""
    out = pl.when(expr == FUNNEL_STEPS[0]).then(pl.lit(0, pl.Int8))
    for step, rank in list(STAGE_RANK.items())[1:]:
        out = out.when(expr == step).then(pl.lit(rank, pl.Int8))
    return out.otherwise(pl.lit(None, pl.Int8))


def step_of(rank: pl.Expr) -> pl.Expr:
    """Funnel step name of a rank expression."""
    steps = pl.lit(pl.Series(FUNNEL_STEPS, dtype=pl.String))
    return pl.when(rank.is_between(0, len(FUNNEL_STEPS) - 1)).then(steps.gather(rank.clip(0, len(FUNNEL_STEPS) - 1)))


def transitions_of(t: Tables, apps: pl.DataFrame) -> pl.DataFrame:
    """Transitions of the given applications, unsorted (no join when `apps` covers every application)."""
    if apps.height == t.applications.height and t.transitions.height > 0:
        return t.transitions  # unfiltered: rows of unknown applications drop out in later joins
    return t.transitions.join(apps.select("application_id"), on="application_id", how="semi")


def scoped_transitions(t: Tables, apps: pl.DataFrame) -> pl.DataFrame:
    """Transitions of the given applications, sorted by application, time, then API order (seq).

    Memoised per `apps` frame (a facts frame is passed around unchanged)."""
    build = lambda: lex_sort(transitions_of(t, apps), "application_id", "transitioned_at", "seq")  # noqa: E731
    return derived(apps, ("sorted_transitions", id(t.transitions)), build)


ROW = "_row"  # UInt32 row number of an application in its facts frame (internal join key)


def _keyed(t: Tables, apps: pl.DataFrame) -> pl.DataFrame:
    """Transitions of `apps` with `_row` (the application's row in `apps`), sorted by row, time, seq.

    One string join per facts frame; every later per-application step joins or gathers on `_row`."""
    rows = apps.select("application_id").with_row_index(ROW)
    key = _row_of_each_transition(t, rows)
    tr = t.transitions.with_columns(key.get_column(ROW))
    if key.height != t.transitions.height or tr.get_column(ROW).null_count():
        tr = t.transitions.join(rows, on="application_id", how="inner")  # unknown or repeated ids
    return lex_sort(tr, ROW, "transitioned_at", "seq").with_columns(pl.col(ROW).set_sorted())


def _row_of_each_transition(t: Tables, rows: pl.DataFrame) -> pl.DataFrame:
    """`ROW` of each transition's application (null when unknown), in transition order: one left join.

    Joins the id column alone (carrying all nine columns through the join costs twice as much), on
    integers when every id is a plain decimal (`decimal_ids`; the transitions' memoised per snapshot),
    as a merge of two sorted columns when both are in order: at 1M, 0.3 s of string hashing -> ~0.1 s."""
    tr_ids = derived(t.transitions, ("decimal_ids",), lambda: _decimal_frame(t.transitions.get_column("application_id")))
    app_ids = _decimal_frame(rows.get_column("application_id")) if tr_ids.width else tr_ids
    if not app_ids.width:
        return t.transitions.select("application_id").join(rows, on="application_id", how="left", maintain_order="left")
    left, right = tr_ids, app_ids.with_columns(rows.get_column(ROW))
    if all(f.get_column("_k").null_count() == 0 and f.get_column("_k").is_sorted() for f in (left, right)):
        left, right = left.with_columns(pl.col("_k").set_sorted()), right.with_columns(pl.col("_k").set_sorted())
    return left.join(right, on="_k", how="left", maintain_order="left")


def _decimal_frame(ids: pl.Series) -> pl.DataFrame:
    """`_k`: `decimal_ids(ids)`, or a frame without columns when the ids are not all plain decimals."""
    numbers = decimal_ids(ids)
    return pl.DataFrame() if numbers is None else numbers.alias("_k").to_frame()


def keyed_transitions(t: Tables, facts: pl.DataFrame) -> pl.DataFrame:
    """`_keyed` transitions of a facts frame (memoised: built once by `application_facts`)."""
    return derived(facts, ("keyed_transitions", id(t.transitions)), lambda: _keyed(t, facts))


def with_cohort(t: Tables, facts: pl.DataFrame, in_cohort: pl.Expr) -> pl.DataFrame:
    """`facts` with another `in_cohort` (same rows), sharing facts' keyed transitions."""
    out = facts.with_columns(in_cohort.alias("in_cohort"))
    derived(out, ("keyed_transitions", id(t.transitions)), lambda: keyed_transitions(t, facts))
    return out


def _transition_facts(tr: pl.DataFrame, height: int) -> pl.DataFrame:
    """Per application row 0..height-1 (null without transitions): max rank over from/to, hire/offer
    dates, last change, offer touch, last offer exit, number of transitions.

    Only the cheap aggregations run over every transition; hire, offer and offer-exit dates group the
    few transitions into such stages (one `collect_all`, in parallel). Each aggregate is scattered to its
    rows (rows are positions), which replaces four joins on `ROW`."""
    to_type, from_type, at = pl.col("to_stage_type"), pl.col("from_stage_type"), pl.col("transitioned_at")
    leaving = (from_type == "offer") & (to_type != "offer").fill_null(True)
    lf = tr.lazy()
    every = _per_run(
        lf,
        tr_rank=pl.max_horizontal(rank_of(from_type), rank_of(to_type)),
        tr_offer=((to_type == "offer") | (from_type == "offer")).fill_null(False),
    )
    hired = lf.filter(to_type == "hired").group_by(ROW).agg(at.max().alias("hired_at"))
    offer = lf.filter(to_type == "offer").group_by(ROW).agg(at.min().alias("offer_at"))
    # the last offer exit by time; equal timestamps (vanishingly rare) resolve to the first in API order
    exits = lf.filter(leaving).group_by(ROW).agg(
        at.max().alias("offer_exit_at"), to_type.get(at.arg_max()).alias("offer_exit_type")
    )
    columns = []
    for part in pl.collect_all([every, hired, offer, exits]):
        rows = part.get_column(ROW)
        for values in part.drop(ROW).get_columns():
            columns.append(constant(None, height, values.dtype, values.name).scatter(rows, values))
    return pl.DataFrame(columns)


def _per_run(tr: pl.LazyFrame, tr_rank: pl.Expr, tr_offer: pl.Expr) -> pl.LazyFrame:
    """Per `ROW` of transitions sorted by (ROW, time): max of `tr_rank` (Int8 0..4 or null), any of
    `tr_offer`, the last time (= the max: nulls sort first) and the count.

    A group-by paid ~90 ns per group for each max (most applications have one or two transitions);
    here each application's last row is read after running maxima of (ROW, value) packed into one
    integer, which never carry over from the previous application because ROW only grows."""
    row = pl.col(ROW).cast(pl.Int64)
    rank = (tr_rank.cast(pl.Int64).fill_null(-1) + 1).alias("_rank")  # 0 = no ranked stage, else rank + 1
    last = pl.col(ROW).ne_missing(pl.col(ROW).shift(-1))
    runs = tr.select(
        ROW,
        (row * 8 + rank).cum_max().alias("_rank"),
        (row * 2 + tr_offer.cast(pl.Int64)).cum_max().alias("_offer"),
        pl.col("transitioned_at").alias("last_transition_at"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_pos"),
    ).filter(last)
    top = pl.col("_rank") - row * 8
    return runs.select(
        ROW,
        pl.when(top > 0).then(top - 1).cast(pl.Int8).alias("tr_rank"),
        (pl.col("_offer") - row * 2 == 1).alias("tr_offer"),
        "last_transition_at",
        (pl.col("_pos") - pl.col("_pos").shift(1).fill_null(-1)).cast(pl.UInt32).alias("n_transitions"),
    )


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
    apps = scoped_applications(t, f)
    tr = _keyed(t, apps)
    # the per-row aggregates, aligned to apps' rows, stacked beside apps' columns
    # (joining apps itself would gather every string column of 1M rows)
    facts = apps.hstack(_transition_facts(tr, apps.height).get_columns()).lazy()
    stage_type = pl.col("stage_type")
    furthest = pl.max_horizontal(rank_of(stage_type), pl.col("tr_rank")).fill_null(0).cast(pl.Int8)
    ever_offer = (stage_type == "offer") | pl.col("tr_offer").fill_null(False)
    exit_type = pl.col("offer_exit_type")
    outcome = (
        pl.when(~ever_offer)
        .then(None)
        .when(stage_type == "hired")
        .then(pl.lit("accepted"))
        .when(stage_type == "offer")
        .then(pl.lit("pending"))
        .when(exit_type == "rejected")
        .then(pl.lit("declined"))
        .when(exit_type == "withdrawn")
        .then(pl.lit("withdrew"))
        .otherwise(pl.lit("other"))
    )
    facts = facts.with_columns(
        furthest.alias("furthest_rank"),
        stage_type.is_in(CLOSED_TYPES).fill_null(False).alias("is_closed"),
        ever_offer.alias("ever_offer"),
        outcome.alias("offer_outcome"),
        pl.coalesce("last_transition_at", "created_at").alias("stage_entered_at"),
        pl.col("n_transitions").fill_null(0),
        date_in_range(pl.col("application_date"), f).alias("in_cohort"),
    ).with_columns(
        step_of(pl.col("furthest_rank")).alias("furthest_step"),
        (~pl.col("is_closed")).alias("is_active"),
        pl.when(pl.col("offer_outcome") == "accepted")
        .then(pl.col("hired_at"))
        .when(pl.col("offer_outcome").is_in(["declined", "withdrew"]))
        .then(pl.col("offer_exit_at"))
        .alias("offer_decided_at"),
    )
    facts = facts.drop("tr_rank", "tr_offer", "last_transition_at", "offer_exit_type", "offer_exit_at").collect()
    derived(facts, ("keyed_transitions", id(t.transitions)), lambda: tr)
    return facts


def get_facts(t: Tables, f: Filters, facts: pl.DataFrame | None) -> pl.DataFrame:
    """The given facts frame, or a freshly computed one (lets bundle/kpis compute facts once)."""
    return application_facts(t, f) if facts is None else facts


def cohort(facts: pl.DataFrame) -> pl.DataFrame:
    """The application cohort rows of a facts frame (`in_cohort`); memoised per facts frame."""
    return derived(facts, ("cohort",), lambda: facts.filter(pl.col("in_cohort")))
