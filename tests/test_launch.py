"""The launcher runs app.py with Streamlit's legacy pages/ discovery off, so deep links work on first request."""

from __future__ import annotations

import sys

import pytest

from dashboard import launch


def test_launcher_disables_legacy_page_discovery_and_runs_app_py(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    seen: dict[str, object] = {}

    def fake_main() -> None:
        seen["argv"] = list(sys.argv)
        seen["legacy"] = PagesManager.uses_pages_directory

    monkeypatch.setattr(cli, "main", fake_main)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    monkeypatch.setattr(sys, "argv", ["launch"])
    launch.main(["--server.port", "8765"])
    assert seen["legacy"] is False
    assert seen["argv"] == ["streamlit", "run", str(launch.APP), "--server.port", "8765"]
    assert launch.APP.name == "app.py" and launch.APP.exists()


@pytest.mark.parametrize("name", ["review", "sources", "admin"])
def test_pages_live_in_section_folders_not_directly_under_pages(name):
    pages = launch.APP.parent / "pages"
    assert not list(pages.glob("*.py"))  # a top-level pages/*.py would be auto-discovered by `streamlit run`
    assert list((pages / name).glob("*.py"))
