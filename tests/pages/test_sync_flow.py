"""First-run sync, failed syncs that keep the last good data, and purging the cache, through the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.store import Store
from dashboard.ui import state
from tests.hardening.ui import rendered
from tests.pages.conftest import APP, TIMEOUT, _demo_available, _env, _publish


class Unauthorized(Exception):
    """Stands in for a PersonioError with status 401."""

    status = 401


@pytest.mark.skipif(not _demo_available(), reason="needs the demo generator")
def test_first_run_on_the_demo_syncs_and_shows_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, tmp_path, 60)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert any(m.label == "Applications" for m in at.metric)
    assert any(p.is_dir() for p in tmp_path.iterdir())


def test_failed_sync_says_what_to_do_and_keeps_the_last_good_data(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _publish(tmp_path, 80)
    _env(monkeypatch, tmp_path, 80)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    before = next(m.value for m in at.metric if m.label == "Applications")

    def fail(*_args, **_kwargs):
        raise Unauthorized("Personio rejected the credentials (401 invalid_client)")

    monkeypatch.setattr("dashboard.ui.syncing.run_sync", fail)
    at.button(key=state.SYNC_NOW).click().run()
    assert not at.exception
    message = rendered(" ".join(e.value for e in at.error))  # the server's words arrive escaped
    assert "Sync failed" in message and "invalid_client" in message
    assert "personio:recruiting:read" in message
    assert "Still showing the last good data" in message
    assert next(m.value for m in at.metric if m.label == "Applications") == before
    at.run()  # the sidebar, drawn before the page, carries the warning from the next run on
    assert any("Last sync failed" in w.value for w in at.sidebar.warning)
    assert next(m.value for m in at.metric if m.label == "Applications") == before


def test_purge_needs_confirmation_and_empties_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _publish(tmp_path, 40)
    _env(monkeypatch, tmp_path, 40)
    (store_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/admin/data.py").run()
    at.button(key=state.PURGE_ASK).click().run()
    assert store_dir.exists()
    at.button(key=state.PURGE_CANCEL).click().run()
    assert store_dir.exists()
    at.button(key=state.PURGE_ASK).click().run()
    at.button(key=state.PURGE_CONFIRM).click().run()
    assert not at.exception, [e.value for e in at.exception]
    reopened = Store(store_dir)  # the app reopens an empty store at once; the synced data must be gone
    try:
        assert reopened.load_tables() is None
    finally:
        reopened.close()
    at.switch_page("pages/review/overview.py").run()
    assert any("No data synced yet" in i.value for i in at.info)
