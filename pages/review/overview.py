"""Overview: headline KPIs with previous-period deltas and sparklines, data age, sync, volume over time."""

import polars as pl
import streamlit as st

from dashboard.exports.review import tiles_from, whole_dashboard
from dashboard.figures.volume import volume_chart
from dashboard.ui import drills, state
from dashboard.ui import widgets as w
from dashboard.ui.histories import history_notice
from dashboard.ui.loaders import as_of_text
from dashboard.ui.pack import review_pack_buttons
from dashboard.ui.syncing import sync_with_progress
from dashboard.ui.views import kpi_table
from metrics.filters import previous_period
from metrics.kpis import BETTER, N_UNITS, kpi_sparklines, overview_tiles
from metrics.volume import partial_buckets, volume_over_time

ctx, pack = w.start_page("Overview", "overview")
history_notice(ctx.status)  # how complete the stage histories are, or why they are missing
f, data = ctx.filters, ctx.data

head_col, sync_col = st.columns([5, 1], vertical_alignment="bottom")
head_col.subheader("Headline numbers")
if sync_col.button("Sync now", key=state.SYNC_NOW, icon=":material/sync:", help="Fetch what changed in Personio"):
    if sync_with_progress(ctx.source, ctx.store, ctx.settings.client_secret,
                          st.session_state.get(state.CRED_REVISION, 0), has_data=True,
                          as_of_text=as_of_text(ctx.status.as_of)):
        st.rerun()

tiles = {t["key"]: t for t in data.metric(overview_tiles, f)}
spark = data.metric(kpi_sparklines, f)
prev_f = previous_period(f)
HELP = {
    "applications": "Applications dated in the range.",
    "hires": ("Applications in a hired stage whose hire date lies in the range, whenever they applied. The "
              "Funnel counts something else: this period's applications that reached hired."),
    "conversion": ("Share of the range's applications that reached hired (overall conversion). Recent "
                   "applications have had less time to get there, so the last weeks and short ranges read low."),
    "time_to_hire": "Median days from application date to the hire, for hires in the range.",
    "time_to_offer": "Median days from application date to the first offer, for offers in the range.",
    "time_to_fill": "Median days from job creation to its final hire, for jobs filled in the range.",
    "offer_acceptance": "Accepted / (accepted + declined + withdrew after offer); pending offers excluded.",
    "interview_rate": "Share of the range's applications that reached an interview (or a later step).",
    "open_jobs": "Jobs in scope without a hire by the end of the range (more is neither good nor bad).",
}


def render_tile(key: str) -> None:
    t = tiles.get(key)
    if t is None:
        return
    series = spark.filter(pl.col("key") == key).sort("bucket_start")["value"].to_list() if spark.height else []
    w.kpi_tile(t["label"], t["value"], unit=t["unit"], previous=t["previous"], delta=t["delta"], n=t["n"],
               n_unit=N_UNITS.get(key, ""), sparkline=series, better=BETTER.get(key),
               help=HELP.get(key), key=f"kpi_{key}")


for row in (("applications", "hires", "conversion"), ("time_to_hire", "offer_acceptance", "open_jobs"),
            ("time_to_offer", "time_to_fill", "interview_rate")):
    for col, key in zip(st.columns(3), row, strict=True):
        with col:
            render_tile(key)
if prev_f is None:
    st.caption("Deltas need a closed date range: pick a preset other than “All time”.")
else:
    st.caption(f"Deltas compare with the previous period of equal length "
               f"({prev_f.date_from:%-d %b %Y} – {prev_f.date_to:%-d %b %Y}). Sparklines: weekly values, whole weeks only.")
w.explain("Cohort")
pack.tiles = tiles_from(list(tiles.values()), BETTER, N_UNITS)
pack.tile_table = kpi_table(tiles.values())

st.subheader("Applications over time")
c1, c2 = st.columns([1, 2])
bucket = c1.segmented_control("Bucket", ["day", "week", "month"], default="week", key=state.VOLUME_BUCKET, bind="query-params",
                              format_func=str.capitalize) or "week"
split = c2.segmented_control("Split by", ["none", "channel", "department", "category", "location"], default="none",
                             key=state.VOLUME_SPLIT, bind="query-params", format_func=str.capitalize) or "none"
split_by = None if split == "none" else split
volume = data.metric(volume_over_time, f, bucket, split_by)
n_apps = tiles["applications"]["value"] or 0
partial = volume.filter(partial_buckets(volume["bucket_start"], f, bucket, data.as_of))["bucket_start"].to_list() \
    if volume.height else []
w.chart(volume_chart(volume, bucket, split_by, partial=partial), volume, f"volume_by_{bucket}", cohort=w.COHORT_APPLICATIONS,
        n=int(n_apps), drill=drills.volume(ctx, bucket, split_by), pack=pack, store=ctx.store)

review_pack_buttons(pack, whole=lambda: whole_dashboard(data.tables, f, ctx.source.label))
