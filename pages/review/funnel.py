"""Funnel: cohort funnel with pass-through rates and 95% intervals; applications per stage now and as of a date."""

from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from dashboard.figures.funnel import funnel_chart
from dashboard.figures.snapshot import stage_snapshot_chart
from dashboard.ui import drills, state
from dashboard.ui import widgets as w
from dashboard.ui.formats import display_rates, percent
from dashboard.ui.histories import history_notice
from dashboard.ui.pack import review_pack_buttons
from dashboard.ui.views import stage_counts_side_by_side
from metrics.funnel import funnel, overall_conversion
from metrics.snapshot import applications_per_stage

ctx, pack = w.start_page("Funnel", "funnel")
history_notice(ctx.status)  # how complete the stage histories are, or why they are missing
f, data = ctx.filters, ctx.data

steps = data.metric(funnel, f)
overall = data.metric(overall_conversion, f)
n = int(overall["reached_new"] or 0)

st.subheader("Cohort funnel")
if n:
    rate = overall["rate"]
    st.markdown(f"**Applied → hired: {percent(rate)}** (95% interval {percent(overall['rate_lo'])}–"
                f"{percent(overall['rate_hi'])}) · **Hired, of this period's applications: {overall['reached_hired']:,}** "
                f"of {n:,} applications")
    w.explain("Cohort", "95% interval", "Pass-through")
w.chart(funnel_chart(steps), steps, "funnel", cohort=w.COHORT_APPLICATIONS, n=n, drill=drills.funnel(ctx),
        pack=pack, store=ctx.store)
if n:
    st.caption("Pass-through from a step = applications that moved on / (moved on + closed at that step). "
               "Applications still active at a step are not decided yet and are left out (column “active at”). "
               "Bars show 95% Wilson intervals.")
    w.table(display_rates(steps, ["pass_through", "step_conversion"], ["step", "reached"], ["closed_at", "active_at"]),
            "funnel_table", caption=w.n_caption(w.COHORT_APPLICATIONS, n) + " · the chart's CSV has the numbers")

st.subheader("Applications per stage")
current = data.metric(applications_per_stage, f)
n_now = int(current["count"].sum()) if current.height else 0
w.chart(stage_snapshot_chart(current, "now"), current, "applications_per_stage", cohort=w.COHORT_CURRENT,
        n=n_now, drill=drills.current_stage(ctx), pack=pack, store=ctx.store)

st.markdown("**As of an earlier date**")
if state.SNAPSHOT_AT not in st.session_state:
    st.session_state[state.SNAPSHOT_AT] = max(ctx.today - timedelta(days=30), f.date_from or date.min)
at_date = st.date_input("Stage on (end of day, UTC)", key=state.SNAPSHOT_AT, max_value=ctx.today, format="YYYY-MM-DD",
                        bind="query-params")
at = datetime.combine(at_date, time.max, tzinfo=UTC)
past = data.metric(applications_per_stage, f, at)
n_past = int(past["count"].sum()) if past.height else 0
w.chart(stage_snapshot_chart(past, f"as of {at_date:%Y-%m-%d}"), past, "applications_per_stage_as_of",
        cohort=f"Application cohort, stage on {at_date:%Y-%m-%d}", n=n_past, pack=pack,
        empty="None of this range's applications existed on that date — pick a later date.")
if n_now:
    with st.expander("Stage counts now vs then (table)"):
        w.table(stage_counts_side_by_side(current, past, f"on {at_date:%Y-%m-%d}"), "stage_counts_now_vs_then",
                pack=pack)

review_pack_buttons(pack)
