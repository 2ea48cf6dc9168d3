import json

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots
from plotly.tools import return_figure_from_figure_or_data

from dashboard.figures import template as T
from dashboard.figures.browser import data_revision, for_browser, inline_template
from dashboard.figures.common import base_figure


def _bars(y: list[int]) -> go.Figure:
    fig = base_figure("Applications")
    fig.add_trace(go.Bar(x=["a", "b"], y=y, marker={"color": "#123456"}))
    fig.update_layout(yaxis={"title": {"text": "applications"}}, margin={"t": 90})
    return fig


def _spec(fig: go.Figure) -> dict:
    """What st.plotly_chart sends to the browser."""
    return json.loads(pio.to_json(return_figure_from_figure_or_data(fig, validate_figure=True), validate=False))


def test_the_browser_figure_carries_no_template():
    assert _spec(for_browser(_bars([1, 2])))["layout"].get("template") is None


def test_template_values_are_written_into_the_figure_and_the_figure_wins():
    layout = inline_template(_bars([1, 2]))["layout"]
    assert layout["colorway"] == list(T.COLORWAY)
    assert layout["paper_bgcolor"] == T.TRANSPARENT
    assert layout["font"]["family"] == T.FONT_FAMILY
    assert layout["margin"] == {"l": 56, "r": 24, "t": 90, "b": 48}  # the figure's top, the template's others
    assert layout["yaxis"]["title"] == {"text": "applications", "standoff": 8, "font": {"size": 13}}
    assert layout["xaxis"]["automargin"] is True and layout["xaxis"]["showgrid"] is False
    assert layout["title"]["text"] == "Applications" and layout["title"]["x"] == 0


def test_trace_defaults_of_the_template_reach_each_trace_of_their_type():
    trace = inline_template(_bars([1, 2]))["data"][0]
    assert trace["marker"] == {"color": "#123456", "cornerradius": 2, "line": {"width": 0}}
    assert trace["x"] == ["a", "b"] and trace["y"] == [1, 2]


def test_template_axes_apply_to_every_axis_of_a_subplot_figure():
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Bar(x=["a"], y=[1]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[1], y=[2]), row=1, col=2)
    fig.update_layout(template=T.TEMPLATE_NAME)
    layout = inline_template(fig)["layout"]
    assert layout["xaxis2"]["ticks"] == layout["yaxis2"]["ticks"] == "outside"
    assert layout["yaxis2"]["gridcolor"] == T.GRID


def test_data_revision_names_the_data_it_changes_with_any_value():
    assert data_revision(_bars([1, 2])) == data_revision(_bars([1, 2]))
    assert data_revision(_bars([1, 2])) != data_revision(_bars([1, 3]))
    assert _spec(for_browser(_bars([1, 2])))["layout"]["datarevision"] == data_revision(_bars([1, 2]))


def test_a_selectable_chart_states_the_modes_streamlit_would_set():
    layout = _spec(for_browser(_bars([1, 2]), selectable=True))["layout"]
    assert (layout["clickmode"], layout["hovermode"], layout["dragmode"]) == ("event+select", "closest", "pan")
    assert "clickmode" not in _spec(for_browser(_bars([1, 2])))["layout"]


def test_the_shown_figure_is_left_with_its_template():
    fig = _bars([1, 2])
    for_browser(fig)
    assert fig.layout.template.layout.colorway == T.COLORWAY
