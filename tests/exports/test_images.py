import time

import plotly.graph_objects as go
import pytest

from dashboard.exports import images
from dashboard.figures.funnel import funnel_chart
from tests.figures import frames as F

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"



@pytest.mark.browser
@pytest.mark.xdist_group("chromium")
def test_to_png_returns_a_png_of_the_requested_size():
    png = images.to_png(funnel_chart(F.funnel()), width=400, height=300, scale=2)
    assert png.startswith(PNG_SIGNATURE)
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (800, 600)


@pytest.mark.browser
@pytest.mark.xdist_group("chromium")
def test_to_svg_returns_an_svg_document():
    svg = images.to_svg(funnel_chart(F.funnel()))
    assert svg.lstrip().startswith(b"<svg")
    assert b"Recruiting funnel" in svg


@pytest.mark.browser
@pytest.mark.xdist_group("chromium")
def test_the_browser_session_is_reused_so_repeat_exports_are_fast():
    fig = go.Figure(go.Bar(x=["a"], y=[1]), layout={"template": "recruiting"})
    images.to_png(fig, width=300, height=200, scale=1)  # may start Chromium
    start = time.perf_counter()
    images.to_png(fig, width=300, height=200, scale=1)
    assert time.perf_counter() - start < 5


def test_missing_chromium_raises_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_CHROMIUM", str(tmp_path / "no-such-chromium"))
    session = images._Session()
    with pytest.raises(images.ImageExportError, match="needs Chromium"):
        session.render(go.Figure(), {"format": "png"})
    ok, reason = images.image_export_status()
    assert not ok and "DASHBOARD_CHROMIUM" in reason


def test_chromium_path_prefers_the_environment(monkeypatch, tmp_path):
    exe = tmp_path / "chrome"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(exe))
    monkeypatch.delenv("DASHBOARD_CHROMIUM", raising=False)
    assert images.chromium_path() == str(exe)


def test_exports_are_slide_sized_unless_the_figure_is_taller():
    assert images.export_height(go.Figure()) == 600
    assert images.export_height(go.Figure(layout={"height": 440})) == 600
    assert images.export_height(go.Figure(layout={"height": 1090})) == 1090  # 40 jobs, one row each
    assert images.export_height(go.Figure(layout={"height": 1090}), 300) == 300
