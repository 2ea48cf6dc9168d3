"""The access gate: without this launch's token the app shows how to open it and no data; with it, the token
stays in the URL across page switches and filter changes."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui import state
from dashboard.ui.access import LOCKED_TEXT
from tests.conftest import TEST_TOKEN
from tests.hardening.ui import rendered_bytes
from tests.pages.conftest import APP, TIMEOUT


def _locked_app(token: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.pop("token", None)
    if token is not None:
        at.query_params["token"] = token
    return at.run()


def _job_names(root: Path) -> list[str]:
    from dashboard.store import Store

    (store_dir,) = [p for p in root.iterdir() if p.is_dir() and p.name.startswith("demo-")]
    store = Store(store_dir)
    try:
        return store.load_tables().jobs["job_name"].drop_nulls().unique().to_list()
    finally:
        store.close()


def _assert_locked(at: AppTest, demo_env: Path) -> None:
    assert not at.exception
    assert [t.value for t in at.title] == ["Recruiting dashboard"]
    assert [i.value for i in at.info] == [LOCKED_TEXT]
    assert not at.metric and not at.sidebar.children
    assert not at.get("plotly_chart") and not at.dataframe
    shown = rendered_bytes(at)
    assert not [name for name in _job_names(demo_env) if name.encode() in shown]
    assert TEST_TOKEN.encode() not in shown
    assert state.ACCESS_TOKEN not in at.session_state


def test_without_the_token_the_app_shows_only_how_to_open_it(demo_env: Path) -> None:
    _assert_locked(_locked_app(None), demo_env)


def test_a_wrong_or_partial_token_is_refused(demo_env: Path) -> None:
    for wrong in ("nope", TEST_TOKEN[:-1], TEST_TOKEN + "x", TEST_TOKEN.upper(), " " + TEST_TOKEN):
        _assert_locked(_locked_app(wrong), demo_env)


def test_the_token_opens_the_app_and_stays_in_the_url_across_pages_and_filters(demo_env: Path) -> None:
    at = _locked_app(TEST_TOKEN)
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]
    assert at.query_params["token"] == TEST_TOKEN
    at.switch_page("pages/review/funnel.py").run()
    assert [t.value for t in at.title] == ["Funnel"]
    assert at.query_params["token"] == TEST_TOKEN
    at.sidebar.selectbox(key=state.PRESET).set_value("all_time").run()
    assert at.query_params["range"] == "all_time"
    assert at.query_params["token"] == TEST_TOKEN


def test_a_session_that_presented_the_token_keeps_access_when_the_url_loses_it(demo_env: Path) -> None:
    at = _locked_app(TEST_TOKEN)
    at.query_params.clear()  # e.g. a page link without query parameters
    at.switch_page("pages/review/speed.py").run()
    assert [t.value for t in at.title] == ["Speed"]
    assert at.query_params["token"] == TEST_TOKEN  # put back into the URL
