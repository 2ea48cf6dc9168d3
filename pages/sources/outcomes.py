"""Outcomes: offer acceptance, declined offers, rejections and withdrawals by stage."""

import polars as pl
import streamlit as st

from dashboard.figures.outcomes import (
    declined_offers_chart,
    offer_acceptance_chart,
    rejections_by_stage_chart,
)
from dashboard.ui import drills, state
from dashboard.ui import widgets as w
from dashboard.ui.formats import percent
from dashboard.ui.histories import history_notice
from dashboard.ui.pack import review_pack_buttons
from metrics.funnel import overall_conversion
from metrics.outcomes import declined_offers, declined_offers_by, offer_acceptance, rejections_by_stage

ctx, pack = w.start_page("Outcomes", "outcomes")
history_notice(ctx.status)  # how complete the stage histories are, or why they are missing
f, data = ctx.filters, ctx.data
n_apps = int(data.metric(overall_conversion, f)["reached_new"] or 0)

st.subheader("Offer acceptance")
acc = data.metric(offer_acceptance, f)
n_offers = sum(int(acc.get(k) or 0) for k in ("accepted", "declined", "withdrew", "pending", "other"))
decided = sum(int(acc.get(k) or 0) for k in ("accepted", "declined", "withdrew"))
if decided:
    st.markdown(f"**Offer acceptance: {percent(acc['rate'])}** (95% interval {percent(acc['rate_lo'])}–"
                f"{percent(acc['rate_hi'])}) of "
                f"{decided:,} decided offers · {int(acc.get('pending') or 0):,} still pending")
    w.explain("Cohort", "95% interval")
acc_table = pl.DataFrame([{k: acc.get(k) for k in ("accepted", "declined", "withdrew", "pending", "other", "rate",
                                                   "rate_lo", "rate_hi")}],
                         schema_overrides={"rate": pl.Float64, "rate_lo": pl.Float64, "rate_hi": pl.Float64})
w.chart(offer_acceptance_chart(acc), acc_table, "offer_acceptance", cohort=w.COHORT_DECISIONS, n=n_offers,
        unit=f"offers ({decided:,} decided)", drill=drills.offer_outcome(ctx), pack=pack, store=ctx.store,
        empty="No offers for applications in this range — widen the dates or clear filters.")

st.subheader("Declined offers")
declined = data.metric(declined_offers, f)
by_month = data.metric(declined_offers_by, f, "month")
w.chart(declined_offers_chart(by_month), by_month, "declined_offers_by_month", cohort=w.COHORT_DECISIONS,
        n=declined.height, unit="declined or withdrawn offers", drill=drills.declined_by_month(declined), pack=pack,
        store=ctx.store, empty="No declined offers for applications in this range.")
if declined.height:
    by_col = st.segmented_control("Count declined offers per", ["job", "channel"], default="job",
                                  key=state.DECLINED_BY, bind="query-params", format_func=str.capitalize) or "job"
    left, right = st.columns([2, 3])
    with left:
        w.table(data.metric(declined_offers_by, f, by_col), f"declined_offers_by_{by_col}", pack=pack)
    with right:
        w.table(declined, "declined_offers", pack=pack, caption=f"{declined.height:,} declined or withdrawn offers")

st.subheader("Rejections and withdrawals by stage")
rej_col, wd_col = st.columns(2)
with rej_col:
    rej = data.metric(rejections_by_stage, f, "rejected")
    n_rej = int(rej["count"].sum()) if rej.height else 0
    w.chart(rejections_by_stage_chart(rej, "rejected"), rej, "rejections_by_stage", cohort=w.COHORT_APPLICATIONS,
            n=n_rej, unit="rejections", drill=drills.exits_by_stage(ctx, "rejected"), pack=pack, store=ctx.store,
            empty="No rejections for applications in this range." if n_apps else w.NO_APPLICATIONS)
with wd_col:
    wd = data.metric(rejections_by_stage, f, "withdrawn")
    n_wd = int(wd["count"].sum()) if wd.height else 0
    w.chart(rejections_by_stage_chart(wd, "withdrawn"), wd, "withdrawals_by_stage", cohort=w.COHORT_APPLICATIONS,
            n=n_wd, unit="withdrawals", drill=drills.exits_by_stage(ctx, "withdrawn"), pack=pack, store=ctx.store,
            empty="No withdrawals for applications in this range." if n_apps else w.NO_APPLICATIONS)
st.caption("Rate = exits from a step / applications that reached it. “Unknown”: exits without a recorded stage change.")

review_pack_buttons(pack)
