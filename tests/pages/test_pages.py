"""Every page through the real entry point (AppTest): renders, explains empty data, follows filters and URLs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.store import Store
from dashboard.ui import state
from tests.pages.conftest import APP, TIMEOUT

PAGES = [
    "pages/review/overview.py",
    "pages/review/funnel.py",
    "pages/review/speed.py",
    "pages/review/team.py",
    "pages/sources/channels.py",
    "pages/sources/jobs.py",
    "pages/sources/outcomes.py",
    "pages/sources/candidates.py",
    "pages/admin/data.py",
]
TITLES = ["Overview", "Funnel", "Speed", "Team", "Channels", "Jobs", "Outcomes", "Candidates", "Data"]


def _app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    return at.run()


def _tables(root: Path) -> pl.DataFrame:
    (store_dir,) = [p for p in root.iterdir() if p.is_dir() and p.name.startswith("demo-")]
    store = Store(store_dir)
    try:
        return store.load_tables().applications
    finally:
        store.close()


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("info", "caption", "markdown", "warning", "error", "success")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize(("page", "title"), list(zip(PAGES, TITLES, strict=True)))
def test_every_page_renders_on_the_demo_company(demo_env: Path, page: str, title: str) -> None:
    at = _app()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [title]
    assert not at.error
    assert "No data synced yet" not in _texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_explains_an_empty_company(empty_env: Path, page: str) -> None:
    at = _app()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    if page.endswith("data.py"):
        assert "Applications synced (all dates)" in [m.label for m in at.metric]
    else:
        assert any("No " in i.value for i in at.info), [i.value for i in at.info]


def test_overview_on_an_empty_company_says_why_there_is_no_chart(empty_env: Path) -> None:
    at = _app()
    assert "No applications in this range — widen the dates or clear filters." in [i.value for i in at.info]
    assert _metric(at, "Applications") == "0"


def test_demo_company_is_labelled_as_generated_data(demo_env: Path) -> None:
    at = _app()
    radio = at.sidebar.radio(key=state.SOURCE_KIND)
    assert radio.value == "demo"
    assert "Demo company — generated data" in radio.options


def test_changing_a_filter_changes_the_numbers(demo_env: Path) -> None:
    apps = _tables(demo_env)
    today = datetime.now(UTC).date()
    at = _app()
    at.sidebar.selectbox(key=state.PRESET).set_value("all_time").run()
    assert _metric(at, "Applications") == f"{apps.height:,}"
    channel = apps["channel_name"].value_counts(sort=True)["channel_name"][0]
    at.sidebar.multiselect(key=state.CHANNELS).select(channel).run()
    expected = apps.filter(pl.col("channel_name") == channel).height
    assert _metric(at, "Applications") == f"{expected:,}"
    assert at.query_params[state.QP_CHANNEL] == [channel] or at.query_params[state.QP_CHANNEL] == channel
    at.sidebar.selectbox(key=state.PRESET).set_value("last_30_days").run()
    start = today - timedelta(days=29)
    expected_30 = apps.filter((pl.col("channel_name") == channel) & (pl.col("application_date") >= start)
                              & (pl.col("application_date") <= today)).height
    assert _metric(at, "Applications") == f"{expected_30:,}"


def test_reset_clears_every_filter(demo_env: Path) -> None:
    apps = _tables(demo_env)
    channel = apps["channel_name"][0]
    at = _app({"range": "all_time", "channel": channel})
    assert at.sidebar.multiselect(key=state.CHANNELS).value == [channel]
    at.sidebar.button(key=state.RESET).click().run()
    assert at.sidebar.multiselect(key=state.CHANNELS).value == []
    assert at.sidebar.selectbox(key=state.PRESET).value == "last_90_days"
    assert state.QP_CHANNEL not in at.query_params


def test_query_params_restore_the_filters(demo_env: Path) -> None:
    apps = _tables(demo_env)
    lo = apps["application_date"].min()
    hi = lo + timedelta(days=120)
    channel = apps["channel_name"].value_counts(sort=True)["channel_name"][0]
    at = _app({"range": "custom", "from": lo.isoformat(), "to": hi.isoformat(), "channel": channel})
    assert at.sidebar.selectbox(key=state.PRESET).value == "custom"
    assert at.sidebar.date_input(key=state.CUSTOM_RANGE).value == (lo, hi)
    assert at.sidebar.multiselect(key=state.CHANNELS).value == [channel]
    expected = apps.filter((pl.col("channel_name") == channel) & pl.col("application_date").is_between(lo, hi)).height
    assert _metric(at, "Applications") == f"{expected:,}"


def test_query_params_survive_a_page_switch(demo_env: Path) -> None:
    apps = _tables(demo_env)
    channel = apps["channel_name"][0]
    at = _app({"range": "year_to_date", "channel": channel})
    at.switch_page("pages/sources/channels.py").run()
    assert at.query_params[state.QP_RANGE] in ("year_to_date", ["year_to_date"])
    assert at.query_params[state.QP_CHANNEL] in (channel, [channel])
    assert at.sidebar.multiselect(key=state.CHANNELS).value == [channel]


def test_invalid_query_params_are_ignored(demo_env: Path) -> None:
    at = _app({"range": "next_century", "from": "yesterday", "channel": "No such channel", "job": "nope"})
    assert not at.exception
    assert at.sidebar.selectbox(key=state.PRESET).value == "last_90_days"
    assert at.sidebar.multiselect(key=state.CHANNELS).value == []
    assert at.sidebar.multiselect(key=state.JOBS).value == []


def test_typed_secret_is_never_shown(demo_env: Path) -> None:
    secret = "papi-very-secret-value-123"  # noqa: S105 - a test value
    at = _app()
    at.sidebar.radio(key=state.SOURCE_KIND).set_value("personio").run()
    at.sidebar.text_input(key=state.key(state.CRED_FORM_ID, where="sidebar")).input("papi-client")
    at.sidebar.text_input(key=state.key(state.CRED_FORM_SECRET, where="sidebar")).input(secret)
    at.sidebar.button(key=state.key(state.CRED_FORM_SUBMIT, where="sidebar")).click().run()
    assert not at.exception
    assert at.sidebar.radio(key=state.SOURCE_KIND).value == "personio"
    assert at.session_state[state.key(state.CRED_FORM_SECRET, where="sidebar")] == ""
    assert secret not in str(at._tree)
    assert "No data synced yet" in _texts(at)


def test_personio_without_credentials_explains_what_to_do(demo_env: Path) -> None:
    at = _app()
    at.sidebar.radio(key=state.SOURCE_KIND).set_value("personio").run()
    assert not at.exception
    assert any("credentials" in i.value for i in at.info)
