"""Shared harness of the hardening suite: a small demo company, the fake Personio on a virtual clock, the real
client and sync, and checks that the store holds exactly the records it should."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from dashboard.demo import FakePersonio, generate_company
from dashboard.demo.generator import DemoCompany
from dashboard.personio import PersonioClient
from dashboard.store import Store
from dashboard.sync import SyncReport, run_sync

END = date(2025, 6, 30)
START = datetime(2025, 6, 30, 12, tzinfo=UTC)
N_APPS = 120
SEED = 3
LIMIT = 25  # small pages: every list has several, so faults can hit the middle of a pagination
BASE_URL = "https://fake.personio.invalid"
CAREER_URL = "https://fake.jobs.personio.invalid"
CLIENT_ID = "papi-hardening"
SECRET = "hardening-secret-42"  # noqa: S105 - the fake's credential


@dataclass
class VClock:
    """Virtual time shared by the client (monotonic clock, sleep) and the fake (wall clock): no real sleeps."""

    t: float = START.timestamp()
    sleeps: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.t, UTC)

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture(scope="session")
def company() -> DemoCompany:
    """The small demo company every fault row runs against."""
    return generate_company(N_APPS, seed=SEED, end=END)


@pytest.fixture
def vclock() -> VClock:
    return VClock()


@pytest.fixture
def fake(company: DemoCompany, vclock: VClock) -> FakePersonio:
    return FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)


def client_for(fake: FakePersonio, vclock: VClock, *, secret: str = SECRET, **kw) -> PersonioClient:
    """The real client over the fake's transport, on virtual time with a seeded jitter."""
    kw.setdefault("transport", fake.transport())
    kw.setdefault("rate_per_second", None)
    return PersonioClient(BASE_URL, CLIENT_ID, secret, page_limit=LIMIT, career_site_url=CAREER_URL,
                          sleep=vclock.sleep, clock=vclock.now, rng=random.Random(0), **kw)


def sync(fake: FakePersonio, vclock: VClock, store: Store, *, full: bool | None = None,
         progress: Callable | None = None, **client_kw) -> SyncReport:
    """One real sync of the fake into `store` at the virtual time."""
    client = client_for(fake, vclock, **client_kw)
    try:
        return run_sync(client, store, full=full, progress=progress, now=vclock.utc)
    finally:
        client.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "cache" / "company")
    yield s
    s.close()


@pytest.fixture
def synced(fake: FakePersonio, vclock: VClock, store: Store) -> Store:
    """A store holding a good snapshot synced three hours (virtual) before the fault happens."""
    sync(fake, vclock, store, full=True)
    vclock.advance(3 * 3600)
    return store


@dataclass(frozen=True)
class Truth:
    """What the store must hold: these ids, these transitions, nothing more, nothing twice."""

    applications: frozenset[str]
    candidates: frozenset[str]
    jobs: frozenset[str]
    transitions: frozenset[tuple[str, datetime, str]]

    @classmethod
    def of(cls, company: DemoCompany, *, without_apps: set[str] = frozenset(),
           without_candidates: set[str] = frozenset()) -> Truth:
        apps = company.applications.filter(~pl.col("application_id").is_in(list(without_apps))
                                           & ~pl.col("candidate_id").is_in(list(without_candidates)).fill_null(False))
        ids = set(apps["application_id"].to_list())
        tx = company.transitions.filter(pl.col("application_id").is_in(list(ids)))
        return cls(
            applications=frozenset(ids),
            candidates=frozenset(c for c in company.candidates["candidate_id"].to_list()
                                 if c not in without_candidates),
            jobs=frozenset(company.jobs["job_id"].to_list()),
            transitions=frozenset(tx.select("application_id", "transitioned_at", "to_stage_id").iter_rows()),
        )


def assert_exact(store: Store, truth: Truth) -> None:
    """The published snapshot holds exactly `truth`: no record lost, none duplicated, none extra."""
    t = store.load_tables()
    assert t is not None, "nothing published"
    apps = t.applications["application_id"].to_list()
    assert len(apps) == len(set(apps)), "duplicated applications"
    assert set(apps) == truth.applications
    cands = t.candidates["candidate_id"].to_list()
    assert len(cands) == len(set(cands)), "duplicated candidates"
    assert set(cands) == truth.candidates
    jobs = t.jobs["job_id"].to_list()
    assert len(jobs) == len(set(jobs)) and set(jobs) == truth.jobs
    tx = list(t.transitions.select("application_id", "transitioned_at", "to_stage_id").iter_rows())
    assert len(tx) == len(set(tx)), "duplicated transitions"
    assert set(tx) == truth.transitions
    keys = list(t.transitions.select("application_id", "seq").iter_rows())
    assert len(keys) == len(set(keys))


def snapshot_id(store: Store) -> str | None:
    return store.status().snapshot_id


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    """Report how many fuzzed payloads ran (the fuzz tests record it as a user property)."""
    total = 0
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "fuzzed_payloads":
                total += int(value)
    if total:
        terminalreporter.write_line(f"hardening: {total} fuzzed payloads parsed")
