"""The one plotly template of the dashboard ("recruiting") and the colours every chart shares.

Colours come from the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), extended by
four of Paul Tol's muted colours so eleven categorical series stay distinct; black is left out because it disappears
on Streamlit's dark theme. `series_colors` maps names to colours by sorted name so a channel has one colour
everywhere; "Unknown" is always the neutral grey. Backgrounds are
transparent and text/grid are mid-contrast greys so one template reads on the light and the dark theme
Streamlit's own chart theme (`st.plotly_chart(theme="streamlit")`, the default) rewrites the *template* layout
(fonts, legend, margins), so placement that must hold (title, legend, top margin) is set on each figure's own
layout by `common.finish`, which wins over any template.
"""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.schema import EXIT_TYPES, FUNNEL_STEPS, UNKNOWN

TEMPLATE_NAME = "recruiting"

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

OKABE_ITO_SERIES: tuple[str, ...] = tuple(
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "yellow")
)
# Beyond Okabe–Ito: wine and olive (Paul Tol), a brown and a lavender: hues apart from the seven above and from the
# neutral grey, readable on white and on Streamlit's dark background.
EXTRA_SERIES: tuple[str, ...] = ("#882255", "#999933", "#8C564B", "#7766CC")
COLORWAY: tuple[str, ...] = OKABE_ITO_SERIES + EXTRA_SERIES

NEUTRAL = "#9AA0A6"  # "Unknown", unranked stages, too-small samples
TEXT = "#7C8392"  # ~4:1 contrast on white and on Streamlit's dark background (#0E1117)
GRID = "rgba(128, 134, 146, 0.28)"
LINE = "rgba(128, 134, 146, 0.6)"
TRANSPARENT = "rgba(0,0,0,0)"

STEP_COLORS: dict[str, str] = {
    "new": OKABE_ITO["sky_blue"],
    "screening": OKABE_ITO["blue"],
    "interviews": OKABE_ITO["reddish_purple"],
    "offer": OKABE_ITO["orange"],
    "hired": OKABE_ITO["bluish_green"],
}
EXIT_COLORS: dict[str, str] = {
    "rejected": OKABE_ITO["vermillion"],
    "withdrawn": OKABE_ITO["yellow"],
    "talent pool": NEUTRAL,
}
STAGE_TYPE_COLORS: dict[str, str] = {**STEP_COLORS, **EXIT_COLORS, "other": "#C4C8CE", "unassigned": "#C4C8CE"}
STAGE_TYPE_ORDER: tuple[str, ...] = FUNNEL_STEPS + EXIT_TYPES + ("other", "unassigned")

FONT_FAMILY = '"Source Sans", Inter, "Source Sans Pro", "Source Sans 3", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif'


def series_colors(names: Iterable[object], universe: Iterable[object] | None = None) -> dict[str, str]:
    """Colour per categorical series (channel, job, ...), the same on every chart that shows the name.

    Colours follow the sorted order of `universe` (default: the names themselves), not the order traces are drawn,
    so a channel keeps its colour whatever the sort by volume; "Unknown" (and empty names) are always the neutral
    grey and take no palette slot. Pass the full list of names as `universe` to keep colours stable across filters.
    """
    wanted = [str(n) for n in names]
    pool = sorted({str(n) for n in (wanted if universe is None else [*universe, *wanted])} - {UNKNOWN, ""})
    slot = {name: COLORWAY[i % len(COLORWAY)] for i, name in enumerate(pool)}
    return {name: slot.get(name, NEUTRAL) for name in wanted}


def stage_color(stage_type: str | None) -> str:
    """Colour of a stage type (funnel step or exit); unknown types get the neutral grey."""
    return STAGE_TYPE_COLORS.get((stage_type or "").lower(), NEUTRAL)


def _axis() -> dict:
    return {
        "showgrid": True,
        "gridcolor": GRID,
        "gridwidth": 1,
        "zeroline": False,
        "showline": True,
        "linecolor": LINE,
        "ticks": "outside",
        "tickcolor": LINE,
        "ticklen": 4,
        "automargin": True,
        "title": {"standoff": 8, "font": {"size": 13}},
        "tickfont": {"size": 12},
    }


def build_template() -> go.layout.Template:
    """The "recruiting" template: transparent background, Okabe–Ito colourway, readable type."""
    axis = _axis()
    template = go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": 13, "color": TEXT},
            "title": {"font": {"size": 16}, "x": 0, "xanchor": "left", "xref": "paper", "pad": {"b": 6}},
            "colorway": list(COLORWAY),
            "paper_bgcolor": TRANSPARENT,
            "plot_bgcolor": TRANSPARENT,
            "xaxis": {**axis, "showgrid": False},
            "yaxis": axis,
            "legend": {
                "orientation": "h",
                "yanchor": "bottom",
                "y": 1.0,
                "xanchor": "left",
                "x": 0,
                "bgcolor": TRANSPARENT,
                "title": {"text": ""},
                "traceorder": "normal",
                "font": {"size": 12},
            },
            "margin": {"l": 56, "r": 24, "t": 72, "b": 48},
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 12}, "namelength": -1},
            "hovermode": "closest",
            "bargap": 0.25,
            "bargroupgap": 0.05,
            "separators": ".,",
        },
        data={
            "bar": [go.Bar(marker={"line": {"width": 0}, "cornerradius": 2})],
            "scatter": [go.Scatter(line={"width": 2.25}, marker={"size": 7})],
            "histogram": [go.Histogram(marker={"line": {"width": 0}})],
            "box": [go.Box(line={"width": 1.5})],
        },
    )
    return template


def register() -> str:
    """Register the template under TEMPLATE_NAME (idempotent) and return the name."""
    pio.templates[TEMPLATE_NAME] = build_template()
    return TEMPLATE_NAME


register()


PRINT_BACKGROUND = "white"
PRINT_TEXT = "#31333F"


def print_ready(fig: go.Figure) -> go.Figure:
    """A copy for images and review packs: an opaque white background and dark text where the figure
    relies on the transparent screen background (a transparent PNG is unreadable in a dark viewer)."""
    out = go.Figure(fig)
    bg = str(out.layout.paper_bgcolor or "").replace(" ", "")
    if bg in ("", TRANSPARENT, "transparent"):
        out.update_layout(paper_bgcolor=PRINT_BACKGROUND, plot_bgcolor=PRINT_BACKGROUND, font_color=PRINT_TEXT)
    return out
