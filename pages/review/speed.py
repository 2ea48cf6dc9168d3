"""Speed: time to hire / offer distributions, time to fill per job and by category (Kaplan–Meier), time in stage, stuck list."""

import streamlit as st

from dashboard.figures.speed import (
    km_curve_chart,
    stays_caption_unit,
    time_in_stage_chart,
    time_to_fill_chart,
    time_to_hire_chart,
    time_to_offer_chart,
)
from dashboard.ui import drills, state
from dashboard.ui import widgets as w
from dashboard.ui.histories import history_notice
from dashboard.ui.pack import review_pack_buttons
from metrics.speed import (
    speed_summary,
    stage_intervals,
    stuck_applications,
    time_in_stage,
    time_to_fill,
    time_to_fill_by_category,
    time_to_fill_km_curve,
    time_to_fill_summary,
    time_to_hire,
    time_to_hire_exclusions,
    time_to_offer,
)

ctx, pack = w.start_page("Speed", "speed")
history_notice(ctx.status)  # how complete the stage histories are, or why they are missing
f, data = ctx.filters, ctx.data


def stats_line(s: dict, unit: str, headline: str) -> str:
    if not s.get("n"):
        return ""
    return (f"**{headline}: {s['median']:.1f} d** · n = {s['n']:,} {unit} · p25 {s['p25']:.1f} d · p75 {s['p75']:.1f} d · "
            f"p90 {s['p90']:.1f} d · mean {s['mean']:.1f} d")


hire_tab, offer_tab, fill_tab, stage_tab = st.tabs(["Time to hire", "Time to offer", "Time to fill", "Time in stage"],
                                                    key=state.SPEED_TAB, bind="query-params")

with hire_tab:
    hires = data.metric(time_to_hire, f)
    s = speed_summary(hires)
    excl = data.metric(time_to_hire_exclusions, f)
    st.markdown(stats_line(s, "hires", "Median time to hire"))
    w.explain("Cohort", "Median", "p90")
    w.chart(time_to_hire_chart(hires, s), hires, "time_to_hire", cohort=w.COHORT_HIRES, n=s["n"], unit="hires",
            drill=drills.durations(hires), pack=pack, store=ctx.store,
            empty="No hires in this range — widen the dates or clear filters.")
    if excl.get("no_hire_date") or excl.get("negative"):
        st.caption(f"Left out: {excl.get('no_hire_date', 0):,} hired applications without a recorded move into a "
                   f"hired stage, {excl.get('negative', 0):,} with a hire before the application date.")

with offer_tab:
    offers = data.metric(time_to_offer, f)
    s_offer = speed_summary(offers)
    st.markdown(stats_line(s_offer, "offers", "Median time to offer"))
    w.chart(time_to_offer_chart(offers, s_offer), offers, "time_to_offer", cohort=w.COHORT_OFFERS, n=s_offer["n"],
            unit="offers", drill=drills.durations(offers), pack=pack, store=ctx.store,
            empty="No offers made in this range — widen the dates or clear filters.")

with fill_tab:
    fill = data.metric(time_to_fill, f)
    fs = data.metric(time_to_fill_summary, f)
    n_jobs = fs["n_filled"] + fs["n_open"]
    km = fs.get("km_median")
    if n_jobs:
        median = "–" if fs["median"] is None else f"{fs['median']:.1f} d"
        km_text = "not reached" if km is None else f"{km:.1f} d"
        st.markdown(f"**Median time to fill: {median}** (n = {fs['n_filled']:,} filled jobs) · "
                    f"**Open jobs: {fs['n_open']:,}** · Kaplan–Meier median counting open jobs {km_text}")
        w.explain("Kaplan–Meier", "Censored")
    w.chart(time_to_fill_chart(fill, fs), fill, "time_to_fill", cohort=w.COHORT_FILLS, n=n_jobs, unit="jobs",
            drill=drills.hires_by_job(ctx), pack=pack, store=ctx.store,
            empty="No jobs in scope — clear the job filters.")
    curve = data.metric(time_to_fill_km_curve, f)
    left, right = st.columns([3, 2])
    with left:
        w.chart(km_curve_chart(curve, km), curve, "time_to_fill_km_curve", cohort=w.COHORT_FILLS, n=n_jobs,
                unit="jobs", pack=pack, empty="No jobs in scope — clear the job filters.")
    with right:
        by_cat = data.metric(time_to_fill_by_category, f)
        st.markdown("**By job category**")
        if by_cat.height:
            w.table(by_cat, "time_to_fill_by_category", pack=pack,
                    caption="Median and p90 of filled jobs; KM median counts open jobs as censored.")
        else:
            w.empty_state("No jobs in scope.")
    if fs.get("n_negative"):
        st.caption(f"{fs['n_negative']:,} jobs were created after their hire and are left out (see Data page).")

with stage_tab:
    view = st.segmented_control("Per", ["stage_type", "stage"], default="stage_type", key=state.STAGE_VIEW, bind="query-params",
                                format_func={"stage_type": "Stage type", "stage": "Named stage"}.get) or "stage_type"
    tis = data.metric(time_in_stage, f, view)
    n_stays, stays_unit = stays_caption_unit(tis)
    intervals = data.shared(stage_intervals, f)
    w.chart(time_in_stage_chart(tis), tis, f"time_in_{view}", cohort=w.COHORT_STAGES, n=n_stays, unit=stays_unit,
            drill=drills.stage_stays(intervals), pack=pack, store=ctx.store,
            empty="No stage changes in this range — widen the dates or clear filters.")
    st.markdown("**Stuck applications** — active, and longer in their current stage than that stage's p90")
    stuck = data.metric(stuck_applications, f)
    if stuck.height:
        w.table(stuck, "stuck_applications", pack=pack,
                caption=f"{stuck.height:,} applications · application cohort · p90 of the named stage, or of its "
                        f"type when the stage has fewer than 5 completed stays")
    else:
        w.empty_state("No stuck applications in this range.")

review_pack_buttons(pack)
