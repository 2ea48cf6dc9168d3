"""Funnel: cohort funnel with pass-through rates and 95% intervals; applications per stage now and as of a date."""

from datetime import UTC, datetime, time, timedelta

import polars as pl
import streamlit as st

from dashboard.figures.funnel import funnel_chart
from dashboard.figures.snapshot import stage_snapshot_chart
from dashboard.ui import drills, state
from dashboard.ui import widgets as w
from dashboard.ui.pack import review_pack_buttons
from metrics.funnel import funnel, overall_conversion
from metrics.snapshot import applications_per_stage

ctx, pack = w.start_page("Funnel", "funnel")
f, data = ctx.filters, ctx.data

steps = data.metric(funnel, f)
overall = data.metric(overall_conversion, f)
n = int(overall["reached_new"] or 0)

st.subheader("Cohort funnel")
if n:
    rate = overall["rate"]
    st.markdown(f"**Applied → hired: {rate:.1%}** (95% interval {overall['rate_lo']:.1%}–{overall['rate_hi']:.1%}; "
                f"{overall['reached_hired']:,} of {n:,} applications)")
w.chart(funnel_chart(steps), steps, "funnel", cohort=w.COHORT_APPLICATIONS, n=n, drill=drills.funnel(ctx),
        pack=pack, store=ctx.store)
if n:
    st.caption("Pass-through from a step = applications that moved on / (moved on + closed at that step). "
               "Applications still active at a step are not decided yet and are left out (column “active at”). "
               "Bars show 95% Wilson intervals.")
    w.table(drills.keep(steps, ["step", "reached", "step_conversion", "step_conversion_lo", "step_conversion_hi",
                                "pass_through", "pass_through_lo", "pass_through_hi", "closed_at", "active_at"]),
            "funnel_table", caption=w.n_caption(w.COHORT_APPLICATIONS, n))

st.subheader("Applications per stage")
now_col, then_col = st.columns(2)
with now_col:
    current = data.metric(applications_per_stage, f)
    n_now = int(current["count"].sum()) if current.height else 0
    w.chart(stage_snapshot_chart(current, "now"), current, "applications_per_stage", cohort=w.COHORT_CURRENT,
            n=n_now, drill=drills.current_stage(ctx), pack=pack, store=ctx.store)
with then_col:
    default_at = max(ctx.today - timedelta(days=30), f.date_from or ctx.today - timedelta(days=30))
    if state.SNAPSHOT_AT not in st.session_state:
        st.session_state[state.SNAPSHOT_AT] = default_at
    at_date = st.date_input("As of (end of day, UTC)", key=state.SNAPSHOT_AT, max_value=ctx.today,
                            format="YYYY-MM-DD")
    at = datetime.combine(at_date, time.max, tzinfo=UTC)
    past = data.metric(applications_per_stage, f, at)
    n_past = int(past["count"].sum()) if past.height else 0
    w.chart(stage_snapshot_chart(past, f"as of {at_date:%Y-%m-%d}"), past, "applications_per_stage_as_of",
            cohort=f"Application cohort, stage on {at_date:%Y-%m-%d}", n=n_past, pack=pack,
            empty="No applications of this range existed on that date — pick a later date.")
if current.height:
    both = (current.select("stage_type", "stage_name", pl.col("count").alias("now"))
            .join(past.select("stage_type", "stage_name", pl.col("count").alias("as_of")),
                  on=["stage_type", "stage_name"], how="full", coalesce=True)
            .with_columns(pl.col("now", "as_of").fill_null(0)))
    with st.expander("Stage counts now vs then (table)"):
        w.table(both, "stage_counts_now_vs_then", pack=pack)

review_pack_buttons(pack)
