"""Job health chart: each job's active applications by stage, stuck jobs (no stage movement for long) first."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import base_layout, build, empty_figure, ids, title_with_n
from dashboard.figures.guard import guarded
from dashboard.figures.template import NEUTRAL, STEP_COLORS
from metrics.job_health import ACTIVE_STEPS

TITLE = "Job health: active applications by stage"
MAX_JOBS = 30


@guarded
def job_health_chart(df: pl.DataFrame, stuck_days: float) -> go.Figure:
    """Stacked horizontal bars of active applications per stage for the jobs with any (at most MAX_JOBS, in the
    order of `metrics.job_health.job_health`: stuck first); stuck jobs are marked "⚠" and every bar is labelled
    with the days since the job's last stage movement.

    customdata: `[job_id]` on every segment."""
    if df is None or df.height == 0:
        return empty_figure(TITLE, "No job in scope.")
    jobs = df.filter(pl.col("active") > 0).head(MAX_JOBS)
    if jobs.height == 0:
        return empty_figure(TITLE, "No job has active applications in this range.")
    names = [f"{'⚠ ' if s else ''}{n or ''} ({j})"  # data strings: escaped once by figures.safe where shown
             for n, j, s in zip(jobs["job_name"], jobs["job_id"], jobs["stuck"], strict=True)]
    custom = ids(jobs["job_id"])
    data = []
    for step in (*ACTIVE_STEPS, "other"):
        values = jobs[f"active_{step}"].to_list()
        if not any(values):
            continue
        data.append({
            "type": "bar", "orientation": "h", "name": step, "y": names, "x": values, "customdata": custom,
            "marker": {"color": STEP_COLORS.get(step, NEUTRAL)},
            "hovertemplate": f"<b>%{{y}}</b><br>{step}: %{{x:,}} active<extra></extra>",
        })
    totals = jobs["active"].to_list()
    since = jobs["days_since_movement"].to_list()
    data.append({
        "type": "scatter", "mode": "text", "y": names, "x": totals, "showlegend": False, "customdata": custom,
        "text": [f"  {d:.0f} d since a move" if d is not None else "  no move yet" for d in since],
        "textposition": "middle right", "hoverinfo": "skip", "cliponaxis": False,
    })
    n_stuck = int(jobs["stuck"].sum())
    extra = f"⚠ = stuck: no stage movement for more than {stuck_days:g} days ({n_stuck:,} of {jobs.height:,} jobs)"
    layout = {
        **base_layout(title_with_n(TITLE, int(sum(totals)), "active applications", extra=extra),
                      height=max(360, 26 * jobs.height + 160)),
        "barmode": "stack",
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"title": {"text": "active applications (application cohort)"}, "rangemode": "tozero"},
        "legend": {"title": {"text": "current stage"}},
        "margin": {"r": 140},
    }
    return build(data, layout)
