"""The metric bundle in DuckDB SQL over the same tables (loaded once into an in-memory database).

The tables are copied from Arrow into native DuckDB tables, and the helper macros and the `facts` /
`cohort` views are created before timing. A timed run sets the filter variables and runs one query per
bundle entry: each is one SQL statement over the base tables (the views are inlined by DuckDB's planner,
which keeps only the columns and joins that query needs), with nothing staged between queries. Same
definitions as metrics/ (see docs/metrics.md).
"""

# ruff: noqa: S608 - the SQL is assembled from this module's constants and schema names, never from input

from __future__ import annotations

from typing import Any

import duckdb

from dashboard.schema import EXIT_TYPES, FUNNEL_STEPS, KNOWN_STAGE_TYPES, Tables
from metrics.filters import Filters
from metrics.stats import KM_HALF

DAY_US = 86_400_000_000.0
_RANK = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(FUNNEL_STEPS))
_ORDER = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(KNOWN_STAGE_TYPES))
_CLOSED = ", ".join(f"'{s}'" for s in ("hired", *EXIT_TYPES))
_STEPS = ", ".join(f"({i}, '{s}')" for i, s in enumerate(FUNNEL_STEPS))

SETUP = f"""
SET TimeZone = 'UTC';
CREATE MACRO stage_rank(t) AS CASE t {_RANK} END;
CREATE MACRO type_order(t) AS coalesce(CASE t {_ORDER} END, {len(KNOWN_STAGE_TYPES)});
CREATE MACRO in_range(d) AS coalesce((getvariable('date_from') IS NULL OR d::DATE >= getvariable('date_from'))
                                     AND (getvariable('date_to') IS NULL OR d::DATE <= getvariable('date_to')), false);
CREATE MACRO days(a, b) AS (epoch_us(b) - epoch_us(a)) / {DAY_US};
"""

FACTS = f"""
CREATE OR REPLACE VIEW facts AS
WITH jobs1 AS (
    SELECT * FROM jobs QUALIFY row_number() OVER (PARTITION BY job_id) = 1
), apps AS (
    SELECT a.* REPLACE (coalesce(a.channel_name, 'Unknown') AS channel_name,
                        coalesce(a.application_date, a.created_at::DATE) AS application_date),
           coalesce(j.job_name, 'Unknown') AS job_name, coalesce(j.department_name, 'Unknown') AS department_name,
           coalesce(j.category_name, 'Unknown') AS category_name, coalesce(j.location, 'Unknown') AS location,
           j.created_at AS job_created_at
    FROM applications a LEFT JOIN jobs1 j USING (job_id)
), marked AS (
    SELECT *, from_stage_type = 'offer' AND coalesce(to_stage_type <> 'offer', true) AS leaving FROM transitions
), per_app AS (
    SELECT application_id,
           max(greatest(stage_rank(from_stage_type), stage_rank(to_stage_type))) AS tr_rank,
           max(transitioned_at) FILTER (WHERE to_stage_type = 'hired') AS hired_at,
           min(transitioned_at) FILTER (WHERE to_stage_type = 'offer') AS offer_at,
           bool_or(coalesce(to_stage_type = 'offer' OR from_stage_type = 'offer', false)) AS tr_offer,
           max(transitioned_at) AS last_transition_at,
           count(*) AS n_transitions,
           arg_max(to_stage_type, transitioned_at) FILTER (WHERE leaving) AS offer_exit_type
    FROM marked GROUP BY application_id
), joined AS (
    SELECT apps.*, p.hired_at, p.offer_at, p.offer_exit_type, coalesce(p.n_transitions, 0) AS n_transitions,
           coalesce(greatest(stage_rank(apps.stage_type), p.tr_rank), 0) AS furthest_rank,
           coalesce(apps.stage_type IN ({_CLOSED}), false) AS is_closed,
           apps.stage_type = 'offer' OR coalesce(p.tr_offer, false) AS ever_offer,
           coalesce(p.last_transition_at, apps.created_at) AS stage_entered_at,
           in_range(apps.application_date) AS in_cohort
    FROM apps LEFT JOIN per_app p USING (application_id)
)
SELECT * EXCLUDE (offer_exit_type), NOT is_closed AS is_active,
       CASE WHEN NOT ever_offer THEN NULL WHEN stage_type = 'hired' THEN 'accepted'
            WHEN stage_type = 'offer' THEN 'pending' WHEN offer_exit_type = 'rejected' THEN 'declined'
            WHEN offer_exit_type = 'withdrawn' THEN 'withdrew' ELSE 'other' END AS offer_outcome
FROM joined;
CREATE OR REPLACE VIEW cohort AS SELECT * FROM facts WHERE in_cohort;
"""

