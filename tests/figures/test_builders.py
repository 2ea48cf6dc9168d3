from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard.figures.candidates import applications_per_candidate_chart
from dashboard.figures.channels import channel_conversion_chart, channel_quality_chart
from dashboard.figures.common import NO_APPLICATIONS, point_ids, reference_labels
from dashboard.figures.funnel import funnel_chart
from dashboard.figures.kpi import sparkline
from dashboard.figures.outcomes import (
    declined_offers_chart,
    offer_acceptance_chart,
    rejections_by_stage_chart,
)
from dashboard.figures.snapshot import stage_snapshot_chart
from dashboard.figures.speed import (
    km_curve_chart,
    stays_caption_unit,
    time_in_stage_chart,
    time_to_fill_chart,
    time_to_hire_chart,
)
from dashboard.figures.template import NEUTRAL, TEMPLATE_NAME
from dashboard.figures.volume import applications_by_chart, volume_chart
from tests.figures import frames as F


def customdata(trace) -> list[list[str]]:
    return [list(row) for row in trace.customdata]


def title(fig: go.Figure) -> str:
    return fig.layout.title.text


def test_funnel_bars_carry_step_ids_and_title_states_n():
    fig = funnel_chart(F.funnel())
    bars, rates = fig.data
    assert list(bars.y) == [10, 6, 3, 2, 1]
    assert customdata(bars) == [["new"], ["screening"], ["interviews"], ["offer"], ["hired"]]
    assert "n = 10 applications" in title(fig)
    assert customdata(rates)[0] == ["new", "screening"]
    assert len(rates.y) == 4  # no rate from the last step
    assert rates.y[0] == pytest.approx(100 * 6 / 9)
    # error bars: hi - rate and rate - lo, in percent
    assert rates.error_y.array[0] == pytest.approx(100 * (0.88 - 6 / 9))
    assert rates.error_y.arrayminus[0] == pytest.approx(100 * (6 / 9 - 0.35))
    assert fig.layout.template.layout.colorway is not None


def test_stage_snapshot_shows_active_stages_apart_from_closed_outcomes_each_on_its_own_axis():
    fig = stage_snapshot_chart(F.snapshot())
    active, closed = fig.data
    assert customdata(active) == [["s1", "new", "New"], ["s2", "screening", "Phone screen"],
                                  ["s3", "interviews", "Tech interview"], ["s4", "interviews", "Onsite"]]
    assert list(active.x) == [4, 3, 2, 1]
    assert customdata(closed) == [["system:rejected", "rejected", "Rejected"]] and list(closed.x) == [5]
    assert (active.xaxis, closed.xaxis) == ("x", "x2")  # the 5 rejections do not set the active stages' scale
    assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]  # active above closed
    assert closed.marker.opacity < active.marker.opacity  # closed outcomes are muted
    headings = [a.text for a in fig.layout.annotations]
    assert "10 applications in the pipeline" in headings[0] and headings[1].startswith("<b>Closed</b> · 5 ")
    assert "n = 15 applications" in title(fig)
    # pipeline order top to bottom
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(active.y))


def test_stage_snapshot_gives_each_stage_one_colour_in_now_and_as_of_charts():
    now = stage_snapshot_chart(F.snapshot(), "now")
    # as of an earlier date: Phone screen and Onsite had no applications yet
    then = stage_snapshot_chart(F.snapshot().filter(~pl.col("stage_id").is_in(["s2", "s4"])), "as of 2025-01-01")
    colour_now = {row[0]: c for t in now.data for row, c in zip(t.customdata, t.marker.color, strict=True)}
    colour_then = {row[0]: c for t in then.data for row, c in zip(t.customdata, t.marker.color, strict=True)}
    assert colour_then == {k: colour_now[k] for k in colour_then}
    assert len(set(colour_now.values())) == len(colour_now)  # the two interview stages differ too
    assert [row[0] for row in then.data[0].customdata] == ["s1", "s3"]  # the same order as "now"


