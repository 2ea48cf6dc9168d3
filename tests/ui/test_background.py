"""Background sync of a real company: runs off the page thread, can be cancelled, shows progress in the sidebar."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.source import demo_source, make_client
from dashboard.store import Store
from dashboard.sync import SyncCancelled, SyncProgress
from dashboard.ui import background
from tests.pages.conftest import APP, TIMEOUT, _env, _publish


def test_a_background_sync_publishes_and_releases_its_lock(tmp_path):
    store = Store(tmp_path / "s")
    lock = threading.Lock()
    lock.acquire()
    job = background.start(make_client(demo_source(30), None), store, lock)
    assert job.done.wait(120)
    assert job.error is None
    assert store.load_tables().applications.height == 30
    assert store.status().histories_complete
    assert lock.acquire(blocking=False)
    background._jobs().clear()


def test_a_cancelled_background_sync_leaves_the_store_as_it_was(tmp_path):
    _publish(tmp_path, 20)
    (store_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    store = Store(store_dir)
    before = store.status()
    lock = threading.Lock()
    lock.acquire()
    job = background.BackgroundSync()
    job.cancel.set()  # pressed before the first request
    background.start(make_client(demo_source(20), None), store, lock, full=True, job=job)
    assert job.done.wait(120)
    assert isinstance(job.error, SyncCancelled)
    after = store.status()
    assert (after.snapshot_id, after.last_attempt_at, after.last_error) == (
        before.snapshot_id, before.last_attempt_at, before.last_error)
    assert lock.acquire(blocking=False)
    background._jobs().clear()
    store.close()


def test_the_sidebar_shows_a_running_sync_with_requests_left_and_a_cancel_button(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch):
    _publish(tmp_path, 20)
    _env(monkeypatch, tmp_path, 20)
    (store_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    job = background.BackgroundSync(progress=SyncProgress("transitions", 300, 1000, requests_left=700, eta_s=175.0))
    background._jobs()[str(store_dir)] = job
    try:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        assert not at.exception, [e.value for e in at.exception]
        texts = " ".join(str(getattr(el, "proto", "")) for el in at.sidebar)
        assert "Fetching stage histories: 300 of 1,000 · 700 requests left, about 3 min" in texts
        at.sidebar.button(key="sync_cancel_background").click().run()
        assert job.cancel.is_set()
    finally:
        background._jobs().clear()


def test_sync_now_on_a_real_company_runs_in_the_background_and_the_pages_pick_up_its_snapshot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from dashboard.demo import FakePersonio, generate_company
    from dashboard.demo.serve import serve
    from dashboard.ui import state

    fake = FakePersonio(generate_company(50, seed=5))
    server, base_url = serve(fake)
    try:
        for name, value in {"PERSONIO_CLIENT_ID": fake.client_id, "PERSONIO_CLIENT_SECRET": fake.client_secret,
                            "PERSONIO_BASE_URL": base_url, "PERSONIO_RATE_PER_SECOND": "1000",
                            "RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}.items():
            monkeypatch.setenv(name, value)
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        at.switch_page("pages/admin/data.py").run()
        assert not at.exception, [e.value for e in at.exception]
        at.button(key=state.SYNC_NOW).click().run()
        assert not at.exception, [e.value for e in at.exception]
        jobs = list(background._jobs().values())
        assert len(jobs) == 1 and jobs[0].done.wait(120) and jobs[0].error is None
        at.run()  # the sidebar panel collects the finished sync and reruns the app
        assert not at.exception, [e.value for e in at.exception]
        assert background._jobs() == {}
        assert any(m.label.startswith("Applications") and m.value == "50" for m in at.metric), \
            [(m.label, m.value) for m in at.metric]
    finally:
        background._jobs().clear()
        server.shutdown()
        server.server_close()
