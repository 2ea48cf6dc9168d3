"""The review as a PowerPoint deck (python-pptx): a title slide, a KPI summary slide, one slide per chart.

Each chart slide holds the chart as a PNG that carries its own context (title, company, range, filters,
n, data as of; `images.decorate`), its caption with n underneath, and the section it comes from.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.exports.review import Chart, Review, Tile

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
INK = RGBColor(0x31, 0x33, 0x3F)
MUTED = RGBColor(0x5F, 0x64, 0x70)
LINE = RGBColor(0xD5, 0xD8, 0xDE)
TONES = {"good": RGBColor(0x1A, 0x7F, 0x37), "bad": RGBColor(0xC6, 0x28, 0x28), "neutral": MUTED}
TILE_COLUMNS = 3
DECK_IMAGE_WIDTH = 1320  # px: a wide chart fills the slide's width at its height

Render = Callable[[Chart, Review], bytes | None]


def _text(slide, left, top, width, height, lines: list[tuple[str, int, RGBColor, bool]],
          align: PP_ALIGN = PP_ALIGN.LEFT) -> None:
    """A text box with one paragraph per (text, size pt, colour, bold) line; text is set as plain runs."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, color, bold) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color


def _blank(prs):
    return prs.slides.add_slide(prs.slide_layouts[6])  # the default template's "Blank" layout


def _title_slide(prs, review: Review) -> None:
    slide = _blank(prs)
    c = review.context
    _text(slide, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.2), [(review.title, 40, INK, True)])
    _text(slide, MARGIN, Inches(3.4), WIDTH - 2 * MARGIN, Inches(2.4), [
        (c.company, 22, INK, False),
        (c.range_text, 20, INK, False),
        (c.filters_text, 16, MUTED, False),
        (c.as_of_text[0].upper() + c.as_of_text[1:], 14, MUTED, False),
    ])


def _tile(slide, tile: Tile, left, top, width, height) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
    shape.adjustments[0] = 0.08
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    shape.line.color.rgb = LINE
    shape.shadow.inherit = False
    pad = Inches(0.2)
    lines = [(tile.label, 14, MUTED, False), (tile.value, 32, INK, True)]
    if tile.change:
        lines.append((tile.change + (f"  vs {tile.previous} previous period" if tile.previous else ""), 13,
                      TONES.get(tile.tone, MUTED), False))
    if tile.n:
        lines.append((tile.n, 11, MUTED, False))
    _text(slide, left + pad, top + Inches(0.1), width - 2 * pad, height - Inches(0.2), lines)


def _kpi_slide(prs, review: Review) -> None:
    slide = _blank(prs)
    c = review.context
    _text(slide, MARGIN, Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.9), [
        ("Headline numbers", 28, INK, True), (f"{c.company} · {c.range_text} · {c.filters_text}", 13, MUTED, False)])
    rows = -(-len(review.tiles) // TILE_COLUMNS)
    gap = Inches(0.25)
    top0 = Inches(1.45)
    width = Emu(int((WIDTH - 2 * MARGIN - gap * (TILE_COLUMNS - 1)) / TILE_COLUMNS))
    height = Emu(int(min(Inches(1.75), (HEIGHT - top0 - Inches(0.55) - gap * (rows - 1)) / max(rows, 1))))
    for i, tile in enumerate(review.tiles):
        r, col = divmod(i, TILE_COLUMNS)
        _tile(slide, tile, MARGIN + col * (width + gap), top0 + r * (height + gap), width, height)
    _text(slide, MARGIN, HEIGHT - Inches(0.5), WIDTH - 2 * MARGIN, Inches(0.4), [
        ("Changes compare with the previous period of equal length; green and red follow whether higher is "
         "better, grey where it is neither. " + c.as_of_text[0].upper() + c.as_of_text[1:] + ".", 11, MUTED, False)])


def _chart_slide(prs, chart: Chart, review: Review, render: Render) -> None:
    slide = _blank(prs)
    _text(slide, MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.7), [
        ((chart.section + " · " if chart.section else "") + chart.title, 24, INK, True)])
    top, bottom = Inches(0.95), HEIGHT - Inches(0.95)
    image = render(chart, review)
    if image is None:
        _text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(1), [
            ("The chart image could not be drawn here (no Chromium for image export); the review pack (HTML) "
             "has the interactive chart.", 14, MUTED, False)])
    else:
        pic = slide.shapes.add_picture(io.BytesIO(image), MARGIN, top)
        scale = min((WIDTH - 2 * MARGIN) / pic.width, (bottom - top) / pic.height)
        pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
        pic.left = int((WIDTH - pic.width) / 2)
    _text(slide, MARGIN, bottom + Inches(0.1), WIDTH - 2 * MARGIN, Inches(0.75), [(chart.caption, 13, MUTED, False)])


def render_png(chart: Chart, review: Review) -> bytes | None:
    """The chart as a PNG with its context inside (None when image export is unavailable)."""
    from dashboard.exports import images

    if not images.image_export_status()[0]:
        return None
    fig = images.decorate(chart.figure, review.context, chart.caption.rsplit(" · ", 1)[-1])
    return images.to_png(fig, width=DECK_IMAGE_WIDTH, scale=1.5)


def review_deck(review: Review, render: Render = render_png) -> bytes:
    """The deck as .pptx bytes: title slide, KPI summary slide (when there are tiles), one slide per chart."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = review.title
    prs.core_properties.subject = f"{review.context.company} · {review.context.range_text}"
    _title_slide(prs, review)
    if review.tiles:
        _kpi_slide(prs, review)
    for chart in review.charts:
        _chart_slide(prs, chart, review, render)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
