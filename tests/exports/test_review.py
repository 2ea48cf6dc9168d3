"""The whole-dashboard review, the HTML pack built from it, human CSVs and images that carry their context."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from dashboard.exports.context import ExportContext, context_for
from dashboard.exports.csv import display_frame
from dashboard.exports.images import decorate
from dashboard.exports.pack import review_html
from dashboard.exports.review import whole_dashboard
from dashboard.figures.funnel import funnel_chart
from metrics.filters import Filters
from tests.figures import frames as F
from tests.metrics.conftest import small_tables


def test_context_names_filters_by_name_never_by_id_and_names_files_by_range():
    t = small_tables()
    ctx = context_for("Acme", Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), job_ids=("j1",),
                                      channels=("LinkedIn",)), t.as_of, t.jobs)
    assert ctx.filters == ("Job: Backend", "Channel: LinkedIn")
    assert ctx.file_stem("funnel") == "funnel_2024-01-01_2024-03-31"
    assert context_for("Acme", Filters(), t.as_of).file_stem("funnel") == "funnel_start_2024-03-01"


def test_whole_dashboard_has_the_overview_tiles_and_every_pages_charts_with_n():
    t = small_tables()
    review = whole_dashboard(t, Filters(), "Acme")
    labels = [tile.label for tile in review.tiles]
    assert labels[:3] == ["Applications", "Hires (hire date in range)", "Applied → hired"]
    assert "Open jobs" in labels and "Applications per candidate" not in labels
    tiles = {tile.label: tile for tile in review.tiles}
    assert tiles["Applications"].value == "6" and tiles["Applied → hired"].value == "17%"  # 1 of 6
    sections = {c.section for c in review.charts}
    assert sections == {"Overview", "Funnel", "Speed", "Team", "Channels", "Jobs", "Outcomes", "Candidates"}
    names = [c.name for c in review.charts]
    assert names.index("time_in_stage_type") < names.index("team") < names.index("channel_conversion")  # page order
    assert "job_health" in names
    assert all(" · n = " in c.caption for c in review.charts)
    funnel = next(c for c in review.charts if c.name == "funnel")
    assert funnel.title == "Recruiting funnel" and "n = 6 applications" in funnel.caption


def test_review_pack_has_a_cover_tiles_contents_and_human_tables():
    t = small_tables()
    html = review_html(whole_dashboard(t, Filters(channels=("LinkedIn",)), "Acme <GmbH>")).decode("utf-8")
    cover = html[html.index('<header class="cover">'):html.index("</header>")]
    assert "Acme &lt;GmbH&gt;" in cover and "all time" in cover
    assert "Channel: LinkedIn" in cover
    assert html.count('<div class="tile">') == 9
    assert '<a href="#kpis">Headline numbers</a>' in html and "Funnel · Recruiting funnel" in html
    assert "<th>Stage type</th>" in html or "<th>Step</th>" in html
    assert "Kpis" not in html and "stage_type</th>" not in html


def test_display_csv_frame_rounds_for_people_and_keeps_exact_values():
    df = pl.DataFrame({"step": ["new"], "pass_through": [0.06799999999999999], "median": [12.345], "hires": [3],
                       "n_hired": [3]})
    out = display_frame(df)
    assert out.columns == ["Step", "Pass through (%)", "Median (days)", "Hired (current stage)", "pass_through", "median"]
    assert out.row(0) == ("new", 6.8, 12.3, 3, 0.06799999999999999, 12.345)


def test_an_exported_image_carries_company_range_filters_and_data_age_escaped():
    ctx = ExportContext("Acme", date(2026, 7, 1), date(2026, 9, 30), datetime(2026, 10, 1, 6, 30, tzinfo=UTC),
                        ("Department: <R&D>",))
    fig = decorate(funnel_chart(F.funnel()), ctx, "n = 10 applications")
    title = fig.layout.title.text
    assert title.startswith("Recruiting funnel · n = 10 applications")
    assert "Acme · 1 Jul 2026 – 30 Sep 2026 (92 days) · Department: &lt;R&amp;D&gt;" in title
    assert "data as of 1 Oct 2026 06:30 UTC" in title
    assert fig.layout.margin.l >= 72 and fig.layout.yaxis.automargin


def test_offer_acceptance_caption_names_the_decided_offers_its_chart_title_counts():
    # small_tables: a1 accepted its offer, a4 declined its offer: 2 offers, both decided
    review = whole_dashboard(small_tables(), Filters(), "Acme")
    offers = next(c for c in review.charts if c.name == "offer_acceptance")
    assert "n = 2 offers (2 decided)" in offers.caption
    assert "2 decided offers" in offers.figure.layout.title.text


def test_whole_dashboard_charts_show_data_strings_as_plain_text_escaped_once():
    from dataclasses import replace

    t = small_tables()
    t = replace(t, jobs=t.jobs.with_columns(pl.lit("R&D <b>Lab</b>").alias("job_name")),
                applications=t.applications.with_columns(pl.lit("<a href='x'>Ads</a>").alias("channel_name")))
    review = whole_dashboard(t, Filters(), "Acme")
    channels = next(c for c in review.charts if c.name == "channel_conversion")
    names = [y for trace in channels.figure.data for y in (trace.y or ())]
    assert names and not any("<a" in y for y in names)  # the CLI's pack and deck escape like the pages
    health = next(c for c in review.charts if c.name == "job_health")
    labels = [y for trace in health.figure.data for y in (trace.y or ())]
    assert labels and all("R&amp;D &lt;b&gt;Lab&lt;/b&gt;" in y for y in labels)  # plotly shows R&D <b>Lab</b>
    assert not any("&amp;amp;" in y or "<b>" in y for y in labels)  # escaped once, never raw