def test_stage_snapshot_names_the_pipeline_of_a_stage_name_used_twice():
    df = pl.DataFrame({
        "stage_type": ["screening", "screening", "rejected"], "stage_name": ["Phone screen", "Phone screen", "Rejected"],
        "stage_id": ["p1", "p2", "system:rejected"], "rank": [1, 1, None], "count": [2, 3, 4],
        "position_in_type": [0, 1, 0], "pipeline": ["Sales", "Tech", "Sales, Tech"],
    })
    fig = stage_snapshot_chart(df)
    assert list(fig.data[0].y) == ["Phone screen · screening (Sales)", "Phone screen · screening (Tech)"]
    assert list(fig.data[1].y) == ["Rejected"]


def test_stage_snapshot_with_only_closed_applications_draws_one_panel():
    fig = stage_snapshot_chart(F.snapshot().filter(pl.col("stage_type") == "rejected"))
    assert len(fig.data) == 1 and fig.data[0].name == "closed" and fig.data[0].xaxis == "x"


def test_volume_unsplit_has_one_series_with_bucket_ids():
    fig = volume_chart(F.volume(), bucket="week")
    assert len(fig.data) == 1
    assert customdata(fig.data[0]) == [["2025-03-03", ""], ["2025-03-10", ""], ["2025-03-17", ""]]
    assert "n = 10 applications" in title(fig)


def test_volume_split_stacks_one_series_per_value_largest_first():
    fig = volume_chart(F.volume(split=True), split="channel")
    assert [t.name for t in fig.data] == ["LinkedIn", "Referral"]
    assert fig.layout.barmode == "stack"
    assert customdata(fig.data[1])[0] == ["2025-03-03", "Referral"]
    lines = volume_chart(F.volume(split=True), split="channel_name", stacked=False)
    assert all(isinstance(t, go.Scatter) for t in lines.data)


def test_applications_by_dimension_breaks_down_by_stage_type_with_keys():
    fig = applications_by_chart(F.applications_by(), "job")
    names = [t.name for t in fig.data if isinstance(t, go.Bar)]
    assert names == ["new", "screening", "interviews", "hired", "rejected"]  # all-zero types left out
    rejected = next(t for t in fig.data if t.name == "rejected")
    assert customdata(rejected) == [["j1", "rejected"], ["j2", "rejected"]]
    assert list(rejected.x) == [1, 2]
    assert "n = 10 applications" in title(fig)


def test_applications_by_dimension_caps_rows_and_says_so():
    df = pl.concat([F.applications_by()] * 3).with_columns(pl.Series("key", [f"j{i}" for i in range(6)]))
    fig = applications_by_chart(df, "job", max_rows=4)
    assert len(fig.data[0].y) == 4
    assert "4 largest of 6" in title(fig)


def test_channel_conversion_flags_small_channels_grey_and_hatched():
    fig = channel_conversion_chart(F.channel_conversion())
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert {b.name for b in bars} == {"interview rate", "hire rate"}
    hire = next(b for b in bars if b.name == "hire rate")
    assert customdata(hire) == [["LinkedIn", "hire_rate"], ["Referral", "hire_rate"]]
    assert list(hire.x) == pytest.approx([5.0, 20.0])
    assert hire.marker.color[1] == NEUTRAL and hire.marker.pattern.shape[1] == "/"
    assert hire.marker.pattern.shape[0] == ""
    assert "n<20" in hire.y[1] and "n<20" not in hire.y[0]
    assert hire.error_x.array[0] == pytest.approx(100 * (0.17 - 0.05))
    assert "n = 45 applications" in title(fig)


def test_time_to_hire_above_the_point_limit_draws_the_box_from_five_numbers(monkeypatch):
    import dashboard.figures.speed as speed_figures

    monkeypatch.setattr(speed_figures, "MAX_BOX_POINTS", 4)
    days = [1.0, 2.0, 3.0, 4.0, 100.0]  # q1 2, median 3, q3 4, IQR 2: whiskers at the last points within [-1, 7]
    df = pl.DataFrame({"application_id": [f"a{i}" for i in range(5)], "days": days})
    _, box = time_to_hire_chart(df, {"n": 5, "median": 3.0, "p90": 61.6}).data
    assert box.boxpoints is None and box.customdata is None and box.x is None
    assert (box.q1, box.median, box.q3, box.lowerfence, box.upperfence) == ((2.0,), (3.0,), (4.0,), (1.0,), (4.0,))