SUMMARY = """
SELECT count(d) AS n, quantile_cont(d, 0.5) AS median, quantile_cont(d, 0.25) AS p25,
       quantile_cont(d, 0.75) AS p75, quantile_cont(d, 0.9) AS p90, avg(d) AS mean
FROM (SELECT days(application_date::TIMESTAMPTZ, {col}) AS d FROM facts WHERE {where}) WHERE d >= 0
"""

KM = """
km_{name} AS (
    SELECT {by} time, count(*) FILTER (WHERE observed) AS events, count(*) AS leaving
    FROM {source} WHERE time IS NOT NULL AND NOT isnan(time) GROUP BY ALL
), km_{name}_s AS (
    SELECT *, product(1 - events / at_risk) OVER (PARTITION BY {part} ORDER BY time
                                                  ROWS UNBOUNDED PRECEDING) AS survival
    FROM (SELECT *, sum(leaving) OVER (PARTITION BY {part} ORDER BY time DESC) AS at_risk FROM km_{name})
), km_{name}_n AS (
    SELECT *, coalesce(min(time) FILTER (WHERE events > 0) OVER (PARTITION BY {part} ORDER BY time
                                         ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING),
                       max(time) OVER (PARTITION BY {part})) AS later
    FROM km_{name}_s
), km_{name}_m AS (
    SELECT {by} arg_min(CASE WHEN abs(survival - 0.5) <= 1e-9 THEN (time + later) / 2 ELSE time END, time)
           AS km_median
    FROM km_{name}_n WHERE survival <= {half} GROUP BY ALL
)"""

