from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard.figures.candidates import applications_per_candidate_chart
from dashboard.figures.channels import channel_conversion_chart, channel_quality_chart
from dashboard.figures.common import NO_APPLICATIONS, point_ids
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


def test_stage_snapshot_groups_named_stages_by_type():
    fig = stage_snapshot_chart(F.snapshot())
    assert [t.name for t in fig.data] == ["new", "screening", "interviews", "rejected"]
    interviews = fig.data[2]
    assert customdata(interviews) == [["s3", "interviews", "Tech interview"], ["s4", "interviews", "Onsite"]]
    assert "n = 15 applications" in title(fig)


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
    assert list(hist.x) == [10.0, 20.0, 30.0, 60.0]
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
