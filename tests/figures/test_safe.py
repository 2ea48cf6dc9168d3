"""Figures show data strings as plain text and shorten huge labels (dashboard.figures.safe)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.figures.safe import ELLIPSIS, LABEL_CHARS, figure, plotly_text, unescape
from dashboard.figures.speed import time_in_stage_chart, time_to_fill_chart


def test_data_strings_are_escaped_and_our_templates_kept() -> None:
    fig = go.Figure(go.Bar(y=["<b>x</b>", "R&D"], x=[1, 2], orientation="h", name="<a href='e'>n</a>",
                           customdata=[["<i>1</i>"], ["2"]], text=["<br>t", "u"],
                           hovertemplate="<b>%{y}</b><extra></extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=["R&D", "<b>x</b>"])
    out = figure(fig)
    assert out.data[0].y == ("&lt;b&gt;x&lt;/b&gt;", "R&amp;D")
    assert out.layout.yaxis.categoryarray == ("R&amp;D", "&lt;b&gt;x&lt;/b&gt;")  # still matches the data
    assert out.data[0].name == "&lt;a href=&#x27;e&#x27;&gt;n&lt;/a&gt;"
    assert out.data[0].customdata[0][0] == "&lt;i&gt;1&lt;/i&gt;"
    assert out.data[0].text[0] == "&lt;br&gt;t"
    assert out.data[0].hovertemplate == "<b>%{y}</b><extra></extra>"  # ours, unchanged
    assert fig.data[0].y[0] == "<b>x</b>"  # the input figure is not modified


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=60))
def test_escaping_round_trips_for_drill_downs(value: str) -> None:
    escaped = plotly_text(value)
    assert "<" not in escaped and ">" not in escaped
    assert unescape(escaped) == value


def test_a_huge_category_label_is_shortened_on_its_axis_with_the_full_text_in_the_data() -> None:
    huge = "Senior " + "J" * 100_000
    df = pl.DataFrame({"job_id": ["1", "2"], "job_name": [huge, "Driver"], "status": ["filled", "open"],
                       "days": [10.0, None], "age_days": [None, 20.0]})
    out = figure(time_to_fill_chart(df))
    axis = out.layout.yaxis
    assert axis.tickmode == "array"
    shown = dict(zip(axis.tickvals, axis.ticktext, strict=True))
    assert any(len(t) == LABEL_CHARS and t.endswith(ELLIPSIS) and t.startswith("Senior J") for t in shown.values())
    assert "Driver" in shown.values()
    assert huge in {v for trace in out.data for v in (trace.y or ())}  # hover (%{y}) keeps the full name
    assert max(len(t) for t in axis.ticktext) <= LABEL_CHARS


def test_a_builder_that_escapes_its_own_labels_is_not_escaped_twice() -> None:
    df = pl.DataFrame({"stage_type": ["interviews"], "stage_name": ["<b>Panel</b> & co"], "median": [3.0],
                       "p90": [5.0], "n_completed": [4], "n_open": [1]})
    out = figure(time_in_stage_chart(df))
    label = out.data[0].y[0]
    assert label.startswith("&lt;b&gt;Panel&lt;/b&gt; &amp; co") and "<br><span style=" in label
    assert out.layout.yaxis.categoryarray[0] == label


def test_time_to_fill_orders_its_rows_by_the_job_labels_not_the_reference_lines() -> None:
    df = pl.DataFrame({"job_id": ["1", "2", "3"], "job_name": ["Cook", "Driver", "Cook"],
                       "status": ["filled", "open", "filled"], "days": [10.0, None, 30.0], "age_days": [None, 20.0, None]})
    fig = time_to_fill_chart(df, {"median": 20.0, "km_median": 25.0, "n_filled": 2, "n_open": 1})
    # longest first from the top: Cook (3) 30 d, Driver 20 d, Cook (1) 10 d; plotly lists categories bottom-up
    assert fig.layout.yaxis.categoryarray == ("Cook (1)", "Driver", "Cook (3)")
