"""Candidates: how many applications each candidate sends (repeat applicants)."""

import streamlit as st

from dashboard.figures.candidates import applications_per_candidate_chart
from dashboard.ui import drills
from dashboard.ui import widgets as w
from dashboard.ui.formats import percent
from dashboard.ui.pack import review_pack_buttons
from metrics.candidates import applications_per_candidate, applications_per_candidate_summary
from metrics.filters import application_cohort

ctx, pack = w.start_page("Candidates", "candidates")
f, data = ctx.filters, ctx.data

dist = data.metric(applications_per_candidate, f)
summary = data.metric(applications_per_candidate_summary, f)
n = int(summary.get("candidates") or 0)
if n:
    st.markdown(f"**{summary['mean']:.2f} applications per candidate** on average · "
                f"{percent(summary['share_multi'])} of {n:,} candidates applied more than once")
w.chart(applications_per_candidate_chart(dist, summary), dist, "applications_per_candidate",
        cohort=w.COHORT_APPLICATIONS, n=n, unit="candidates",
        drill=drills.candidates_with(data.shared(application_cohort, f)), pack=pack, store=ctx.store)
if summary.get("anonymised_excluded"):
    st.caption(f"{summary['anonymised_excluded']:,} anonymised applications have no candidate and are left out.")

review_pack_buttons(pack)
