"""Pages that need stage histories say how complete they are, or why they are missing; a stopped sync records nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
from streamlit.testing.v1 import AppTest

from dashboard.store import Store
from dashboard.ui import state
from tests.pages.conftest import APP, TIMEOUT, _env, _publish

SIZE = 40
HISTORY_PAGES = ("pages/review/funnel.py", "pages/review/speed.py", "pages/sources/outcomes.py",
                 "pages/review/overview.py")


def _republish(root: Path, **meta_changes) -> None:
    (store_dir,) = [p for p in root.iterdir() if p.is_dir() and p.name.startswith("demo-")]
    store = Store(store_dir)
    meta, raw = store.load_raw()
    store.publish(raw, store.load_tables(), {**meta, **meta_changes})
    store.close()


def _texts(at: AppTest) -> str:
    return " ".join([e.value for e in at.error] + [t.value for t in at.text] + [c.value for c in at.caption])


def test_unreadable_histories_are_an_error_on_history_pages_and_the_data_page_only(tmp_path, monkeypatch):
    _publish(tmp_path, SIZE)
    error = "stage transitions: none of the 40 stage histories could be read (fields seen: *moved_to*, [x](y))"
    _republish(tmp_path, errors=[error])
    _env(monkeypatch, tmp_path, SIZE)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    for page in (*HISTORY_PAGES, "pages/admin/data.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any("Stage histories could not be read" in e.value for e in at.error), page
        assert error in [t.value for t in at.text], page  # verbatim, as plain text
    at.switch_page("pages/sources/channels.py").run()
    assert not at.exception
    assert "Stage histories could not be read" not in _texts(at)


def test_incomplete_histories_are_captioned_until_the_sync_ends(tmp_path, monkeypatch):
    _publish(tmp_path, SIZE)
    _republish(tmp_path, histories={"done": 12, "total": 40, "complete": False, "order": "newest first"})
    _env(monkeypatch, tmp_path, SIZE)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/review/speed.py").run()
    assert "Stage histories: 12 of 40, newest first." in _texts(at)
    _republish(tmp_path, histories={"done": 40, "total": 40, "complete": True, "order": "newest first"})
    at.run()
    assert "Stage histories:" not in _texts(at)


class _Bar:
    def __init__(self, fail_at: int) -> None:
        self.calls = 0
        self.fail_at = fail_at

    def progress(self, *_a, **_k) -> None:
        self.calls += 1
        if self.calls >= self.fail_at:
            raise RerunException(None)

    def empty(self) -> None:
        pass


def test_a_sync_stopped_by_streamlit_records_no_error_and_lets_the_rerun_through(tmp_path, monkeypatch):
    from dashboard.source import demo_source
    from dashboard.ui import syncing

    _publish(tmp_path, SIZE)
    (store_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    store = Store(store_dir)
    before = store.status()
    bar = _Bar(fail_at=3)
    monkeypatch.setattr(syncing.st, "progress", lambda *a, **k: bar)
    monkeypatch.setattr(syncing, "client_for", lambda source, rev, secret: __import__(
        "dashboard.source", fromlist=["make_client"]).make_client(source, None))
    session: dict = {}
    monkeypatch.setattr(syncing.st, "session_state", session)
    with pytest.raises(RerunException):
        syncing.sync_with_progress(demo_source(SIZE), store, None, 0, full=True)
    after = store.status()
    assert (after.snapshot_id, after.last_attempt_at, after.last_error) == (
        before.snapshot_id, before.last_attempt_at, before.last_error)
    assert session[state.SYNC_STOPPED] is True
    store.close()