QUERIES: dict[str, str] = {
    "hires": "SELECT count(*) AS hires FROM facts WHERE stage_type = 'hired' AND hired_at IS NOT NULL "
             "AND in_range(hired_at)",
    "time_to_hire_days": SUMMARY.format(col="hired_at", where="stage_type = 'hired' AND hired_at IS NOT NULL "
                                                         "AND in_range(hired_at)"),
    "time_to_offer_days": SUMMARY.format(col="offer_at", where="offer_at IS NOT NULL AND in_range(offer_at)"),
    "time_to_fill_days": """
        WITH last_hire AS (
            SELECT job_id, max(hired_at) AS filled_at FROM facts
            WHERE stage_type = 'hired' AND hired_at IS NOT NULL GROUP BY job_id
        ), fill AS (
            SELECT l.filled_at IS NOT NULL AS observed,
                   days(j.created_at, coalesce(l.filled_at, getvariable('as_of'))) AS time
            FROM jobs j LEFT JOIN last_hire l USING (job_id)
            WHERE j.created_at IS NOT NULL AND CASE WHEN l.filled_at IS NOT NULL THEN in_range(l.filled_at)
                  ELSE getvariable('date_to') IS NULL OR j.created_at::DATE <= getvariable('date_to') END
        ), ok AS (SELECT 1 AS g, * FROM fill WHERE time >= 0),
        """ + KM.format(name="fill", by="g,", source="ok", part="g", half=KM_HALF) + """
        SELECT count(*) FILTER (WHERE observed) AS n_filled, count(*) FILTER (WHERE NOT observed) AS n_open,
               quantile_cont(time, 0.5) FILTER (WHERE observed) AS median,
               (SELECT km_median FROM km_fill_m) AS km_median
        FROM ok
    """,
    "offer_acceptance": """
        SELECT count(*) FILTER (WHERE offer_outcome = 'accepted') AS accepted,
               count(*) FILTER (WHERE offer_outcome = 'declined') AS declined,
               count(*) FILTER (WHERE offer_outcome = 'withdrew') AS withdrew,
               count(*) FILTER (WHERE offer_outcome = 'pending') AS pending
        FROM cohort WHERE ever_offer
    """,
    "applications_per_candidate_mean": """
        SELECT avg(n) AS mean FROM (SELECT count(*) AS n FROM cohort WHERE candidate_id IS NOT NULL
                                    GROUP BY candidate_id)
    """,
    "funnel": f"""
        WITH steps(rank, step) AS (VALUES {_STEPS}),
        c AS (SELECT furthest_rank AS rank, count(*) AS n_at, count(*) FILTER (WHERE is_closed) AS closed_at,
                     count(*) FILTER (WHERE is_active) AS active_at FROM cohort GROUP BY 1),
        t AS (SELECT s.rank, s.step, coalesce(n_at, 0) AS n_at, coalesce(closed_at, 0) AS closed_at,
                     coalesce(active_at, 0) AS active_at FROM steps s LEFT JOIN c USING (rank)),
        r AS (SELECT *, sum(n_at) OVER (ORDER BY rank DESC)::BIGINT AS reached FROM t),
        n AS (SELECT *, lead(reached) OVER (ORDER BY rank) AS nxt FROM r)
        SELECT step, rank, reached, closed_at, active_at, nxt / nullif(reached, 0) AS step_conversion,
               nxt / nullif(nxt + closed_at, 0) AS pass_through
        FROM n ORDER BY rank
    """,
    "volume_by_week": """
        WITH b AS (
            SELECT unnest(range(date_trunc('week', coalesce(getvariable('date_from'), min(application_date)))::TIMESTAMP,
                                coalesce(getvariable('date_to'), max(application_date))::TIMESTAMP + INTERVAL 1 DAY,
                                INTERVAL 7 DAY))::DATE AS bucket_start
            FROM cohort
        ), n AS (SELECT date_trunc('week', application_date)::DATE AS bucket_start, count(*) AS applications
                 FROM cohort GROUP BY 1)
        SELECT bucket_start, coalesce(applications, 0) AS applications FROM b LEFT JOIN n USING (bucket_start)
        ORDER BY bucket_start
    """,
    "channel_conversion": """
        SELECT channel_name, count(*) AS applications,
               count(*) FILTER (WHERE furthest_rank >= 0) AS reached_new,
               count(*) FILTER (WHERE furthest_rank >= 1) AS reached_screening,
               count(*) FILTER (WHERE furthest_rank >= 2) AS reached_interviews,
               count(*) FILTER (WHERE furthest_rank >= 3) AS reached_offer,
               count(*) FILTER (WHERE furthest_rank >= 4) AS reached_hired,
               reached_interviews / count(*) AS interview_rate, reached_hired / count(*) AS hire_rate
        FROM cohort GROUP BY channel_name ORDER BY applications DESC, channel_name
    """,
    "time_in_stage": """
        WITH tr AS (
            SELECT *, lead(transitioned_at) OVER w AS next_at, row_number() OVER w AS rn
            FROM transitions WINDOW w AS (PARTITION BY application_id ORDER BY transitioned_at, seq)
        ), raw_stays AS (
            SELECT tr.application_id, tr.from_stage_type AS stage_type, f.created_at AS entered_at,
                   tr.transitioned_at AS left_at
            FROM tr JOIN facts f USING (application_id) WHERE rn = 1
            UNION ALL
            SELECT application_id, to_stage_type, transitioned_at, next_at FROM tr
            UNION ALL
            SELECT application_id, stage_type, created_at, NULL FROM facts WHERE n_transitions = 0
        ), stays AS (
            SELECT s.*, left_at IS NULL AND f.is_active AS is_open,
                   CASE WHEN NOT (left_at IS NULL AND NOT f.is_active)
                        THEN days(entered_at, coalesce(left_at, getvariable('as_of'))) END AS time
            FROM raw_stays s JOIN facts f USING (application_id) WHERE s.stage_type IS NOT NULL
        ), used AS (
            SELECT stage_type, time, is_open, NOT is_open AS observed FROM stays
            WHERE (left_at IS NOT NULL AND time >= 0 AND in_range(left_at))
               OR (is_open AND in_range(getvariable('as_of')) AND time >= 0)
        ),
        """ + KM.format(name="stay", by="stage_type,", source="used", part="stage_type", half=KM_HALF) + """
        SELECT u.stage_type, count(*) FILTER (WHERE observed) AS n_completed,
               quantile_cont(time, 0.5) FILTER (WHERE observed) AS median,
               quantile_cont(time, 0.9) FILTER (WHERE observed) AS p90,
               count(*) FILTER (WHERE is_open) AS n_open, any_value(m.km_median) AS km_median
        FROM used u LEFT JOIN km_stay_m m USING (stage_type)
        GROUP BY u.stage_type ORDER BY type_order(u.stage_type)
    """,
    "rejections_by_stage": f"""
        WITH into_ AS (
            SELECT t.* FROM transitions t SEMI JOIN cohort c USING (application_id)
            WHERE t.to_stage_type = 'rejected'
        ), counts AS (
            SELECT coalesce(from_stage_type, 'Unknown') AS from_stage_type,
                   coalesce(from_stage_name, 'Unknown') AS from_stage_name, count(*) AS count
            FROM into_ GROUP BY ALL
            UNION ALL
            SELECT 'Unknown', 'Unknown', count(*) FROM cohort c
            WHERE stage_type = 'rejected' AND application_id NOT IN (SELECT application_id FROM into_)
            HAVING count(*) > 0
        ), reached AS (
            SELECT s.rank, count(*) FILTER (WHERE c.furthest_rank >= s.rank) AS reached
            FROM (VALUES {_STEPS}) s(rank, step), cohort c GROUP BY s.rank
        )
        SELECT from_stage_type, from_stage_name, sum(count)::BIGINT AS count, any_value(r.reached) AS reached,
               sum(count) / any_value(r.reached) AS rate
        FROM counts LEFT JOIN reached r ON r.rank = stage_rank(from_stage_type)
        GROUP BY from_stage_type, from_stage_name ORDER BY type_order(from_stage_type), from_stage_name
    """,
    "applications_per_candidate": """
        WITH per AS (SELECT count(*) AS n FROM cohort WHERE candidate_id IS NOT NULL GROUP BY candidate_id)
        SELECT n AS applications_per_candidate, count(*) AS candidates, count(*) / sum(count(*)) OVER () AS share
        FROM per GROUP BY n ORDER BY n
    """,
}


