"""AppTest harness: the real app.py on a Personio source whose client talks to an in-process fake Personio."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import load_settings
from dashboard.demo import FakePersonio
from dashboard.personio import PersonioClient
from dashboard.source import Source, open_store, source_from_settings
from dashboard.sync import run_sync
from tests.hardening.conftest import BASE_URL, CLIENT_ID, LIMIT, VClock

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 60


def env_for(root: Path, secret: str) -> dict[str, str]:
    return {"PERSONIO_CLIENT_ID": CLIENT_ID, "PERSONIO_CLIENT_SECRET": secret, "PERSONIO_BASE_URL": BASE_URL,
            "RECRUITING_DASHBOARD_CACHE_DIR": str(root)}


def publish_good_snapshot(fake: FakePersonio, vclock: VClock, root: Path, secret: str,
                          age: timedelta = timedelta(hours=3)) -> Source:
    """Sync the fake into the cache the app will open, as if `age` ago (real time: the UI shows the age)."""
    source = source_from_settings(load_settings(env_for(root, secret)))
    store = open_store(source, root)
    client = fake_client(fake, vclock, source, secret)
    try:
        run_sync(client, store, full=True, now=lambda: datetime.now(UTC) - age)
    finally:
        client.close()
        store.close()
    return source


def fake_client(fake: FakePersonio, vclock: VClock, source: Source, secret: str | None, **kw) -> PersonioClient:
    return PersonioClient(source.base_url, source.client_id, secret or "", transport=fake.transport(),
                          rate_per_second=None, page_limit=LIMIT, sleep=vclock.sleep, clock=vclock.now,
                          rng=random.Random(0), max_retries=kw.pop("max_retries", 2), **kw)


def clear_streamlit_caches() -> None:
    from dashboard.ui.loaders import clear_caches, client_for, store_for

    client_for.clear()
    store_for.clear()
    clear_caches()


@contextmanager
def app_on_fake(monkeypatch: pytest.MonkeyPatch, fake: FakePersonio, vclock: VClock, root: Path,
                secret: str) -> Iterator[None]:
    """Environment + client factory so that app.py syncs against `fake` on virtual time."""
    for name, value in env_for(root, secret).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PERSONIO_COMPANY_HOST", raising=False)
    monkeypatch.setattr("dashboard.ui.loaders.make_client",
                        lambda source, s, **kw: fake_client(fake, vclock, source, s, **kw))
    clear_streamlit_caches()
    try:
        yield
    finally:
        clear_streamlit_caches()


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def rendered(markdown: str) -> str:
    """What a markdown body reads as once its backslash escapes are applied (server text is escaped)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def texts(at: AppTest) -> list[str]:
    """Every message-like text the page shows (main area and sidebar)."""
    out: list[str] = []
    for kind in ("error", "warning", "info", "success", "caption", "markdown", "toast"):
        out.extend(str(e.value) for e in getattr(at, kind))
    return out


def rendered_bytes(at: AppTest) -> bytes:
    """Every element the app rendered, serialised (protos incl. dataframes), for leak searches."""
    chunks: list[bytes] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            chunks.append(proto.SerializeToString())
            chunks.append(str(proto).encode())
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)  # noqa: SLF001 - the whole rendered tree
    chunks.append(repr(at.session_state).encode())
    return b"\n".join(chunks)
