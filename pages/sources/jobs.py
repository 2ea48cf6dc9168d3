"""Jobs: applications per job with the current-stage breakdown, and by category / department / location."""

import streamlit as st

from dashboard.figures.volume import applications_by_chart
from dashboard.ui import drills, state
from dashboard.ui import widgets as w
from dashboard.ui.pack import review_pack_buttons
from metrics.volume import applications_by

ctx, pack = w.start_page("Jobs", "jobs")
f, data = ctx.filters, ctx.data

LABELS = {"job": "Job", "category": "Category", "department": "Department", "location": "Location"}
dimension = st.segmented_control("Group by", list(LABELS), default="job", key=state.JOBS_DIMENSION,
                                 format_func=LABELS.get) or "job"
by = data.metric(applications_by, f, dimension)
n = int(by["applications"].sum()) if by.height else 0
w.chart(applications_by_chart(by, dimension), by, f"applications_by_{dimension}", cohort=w.COHORT_APPLICATIONS,
        n=n, drill=drills.applications_by(ctx, dimension), pack=pack, store=ctx.store,
        height=max(360, 28 * min(by.height, 25) + 140))
if by.height:
    # "hires" repeats the "Hired" stage column; the key is an id where the label is the name
    w.table(by.drop("key", "hires").rename({"label": LABELS[dimension]}), f"applications_by_{dimension}_table", caption=w.n_caption(w.COHORT_APPLICATIONS, n)
            + " · stage columns count applications by their current stage type")

review_pack_buttons(pack)
