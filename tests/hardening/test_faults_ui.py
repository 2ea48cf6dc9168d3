"""What the user sees when a sync fails (fault matrix, UI column): app.py through AppTest on a Personio source.

After a failed "Sync now" the Overview still shows the last good data with its age, and an error box names
the cause and what to do; the sidebar keeps warning on the next run."""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest

from dashboard.demo import FakePersonio, generate_company
from dashboard.store import Store
from dashboard.ui import state
from tests.hardening.conftest import CLIENT_ID, SECRET, Truth, VClock, assert_exact
from tests.hardening.ui import app_on_fake, metric, new_app, publish_good_snapshot, rendered, texts

APPS = "/v2/recruiting/applications$"


@pytest.fixture(scope="module")
def recent_company():
    """A small company whose applications end today, so the default date range shows them."""
    return generate_company(80, seed=4, end=date.today())


def _rotate_secret(fake: FakePersonio) -> None:
    fake.client_secret = "rotated-in-personio"  # noqa: S105
    fake.tokens.clear()


def _drop_scope(fake: FakePersonio) -> None:
    fake.scopes = ("personio:persons:read",)
    fake.tokens.clear()


FAULTS = {
    "429 storm": (lambda f: f.inject(APPS, 429, times=None, retry_after=30),
                  "429", "wait a minute and sync again"),
    "503": (lambda f: f.inject(APPS, 503, times=None), "503", "problem on its side"),
    "timeout": (lambda f: f.inject(APPS, raise_exc=httpx.ReadTimeout, times=None),
                "Could not reach Personio", "check the network"),
    "connection reset": (lambda f: f.inject(APPS, raise_exc=httpx.RemoteProtocolError, times=None),
                         "Could not reach Personio", "check the network"),
    "malformed JSON": (lambda f: f.inject(APPS, 200, body=b"<html>Hotel Wi-Fi login</html>", times=None),
                       "cannot read", "Sync again"),
    "truncated page": (lambda f: f.inject(APPS, 200, truncate=True, times=None), "cannot read", "Sync again"),
    "401 wrong credentials": (_rotate_secret, "401", "Check the client ID and secret"),
    "403 missing scope": (_drop_scope, "403", "personio:recruiting:read"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_failed_sync_shows_cause_advice_and_the_last_good_data_with_its_age(monkeypatch, tmp_path, recent_company,
                                                                              fault):
    vclock = VClock(t=time.time())  # the fake's updates happen now, after the snapshot's watermark
    fake = FakePersonio(recent_company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    root = tmp_path / "cache"
    source = publish_good_snapshot(fake, vclock, root, SECRET)
    inject, cause, todo = FAULTS[fault]
    with app_on_fake(monkeypatch, fake, vclock, root, SECRET):
        at = new_app().run()
        assert not at.exception, [e.value for e in at.exception]
        shown_before = metric(at, "Applications")
        inject(fake)
        at.button(key=state.SYNC_NOW).click().run()
        assert not at.exception, [e.value for e in at.exception]
        errors = [e.value for e in at.error]
        assert len(errors) == 1, texts(at)
        box = rendered(errors[0])
        assert box.startswith("**Sync failed:**") and cause in box and todo in box, box
        assert "Still showing the last good data (data as of" in box and "(3 h ago))" in box, box
        assert "Traceback" not in box
        assert metric(at, "Applications") == shown_before  # the last good numbers are still there
        at.run()  # the next run (any click) keeps warning in the sidebar, with the data's age
        warning = rendered(" ".join(w.value for w in at.sidebar.warning))
        assert "Last sync failed" in warning and cause in warning and "Showing the last good data" in warning
        assert any("3 h ago" in c.value for c in at.sidebar.caption)
        assert metric(at, "Applications") == shown_before
    store = Store(root / source.key)
    assert_exact(store, Truth.of(recent_company))
    store.close()


def test_sync_after_a_killed_sync_resumes_from_the_app(monkeypatch, tmp_path, recent_company):
    vclock = VClock(t=time.time())  # the fake's updates happen now, after the snapshot's watermark
    fake = FakePersonio(recent_company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    root = tmp_path / "cache"
    source = publish_good_snapshot(fake, vclock, root, SECRET)
    ids = recent_company.applications["application_id"].to_list()
    fake.touch_applications(ids)
    # what a killed sync leaves behind: the published snapshot plus a saved batch of 50 fetched histories
    store = Store(root / source.key)
    raw = {}
    from dashboard.sync import _version
    from tests.hardening.ui import fake_client

    client = fake_client(fake, vclock, source, SECRET)
    records = {r["id"]: r for r in client.applications()}
    for app_id in ids[:50]:
        raw[(app_id, _version(records[app_id]))] = client.stage_transitions(app_id)
    client.close()
    store.save_work_transitions(raw)
    store.close()
    fake.counts.clear()
    with app_on_fake(monkeypatch, fake, vclock, root, SECRET):
        at = new_app().run()
        assert not at.exception and not at.error  # readers see the last good data, no error
        at.button(key=state.SYNC_NOW).click().run()
        assert not at.exception and not at.error, texts(at)
    assert fake.count("transitions") == len(ids) - 50
    store = Store(root / source.key)
    assert_exact(store, Truth.of(recent_company))
    store.close()


def test_a_company_with_one_application_renders_every_number(monkeypatch, tmp_path):
    company = generate_company(1, seed=5, end=date.today())
    vclock = VClock(t=time.time())  # the fake's updates happen now, after the snapshot's watermark
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    root = tmp_path / "cache"
    publish_good_snapshot(fake, vclock, root, SECRET)
    with app_on_fake(monkeypatch, fake, vclock, root, SECRET):
        at = new_app().run()
        assert not at.exception and not at.error, texts(at)
        for page in ("pages/review/funnel.py", "pages/review/speed.py", "pages/sources/channels.py"):
            at.switch_page(page).run()
            assert not at.exception and not at.error, (page, texts(at))