def connect(t: Tables, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding the five tables as native DuckDB tables, plus the helper macros."""
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(SETUP)
    for name, frame in t.frames().items():
        arrow = frame.to_arrow()  # noqa: F841 - read by DuckDB's replacement scan below
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM arrow")
    con.execute("SET VARIABLE as_of = $1::TIMESTAMPTZ", [t.as_of])
    con.execute(FACTS)
    return con


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def set_filters(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    """The date range the `in_range` macro and the `cohort` view read."""
    con.execute("SET VARIABLE date_from = $1::DATE", [f.date_from])
    con.execute("SET VARIABLE date_to = $1::DATE", [f.date_to])


def query(con: duckdb.DuckDBPyConnection, name: str, f: Filters) -> list[dict[str, Any]]:
    """One bundle entry for filter state `f`: one SQL statement over the base tables."""
    set_filters(con, f)
    return _dicts(con, QUERIES[name])


def duckdb_bundle(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Any]:
    """The bundle of `benchmarks.bundle` computed in DuckDB (one statement per entry, nothing staged)."""
    set_filters(con, f)
    r = {name: _dicts(con, sql) for name, sql in QUERIES.items()}
    steps = r["funnel"]
    by_type: dict[str, int] = {}
    for row in r["rejections_by_stage"]:
        by_type[row["from_stage_type"]] = by_type.get(row["from_stage_type"], 0) + row["count"]
    offers = r["offer_acceptance"][0]
    decided = offers["accepted"] + offers["declined"] + offers["withdrew"]
    kpis = {
        "applications": steps[0]["reached"],
        "hires": r["hires"][0]["hires"],
        "funnel_reached": {row["step"]: row["reached"] for row in steps},
        "time_to_hire_days": r["time_to_hire_days"][0],
        "time_to_offer_days": r["time_to_offer_days"][0],
        "time_to_fill_days": r["time_to_fill_days"][0],
        "offer_acceptance": {**offers, "rate": offers["accepted"] / decided if decided else None},
        "applications_per_candidate_mean": r["applications_per_candidate_mean"][0]["mean"],
        "rejections_by_stage_type": by_type,
    }
    return {"kpis": kpis, **{k: r[k] for k in ("funnel", "volume_by_week", "channel_conversion", "time_in_stage",
                                               "rejections_by_stage", "applications_per_candidate")}}