def test_channel_quality_is_a_100_percent_stack_per_furthest_step():
    fig = channel_quality_chart(F.channel_quality())
    assert [t.name for t in fig.data] == ["new", "screening", "interviews", "offer", "hired"]
    assert fig.layout.barmode == "stack"
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    new = fig.data[0]
    assert [row[:2] for row in customdata(new)] == [["LinkedIn", "new"], ["Referral", "new"]]
    assert list(new.x) == pytest.approx([50.0, 20.0])
    assert "n = 45 applications" in title(fig)


def test_time_to_hire_draws_summary_lines_and_application_ids():
    fig = time_to_hire_chart(F.time_to_hire(), F.TIME_TO_HIRE_SUMMARY)
    hist, box = fig.data
    assert customdata(box) == [["a1"], ["a2"], ["a3"], ["a4"]]
    # days 10, 20, 30, 60: one-day bins would be 51, two-day 26 (> 25), so 5-day bins [10,15) .. [60,65)
    assert hist.type == "bar" and len(hist.x) == 11
    assert customdata(hist)[0] == ["10", "15"] and customdata(hist)[-1] == ["60", "65"]
    assert list(hist.x)[:3] == [12.5, 17.5, 22.5]
    assert list(hist.y) == [1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1]  # empty bins drawn as 0, not left out
    vlines = [s for s in fig.layout.shapes if s.type == "line"]
    assert {s.x0 for s in vlines} == {25.0, 51.0}
    assert "n = 4 hires" in title(fig)
    assert "median 25.0 d" in title(fig) and "p90 51.0 d" in title(fig)
    assert fig.layout.xaxis2.title.text == "days"


def test_time_to_fill_shows_open_jobs_as_hatched_age():
    fig = time_to_fill_chart(F.time_to_fill(), {"median": 30.0, "km_median": 45.0})
    filled, open_ = fig.data
    assert customdata(filled) == [["j1", "filled"]]
    assert customdata(open_) == [["j2", "open"], ["j3", "open"]]
    assert list(open_.x) == [45.0, 12.0]
    assert open_.marker.pattern.shape == "/" and filled.marker.pattern.shape == ""
    assert "n = 1 filled jobs, 2 open" in title(fig)
    assert "Backend (j1)" in filled.y  # duplicate job names are told apart by id


def test_km_curve_is_a_step_line_with_the_median_marked():
    fig = km_curve_chart(F.km_curve(), km_median=30.0)
    curve = fig.data[0]
    assert curve.line.shape == "hv"
    assert list(curve.y) == [100.0, 100.0, 50.0, 50.0]
    assert customdata(curve)[1] == ["12.0", "3", "0", "1"]
    censored = next(t for t in fig.data if t.name.startswith("censored"))
    assert list(censored.x) == [12.0, 45.0]
    median = fig.data[-1]
    assert list(median.x) == [30.0] and list(median.y) == [50]
    assert "n = 3 jobs" in title(fig)


def test_time_in_stage_bars_are_medians_with_p90_markers():
    fig = time_in_stage_chart(F.time_in_stage())
    bars, p90 = fig.data
    assert list(bars.x) == [2.0, 5.5, 9.0]
    assert list(p90.x) == [4.0, 11.0, 20.0]
    assert customdata(bars)[1] == ["screening", ""]
    assert "n = 16 completed stays" in title(fig)


def test_time_in_stage_numbers_are_as_large_as_the_tick_labels():
    fig = time_in_stage_chart(F.time_in_stage())
    bars = fig.data[0]
    assert "<sub>" not in bars.y[0]  # <sub> rendered the numbers at ~9 px
    name, numbers = bars.y[1].split("<br>")
    assert name == "screening" and numbers == '<span style="font-size:12px">median 5.5 d · p90 11.0 d · n = 5, 2 open</span>'
    assert fig.layout.yaxis.tickfont.size >= 13 and fig.layout.xaxis.tickfont.size >= 13
    assert fig.layout.height >= 3 * 48  # two lines of text per bar fit their row


