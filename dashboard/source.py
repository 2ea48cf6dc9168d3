"""Which company the dashboard shows (the built-in demo or a Personio account) and its client and store."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import httpx

from dashboard.config import ConfigError, Settings, default_cache_root
from dashboard.store import Store

if TYPE_CHECKING:
    from dashboard.demo import FakePersonio
    from dashboard.personio import PersonioClient

DEMO_BASE_URL = "https://demo.personio.invalid"
DEMO_CAREER_SITE_URL = "https://demo.jobs.personio.invalid"  # the fake serves the XML feed on any host
DEMO_CLIENT_ID = "demo"
DEMO_CLIENT_SECRET = "demo-secret"  # noqa: S105 - the fake's published demo credential, not a secret
DEMO_SIZE = 10000
DEMO_SEED = 7


@dataclass(frozen=True)
class Source:
    """A company to sync: `kind` demo (generated, served in-process) or personio (the real API)."""

    kind: Literal["demo", "personio"]
    base_url: str
    client_id: str = ""
    career_site_url: str | None = None
    demo_size: int = DEMO_SIZE
    demo_seed: int = DEMO_SEED
    scope: str | None = None  # token request scope when configured (not part of the cache key)

    @property
    def key(self) -> str:
        """Short stable folder name for this company's cache; derived from public fields only."""
        if self.kind == "demo":
            ident: dict[str, Any] = {"kind": "demo", "size": self.demo_size, "seed": self.demo_seed}
        else:
            ident = {"kind": "personio", "base_url": self.base_url.rstrip("/").lower(),
                     "client_id": self.client_id, "career_site_url": self.career_site_url}
        digest = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:16]
        return f"{self.kind}-{digest}"

    @property
    def label(self) -> str:
        """What the UI calls this company."""
        if self.kind == "demo":
            return "Demo company (generated data)"
        return f"Personio: {urlsplit(self.base_url).netloc or self.base_url}"

    @property
    def is_demo(self) -> bool:
        """True for the built-in demo company."""
        return self.kind == "demo"

    @property
    def publish_every(self) -> int | None:
        """`run_sync(publish_every=…)` for this company: snapshots on the way of a first sync only against the
        rate-limited API. The demo answers at once, and re-parsing it a dozen times on the way doubled its
        first sync (27 s instead of 14 s at 10,000 applications)."""
        from dashboard.sync import PUBLISH_EVERY

        return None if self.is_demo else PUBLISH_EVERY


def demo_source(size: int = DEMO_SIZE, seed: int = DEMO_SEED) -> Source:
    """The built-in demo company of `size` applications."""
    return Source(kind="demo", base_url=DEMO_BASE_URL, client_id=DEMO_CLIENT_ID,
                  career_site_url=DEMO_CAREER_SITE_URL, demo_size=size, demo_seed=seed)


def source_from_settings(settings: Settings, *, demo_size: int = DEMO_SIZE, demo_seed: int = DEMO_SEED) -> Source:
    """The demo company without credentials, else the Personio account the settings point at."""
    if settings.is_demo:
        return demo_source(demo_size, demo_seed)
    return Source(kind="personio", base_url=settings.base_url, client_id=settings.client_id,
                  career_site_url=settings.career_site_url, scope=settings.scope)


_FAKES: dict[tuple[int, int, date], FakePersonio] = {}
_FAKES_LOCK = threading.Lock()


def demo_fake(size: int = DEMO_SIZE, seed: int = DEMO_SEED, today: date | None = None) -> FakePersonio:
    """The process-wide fake Personio serving the demo company of (size, seed, today)."""
    from dashboard.demo import FakePersonio, generate_company
    from dashboard.demo.fake import PERSONS_SCOPE, RECRUITING_SCOPE

    today = today or datetime.now(UTC).date()
    key = (size, seed, today)
    with _FAKES_LOCK:
        fake = _FAKES.get(key)
        if fake is None:
            company = generate_company(n_applications=size, seed=seed, end=today)
            # the demo credential may read persons too, so "Show member names" works on the Team page
            fake = FakePersonio(company, client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET,
                                scopes=(RECRUITING_SCOPE, PERSONS_SCOPE))
            for stale in [k for k in _FAKES if k[:2] == (size, seed)]:
                del _FAKES[stale]  # yesterday's company is not needed any more
            _FAKES[key] = fake
        return fake


def make_client(source: Source, client_secret: str | None, **client_kwargs: Any) -> PersonioClient:
    """A PersonioClient for `source`: the demo fake through httpx.MockTransport, or the real API."""
    from dashboard.personio import PersonioClient

    if source.kind == "demo":
        fake = demo_fake(source.demo_size, source.demo_seed)
        kwargs: dict[str, Any] = {"transport": httpx.MockTransport(fake.handler), "rate_per_second": None,
                                  "career_site_url": source.career_site_url}
        kwargs.update(client_kwargs)
        return PersonioClient(base_url=DEMO_BASE_URL, client_id=DEMO_CLIENT_ID,
                              client_secret=DEMO_CLIENT_SECRET, **kwargs)
    if not source.client_id or not client_secret:
        raise ConfigError("Personio needs a client id and a client secret (PERSONIO_CLIENT_ID / PERSONIO_CLIENT_SECRET).")
    kwargs = {"career_site_url": source.career_site_url, "scope": source.scope, **client_kwargs}
    return PersonioClient(base_url=source.base_url, client_id=source.client_id, client_secret=client_secret, **kwargs)


def open_store(source: Source, cache_root: str | os.PathLike[str] | None = None) -> Store:
    """The store of `source` under `cache_root` (default: the user cache directory)."""
    root = Path(cache_root) if cache_root is not None else default_cache_root()
    return Store(root / source.key)
