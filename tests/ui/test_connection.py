"""The sidebar checks typed credentials at once; "Check connection" shows the doctor's report (plain text)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dashboard.demo import DemoCompany, FakePersonio, generate_company
from dashboard.ui import state
from tests.hardening.conftest import CLIENT_ID, VClock
from tests.hardening.ui import app_on_fake, new_app

SECRET = "typed-secret-7c1d0e"  # noqa: S105 - the fake's test credential


@pytest.fixture(scope="module")
def company() -> DemoCompany:
    return generate_company(120, seed=3, end=datetime(2025, 6, 30, tzinfo=UTC))


def _type_credentials(at, secret: str) -> None:
    at.session_state[state.SOURCE_KIND] = "personio"
    at.run()
    at.text_input(key=state.key(state.CRED_FORM_ID, where="sidebar")).input(CLIENT_ID)
    at.text_input(key=state.key(state.CRED_FORM_SECRET, where="sidebar")).input(secret)
    at.button(key=state.key(state.CRED_FORM_SUBMIT, where="sidebar")).click().run()


def _texts(at) -> list[str]:
    return [t.value for t in at.text] + [c.value for c in at.code]


def _app_without_env_credentials(monkeypatch, fake, vclock, root):
    ctx = app_on_fake(monkeypatch, fake, vclock, root, "")
    ctx.__enter__()
    monkeypatch.delenv("PERSONIO_CLIENT_SECRET")
    monkeypatch.delenv("PERSONIO_CLIENT_ID")
    return ctx


def test_typed_credentials_are_checked_at_once_with_a_token_request(monkeypatch, tmp_path, company):
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    ctx = _app_without_env_credentials(monkeypatch, fake, vclock, tmp_path / "cache")
    try:
        at = new_app().run()
        _type_credentials(at, SECRET)
        assert fake.count("token") >= 1
        assert any(s.value == "Credentials accepted." for s in at.success)
        assert any("accepted these credentials" in t for t in _texts(at))
        assert SECRET not in "".join(_texts(at))
    finally:
        ctx.__exit__(None, None, None)


def test_wrong_typed_credentials_say_why_at_once(monkeypatch, tmp_path, company):
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    ctx = _app_without_env_credentials(monkeypatch, fake, vclock, tmp_path / "cache")
    try:
        at = new_app().run()
        _type_credentials(at, "not-the-secret-99")
        assert any("did not accept" in e.value for e in at.error)
        assert any("wrong credentials (HTTP 401)" in t for t in _texts(at))
        assert "not-the-secret-99" not in "".join(_texts(at))
    finally:
        ctx.__exit__(None, None, None)


def test_check_connection_button_on_the_data_page_shows_the_doctor_report(monkeypatch, tmp_path, company):
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    with app_on_fake(monkeypatch, fake, vclock, tmp_path / "cache", SECRET):
        at = new_app().run()
        at.switch_page("pages/admin/data.py").run()
        at.button(key=state.key(state.CONN_CHECK, where="data")).click().run()
        assert not at.exception
        report = next(c.value for c in at.code if c.value.startswith("Connection check of"))
        assert "GET /v2/recruiting/categories: OK, HTTP 200" in report
        assert report.rstrip().endswith("Result: OK, the dashboard can read this account.")
        assert SECRET not in report and "@" not in report
        assert any(s.value.startswith("Connection OK") for s in at.success)


def test_check_connection_in_the_sidebar_reports_a_missing_scope(monkeypatch, tmp_path, company):
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now, scopes=())
    with app_on_fake(monkeypatch, fake, vclock, tmp_path / "cache", SECRET):
        at = new_app().run()
        at.sidebar.button(key=state.key(state.CONN_CHECK, where="sidebar")).click().run()
        report = next(c.value for c in at.code if c.value.startswith("Connection check of"))
        assert "missing scope (HTTP 403)" in report.splitlines()[-1]
        assert any("found a problem" in e.value for e in at.error)