def test_time_in_stage_leaves_outcomes_out_and_title_and_caption_count_the_same_stays():
    df = pl.concat([F.time_in_stage(), pl.DataFrame({
        "stage_type": ["hired", "rejected"], "n_completed": [2, 40], "median": [30.0, 1.0], "p90": [60.0, 2.0],
        "n_open": [0, 0], "km_median": [30.0, 1.0]})], how="vertical_relaxed")
    fig = time_in_stage_chart(df)
    assert [row[0] for row in customdata(fig.data[0])] == ["new", "screening", "interviews"]
    n, unit = stays_caption_unit(df)
    assert (n, unit) == (16, "completed stays, 3 still open")  # 8 + 5 + 3 done; 1 + 2 + 0 open
    assert f"n = {n:,} {unit}" in title(fig)


def test_time_in_stage_of_a_past_range_says_open_stays_were_not_counted_instead_of_0_open():
    past = F.time_in_stage().with_columns(pl.lit(None, dtype=pl.UInt32).alias("n_open"))
    fig = time_in_stage_chart(past)
    n, unit = stays_caption_unit(past)
    assert (n, unit) == (16, "completed stays (open stays not counted: the range ends before the data's sync day)")
    assert "n = 16 completed stays<br><sup>" in title(fig)
    assert title(fig).endswith("<br><sup>open stays not counted: the range ends before the data's sync day</sup>")
    assert "open" not in fig.data[0].y[0].split("<br>")[1]
    assert "0 still open" not in title(fig)


def test_offer_acceptance_states_rate_and_decided_n():
    fig = offer_acceptance_chart(F.OFFER_ACCEPTANCE)
    bar = fig.data[0]
    assert list(bar.y) == ["accepted", "declined", "withdrew", "pending"]
    assert list(bar.x) == [6, 2, 1, 2]
    assert customdata(bar)[0] == ["accepted"]
    assert "n = 9 decided offers" in title(fig) and "67%" in title(fig)


def test_declined_offers_stack_per_month():
    fig = declined_offers_chart(F.declined_by_month())
    assert [t.name for t in fig.data] == ["declined", "withdrew after offer"]
    assert customdata(fig.data[1]) == [["2025-01-01", "withdrew"], ["2025-02-01", "withdrew"]]
    assert "n = 3 offers not accepted" in title(fig)


def test_rejections_by_stage_label_counts_and_rates():
    fig = rejections_by_stage_chart(F.rejections())
    bar = fig.data[0]
    assert list(bar.x) == [3, 2, 1]
    assert customdata(bar)[1] == ["Phone screen", "screening"]
    assert bar.text[0] == "3 (30%)" and bar.text[2] == "1"
    assert "n = 6 rejections" in title(fig)
    assert "Withdrawals" in title(rejections_by_stage_chart(F.rejections(), kind="withdrawn"))


def test_applications_per_candidate_bars():
    fig = applications_per_candidate_chart(F.applications_per_candidate())
    bar = fig.data[0]
    assert list(bar.y) == [7, 2, 1]
    assert customdata(bar) == [["1"], ["2"], ["3"]]
    assert "n = 10 candidates" in title(fig)


def test_sparkline_has_no_axes_and_keeps_gaps():
    fig = sparkline(F.sparklines(), key="applications")
    line = fig.data[0]
    assert list(line.y) == [4.0, None, 6.0]
    assert customdata(line)[0] == ["2025-03-03", "applications"]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.height == 56


