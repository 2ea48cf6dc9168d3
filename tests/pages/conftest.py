"""Page tests: one small demo company and one empty company, each synced once into a temporary cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard.config import load_settings
from dashboard.source import make_client, open_store, source_from_settings
from dashboard.store import RawSnapshot
from dashboard.ui.sidebar import ENV_DEMO_SIZE
from tests.pages.synthetic import synthetic_tables

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DEMO_SIZE = 400
TIMEOUT = 60


def _demo_available() -> bool:
    """True when the demo generator and the fake Personio are installed (else a synthetic company is used)."""
    try:
        from dashboard.demo import FakePersonio, generate_company  # noqa: F401
        from dashboard.personio import PersonioClient  # noqa: F401
    except ImportError:
        return False
    return True


def _publish(cache_root: Path, size: int) -> None:
    """Sync the built-in demo company of `size` applications into `cache_root` (synthetic when no demo)."""
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(cache_root)}
    source = source_from_settings(load_settings(env), demo_size=size)
    store = open_store(source, cache_root)
    if _demo_available():
        from dashboard.sync import run_sync

        run_sync(make_client(source, None), store, full=True)
    else:
        tables = synthetic_tables(size, datetime.now(UTC).date())
        now = datetime.now(UTC)
        store.publish(RawSnapshot(), tables, {"synced_at": now, "full_sync_at": now, "watermarks": {}})
    store.close()


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding a synced demo company of DEMO_SIZE applications."""
    root = tmp_path_factory.mktemp("demo-cache")
    _publish(root, DEMO_SIZE)
    return root


@pytest.fixture(scope="session")
def empty_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding a synced company with no applications."""
    root = tmp_path_factory.mktemp("empty-cache")
    _publish(root, 0)
    return root


def _env(monkeypatch: pytest.MonkeyPatch, root: Path, size: int) -> None:
    monkeypatch.setenv("RECRUITING_DASHBOARD_CACHE_DIR", str(root))
    monkeypatch.setenv(ENV_DEMO_SIZE, str(size))
    for name in ("PERSONIO_CLIENT_ID", "PERSONIO_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch, demo_cache: Path) -> Iterator[Path]:
    """Environment pointing the app at the small demo company."""
    _env(monkeypatch, demo_cache, DEMO_SIZE)
    yield demo_cache


@pytest.fixture
def empty_env(monkeypatch: pytest.MonkeyPatch, empty_cache: Path) -> Iterator[Path]:
    """Environment pointing the app at the empty company."""
    _env(monkeypatch, empty_cache, 0)
    yield empty_cache


def demo_tables(root: Path, size: int = DEMO_SIZE):
    """The tables the app shows for the demo company synced into `root` (other companies' stores ignored)."""
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(root)}
    store = open_store(source_from_settings(load_settings(env), demo_size=size), root)
    try:
        return store.load_tables()
    finally:
        store.close()
