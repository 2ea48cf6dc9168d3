"""A failure inside one figure shows a message for that figure only; the page's other figures still render and
Streamlit's generic error box never appears."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.figures.guard import failure_message
from tests.pages.conftest import APP, TIMEOUT


def _speed() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["range"] = "all_time"
    at.run()
    return at.switch_page("pages/review/speed.py").run()


def _charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def test_a_builder_failing_inside_shows_a_message_for_its_figure_only(demo_env: Path, monkeypatch) -> None:
    healthy = _charts(_speed())
    assert healthy >= 5

    def boom(*_a, **_k):
        raise ZeroDivisionError("inside the histogram")

    monkeypatch.setattr("dashboard.figures.speed.duration_bins", boom)  # time to hire and time to offer use it
    at = _speed()
    assert not at.exception
    assert [e.value for e in at.error] == [failure_message(ZeroDivisionError())] * 2
    assert _charts(at) == healthy - 2  # time to fill, Kaplan–Meier, time in stage still drawn
    assert "inside the histogram" not in str([e.value for e in at.error])


@pytest.mark.parametrize("fails_for", ["Completion cohort: hires dated in range"])
def test_a_failure_while_showing_a_chart_stays_in_that_chart(demo_env: Path, monkeypatch, fails_for: str) -> None:
    from dashboard.ui import widgets

    original = widgets.n_caption

    def caption(cohort: str, *args, **kwargs) -> str:
        if cohort == fails_for:
            raise RuntimeError("while showing")
        return original(cohort, *args, **kwargs)

    healthy = _charts(_speed())
    monkeypatch.setattr(widgets, "n_caption", caption)
    at = _speed()
    assert not at.exception
    assert [e.value for e in at.error] == [failure_message(RuntimeError())]
    assert _charts(at) == healthy  # the failing chart was drawn before its caption failed; all others too
    assert "Stuck applications" in " ".join(m.value for m in at.markdown)  # the page went on to its end