EMPTY_CASES = [
    lambda: funnel_chart(pl.DataFrame()),
    lambda: funnel_chart(F.funnel().clear()),
    lambda: stage_snapshot_chart(F.snapshot().clear()),
    lambda: volume_chart(F.volume().clear()),
    lambda: volume_chart(F.volume().with_columns(pl.lit(0).alias("applications"))),
    lambda: applications_by_chart(F.applications_by().clear(), "department"),
    lambda: channel_conversion_chart(F.channel_conversion().clear()),
    lambda: channel_quality_chart(F.channel_quality().clear()),
    lambda: time_to_hire_chart(F.time_to_hire().clear(), {"n": 0, "median": None, "p90": None}),
    lambda: time_to_fill_chart(F.time_to_fill().clear()),
    lambda: km_curve_chart(F.km_curve().clear()),
    lambda: time_in_stage_chart(F.time_in_stage().clear()),
    lambda: offer_acceptance_chart({"accepted": 0, "declined": 0, "withdrew": 0, "pending": 0, "other": 0,
                                    "rate": None, "rate_lo": None, "rate_hi": None}),
    lambda: declined_offers_chart(F.declined_by_month().clear()),
    lambda: rejections_by_stage_chart(F.rejections().clear()),
    lambda: applications_per_candidate_chart(F.applications_per_candidate().clear()),
]


@pytest.mark.parametrize("build", EMPTY_CASES)
def test_empty_input_gives_an_explanatory_annotation(build):
    fig = build()
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert len(fig.layout.annotations) == 1
    assert fig.layout.annotations[0].text.startswith("No ")
    assert fig.layout.template.layout.colorway is not None


def test_empty_funnel_says_no_applications_in_this_range():
    assert funnel_chart(F.funnel().clear()).layout.annotations[0].text == NO_APPLICATIONS


def test_empty_sparkline_is_a_blank_figure():
    fig = sparkline(F.sparklines().clear(), key="hires")
    assert len(fig.data) == 0


def test_every_trace_of_every_builder_carries_customdata():
    figs = [
        funnel_chart(F.funnel()), stage_snapshot_chart(F.snapshot()), volume_chart(F.volume(True), split="channel"),
        applications_by_chart(F.applications_by()), channel_conversion_chart(F.channel_conversion()),
        channel_quality_chart(F.channel_quality()), time_to_hire_chart(F.time_to_hire(), F.TIME_TO_HIRE_SUMMARY),
        time_to_fill_chart(F.time_to_fill()), km_curve_chart(F.km_curve(), 30.0),
        time_in_stage_chart(F.time_in_stage()), offer_acceptance_chart(F.OFFER_ACCEPTANCE),
        declined_offers_chart(F.declined_by_month()), rejections_by_stage_chart(F.rejections()),
        applications_per_candidate_chart(F.applications_per_candidate()), sparkline(F.sparklines(), "hires"),
    ]
    for fig in figs:
        assert fig.layout.template.layout.font.family  # the recruiting template is applied
        for trace in fig.data:
            assert trace.customdata is not None and len(trace.customdata) > 0, (title(fig), trace.name)


def test_point_ids_reads_customdata_of_selected_points():
    points = [{"customdata": ["LinkedIn", "hire_rate"]}, {"x": 1}, {"customdata": "new"}]
    assert point_ids(points) == ["LinkedIn", "new"]
    assert point_ids(points, 1) == ["hire_rate"]


def test_dates_become_iso_ids():
    fig = declined_offers_chart(F.declined_by_month())
    assert customdata(fig.data[0])[0][0] == date(2025, 1, 1).isoformat()
    assert TEMPLATE_NAME == "recruiting"


def test_volume_weekly_ticks_fall_on_mondays_and_monthly_on_the_first():
    fig = volume_chart(F.volume(), bucket="week")
    assert date.fromisoformat(fig.layout.xaxis.tick0).isoweekday() == 1
    assert fig.layout.xaxis.dtick == 7 * 86_400_000  # three weeks: every Monday
    from dashboard.figures.volume import bucket_ticks
    assert bucket_ticks("week", 78)["dtick"] == 8 * 7 * 86_400_000  # 18 months: every 8th Monday, ≤ 12 labels
    month = bucket_ticks("month", 18)
    assert date.fromisoformat(month["tick0"]).day == 1 and month["dtick"] == "M2"


