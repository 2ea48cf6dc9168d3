"""Intermediate snapshots of a first sync, written by the background publisher while histories arrive."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from polars.testing import assert_frame_equal

from dashboard.store import Store
from dashboard.sync import PUBLISHER_THREAD, _parse, run_sync
from tests.test_sync_robust import NOW, Stub, application

APPS = [application(f"a{day:02d}", day=day) for day in range(1, 11)]  # each history: 2 transitions


class Killed(BaseException):
    """Stands in for the process dying: not an Exception, so nothing on the way may swallow it."""


class RecordingStore(Store):
    """A store that keeps every snapshot it was asked to publish: (histories meta, raw, tables)."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.published: list[tuple[dict, object, object]] = []

    def publish(self, raw, tables, meta, work=None):
        gen = super().publish(raw, tables, meta, work=work)
        self.published.append((dict(meta["histories"]), raw, tables))
        return gen


def test_histories_keep_arriving_while_an_intermediate_snapshot_is_written(tmp_path):
    fetched_during_publish = threading.Event()
    publishing = threading.Event()

    class SlowStore(Store):
        def publish(self, raw, tables, meta, work=None):
            if meta["histories"]["done"] == 4 and not meta["histories"]["complete"]:
                assert threading.current_thread().name == PUBLISHER_THREAD
                publishing.set()
                assert fetched_during_publish.wait(timeout=30)  # the sync fetched the next history meanwhile
            return super().publish(raw, tables, meta, work=work)

    class Watching(Stub):
        def stage_transitions(self, app_id):
            if len(self.fetched()) == 5:  # the second history after the snapshot of 4 was asked for
                assert publishing.wait(timeout=30)
                fetched_during_publish.set()
            return super().stage_transitions(app_id)

    store = SlowStore(tmp_path / "s")
    report = run_sync(Watching(APPS), store, now=lambda: NOW, publish_every=4)
    assert fetched_during_publish.is_set()
    assert report.snapshots == 4
    assert store.status().histories == {"done": 10, "total": 10, "complete": True, "order": "newest first"}


def test_intermediate_snapshots_never_duplicate_an_application_or_a_transition(tmp_path):
    store = RecordingStore(tmp_path / "s")
    run_sync(Stub(APPS), store, now=lambda: NOW, publish_every=3)
    assert [h["done"] for h, _, _ in store.published] == [0, 3, 6, 9, 10]
    for histories, _, tables in store.published:
        assert tables.applications.height == tables.applications["application_id"].n_unique() == 10
        assert tables.transitions.select("application_id", "seq").is_unique().all()
        assert tables.transitions.height == 2 * histories["done"]
    assert store.work_transitions() == {}


def test_every_published_snapshot_equals_a_full_re_parse_of_its_raw_records(tmp_path):
    store = RecordingStore(tmp_path / "s")
    run_sync(Stub(APPS), store, now=lambda: NOW, publish_every=4)
    assert len(store.published) == 4
    for _, raw, tables in store.published:
        expected, _, _ = _parse(raw, NOW)
        for name, frame in expected.frames().items():
            assert_frame_equal(getattr(tables, name), frame, check_row_order=False)


def test_a_sync_killed_in_the_middle_of_a_background_publish_resumes_without_refetching(tmp_path):
    store = Store(tmp_path / "s")
    flip = store._cache.transact

    def die_before_the_flip(*args, **kwargs):
        if threading.current_thread().name == PUBLISHER_THREAD:
            raise Killed()  # the generation is written, `current` not yet flipped to it
        return flip(*args, **kwargs)

    store._cache.transact = die_before_the_flip
    first = Stub(APPS)
    with pytest.raises(Killed):
        run_sync(first, store, now=lambda: NOW, publish_every=4)
    store.close()

    store = Store(tmp_path / "s")
    assert store.status().histories["done"] == 0  # still the lists snapshot: the dying publish never showed
    assert len(store.work_transitions()) == len(first.fetched())  # every fetched history kept for the resume
    again = Stub(APPS)
    report = run_sync(again, store, now=lambda: NOW + timedelta(minutes=5), publish_every=4)
    assert sorted(again.fetched() + first.fetched()) == sorted(app["id"] for app in APPS)  # none fetched twice
    assert report.transitions_fetched == 10 - len(first.fetched())

    reference = Store(tmp_path / "reference")
    run_sync(Stub(APPS), reference, now=lambda: NOW + timedelta(minutes=5), publish_every=4)
    for name, frame in reference.load_tables().frames().items():
        assert_frame_equal(getattr(store.load_tables(), name), frame, check_row_order=False)
    assert store.status().histories == {"done": 10, "total": 10, "complete": True, "order": "newest first"}
    assert store.work_transitions() == {}
