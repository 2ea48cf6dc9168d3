"""Team: per hiring-team member load, conversion and speed; a member's funnel, jobs and stuck applications."""

import polars as pl
import streamlit as st

from dashboard.figures.funnel import funnel_chart
from dashboard.figures.team import RATES, team_chart
from dashboard.ui import state
from dashboard.ui import widgets as w
from dashboard.ui.pack import review_pack_buttons
from dashboard.ui.team import labels, member_names
from metrics.drilldown import DRILLDOWN_COLUMNS
from metrics.team import member_applications, member_funnel, member_jobs, member_stuck, team_table

ctx, pack = w.start_page("Team", "team", subtitle="by hiring-team member (own team of an application, else its job's)")
f, data = ctx.filters, ctx.data

table = data.metric(team_table, f)
if table.height == 0:
    w.empty_state("No hiring-team member has a job, an application or a hire in scope — widen the dates or clear "
                  "the role and member filters.")
    st.stop()

show_names = st.toggle("Show member names", value=False, key=state.TEAM_NAMES,
                       help="Off by default. Names come from a local team_names.csv or, when the credential may read "
                            "persons, live from Personio; they are kept in memory only.")
names: dict[str, str] = {}
if show_names:
    names, note = member_names(ctx, table.get_column("person_id").drop_nulls().to_list())
    if note:
        st.caption(note)
member = labels(table, names)
ids_or_names = [names.get(p) or (p or "Unassigned") for p in table.get_column("person_id").to_list()]

rate = st.segmented_control("Conversion", list(RATES), default="to_interviews", key=state.TEAM_METRIC,
                            format_func=lambda k: RATES[k].capitalize()) or "to_interviews"
keys = table.select("person_id", "role").rows()


def member_drill(rows: list[list[str]]) -> pl.DataFrame:
    """Chart points `[person_id, role]` → the members' cohort applications."""
    frames = [data.metric(member_applications, f, r[0] or None, r[1] or None) for r in rows if len(r) == 2]
    return w.drill_union(frames) if frames else pl.DataFrame(schema={c: pl.String for c in DRILLDOWN_COLUMNS})


# an application counts once per member it is attributed to: the sum is not the cohort's size
picked = w.chart(team_chart(table, member, rate, ids_or_names), table, "team", cohort=w.COHORT_APPLICATIONS,
                 n=int(table["applications"].sum()), unit="applications counted once per member", drill=member_drill, pack=pack, store=ctx.store,
                 empty="No member has applications in this range.")

shown = table.with_columns(pl.Series("member", member, dtype=pl.String)).select("member", *table.columns)
w.table(shown, "by_hiring_team_member", pack=pack,
        caption=f"{table.height:,} members · applications: application cohort; hires and time to hire: hires dated "
                f"in range; pass-through with 95% interval and n decided; active and stuck of the cohort; "
                f"too few to judge under 20 applications")
w.explain("Cohort", "Pass-through", "95% interval", "Median", "p90")

# One member in detail: the chart click picks them, or the selectbox.
options = list(range(len(keys)))
if picked and len(picked[0]) == 2:
    clicked = (picked[0][0] or None, picked[0][1] or None)
    if clicked in keys:
        st.session_state[state.TEAM_FOCUS] = keys.index(clicked)
if st.session_state.get(state.TEAM_FOCUS) not in options:
    st.session_state[state.TEAM_FOCUS] = 0
focus = st.selectbox("Member in detail", options, format_func=lambda i: member[i], key=state.TEAM_FOCUS)
person_id, role = keys[focus]
st.subheader(f"{member[focus]}", anchor=False)
funnel_df = data.metric(member_funnel, f, person_id, role)
left, right = st.columns([3, 2])
with left:
    w.chart(funnel_chart(funnel_df), funnel_df, "team_member_funnel", cohort=w.COHORT_APPLICATIONS,
            n=int(funnel_df["reached"][0]) if funnel_df.height else 0, unit="applications of this member", pack=pack,
            empty="This member has no applications in this range.")
with right:
    jobs = data.metric(member_jobs, f, person_id, role).select("job_id", "job_name", "department_name",
                                                               "category_name", "created_at")
    st.markdown("**Jobs on their team**")
    if jobs.height:
        w.table(jobs, "team_member_jobs", pack=pack, height=300,
                caption=f"{jobs.height:,} jobs whose own hiring team holds this member (any date)")
    else:
        w.empty_state("No job lists this member on its hiring team.")
stuck = data.metric(member_stuck, f, person_id, role)
st.markdown("**Stuck applications** — active, and longer in their current stage than that stage's p90")
if stuck.height:
    w.table(stuck, "team_member_stuck", pack=pack,
            caption=f"{stuck.height:,} applications · p90 of each stage over the whole scope, not this member alone")
else:
    w.empty_state("None of this member's applications is stuck.")

review_pack_buttons(pack)