def test_volume_split_colours_follow_the_name_not_the_volume_rank():
    df = pl.DataFrame({"bucket_start": [date(2025, 3, 3)] * 3, "channel_name": ["LinkedIn", "Agency", "Unknown"],
                       "applications": [9, 1, 4]})
    colours = {t.name: t.marker.color for t in volume_chart(df, split="channel").data}
    alone = {t.name: t.marker.color for t in volume_chart(df.filter(pl.col("channel_name") == "Agency"),
                                                            split="channel", universe=["Agency", "LinkedIn"]).data}
    assert colours["Unknown"] == NEUTRAL
    assert colours["Agency"] != colours["LinkedIn"]
    assert alone["Agency"] == colours["Agency"]  # Agency sorts first, whatever its volume


def _header_px(fig: go.Figure) -> tuple[float, float, float]:
    """(title centre, legend top, plot top) in pixels from the top of the figure."""
    h = fig.layout.height
    return (1 - fig.layout.title.y) * h, (1 - fig.layout.legend.y) * h, fig.layout.margin.t


@pytest.mark.parametrize("n_series", [2, 5, 9])
def test_legend_sits_between_title_and_plot_with_room_for_every_row(n_series: int):
    names = [f"Very long channel name {i}" for i in range(n_series)]
    df = pl.DataFrame({"bucket_start": [date(2025, 3, 3)] * n_series, "channel_name": names,
                       "applications": list(range(1, n_series + 1))})
    fig = volume_chart(df, split="channel")
    title_top, legend_top, plot_top = _header_px(fig)
    assert fig.layout.title.yref == fig.layout.legend.yref == "container"
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yanchor == "top"
    assert fig.layout.title.yanchor == "middle"
    assert legend_top >= title_top + 13  # below the one-line title (26 px tall, centred)
    # every entry is entrywidth wide; rows counted at the narrowest width (680 px) must fit above the plot
    per_row = max(1, int((680 - len("channel name") * 7.2 - 12) // fig.layout.legend.entrywidth))
    rows = -(-n_series // per_row)
    assert plot_top >= legend_top + 24 * rows


def test_subtitle_pushes_the_legend_down_and_single_series_has_no_legend_room():
    quality = channel_quality_chart(F.channel_quality())
    conversion = channel_conversion_chart(F.channel_conversion())  # title with a subtitle line
    assert _header_px(conversion)[1] > _header_px(quality)[1]
    unsplit = volume_chart(F.volume(), bucket="week")
    assert unsplit.layout.margin.t < quality.layout.margin.t


def test_a_legend_too_long_for_the_header_goes_right_of_the_plot():
    names = [f"Sales Development Representative (Berlin) – posting {i}" for i in range(12)]
    df = pl.DataFrame({"bucket_start": [date(2025, 3, 3)] * 12, "channel_name": names, "applications": [1] * 12})
    fig = volume_chart(df, split="channel")
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.x > 1
    assert fig.layout.margin.t < 60  # the header holds only the title


def test_reference_line_labels_stay_inside_the_plot_and_apart():
    def placed(lines, axis_max):
        return [(a["text"], a["xanchor"], a["yshift"]) for a in reference_labels(lines, axis_max)]

    # median 30 and p90 50 on an axis to 100: median labelled on its left, p90 on its right, same height
    assert placed([(50, "p90", "c"), (30, "median", "c")], 100) == [("median", "right", 0), ("p90", "left", 0)]
    # p90 41.4 on an axis to 43 (> 80 %) flips to its left, where median 31.5 already is (< 25 % apart): raised
    assert placed([(31.5, "median", "c"), (41.4, "p90", "c")], 43) == [("median", "right", 0), ("p90", "right", 15)]
    # median 10 on an axis to 100 (< 20 %) flips to its right, towards p90 30 (< 25 % apart): p90 raised
    assert placed([(10, "median", "c"), (30, "p90", "c")], 100) == [("median", "left", 0), ("p90", "left", 15)]
    # one line: labelled on its right unless near the right edge
    assert placed([(90, "median", "c")], 100) == [("median", "right", 0)]
    assert placed([(50, "median", "c")], 100) == [("median", "left", 0)]
