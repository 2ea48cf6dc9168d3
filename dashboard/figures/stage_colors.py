"""One colour per named stage: the hue of its stage type, a lighter or darker shade per place in the pipeline.

A stage's shade depends only on its type and its `position_in_type` (`metrics.snapshot.pipeline_order`), never on
which other stages a chart happens to show, so "now" and "as of" charts (and any filter) give a stage one colour.
"""

from __future__ import annotations

from dashboard.figures.template import stage_color

# Per position in the type: how far the type's colour is mixed toward white (> 0) or black (< 0). Neighbours in
# the pipeline differ by at least ~0.3, so adjacent bars of one type stay apart on either theme.
SHADE_STEPS: tuple[float, ...] = (0.0, 0.45, -0.4, 0.7, -0.6, 0.25, -0.2)


def shade(hex_color: str, step: float) -> str:
    """`hex_color` mixed toward white (`step` > 0) or black (`step` < 0) by |step| (0..1), as '#RRGGBB'."""
    h = hex_color.lstrip("#")
    target = 255 if step > 0 else 0
    channels = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02X}{:02X}{:02X}".format(*(round(c + (target - c) * abs(step)) for c in channels))


def named_stage_color(stage_type: str | None, position_in_type: int | None) -> str:
    """Colour of one named stage: its type's colour for the first stage of the type (or an unlisted one),
    then a lighter / darker shade per later `position_in_type` (cycling after len(SHADE_STEPS))."""
    base = stage_color(stage_type)
    if not position_in_type:
        return base
    return shade(base, SHADE_STEPS[int(position_in_type) % len(SHADE_STEPS)])
