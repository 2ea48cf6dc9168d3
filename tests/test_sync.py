"""Sync against the fake Personio through the real client: request counts, incremental, deletes, resume."""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, timedelta

import httpx
import polars as pl
import pytest

from dashboard.demo import FakePersonio, generate_company
from dashboard.personio import PersonioClient, PersonioError, ScopeError
from dashboard.store import Store
from dashboard.sync import SyncCancelled, SyncProgress, run_sync

END = date(2025, 6, 30)
NOW = datetime(2025, 6, 30, 12, tzinfo=UTC)
LIMIT = 50  # small pages so every list has several
N_APPS = 300
SECRET = "demo-secret"


@pytest.fixture(scope="module")
def company():
    return generate_company(N_APPS, seed=11, end=END)


@pytest.fixture
def fake(company):
    t = NOW.timestamp()
    return FakePersonio(company, clock=lambda: t)


def client_for(fake: FakePersonio, transport: httpx.BaseTransport | None = None, **kw) -> PersonioClient:
    return PersonioClient("https://demo.personio.invalid", "demo", kw.pop("secret", SECRET),
                          transport=transport or fake.transport(), rate_per_second=None, page_limit=LIMIT,
                          career_site_url="https://demo.jobs.personio.invalid", sleep=lambda s: None,
                          max_retries=0, **kw)


def pages(n: int) -> int:
    return max(1, math.ceil(n / LIMIT))


def n_categories(company) -> int:
    return company.stages["category_id"].n_unique()


def first_sync_requests(company) -> int:
    """token + every list page + one transitions list per application (+ jobs, categories, feed)."""
    per_app = company.transitions.group_by("application_id").len()
    tx_pages = sum(pages(n) for n in per_app["len"].to_list()) + (company.applications.height - per_app.height)
    return (1 + pages(company.applications.height) + pages(company.candidates.height)
            + pages(company.jobs.height) + pages(n_categories(company)) + 1 + tx_pages)


def overlap_count(frame: pl.DataFrame, overlap: timedelta = timedelta(minutes=10)) -> int:
    """Records the incremental list returns again: updated after (watermark - overlap), cut to whole seconds."""
    since = (frame["updated_at"].max() - overlap).replace(microsecond=0)
    return frame.filter(pl.col("updated_at") > since).height


