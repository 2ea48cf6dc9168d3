"""The launcher runs app.py with Streamlit's legacy pages/ discovery off, so deep links work on first request;
it prints (and opens) the access link with this launch's token and checks Host headers."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from dashboard import access, launch


@pytest.fixture
def fake_streamlit(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """cli.main records what it would run and calls the start hook on a fake server; nothing is started."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import bootstrap, cli
    from streamlit.web.server.starlette import starlette_app

    seen: dict[str, object] = {"opened": []}

    def fake_main() -> None:
        seen["argv"] = list(sys.argv)
        seen["legacy"] = PagesManager.uses_pages_directory
        seen["middleware"] = [m.cls for m in starlette_app.create_streamlit_middleware()]
        bootstrap._on_server_start(SimpleNamespace())

    monkeypatch.setattr(cli, "main", fake_main)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    monkeypatch.setattr(bootstrap, "_on_server_start", lambda server: None)
    monkeypatch.setattr(starlette_app, "create_streamlit_middleware", starlette_app.create_streamlit_middleware)
    monkeypatch.setattr(sys, "argv", ["launch"])
    monkeypatch.setattr(launch, "open_in_browser", seen["opened"].append)
    monkeypatch.setattr(access, "_announced", False)
    monkeypatch.setattr(launch, "base_url", lambda: "http://127.0.0.1:8765")
    return seen


def test_launcher_disables_legacy_page_discovery_and_runs_app_py(fake_streamlit, monkeypatch):
    monkeypatch.setenv(access.ENV_TOKEN, "t0k")
    launch.main(["--server.port", "8765"])
    assert fake_streamlit["legacy"] is False
    assert fake_streamlit["argv"] == ["streamlit", "run", str(launch.APP), "--server.port", "8765",
                                      "--logger.hideWelcomeMessage", "true"]
    assert launch.APP.name == "app.py" and launch.APP.exists()


def test_launcher_prints_and_opens_the_link_with_the_token(fake_streamlit, monkeypatch, capsys):
    monkeypatch.setenv(access.ENV_TOKEN, "fixed-token")
    launch.main([])
    assert "http://127.0.0.1:8765/?token=fixed-token" in capsys.readouterr().out
    assert fake_streamlit["opened"] == ["http://127.0.0.1:8765/?token=fixed-token"]


def test_launcher_makes_a_random_token_when_none_is_set(fake_streamlit, monkeypatch, capsys):
    monkeypatch.delenv(access.ENV_TOKEN, raising=False)
    launch.main(["--server.headless", "true"])
    (url,) = [w for w in capsys.readouterr().out.split() if "?token=" in w]
    token = url.split("?token=")[1]
    assert len(token) >= 43 and token == access.launch_token()
    assert fake_streamlit["opened"] == []  # headless: printed, not opened


def test_launcher_checks_host_headers_before_streamlit(fake_streamlit, monkeypatch):
    monkeypatch.setenv(access.ENV_TOKEN, "t")
    launch.main([])
    assert fake_streamlit["middleware"][0] is access.LocalHostsOnly


@pytest.mark.parametrize("name", ["review", "sources", "admin"])
def test_pages_live_in_section_folders_not_directly_under_pages(name):
    pages = launch.APP.parent / "pages"
    assert not list(pages.glob("*.py"))  # a top-level pages/*.py would be auto-discovered by `streamlit run`
    assert list((pages / name).glob("*.py"))


def test_launcher_preloads_libraries_before_the_server_starts(fake_streamlit, monkeypatch):
    from dashboard import warmup

    order: list[str] = []
    monkeypatch.setattr(warmup, "preload", lambda project=True: order.append(f"preload project={project}"))
    monkeypatch.setattr(access, "install_host_check", lambda: order.append("hosts"))
    monkeypatch.setenv(access.ENV_TOKEN, "t")
    launch.main([])
    assert order[0] == "preload project=False"
