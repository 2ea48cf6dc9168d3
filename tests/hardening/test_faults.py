"""The fault matrix (docs/reliability.md): every fault through the fake Personio, the real client and the real
sync. Each row asserts what the user is told and that the store holds exactly the records it should."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import polars as pl
import pytest

from dashboard.demo import FakePersonio, generate_company
from dashboard.personio import (
    AuthError,
    MalformedResponseError,
    NetworkError,
    PersonioError,
    RateLimitError,
    ScopeError,
    ServerError,
)
from dashboard.schema import SCHEMAS
from dashboard.store import Store
from dashboard.sync import SyncProgress
from tests.hardening.conftest import (
    CLIENT_ID,
    END,
    SECRET,
    Truth,
    VClock,
    assert_exact,
    client_for,
    snapshot_id,
    sync,
)

APPS = "/v2/recruiting/applications$"
TRANSITIONS = "/stage-transitions$"
ROOT = Path(__file__).resolve().parents[2]


def failed_sync_keeps_last_good_data(fake, vclock, store, truth, expected: type[PersonioError], *,
                                     full: bool = True, progress=None, **client_kw) -> str:
    """Run a sync that must fail; check the published snapshot and its age are untouched; return the message."""
    before = snapshot_id(store)
    as_of = store.status().as_of
    with pytest.raises(expected) as caught:
        sync(fake, vclock, store, full=full, progress=progress, **client_kw)
    message = str(caught.value)
    status = store.status()
    assert status.snapshot_id == before and status.as_of == as_of  # the last good data, with its age
    assert status.last_error == message  # what the UI shows next to it
    assert_exact(store, truth)
    assert "Traceback" not in message and "httpx" not in message
    return message


# ---- rate limits ------------------------------------------------------------------------------------------


def test_429_with_retry_after_waits_as_told_and_completes(fake, vclock, store, company):
    fault = fake.inject(APPS, status=429, times=2, retry_after=7)
    waits: list = []
    report = sync(fake, vclock, store, full=True, on_retry=waits.append)
    assert fault.hits == 2
    assert [w.wait_seconds for w in waits] == [7.0, 7.0]
    assert sum(vclock.sleeps) == 14.0  # slept as told (in quarter seconds, so a Cancel can stop it)
    assert report.full and store.status().last_error is None
    assert_exact(store, Truth.of(company))


def test_429_without_retry_after_backs_off_exponentially_and_completes(fake, vclock, store, company):
    fault = fake.inject(TRANSITIONS, status=429, times=3)
    retries: list = []
    sync(fake, vclock, store, full=True, on_retry=retries.append)
    assert fault.hits == 3
    waits = [r.wait_seconds for r in retries]
    assert len(waits) == 3 and all(w > 0 for w in waits)
    assert waits[2] > waits[0]  # the ceiling doubles: 1, 2, 4 s with jitter
    assert store.status().last_error is None
    assert_exact(store, Truth.of(company))


def test_429_storm_from_a_strict_server_limit_completes_without_loss(company, vclock, store):
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now,
                        rate_limit_per_second=2)
    retries: list = []
    sync(fake, vclock, store, full=True, on_retry=retries.append)
    assert len(retries) > 50  # the server said 429 again and again; each time the client waited
    assert store.status().last_error is None
    assert_exact(store, Truth.of(company))


def test_429_storm_beyond_the_retries_fails_clearly_and_the_next_sync_resumes(fake, vclock, synced, company):
    truth = Truth.of(company)
    fake.touch_applications(company.applications["application_id"].to_list()[:80])

    def storm_after_60(p: SyncProgress) -> None:
        if p.phase == "transitions" and p.done == 60:
            fake.inject(TRANSITIONS, status=429, times=None, retry_after=30)

    retries: list = []
    message = failed_sync_keeps_last_good_data(fake, vclock, synced, truth, RateLimitError, full=False,
                                               progress=storm_after_60, on_retry=retries.append)
    assert "429" in message and "wait a minute and try again" in message
    assert [r.wait_seconds for r in retries[-6:]] == [30.0] * 6  # Retry-After honoured on every capped retry
    fake.clear_faults()
    fake.counts.clear()
    sync(fake, vclock, synced)
    assert fake.count("transitions") == 80 - 60  # the 60 histories fetched before the storm were kept
    assert synced.status().last_error is None
    assert_exact(synced, truth)


# ---- server errors and timeouts -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_transient_5xx_is_retried_and_completes(fake, vclock, store, company, status):
    fault = fake.inject(TRANSITIONS, status=status, times=2)
    sync(fake, vclock, store, full=True)
    assert fault.hits == 2
    assert store.status().last_error is None
    assert_exact(store, Truth.of(company))


@pytest.mark.parametrize("status", [500, 502, 503])
def test_persistent_5xx_fails_clearly_and_keeps_the_last_good_data(fake, vclock, synced, company, status):
    fake.inject(APPS, status=status, times=None)
    message = failed_sync_keeps_last_good_data(fake, vclock, synced, Truth.of(company), ServerError)
    assert str(status) in message and "problem on its side; try again later" in message
    fake.clear_faults()
    sync(fake, vclock, synced, full=True)
    assert_exact(synced, Truth.of(company))


def test_timeouts_are_retried_and_complete(fake, vclock, store, company):
    fault = fake.inject(TRANSITIONS, raise_exc=httpx.ReadTimeout, times=3)
    sync(fake, vclock, store, full=True)
    assert fault.hits == 3
    assert_exact(store, Truth.of(company))


def test_persistent_timeouts_fail_clearly_and_keep_the_last_good_data(fake, vclock, synced, company):
    fake.inject(APPS, raise_exc=httpx.ConnectTimeout, times=None)
    message = failed_sync_keeps_last_good_data(fake, vclock, synced, Truth.of(company), NetworkError)
    assert "Could not reach Personio" in message and "Check the network connection" in message


class ResetOnPage:
    """A transport that resets the connection on the `n`-th page of the applications list, `times` times."""

    def __init__(self, fake: FakePersonio, page: int = 2, times: int | None = 1) -> None:
        self.fake, self.page, self.times, self.resets = fake, page, times, 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        on_page = request.url.path.endswith("/applications") and "cursor" in request.url.params
        if on_page and (self.times is None or self.resets < self.times):
            self.resets += 1
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return self.fake.handler(request)


def test_connection_reset_mid_pagination_resumes_the_page_without_duplicates(fake, vclock, store, company):
    reset = ResetOnPage(fake, times=1)
    sync(fake, vclock, store, full=True, transport=httpx.MockTransport(reset))
    assert reset.resets == 1
    pages = [r for r in fake.requests if r.path.endswith("/applications")]
    assert len(pages) == -(-company.applications.height // 25)  # every page once: the reset one was re-asked
    assert_exact(store, Truth.of(company))


def test_persistent_reset_mid_pagination_fails_clearly_and_publishes_nothing_partial(fake, vclock, synced, company):
    reset = ResetOnPage(fake, times=None)
    message = failed_sync_keeps_last_good_data(fake, vclock, synced, Truth.of(company), NetworkError,
                                               transport=httpx.MockTransport(reset))
    assert "RemoteProtocolError" in message and "Check the network connection" in message


# ---- bodies the client cannot read ---------------------------------------------------------------------------


def test_malformed_json_fails_clearly_and_keeps_the_last_good_data(fake, vclock, synced, company):
    fake.inject(APPS, status=200, body=b'{"_data": [{"id": "1",,]', times=None)
    message = failed_sync_keeps_last_good_data(fake, vclock, synced, Truth.of(company), MalformedResponseError)
    assert "cannot read" in message and "not valid JSON" in message
    assert "sync again" in message.lower()
    fake.clear_faults()
    sync(fake, vclock, synced)
    assert_exact(synced, Truth.of(company))


def test_truncated_page_fails_clearly_and_the_next_sync_completes(fake, vclock, synced, company):
    fake.inject(APPS, status=200, truncate=True, times=None)
    message = failed_sync_keeps_last_good_data(fake, vclock, synced, Truth.of(company), MalformedResponseError)
    assert "cannot read" in message and "truncated" in message
    fake.clear_faults()
    sync(fake, vclock, synced, full=True)
    assert_exact(synced, Truth.of(company))


# ---- records the parser must survive -------------------------------------------------------------------------


def test_unknown_extra_fields_are_ignored(fake, vclock, store, company):
    extra = {"talent_score": {"v": [1, 2]}, "custom_attributes": [{"key": "x"}], "ünïcode_field": "…"}
    fake.inject(APPS, status=200, times=None, extra_fields=extra)
    fake.inject(TRANSITIONS, status=200, times=None, extra_fields=extra)
    fake.inject("/jobs$", status=200, times=None, extra_fields=extra)
    sync(fake, vclock, store, full=True)
    assert_exact(store, Truth.of(company))
    assert set(store.load_tables().applications.columns) == set(SCHEMAS["applications"])


def test_missing_required_fields_keep_every_record(fake, vclock, store, company):
    fake.inject(APPS, status=200, times=None,
                drop_fields=("current_stage", "application_date", "channel", "company"))
    sync(fake, vclock, store, full=True)
    assert_exact(store, Truth.of(company))
    apps = store.load_tables().applications
    assert apps["channel_name"].unique().to_list() == ["Unknown"]
    assert apps["stage_type"].null_count() == 0 and apps["application_date"].null_count() == 0
    # the current stage comes from the latest transition (or `new` without one)
    latest = (company.transitions.sort("seq").group_by("application_id").last()
              .select("application_id", pl.col("to_stage_type").alias("expected")))
    got = apps.join(latest, on="application_id", how="left").with_columns(pl.col("expected").fill_null("new"))
    assert (got["stage_type"] == got["expected"]).all()
    assert any("current_stage" in n or "stage" in n for n in store.meta()["notes"])


def test_unknown_stage_types_are_kept_and_counted(fake, vclock, store, company):
    odd = {"id": "stage-x", "name": "Culture chat", "type": "culture_fit", "kind": "custom"}
    fake.inject(APPS, status=200, times=None, extra_fields={"current_stage": odd})
    sync(fake, vclock, store, full=True)
    assert_exact(store, Truth.of(company))
    tables = store.load_tables()
    assert tables.applications["stage_type"].unique().to_list() == ["culture_fit"]
    from metrics.filters import Filters
    from metrics.quality import data_quality_notes

    notes = data_quality_notes(tables, Filters())
    unknown = notes.filter(pl.col("note").str.starts_with("Unknown stage type"))
    assert unknown["count"].to_list() == [company.applications.height]


# ---- credentials ---------------------------------------------------------------------------------------------


def test_token_expiring_mid_sync_is_renewed_once_and_the_sync_completes(fake, vclock, store, company):
    def expire_at_40(p: SyncProgress) -> None:
        if p.phase == "transitions" and p.done == 40:
            fake.expire_tokens()

    sync(fake, vclock, store, full=True, progress=expire_at_40)
    assert fake.count("token") == 2
    assert store.status().last_error is None
    assert_exact(store, Truth.of(company))


def test_token_lifetime_running_out_mid_sync_renews_before_use(fake, vclock, store, company):
    fake.token_ttl = 120

    def slow(p: SyncProgress) -> None:
        if p.phase == "transitions" and p.done % 20 == 0:
            vclock.advance(30)

    sync(fake, vclock, store, full=True, progress=slow)
    assert fake.count("token") >= 2
    assert_exact(store, Truth.of(company))


def test_wrong_credentials_fail_clearly_and_keep_the_last_good_data(fake, vclock, synced, company):
    message = failed_sync_keeps_last_good_data(fake, vclock, synced, Truth.of(company), AuthError,
                                               secret="not-the-secret")
    assert "401" in message and "Check the client ID and secret" in message
    assert "not-the-secret" not in message


def test_credential_without_recruiting_scope_fails_clearly(company, vclock, tmp_path):
    good = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    store = Store(tmp_path / "s")
    sync(good, vclock, store, full=True)
    scoped = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now,
                          scopes=("personio:persons:read",))
    message = failed_sync_keeps_last_good_data(scoped, vclock, store, Truth.of(company), ScopeError)
    assert "403" in message and "needs the scope personio:recruiting:read" in message
    store.close()


# ---- a process killed in the middle of a sync ----------------------------------------------------------------


def test_killed_sync_leaves_readers_the_last_good_data_and_the_next_sync_resumes(fake, vclock, company, tmp_path):
    path = tmp_path / "cache" / "company"
    store = Store(path)
    sync(fake, vclock, store, full=True)
    baseline = snapshot_id(store)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "tests.hardening.killed_sync", str(path), "70"],  # noqa: S603
                          cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    # a reader (another process or this one) still sees the complete last good snapshot
    reader = Store(path)
    assert snapshot_id(reader) == baseline
    assert_exact(reader, Truth.of(company))
    reader.close()
    # the next sync fetches only what the killed one had not saved (batches of 50: 70 done, 50 kept)
    from tests.hardening.killed_sync import touched_fake

    fresh = touched_fake(company)
    fresh.counts.clear()
    sync(fresh, VClock(t=vclock.t + 3600), store)
    assert fresh.count("transitions") == company.applications.height - 50
    assert_exact(store, Truth.of(company))
    assert store.status().last_error is None
    store.close()


# ---- company sizes at the edges ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1])
def test_empty_company_and_single_application_sync_and_compute(vclock, tmp_path, size):
    company = generate_company(size, seed=5, end=END)
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    store = Store(tmp_path / "s")
    sync(fake, vclock, store, full=True)
    assert_exact(store, Truth.of(company))
    tables = store.load_tables()
    for name, schema in SCHEMAS.items():
        assert dict(getattr(tables, name).schema) == schema, name
    assert tables.applications.height == size
    from metrics.filters import Filters
    from metrics.kpis import kpis

    result = kpis(tables, Filters())
    assert isinstance(result, dict)
    sync(fake, vclock, store)  # an incremental sync of an unchanged company is a no-op
    assert_exact(store, Truth.of(company))
    store.close()


def test_client_used_here_has_no_real_sleep(fake, vclock):
    client = client_for(fake, vclock)
    assert client._sleep == vclock.sleep  # noqa: SLF001 - the suite must never sleep for real
