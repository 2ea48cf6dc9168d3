"""The slide deck read back with python-pptx: title slide, KPI slide, one slide per chart with caption and n."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from dashboard.exports.context import ExportContext
from dashboard.exports.deck import review_deck
from dashboard.exports.review import Chart, Review, Tile
from dashboard.figures.funnel import funnel_chart
from dashboard.figures.volume import applications_by_chart
from tests.figures import frames as F

HOSTILE = "=cmd|' /C calc'!A0 <b>R&D</b>"
CTX = ExportContext("Acme GmbH", date(2026, 7, 1), date(2026, 9, 30), datetime(2026, 10, 1, 6, 30, tzinfo=UTC),
                    (f"Department: {HOSTILE}", "Job: Backend Engineer"))


def tiny_png(_chart: Chart, _review: Review) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (240, 120), "white").save(buf, format="PNG")
    return buf.getvalue()


def review(tiles: bool = True) -> Review:
    return Review(
        "Recruiting review", CTX,
        [Tile("Applications", "451", "-87", "bad", "538", "n = 451 applications"),
         Tile("Open jobs", "13", "+2", "neutral", "11", "n = 24 jobs in scope")] if tiles else [],
        [Chart("funnel", funnel_chart(F.funnel()), "Application cohort: applications dated in range · n = 10 applications",
               None, "Funnel"),
         Chart("applications_by_job", applications_by_chart(F.applications_by(), "job"),
               "Application cohort: applications dated in range · n = 12 applications", None, "Jobs")],
    )


def texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def deck(r: Review):
    return Presentation(io.BytesIO(review_deck(r, render=tiny_png)))


def test_deck_has_a_title_slide_a_kpi_slide_and_one_slide_per_chart():
    prs = deck(review())
    assert len(prs.slides) == 2 + 2
    assert prs.slide_width > prs.slide_height  # 16:9


def test_title_slide_names_company_range_filters_and_data_age():
    title = texts(deck(review()).slides[0])
    for text in ("Recruiting review", "Acme GmbH", "1 Jul 2026 – 30 Sep 2026", "Job: Backend Engineer",
                 "Data as of 1 Oct 2026 06:30 UTC"):
        assert text in title
    assert HOSTILE in title  # Personio text is written as plain text, exactly as it is


def test_kpi_slide_shows_every_tile_with_value_change_and_n():
    kpi = texts(deck(review()).slides[1])
    assert "Headline numbers" in kpi
    for text in ("Applications", "451", "-87  vs 538 previous period", "n = 451 applications", "Open jobs", "13",
                 "n = 24 jobs in scope"):
        assert text in kpi


def test_each_chart_slide_has_its_title_picture_and_caption_with_n():
    slides = deck(review()).slides
    funnel, jobs = slides[2], slides[3]
    assert "Funnel · Recruiting funnel" in texts(funnel)
    assert "n = 10 applications" in texts(funnel)
    assert "Jobs · Applications by job" in texts(jobs) and "n = 12 applications" in texts(jobs)
    for slide in (funnel, jobs):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        pic = pictures[0]
        assert pic.left >= 0 and pic.left + pic.width <= slides[0].part.package.presentation_part.presentation.slide_width


def test_a_page_without_tiles_has_no_kpi_slide_and_a_missing_image_says_why():
    prs = Presentation(io.BytesIO(review_deck(review(tiles=False), render=lambda _c, _r: None)))
    assert len(prs.slides) == 1 + 2
    assert "could not be drawn" in texts(prs.slides[1])
    assert "n = 10 applications" in texts(prs.slides[1])
