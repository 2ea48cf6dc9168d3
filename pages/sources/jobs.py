"""Jobs: job health (active pipeline by stage, last stage movement, stuck jobs first), then applications per job /
category / department / location."""

import polars as pl
import streamlit as st

from dashboard.display import COHORT_JOB_HEALTH
from dashboard.figures.job_health import job_health_chart
from dashboard.figures.volume import applications_by_chart
from dashboard.ui import drills, state
from dashboard.ui import widgets as w
from dashboard.ui.pack import review_pack_buttons
from metrics.drilldown import DRILLDOWN_COLUMNS
from metrics.job_health import DEFAULT_STUCK_DAYS, job_active_applications, job_health
from metrics.volume import applications_by

ctx, pack = w.start_page("Jobs", "jobs")
f, data = ctx.filters, ctx.data

st.subheader("Job health", anchor=False)
stuck_days = st.number_input("Stuck after this many days without a stage movement", min_value=1, max_value=365,
                             value=DEFAULT_STUCK_DAYS, step=1, key=state.JOB_STUCK_DAYS,
                             help="A job with active applications none of which moved stage for longer than this "
                                  "is flagged stuck and listed first.")
health = data.metric(job_health, f, float(stuck_days))
active_jobs = health.filter(pl.col("active") > 0)


def job_drill(rows: list[list[str]]) -> pl.DataFrame:
    """Job bars `[job_id]` → the job's active applications of the cohort."""
    frames = [data.metric(job_active_applications, f, r[0]) for r in rows if r and r[0]]
    return w.drill_union(frames) if frames else pl.DataFrame(schema={c: pl.String for c in DRILLDOWN_COLUMNS})


w.chart(job_health_chart(health, float(stuck_days)), active_jobs, "job_health",
        cohort=COHORT_JOB_HEALTH,
        n=int(active_jobs["active"].sum()) if active_jobs.height else 0, unit="active applications",
        drill=job_drill, pack=pack, store=ctx.store, height=max(360, 26 * min(active_jobs.height, 30) + 160),
        empty="No job has active applications in this range — widen the dates or clear filters.")
if health.height:
    n_stuck = int(health["stuck"].sum())
    w.table(health, "job_health_table", pack=pack,
            caption=f"{health.height:,} jobs · {n_stuck:,} stuck (no stage movement for more than {stuck_days} days "
                    f"with active applications) · days open to today, or to the last hire when nothing is active")

st.subheader("Applications by job, category, department, location", anchor=False)
LABELS = {"job": "Job", "category": "Category", "department": "Department", "location": "Location"}
dimension = st.segmented_control("Group by", list(LABELS), default="job", key=state.JOBS_DIMENSION, bind="query-params",
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
