"""Sync against a hand-built stub API: bad records, future timestamps, stale histories, early snapshots, cancel."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.store import Store
from dashboard.sync import SyncCancelled, SyncProgress, run_sync, user_message

NOW = datetime(2025, 6, 30, 12, tzinfo=UTC)
SCREEN = {"id": "s2", "name": "Screen", "type": "screening", "kind": "custom"}
OFFER = {"id": "s4", "name": "Offer", "type": "offer", "kind": "custom"}
NEW = {"type": "new", "kind": "system"}


def ts(day: int, hour: int = 9) -> dict:
    return {"date-time": f"2025-06-{day:02d}T{hour:02d}:00:00Z", "timezone": "UTC"}


def application(app_id, day: int = 1, stage: dict = SCREEN, updated: dict | None = None, **extra) -> dict:
    return {"id": app_id, "current_stage": stage, "application_date": f"2025-06-{day:02d}",
            "created_at": ts(day), "updated_at": updated or ts(day, 10), "job": {"id": "j1", "name": "Eng"},
            "candidate": {"id": f"c-{app_id}", "email": "someone@example.com"}, **extra}


def history(stage: dict = SCREEN, day: int = 1) -> list[dict]:
    return [{"to_stage": stage, "from_stage": NEW, "created_at": ts(day, 11), "moved_by": "boss@example.com"},
            {"to_stage": NEW, "created_at": ts(day, 9)}]


class Stub:
    """The four lists plus per-application histories; counts requests and remembers their parameters."""

    def __init__(self, apps: list, histories: dict | None = None, jobs: list | None = None) -> None:
        self.apps = apps
        self.histories = histories or {}
        self.job_list = jobs if jobs is not None else [{"id": "j1", "name": "Eng", "updated_at": ts(1)}]
        self.calls: list[tuple[str, object]] = []
        self.stats = type("Stats", (), {"requests": 0})()
        self.on_retry = None

    def _count(self, what: str, arg: object = None) -> None:
        self.stats.requests += 1
        self.calls.append((what, arg))

    def applications(self, since=None):
        self._count("applications", since)
        return iter(list(self.apps))

    def candidates(self, since=None):
        self._count("candidates", since)
        return iter([])

    def jobs(self, since=None):
        self._count("jobs", since)
        return iter(list(self.job_list))

    def categories(self):
        self._count("categories")
        return [{"id": "cat", "name": "Default", "stages": [SCREEN, OFFER]}]

    def stage_transitions(self, app_id):
        self._count("transitions", app_id)
        found = self.histories.get(app_id)
        return history() if found is None else found

    def fetched(self) -> list:
        return [arg for what, arg in self.calls if what == "transitions"]


def test_unusable_ids_are_skipped_with_a_counted_note_and_the_rest_synced(tmp_path):
    apps = [application("a1"), application(""), application("."), application(".."), application(float("nan")),
            application(float("inf")), application(True)]
    store = Store(tmp_path / "s")
    report = run_sync(Stub(apps), store, now=lambda: NOW)
    assert store.load_tables().applications["application_id"].to_list() == ["a1"]
    assert any(n.startswith("applications: skipped records without a usable id") and n.endswith("(6 records)")
               for n in report.notes)
    assert not any("deleted in Personio" in n for n in report.notes)


def test_nan_ids_are_never_reported_as_deleted_on_the_full_pass(tmp_path):
    store = Store(tmp_path / "s")
    stub = Stub([application("a1"), application(float("nan"))])
    report = run_sync(stub, store, now=lambda: NOW, full=True)
    assert stub.fetched() == ["a1"]
    assert not any("deleted" in n for n in report.notes)


def test_duplicate_ids_across_pages_merge_to_the_newest_copy_with_a_note(tmp_path):
    older = application("a1", stage=SCREEN, updated=ts(2))
    newer = application("a1", stage=OFFER, updated=ts(3))
    store = Store(tmp_path / "s")
    report = run_sync(Stub([older, application("a2"), newer], {"a1": history(OFFER)}), store, now=lambda: NOW)
    apps = store.load_tables().applications.sort("application_id")
    assert apps["application_id"].to_list() == ["a1", "a2"]
    assert apps["stage_id"].to_list() == ["s4", "s2"]
    assert "applications: the same id was listed more than once, merged keeping the most recently updated copy " \
           "(1 record)" in report.notes


def test_a_future_updated_at_does_not_move_the_watermark(tmp_path):
    apps = [application("a1", updated=ts(20)), application("a2", updated={"date-time": "9999-12-31T23:59:59Z"})]
    store = Store(tmp_path / "s")
    report = run_sync(Stub(apps), store, now=lambda: NOW)
    assert store.meta()["watermarks"]["applications"] == datetime(2025, 6, 20, 9, tzinfo=UTC)
    assert any(n.startswith("applications: updated_at later than now") and n.endswith("(1 record)")
               for n in report.notes)
    stub = Stub(apps)
    run_sync(stub, store, now=lambda: NOW + timedelta(hours=1))
    assert stub.calls[0] == ("applications", datetime(2025, 6, 20, 8, 50, tzinfo=UTC))


def test_jobs_sync_incrementally_after_the_first_sync(tmp_path):
    store = Store(tmp_path / "s")
    run_sync(Stub([application("a1")]), store, now=lambda: NOW)
    stub = Stub([application("a1")], jobs=[{"id": "j2", "name": "Sales", "updated_at": ts(25)}])
    run_sync(stub, store, now=lambda: NOW + timedelta(hours=1))
    assert ("jobs", datetime(2025, 6, 1, 8, 50, tzinfo=UTC)) in stub.calls
    assert sorted(store.load_tables().jobs["job_id"].to_list()) == ["j1", "j2"]  # merged, not replaced


def test_a_stale_history_is_re_read_once_and_counted(tmp_path):
    store = Store(tmp_path / "s")
    run_sync(Stub([application("a1"), application("a2")]), store, now=lambda: NOW)
    # a1 moved to Offer without a new updated_at: its stored history ends in Screen
    stub = Stub([application("a1", stage=OFFER), application("a2")], {"a1": history(OFFER, day=5)})
    report = run_sync(stub, store, now=lambda: NOW + timedelta(hours=1))
    assert report.histories_refreshed == 1
    assert stub.fetched() == ["a1"]
    last = store.load_tables().transitions.filter(application_id="a1").sort("seq")["to_stage_id"].to_list()[-1]
    assert last == "s4"
    again = Stub([application("a1", stage=OFFER), application("a2")])
    assert run_sync(again, store, now=lambda: NOW + timedelta(hours=2)).histories_refreshed == 0


def test_a_history_that_disagrees_when_fetched_is_not_re_read_every_sync(tmp_path):
    store = Store(tmp_path / "s")
    stub = Stub([application("a1", stage=OFFER)])  # Personio itself: current stage Offer, history ends in Screen
    run_sync(stub, store, now=lambda: NOW)
    again = Stub([application("a1", stage=OFFER)])
    assert run_sync(again, store, now=lambda: NOW + timedelta(hours=1)).histories_refreshed == 0
    assert again.fetched() == []


def test_first_sync_publishes_the_lists_first_then_histories_newest_first(tmp_path):
    apps = [application(f"a{day:02d}", day=day) for day in range(1, 11)]
    store = Store(tmp_path / "s")
    seen: list[tuple[int, dict]] = []

    def watch(p: SyncProgress) -> None:
        if p.phase == "transitions":
            st = store.status()
            if st.histories is not None:
                seen.append((p.done, dict(st.histories)))

    published: list[dict] = []
    write = store.publish

    def publish(raw, tables, meta, work=None):
        published.append(dict(meta["histories"]))
        return write(raw, tables, meta, work=work)

    store.publish = publish
    stub = Stub(apps)
    report = run_sync(stub, store, now=lambda: NOW, progress=watch, publish_every=4)
    assert stub.fetched() == [f"a{day:02d}" for day in range(10, 0, -1)]  # newest applications first
    assert seen[0] == (0, {"done": 0, "total": 10, "complete": False, "order": "newest first"})
    assert [(h["done"], h["total"], h["complete"]) for h in published] == [
        (0, 10, False), (4, 10, False), (8, 10, False), (10, 10, True)]  # lists, after 4, after 8, final
    assert report.snapshots == 4
    assert store.status().histories == {"done": 10, "total": 10, "complete": True, "order": "newest first"}
    assert store.load_tables().transitions.height == 20  # never duplicated


def test_a_small_incremental_sync_publishes_once(tmp_path):
    store = Store(tmp_path / "s")
    run_sync(Stub([application("a1")]), store, now=lambda: NOW)
    report = run_sync(Stub([application("a1", updated=ts(9)), application("a2")]), store,
                      now=lambda: NOW + timedelta(hours=1))
    assert report.snapshots == 1


def test_unreadable_histories_publish_lists_and_report_an_error(tmp_path):
    odd = [{"moved_to": "x", "when": "2025-06-02"}]
    store = Store(tmp_path / "s")
    report = run_sync(Stub([application("a1"), application("a2")], {"a1": odd, "a2": odd}), store,
                      now=lambda: NOW)
    assert len(report.errors) == 1 and "stage transitions" in report.errors[0]
    assert "moved_to" in report.errors[0] and "when" in report.errors[0]
    assert store.status().errors == report.errors
    assert store.load_tables().applications.height == 2
    # the raw items stay: a parser that understood them would re-derive the tables without a new sync
    _, raw = store.load_raw()
    assert raw.transitions["a1"][1] == odd


def test_cancel_before_publishing_leaves_the_store_as_it_was(tmp_path):
    store = Store(tmp_path / "s")
    run_sync(Stub([application("a1")]), store, now=lambda: NOW)
    before = (store.status().snapshot_id, store.status().last_attempt_at)
    stub = Stub([application(f"b{i}", updated=ts(20)) for i in range(5)] + [application("a1")])
    with pytest.raises(SyncCancelled):
        run_sync(stub, store, now=lambda: NOW + timedelta(hours=1), cancel=lambda: len(stub.fetched()) >= 2)
    assert (store.status().snapshot_id, store.status().last_attempt_at) == before
    assert store.load_tables().applications["application_id"].to_list() == ["a1"]
    assert len(stub.fetched()) == 2


def test_nothing_written_to_the_cache_carries_fields_the_dashboard_does_not_use(tmp_path):
    apps = [application("a1", phone="+49 111 222", custom_attributes=[{"value": "secret-attr"}])]
    store = Store(tmp_path / "s")
    run_sync(Stub(apps), store, now=lambda: NOW)
    store.close()
    blob = b"".join(open(os.path.join(root, f), "rb").read()
                    for root, _, files in os.walk(tmp_path / "s") for f in files)
    for secret in (b"someone@example.com", b"+49 111 222", b"secret-attr", b"boss@example.com"):
        assert secret not in blob


def test_deep_json_reads_as_an_ordinary_cannot_read_message():
    assert user_message(RecursionError("maximum recursion depth exceeded")).startswith("Cannot read the response")
    assert not user_message(ValueError("x")).startswith("Unexpected")


def test_the_first_snapshot_does_not_wait_for_the_career_site_feed(tmp_path):
    store = Store(tmp_path / "s")
    stub = Stub([application(f"a{i}") for i in range(5)])
    seen: list[str | None] = []

    def career_feed():
        seen.append(store.status().snapshot_id)
        return None

    stub.career_feed = career_feed
    run_sync(stub, store, now=lambda: NOW, publish_every=2)
    assert len(seen) == 1 and seen[0] is not None  # the lists were already published when the feed was asked
