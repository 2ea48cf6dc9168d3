"""Store: atomic published snapshot, work area, attempts, private permissions, purge."""

import os
import stat
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from dashboard.schema import Tables
from dashboard.store import RawSnapshot, Store, purge_root

AS_OF = datetime(2025, 3, 1, 12, tzinfo=UTC)


def _tables(n: int, as_of: datetime = AS_OF) -> Tables:
    return Tables(applications=_rows(n), as_of=as_of)


def _rows(n: int) -> pl.DataFrame:
    schema = Tables().applications.schema
    return pl.DataFrame({"application_id": [str(i) for i in range(n)]}).with_columns(
        [pl.lit(None, dtype).alias(c) for c, dtype in schema.items() if c != "application_id"]
    ).select(list(schema)).cast(schema)


def _publish(store: Store, n: int, as_of: datetime = AS_OF) -> str:
    raw = RawSnapshot(applications={str(i): {"id": str(i)} for i in range(n)})
    return store.publish(raw, _tables(n, as_of), {"synced_at": as_of, "full_sync_at": as_of, "watermarks": {}})


def test_never_synced(tmp_path):
    store = Store(tmp_path / "s")
    assert store.load_tables() is None
    st = store.status()
    assert st.as_of is None and st.snapshot_id is None and st.counts == {} and st.last_error is None
    assert st.path == tmp_path / "s"


def test_publish_then_load_round_trips_tables_and_meta(tmp_path):
    store = Store(tmp_path / "s")
    gen = _publish(store, 3)
    t = store.load_tables()
    assert t.applications["application_id"].to_list() == ["0", "1", "2"]
    assert t.applications.schema == Tables().applications.schema
    assert t.as_of == AS_OF
    st = store.status()
    assert st.snapshot_id == gen
    assert st.counts["applications"] == 3 and st.counts["transitions"] == 0
    # a second Store on the same directory (another process) sees the same snapshot
    assert Store(tmp_path / "s").load_tables().applications.height == 3


def test_republish_replaces_snapshot_and_drops_old_generation(tmp_path):
    store = Store(tmp_path / "s")
    old = _publish(store, 3)
    new = _publish(store, 5)
    assert new != old
    assert store.load_tables().applications.height == 5
    gens = {k[1] for k in store._cache.iterkeys() if isinstance(k, tuple) and k[0] == "gen"}
    assert gens == {new}


def test_work_area_survives_reopen_and_is_cleared_by_publish(tmp_path):
    store = Store(tmp_path / "s")
    store.save_work_transitions({("a", "v1"): [{"x": 1}], ("b", "v2"): []})
    store.save_work_transitions({("c", "v3"): [{"y": 2}]})
    assert Store(tmp_path / "s").work_transitions() == {("a", "v1"): [{"x": 1}], ("b", "v2"): [], ("c", "v3"): [{"y": 2}]}
    _publish(store, 1)
    assert store.work_transitions() == {}


def test_record_attempt_keeps_published_snapshot(tmp_path):
    store = Store(tmp_path / "s")
    _publish(store, 2)
    at = datetime(2025, 3, 2, tzinfo=UTC)
    store.record_attempt("Personio rejected the credentials", at=at)
    st = store.status()
    assert st.last_error == "Personio rejected the credentials"
    assert st.last_attempt_at == at
    assert st.counts["applications"] == 2
    store.record_attempt(None)
    assert store.status().last_error is None


def _modes(path):
    for root, dirs, files in os.walk(path):
        for d in dirs:
            yield os.path.join(root, d), stat.S_IMODE(os.stat(os.path.join(root, d)).st_mode)
        for f in files:
            yield os.path.join(root, f), stat.S_IMODE(os.stat(os.path.join(root, f)).st_mode)


_LAX_UMASK_SCRIPT = """
import os, sys
from tests.test_store import _publish
from dashboard.store import Store
os.umask(0o022)
store = Store(sys.argv[1])
_publish(store, 50)
store.save_work_transitions({("a", "v"): []})
store.record_attempt(None)
print(oct(os.umask(0o022)))
"""


def test_directory_0700_and_files_0600_even_with_a_lax_umask(tmp_path):
    # in a process of its own: the umask is process-wide, and other tests' threads may hold the private one
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", _LAX_UMASK_SCRIPT, str(tmp_path / "root" / "s")], cwd=root,  # noqa: S603 - our own script
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "0o22"  # the umask is restored
    assert stat.S_IMODE(os.stat(tmp_path / "root" / "s").st_mode) == 0o700
    modes = dict(_modes(tmp_path / "root" / "s"))
    assert modes, "store wrote no files"
    for p, mode in modes.items():
        expected = 0o700 if os.path.isdir(p) else 0o600
        assert mode == expected, (p, oct(mode))


def test_purge_removes_the_whole_directory(tmp_path):
    store = Store(tmp_path / "s")
    _publish(store, 2)
    store.purge()
    assert not (tmp_path / "s").exists()


def test_purge_root_removes_only_stores(tmp_path):
    root = tmp_path / "cache"
    Store(root / "a").close()
    Store(root / "b").close()
    (root / "not-ours").mkdir()
    removed = purge_root(root)
    assert sorted(p.name for p in removed) == ["a", "b"]
    assert (root / "not-ours").exists()  # never deletes what the user put there
    os.rmdir(root / "not-ours")
    purge_root(root)
    assert not root.exists()


def test_readers_never_see_a_half_published_snapshot(tmp_path):
    writer = Store(tmp_path / "s")
    _publish(writer, 10)
    reader = Store(tmp_path / "s")
    seen: list[tuple[int, int]] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            reader._memo = None
            t = reader.load_tables()
            seen.append((t.applications.height, t.as_of.day))

    th = threading.Thread(target=read)
    th.start()
    try:
        for i in range(1, 15):
            n = 10 + i
            _publish(writer, n, datetime(2025, 1, n, tzinfo=UTC))
    finally:
        stop.set()
        th.join()
    assert seen
    # every snapshot read is consistent: its row count matches the day it was published for
    assert all(height == day or (height == 10 and day == 1) for height, day in seen)


def test_private_umask_blocks_overlapping_in_two_threads_restore_the_process_umask():
    from dashboard.store import private_umask

    inside, leave = threading.Event(), threading.Event()

    def worker() -> None:
        with private_umask():
            inside.set()
            leave.wait(timeout=30)

    before = os.umask(0o022)
    try:
        th = threading.Thread(target=worker)
        with private_umask():
            th.start()
            assert inside.wait(timeout=30)
        leave.set()  # the worker leaves last, after the main thread's block ended
        th.join(timeout=30)
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(before)
