"""The one plotly template of the dashboard ("recruiting") and the colours every chart shares.

Colours come from the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies);
black is left out of the colourway because it disappears on Streamlit's dark theme. Backgrounds are
transparent and text/grid are mid-contrast greys so one template reads on the light and the dark theme
(the UI passes `theme=None` to `st.plotly_chart` so Streamlit does not override it).
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.schema import EXIT_TYPES, FUNNEL_STEPS

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

COLORWAY: tuple[str, ...] = tuple(
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "yellow")
)

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

FONT_FAMILY = 'Inter, "Source Sans Pro", "Source Sans 3", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif'


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
