"""A damaged or read-only cache: detected, set aside (or read from a copy), said, and the app and CLI go on."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import diskcache
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.__main__ import main
from dashboard.store import CacheError, RawSnapshot, Store
from dashboard.sync import run_sync
from tests.pages.conftest import APP, TIMEOUT, _env, _publish
from tests.test_sync_robust import Stub, application

NOW = datetime(2025, 6, 30, 12, tzinfo=UTC)


def run(argv, env):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, env=env, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _damage(store_dir: Path, how: str) -> None:
    db = store_dir / "cache.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3] if how == "truncated" else b"garbage!" * 512)


def _synced(path: Path) -> Store:
    store = Store(path)
    run_sync(Stub([application("a1")]), store, now=lambda: NOW)
    return store


@pytest.mark.parametrize("how", ["truncated", "garbled"])
def test_a_damaged_cache_is_set_aside_and_a_fresh_one_started(tmp_path, how):
    _synced(tmp_path / "s").close()
    _damage(tmp_path / "s", how)
    store = Store(tmp_path / "s")
    assert store.load_tables() is None
    assert store.recovered and "damaged" in store.recovered
    (aside,) = tmp_path.glob("s.damaged-*")
    assert str(aside) in store.recovered
    assert (aside / "cache.db").exists() and aside.stat().st_mode & 0o077 == 0
    run_sync(Stub([application("a1")]), store, now=lambda: NOW)  # and it works again
    assert store.load_tables().applications.height == 1


def test_damage_found_after_opening_recovers_on_the_next_read(tmp_path, monkeypatch):
    store = _synced(tmp_path / "s")

    def broken(*_a, **_k):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(store._cache, "get", broken)
    assert store.status().snapshot_id is None  # answered from the fresh store
    assert store.recovered


def test_the_cli_says_what_happened_and_starts_clean(tmp_path):
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}
    assert run(["sync", "--demo-size", "20"], env)[0] == 0
    (store_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    _damage(store_dir, "garbled")
    code, _, err = run(["export", "--demo-size", "20", "--no-sync", "--out", str(tmp_path / "out")], env)
    assert code == 2 and "Traceback" not in err
    assert "warning: The local cache was damaged" in err
    assert err.strip().endswith("run without --no-sync (or `sync`) first.")
    code, _, err = run(["sync", "--demo-size", "20"], env)
    assert code == 0, err


def _read_only(monkeypatch, store_dir: Path) -> None:
    """Stand-in for a read-only directory (tests may run as root, who can write anywhere)."""
    real = diskcache.Cache

    def cache(directory, **kw):
        if Path(directory) == store_dir:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(directory, **kw)

    monkeypatch.setattr("dashboard.store.diskcache.Cache", cache)


def test_a_read_only_cache_still_exports_and_a_sync_says_it_cannot_save(tmp_path, monkeypatch):
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}
    assert run(["sync", "--demo-size", "20"], env)[0] == 0
    (store_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    _read_only(monkeypatch, store_dir)
    code, out, err = run(["export", "--demo-size", "20", "--no-sync", "--out", str(tmp_path / "out")], env)
    assert code == 0, err
    assert "not writable: showing the cached data read-only" in err
    assert (tmp_path / "out").is_dir()
    code, _, err = run(["sync", "--demo-size", "20"], env)
    assert code == 2 and "a sync cannot save" in err and "Traceback" not in err


def test_no_cache_and_an_unwritable_directory_is_a_clear_error(tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(CacheError, match="not writable"):
        Store(tmp_path / "new")


def test_the_app_recovers_and_the_data_page_says_so(tmp_path, monkeypatch):
    _publish(tmp_path, 30)
    (store_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    _damage(store_dir, "truncated")
    _env(monkeypatch, tmp_path, 30)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/admin/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("The local cache was damaged" in t.value for t in at.text)


def test_publish_on_a_read_only_store_is_refused(tmp_path, monkeypatch):
    _synced(tmp_path / "s").close()
    _read_only(monkeypatch, tmp_path / "s")
    store = Store(tmp_path / "s")
    assert store.read_only and store.load_tables().applications.height == 1
    with pytest.raises(CacheError):
        store.publish(RawSnapshot(), store.load_tables(), {})
    store.close()