def test_first_full_sync_publishes_the_generators_tables(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    report = run_sync(client_for(fake), store, now=lambda: NOW)
    assert report.full
    assert report.applications_fetched == N_APPS
    assert report.transitions_fetched == N_APPS
    assert report.as_of == NOW
    t = store.load_tables()
    assert t.as_of == NOW
    for name in ("applications", "transitions", "jobs", "candidates", "stages"):
        assert getattr(t, name).height == getattr(company, name).height, name
    key = ["application_id", "stage_id", "stage_type"]
    assert t.applications.select(key).sort("application_id").equals(company.applications.select(key).sort("application_id"))
    tx = ["application_id", "seq", "to_stage_id", "transitioned_at"]
    assert t.transitions.select(tx).sort(tx[:2]).equals(company.transitions.select(tx).sort(tx[:2]))
    st = store.status()
    assert st.full_sync_at == NOW and st.last_error is None and st.counts["applications"] == N_APPS


def test_first_sync_request_count_is_token_plus_pages_plus_one_per_application(fake, company, tmp_path):
    report = run_sync(client_for(fake), Store(tmp_path / "s"), now=lambda: NOW)
    expected = first_sync_requests(company)
    assert report.requests == expected
    assert sum(fake.counts.values()) == expected
    assert fake.count("transitions") == N_APPS
    assert fake.count("token") == 1


def test_unchanged_incremental_sync_only_lists(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    before = store.load_tables()
    fake.counts.clear()
    first_request = len(fake.requests)
    report = run_sync(client_for(fake), store, now=lambda: NOW + timedelta(hours=1))
    assert not report.full
    assert report.transitions_fetched == 0
    assert fake.count("transitions") == 0
    expected = (1 + pages(overlap_count(company.applications)) + pages(overlap_count(company.candidates))
                + pages(company.jobs.height) + pages(n_categories(company)) + 1)
    assert report.requests == expected
    assert report.applications_fetched == overlap_count(company.applications)
    after = store.load_tables()
    assert after.as_of == NOW + timedelta(hours=1)
    for name in ("applications", "transitions", "jobs", "candidates", "stages"):
        assert getattr(after, name).equals(getattr(before, name)), name
    # the incremental list asked for changes since the watermark minus the overlap
    queries = [r.query for r in fake.requests[first_request:] if r.path == "/v2/recruiting/applications"]
    wm = company.applications["updated_at"].max() - timedelta(minutes=10)
    assert queries[0]["updated_at.gt"] == wm.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_touched_applications_refetch_exactly_their_transitions(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    open_ids = company.applications.filter(pl.col("stage_type") == "new")["application_id"].to_list()[:3]
    other_ids = company.applications.filter(pl.col("stage_type") != "new")["application_id"].to_list()[:4]
    fake.touch_applications(open_ids, "screening")
    fake.touch_applications(other_ids)
    fake.counts.clear()
    report = run_sync(client_for(fake), store, now=lambda: NOW + timedelta(hours=1))
    assert not report.full
    assert report.transitions_fetched == 7
    assert fake.count("transitions") == 7
    # the touched ones plus those inside the overlap below the previous watermark
    since = (company.applications["updated_at"].max() - timedelta(minutes=10)).replace(microsecond=0)
    untouched_in_overlap = company.applications.filter(
        pl.col("updated_at") > since, ~pl.col("application_id").is_in(open_ids + other_ids)).height
    assert report.applications_fetched == 7 + untouched_in_overlap
    t = store.load_tables()
    assert t.applications.height == N_APPS
    moved = t.applications.filter(pl.col("application_id").is_in(open_ids))
    assert moved["stage_type"].to_list() == ["screening"] * 3
    assert t.transitions.height == company.transitions.height + 3
    new_rows = t.transitions.filter(pl.col("application_id").is_in(open_ids), pl.col("to_stage_type") == "screening")
    assert new_rows.height == 3
    # the next unchanged sync fetches nothing again
    fake.counts.clear()
    again = run_sync(client_for(fake), store, now=lambda: NOW + timedelta(hours=2))
    assert again.transitions_fetched == 0


def test_deleted_application_vanishes_on_the_full_pass(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    with_tx = company.transitions["application_id"].value_counts().sort("count", descending=True)
    victim, n_tx = with_tx.row(0)
    fake.delete_application(victim)
    run_sync(client_for(fake), store, now=lambda: NOW + timedelta(hours=1))
    # no deletion feed: an incremental sync cannot know
    assert victim in store.load_tables().applications["application_id"].to_list()
    fake.counts.clear()
    report = run_sync(client_for(fake), store, full=True, now=lambda: NOW + timedelta(hours=2))
    assert report.full
    assert report.transitions_fetched == 0  # every remaining (id, updated_at) is known
    t = store.load_tables()
    assert victim not in t.applications["application_id"].to_list()
    assert t.applications.height == N_APPS - 1
    assert t.transitions.height == company.transitions.height - n_tx
    assert store.status().full_sync_at == NOW + timedelta(hours=2)


def test_deleted_candidate_and_their_data_leave_the_cache(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    cand = company.applications.group_by("candidate_id").len().filter(pl.col("len") >= 1).drop_nulls()["candidate_id"][0]
    n_apps = company.applications.filter(pl.col("candidate_id") == cand).height
    fake.delete_candidate(cand)
    run_sync(client_for(fake), store, full=True, now=lambda: NOW + timedelta(hours=1))
    t = store.load_tables()
    assert cand not in t.candidates["candidate_id"].to_list()
    assert cand not in t.applications["candidate_id"].drop_nulls().to_list()
    assert t.applications.height == N_APPS - n_apps
    _, raw = store.load_raw()
    assert cand not in raw.candidates


def test_full_pass_is_due_after_full_every(fake, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    assert not run_sync(client_for(fake), store, now=lambda: NOW + timedelta(days=6, hours=23)).full
    report = run_sync(client_for(fake), store, now=lambda: NOW + timedelta(days=7))
    assert report.full
    assert store.status().full_sync_at == NOW + timedelta(days=7)


class Boom(Exception):
    pass


def test_kill_from_progress_keeps_snapshot_and_resume_fetches_only_the_rest(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    seen: list[SyncProgress] = []

    def killer(p: SyncProgress) -> None:
        seen.append(p)
        if p.phase == "transitions" and p.done == 120:
            raise Boom("killed")

    with pytest.raises(Boom):
        run_sync(client_for(fake), store, progress=killer, now=lambda: NOW)
    # the lists were published at once, marked as holding none of the stage histories yet
    early = store.load_tables()
    assert early.applications.height == N_APPS and early.transitions.height == 0
    st = store.status()
    assert st.histories == {"done": 0, "total": N_APPS, "complete": False, "order": "newest first"}
    assert st.last_error and "Boom" in st.last_error
    assert fake.count("transitions") == 120
    fake.counts.clear()
    report = run_sync(client_for(fake), store, now=lambda: NOW + timedelta(minutes=5))
    assert not report.full  # the full listing was published; only the histories were left
    assert report.transitions_fetched == N_APPS - 120
    assert fake.count("transitions") == N_APPS - 120
    assert store.load_tables().transitions.height == company.transitions.height
    assert store.status().last_error is None
    assert store.status().histories_complete
    assert store.work_transitions() == {}  # publishing cleared the work area


class FailAfter(httpx.BaseTransport):
    """Forwards to the fake; after `n` stage-transition calls every further one gets 403."""

    def __init__(self, fake: FakePersonio, n: int) -> None:
        self.inner = fake.transport()
        self.left = n

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stage-transitions"):
            if self.left <= 0:
                return httpx.Response(403, json={"errors": [{"title": "Forbidden", "detail": "no scope"}]},
                                      headers={"Content-Type": "application/problem+json"})
            self.left -= 1
        return self.inner.handle_request(request)


def test_api_failure_mid_incremental_keeps_published_snapshot_and_resumes(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    before_status = store.status()
    before = store.load_tables()
    touched = company.applications["application_id"].to_list()[:80]
    fake.touch_applications(touched)
    with pytest.raises(ScopeError) as err:
        run_sync(client_for(fake, FailAfter(fake, 30)), store, now=lambda: NOW + timedelta(hours=1))
    st = store.status()
    assert st.snapshot_id == before_status.snapshot_id
    assert st.as_of == NOW
    assert st.last_error == str(err.value)
    assert SECRET not in st.last_error
    after = Store(tmp_path / "s").load_tables()
    for name in ("applications", "transitions"):
        assert getattr(after, name).equals(getattr(before, name))
    fake.counts.clear()
    report = run_sync(client_for(fake), store, now=lambda: NOW + timedelta(hours=2))
    assert report.transitions_fetched == 80 - 30
    assert fake.count("transitions") == 50
    assert store.status().last_error is None


def test_readers_see_the_old_snapshot_until_publishing_is_done(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    old_id = store.status().snapshot_id
    fake.touch_applications(company.applications["application_id"].to_list()[:10], "rejected")
    reader = Store(tmp_path / "s")
    observed: list[tuple[str, str | None, datetime]] = []

    def watch(p: SyncProgress) -> None:
        reader._memo = None
        observed.append((f"{p.phase}:{p.done}/{p.total}", reader.status().snapshot_id, reader.load_tables().as_of))

    report = run_sync(client_for(fake), store, progress=watch, now=lambda: NOW + timedelta(hours=1))
    # every tick before the final "publishing 1/1" saw the old snapshot, tables and status alike
    assert all(sid == old_id and as_of == NOW for _, sid, as_of in observed[:-1]), observed
    assert observed[-1][0] == "publishing:1/1"
    assert reader.load_tables().as_of == report.as_of
    assert reader.status().snapshot_id != old_id


def test_progress_reports_every_phase_in_order(fake, tmp_path):
    seen: list[SyncProgress] = []
    run_sync(client_for(fake), Store(tmp_path / "s"), progress=seen.append, now=lambda: NOW)
    order = list(dict.fromkeys(p.phase for p in seen))
    assert order == ["applications", "candidates", "jobs", "categories", "feed", "transitions", "publishing"]
    tx = [p for p in seen if p.phase == "transitions"]
    assert tx[0] == SyncProgress("transitions", 0, N_APPS) and tx[-1] == SyncProgress("transitions", N_APPS, N_APPS)
    assert seen[-1] == SyncProgress("publishing", 1, 1)


def test_wrong_secret_is_recorded_without_the_secret(fake, tmp_path):
    store = Store(tmp_path / "s")
    wrong = "wrong-secret-31337"
    with pytest.raises(PersonioError) as err:
        run_sync(client_for(fake, secret=wrong), store, now=lambda: NOW)
    st = store.status()
    assert st.last_error == str(err.value)
    assert wrong not in st.last_error
    assert st.last_attempt_at == NOW and st.snapshot_id is None


def test_no_candidate_personal_data_reaches_the_disk(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    run_sync(client_for(fake), store, now=lambda: NOW)
    store.close()
    blob = b"".join(
        open(os.path.join(root, f), "rb").read() for root, _, files in os.walk(tmp_path / "s") for f in files
    )
    details = company.candidate_details.drop_nulls("email").head(20)
    for email, last in details.select("email", "last_name").iter_rows():
        assert email.encode() not in blob
        assert last.encode() not in blob
    assert SECRET.encode() not in blob


def test_unreachable_career_feed_is_a_note_not_a_failure(fake, company, tmp_path):
    store = Store(tmp_path / "s")
    fault = fake.inject(r"/xml$", status=503, times=None)
    report = run_sync(client_for(fake), store, now=lambda: NOW)
    assert fault.hits == 1
    assert any("Career-site feed not reachable" in n for n in report.notes)
    t = store.load_tables()
    assert t.applications.height == N_APPS
    assert set(t.jobs["location"].to_list()) == {"Unknown"}
    # once the feed is back, locations appear
    fake.clear_faults()
    run_sync(client_for(fake), store, now=lambda: NOW + timedelta(hours=1))
    assert store.load_tables().jobs["location"].ne("Unknown").any()


def test_cancel_during_a_long_retry_after_stops_within_a_slice_and_counts_the_wait_down(tmp_path, fake):
    fake.inject(r"/stage-transitions$", status=429, times=None, retry_after=200)
    slept: list[float] = []
    cancelled = [False]

    def sleep(s: float) -> None:
        slept.append(s)
        if sum(slept) >= 12:  # the user presses Cancel 12 s into the 200 s wait
            cancelled[0] = True

    client = PersonioClient("https://demo.personio.invalid", "demo", SECRET, transport=fake.transport(),
                            rate_per_second=None, page_limit=LIMIT, sleep=sleep, max_retries=2)
    store = Store(tmp_path / "c")
    seen: list[str] = []
    with pytest.raises(SyncCancelled):
        run_sync(client, store, now=lambda: NOW, cancel=lambda: cancelled[0],
                 progress=lambda p: seen.append(p.waiting) if p.waiting else None)
    assert sum(slept) == 12.0  # not 200 s: the wait is abandoned at the next quarter second
    assert store.status().histories["done"] == 0 and client.interrupt is None  # only the lists' early snapshot
    assert seen[0].endswith("waiting 200 s")
    assert [w.rsplit(": ", 1)[1] for w in seen[1:]] == ["195 s left", "190 s left"]
