"""Channels: volume by channel over time, conversion with 95% intervals, quality as 100% stacked bars."""

import polars as pl
import streamlit as st

from dashboard.figures.channels import channel_conversion_chart, channel_quality_chart
from dashboard.figures.volume import volume_chart
from dashboard.ui import drills
from dashboard.ui import widgets as w
from dashboard.ui.formats import display_rates
from dashboard.ui.pack import review_pack_buttons
from dashboard.ui.plain import md_list
from metrics.channels import channel_conversion, channel_quality
from metrics.volume import partial_buckets, volume_over_time

ctx, pack = w.start_page("Channels", "channels")
f, data = ctx.filters, ctx.data

conv = data.metric(channel_conversion, f)
n = int(conv["applications"].sum()) if conv.height else 0

st.subheader("Applications by channel over time")
vol = data.metric(volume_over_time, f, "week", "channel")
partial = vol.filter(partial_buckets(vol["bucket_start"], f, "week", data.as_of))["bucket_start"].unique().to_list() \
    if vol.height else []
w.chart(volume_chart(vol, "week", "channel", partial=partial), vol, "volume_by_channel_week", cohort=w.COHORT_APPLICATIONS, n=n,
        drill=drills.volume(ctx, "week", "channel"), pack=pack, store=ctx.store)

st.subheader("Conversion by channel")
w.explain("Cohort", "95% interval")
w.chart(channel_conversion_chart(conv), conv, "channel_conversion", cohort=w.COHORT_APPLICATIONS, n=n,
        drill=drills.channel_rate(ctx), pack=pack, store=ctx.store)
if conv.height:
    small = conv.filter(pl.col("too_few_to_judge"))["channel_name"].to_list()
    if small:
        st.caption(f"Too few to judge (fewer than 20 applications, drawn grey): {md_list(small)}.")
    with st.expander("Conversion table"):
        w.table(display_rates(conv, ["interview_rate", "hire_rate"], ["channel_name", "applications"],
                              ["reached_screening", "reached_interviews", "reached_offer", "reached_hired",
                               "too_few_to_judge"]), "channel_conversion_table")

st.subheader("Candidate quality by channel")
quality = data.metric(channel_quality, f)
w.chart(channel_quality_chart(quality), quality, "channel_quality", cohort=w.COHORT_APPLICATIONS, n=n,
        drill=drills.channel_quality(ctx), pack=pack, store=ctx.store)
if n:
    st.caption("Each bar is one channel's applications split by the furthest step they reached (sums to 100%).")

review_pack_buttons(pack)
