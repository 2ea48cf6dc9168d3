import plotly.io as pio

from dashboard.figures import template as T
from dashboard.schema import EXIT_TYPES, FUNNEL_STEPS

OKABE_ITO_HEX = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_template_is_registered_under_its_name():
    assert T.TEMPLATE_NAME == "recruiting"
    assert "recruiting" in pio.templates


def test_colourway_starts_with_okabe_ito_without_black_and_has_ten_distinct_colours():
    colorway = list(pio.templates["recruiting"].layout.colorway)
    assert set(colorway[:7]) <= OKABE_ITO_HEX
    assert "#000000" not in colorway
    assert len(set(colorway)) == len(colorway) >= 10
    assert T.NEUTRAL not in colorway


def test_series_colours_follow_sorted_names_not_trace_order():
    by_volume = T.series_colors(["LinkedIn", "Agency", "Unknown", "Indeed"])
    assert by_volume == {"Agency": T.COLORWAY[0], "Indeed": T.COLORWAY[1], "LinkedIn": T.COLORWAY[2],
                         "Unknown": T.NEUTRAL}
    assert T.series_colors(["Indeed", "LinkedIn", "Agency"]) == {k: v for k, v in by_volume.items() if k != "Unknown"}


def test_nine_channels_plus_unknown_get_ten_different_colours():
    names = [f"channel {i}" for i in range(9)] + ["Unknown"]
    colours = T.series_colors(names)
    assert len(set(colours.values())) == 10 and colours["Unknown"] == T.NEUTRAL


def test_series_colours_stay_put_within_a_universe():
    universe = ["Agency", "Indeed", "LinkedIn"]
    assert T.series_colors(["LinkedIn"], universe)["LinkedIn"] == T.series_colors(universe)["LinkedIn"] == T.COLORWAY[2]


def test_every_funnel_step_and_exit_has_a_distinct_colour():
    colours = [T.STEP_COLORS[s] for s in FUNNEL_STEPS] + [T.EXIT_COLORS[e] for e in EXIT_TYPES]
    assert len(set(colours)) == len(colours)
    assert set(T.STEP_COLORS.values()) <= OKABE_ITO_HEX


def test_backgrounds_are_transparent_for_light_and_dark_themes():
    layout = pio.templates["recruiting"].layout
    assert layout.paper_bgcolor == layout.plot_bgcolor == "rgba(0,0,0,0)"


def test_unknown_stage_type_gets_the_neutral_colour():
    assert T.stage_color("surprise") == T.NEUTRAL
    assert T.stage_color("Hired") == T.STEP_COLORS["hired"]


def test_print_ready_makes_background_opaque_without_touching_the_original():
    import plotly.graph_objects as go

    fig = go.Figure(layout={"template": "recruiting"})
    out = T.print_ready(fig)
    assert out.layout.paper_bgcolor == "white"
    assert fig.layout.paper_bgcolor is None
