"""Plotly figures: the "recruiting" template plus one builder per chart (metric frame in, go.Figure out).

Builders only reshape metric output for plotting; they never compute metrics. Every trace carries
`customdata` rows of string ids (first element = primary id) so a selection maps back to rows by id;
`common.point_ids(points, position)` reads them from Streamlit's selection points. Empty input gives a
figure with an explanatory annotation. Titles state n; axes carry units.

| builder | input (metrics.*) | customdata per point |
|---|---|---|
| funnel.funnel_chart | funnel.funnel | bars [step]; rates [step, next_step] |
| snapshot.stage_snapshot_chart | snapshot.applications_per_stage | [stage_id, stage_type, stage_name] |
| volume.volume_chart | volume.volume_over_time | [bucket_start ISO, split value or ""] |
| volume.applications_by_chart | volume.applications_by | [key, stage_type] |
| channels.channel_conversion_chart | channels.channel_conversion | [channel_name, rate column] |
| channels.channel_quality_chart | channels.channel_quality | [channel_name, furthest_step, applications] |
| speed.time_to_hire_chart / time_to_offer_chart | speed.time_to_hire / time_to_offer + speed_summary | [application_id] |
| speed.time_to_fill_chart | speed.time_to_fill (+ time_to_fill_summary) | [job_id, status] |
| speed.km_curve_chart | speed.time_to_fill_km_curve + km_median | [time, at_risk, events, censored] |
| speed.time_in_stage_chart | speed.time_in_stage | [stage_type, stage_name or ""] |
| outcomes.offer_acceptance_chart | outcomes.offer_acceptance (dict) | [offer_outcome] |
| outcomes.declined_offers_chart | outcomes.declined_offers_by(by="month") | [month ISO, declined or withdrew] |
| outcomes.rejections_by_stage_chart | outcomes.rejections_by_stage | [from_stage_name, from_stage_type] |
| candidates.applications_per_candidate_chart | candidates.applications_per_candidate | [applications_per_candidate] |
| kpi.sparkline | kpis.kpi_sparklines | [bucket_start ISO, key] |
"""

from dashboard.figures import template as _template  # noqa: F401  (registers the "recruiting" template)
