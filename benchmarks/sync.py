"""Sync benchmark: first and incremental sync against the fake Personio's enforced rate limit.

The fake answers 429 (with Retry-After) above `RATE` requests a second; the client's budget is set to the
same rate. Nothing really sleeps: client and fake share a `HybridClock` whose time is the real elapsed time
plus every sleep the client asked for. Its wall time is therefore what the sync would take against an API
that answers instantly, including all of our own processing (and the fake's rendering, reported apart).
The lower bound is `requests / rate`: the time the rate limit alone imposes. `first_usable_s` is the
hybrid time until the sync published its first snapshot (the lists, before the stage histories).
While the sync's background publisher writes a snapshot, sleeps are real: against the real API that worker
runs while the sync waits for the rate limit, so its work is hidden in those waits, not added to them.

    python -m benchmarks.sync [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from benchmarks.common import fmt_s, table
from dashboard.demo import FakePersonio, generate_company
from dashboard.personio import PersonioClient
from dashboard.source import DEMO_BASE_URL, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from dashboard.store import Store
from dashboard.sync import PUBLISHER_THREAD, SyncProgress, run_sync

RATE = 10.0  # requests a second, enforced by the fake
SIZES = (1_000, 10_000, 50_000)
QUICK_SIZES = (300,)
CHANGED_SHARE = 0.01
END = date(2026, 11, 1)
SEED = 7
LIST_ENDPOINTS = ("applications", "candidates", "jobs", "categories")


def _publisher_busy() -> bool:
    """True while the sync's background publisher thread is writing a snapshot."""
    return any(t.name == PUBLISHER_THREAD and t.is_alive() for t in threading.enumerate())


class HybridClock:
    """Seconds since the epoch: real elapsed time plus every `sleep` (which returns at once, unless the
    background publisher is busy: then it really sleeps, in short steps, for as long as that lasts)."""

    def __init__(self, start: float) -> None:
        self._start = start
        self._t0 = time.perf_counter()
        self.slept = 0.0

    def now(self) -> float:
        """The current (virtual) time."""
        return self._start + (time.perf_counter() - self._t0) + self.slept

    def sleep(self, seconds: float, busy=_publisher_busy) -> None:
        """Advance the clock by `seconds`: really while `busy()`, the rest without waiting."""
        left = max(0.0, seconds)
        while left > 0 and busy():
            step = min(left, 0.02)
            time.sleep(step)  # the publisher runs meanwhile; real time counts on the clock by itself
            left -= step
        self.slept += left

    def utc(self) -> datetime:
        """The current time as an aware datetime (for run_sync's `now`)."""
        return datetime.fromtimestamp(self.now(), UTC)


class TimedHandler:
    """Wraps the fake's handler: counts responses by endpoint and status, and the fake's own time."""

    def __init__(self, fake: FakePersonio) -> None:
        self.fake = fake
        self.seconds = 0.0
        self.status: Counter[tuple[str, int]] = Counter()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        t0 = time.perf_counter()
        response = self.fake.handler(request)
        self.seconds += time.perf_counter() - t0
        self.status[(self.fake._endpoint(request.url.path), response.status_code)] += 1
        return response

    def reset(self) -> None:
        """Forget the counts (between the first and the incremental sync)."""
        self.seconds = 0.0
        self.status.clear()

    def ok(self, endpoint: str | None = None) -> int:
        """Successful responses, of one endpoint or all."""
        return sum(n for (ep, st), n in self.status.items() if st < 400 and endpoint in (None, ep))

    def count(self, status: int) -> int:
        """Responses with this status."""
        return sum(n for (_ep, st), n in self.status.items() if st == status)


@dataclass
class SyncRun:
    """One sync: requests, times on the hybrid clock, and where the time beyond the bound went."""

    kind: str  # "first" | "incremental"
    requests: int  # HTTP requests sent (incl. token and retries)
    ok_requests: int
    rate_limited: int  # 429 answers
    by_endpoint: dict[str, int]  # successful requests per endpoint
    wall_s: float  # hybrid clock
    bound_s: float  # ok_requests / RATE
    cpu_s: float  # process CPU time during the sync (ours + the fake's)
    fake_s: float  # real time spent inside the fake's handler
    rate_wait_s: float  # client's budget waits
    retry_wait_s: float  # waits after 429s
    phases: dict[str, float] = field(default_factory=dict)  # hybrid seconds per sync phase
    first_usable_s: float | None = None  # hybrid seconds until the first published snapshot
    snapshots: int = 1  # snapshots published during the sync
    list_requests: int = 0  # successful list-page requests (applications, candidates, jobs, categories)
    expected_requests: int | None = None  # incremental: list pages + changed applications (+ token)
    changed: int = 0

    @property
    def ratio(self) -> float:
        """Wall time over the lower bound."""
        return self.wall_s / self.bound_s if self.bound_s else float("nan")


@dataclass
class SizeResult:
    """First and incremental sync of one company size."""

    size: int
    first: SyncRun
    incremental: SyncRun


def _phase_recorder(clock: HybridClock, phases: dict[str, float]):
    state: dict[str, object] = {"phase": None, "since": 0.0}

    def progress(p: SyncProgress) -> None:
        if p.phase != state["phase"]:
            now = clock.now()
            if state["phase"] is not None:
                phases[state["phase"]] = phases.get(state["phase"], 0.0) + now - state["since"]
            state["phase"], state["since"] = p.phase, now

    def finish() -> None:
        if state["phase"] is not None:
            phase = str(state["phase"])
            phases[phase] = phases.get(phase, 0.0) + clock.now() - float(state["since"])

    return progress, finish


def _one_sync(kind: str, client: PersonioClient, store: Store, shim: TimedHandler, clock: HybridClock,
              full: bool) -> SyncRun:
    shim.reset()
    before = (client.stats.requests, client.stats.rate_wait_seconds, client.stats.retry_wait_seconds)
    phases: dict[str, float] = {}
    progress, finish = _phase_recorder(clock, phases)
    start, cpu0 = clock.now(), time.process_time()
    report = run_sync(client, store, full=full, progress=progress, now=clock.utc)
    finish()
    wall, cpu = clock.now() - start, time.process_time() - cpu0
    ok = shim.ok()
    endpoints = sorted({ep for ep, _ in shim.status})
    return SyncRun(
        kind=kind, requests=client.stats.requests - before[0], ok_requests=ok, rate_limited=shim.count(429),
        by_endpoint={ep: shim.ok(ep) for ep in endpoints}, wall_s=wall, bound_s=ok / RATE, cpu_s=cpu,
        fake_s=shim.seconds, rate_wait_s=client.stats.rate_wait_seconds - before[1],
        retry_wait_s=client.stats.retry_wait_seconds - before[2], phases=phases,
        first_usable_s=report.first_usable_s, snapshots=report.snapshots,
        list_requests=sum(shim.ok(ep) for ep in LIST_ENDPOINTS),
    )


def bench_size(size: int, rate: float = RATE) -> SizeResult:
    """First sync of a `size` company, then 1% of applications change, then an incremental sync."""
    company = generate_company(size, seed=SEED, end=END)
    clock = HybridClock(company.end.timestamp() + 3600)
    fake = FakePersonio(company, client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET, clock=clock.now,
                        rate_limit_per_second=rate)
    shim = TimedHandler(fake)
    client = PersonioClient(DEMO_BASE_URL, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=httpx.MockTransport(shim),
                            rate_per_second=rate, sleep=clock.sleep, clock=clock.now)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        try:
            first = _one_sync("first", client, store, shim, clock, full=True)
            clock.sleep(timedelta(hours=1).total_seconds())
            ids = company.applications["application_id"].to_list()
            changed = ids[:: round(1 / CHANGED_SHARE)]
            fake.touch_applications(changed, stage_type="rejected")
            inc = _one_sync("incremental", client, store, shim, clock, full=False)
        finally:
            store.close()
            client.close()
    list_pages = sum(inc.by_endpoint.get(ep, 0) for ep in LIST_ENDPOINTS)
    inc.changed = len(changed)
    inc.expected_requests = list_pages + len(changed) + inc.by_endpoint.get("token", 0)
    return SizeResult(size, first, inc)


def run(quick: bool = False, sizes: tuple[int, ...] | None = None, log=print) -> list[SizeResult]:
    """Benchmark every size (quick: one small company)."""
    out = []
    for size in sizes or (QUICK_SIZES if quick else SIZES):
        log(f"sync: {size:,} applications ...")
        out.append(bench_size(size))
    return out


def _x(ratio: float) -> str:
    return f"{ratio:.3f}x"


def _where(r: SyncRun) -> str:
    phases = ", ".join(f"{k} {fmt_s(v)}" for k, v in r.phases.items())
    return phases


def report(results: list[SizeResult]) -> str:
    """Markdown tables: requests and times vs the bound, where the time goes, incremental request check."""
    rows, where, inc_rows = [], [], []
    for res in results:
        for r in (res.first, res.incremental):
            rows.append([f"{res.size:,}", r.kind, f"{r.requests:,}", r.rate_limited, fmt_s(r.bound_s),
                         fmt_s(r.wall_s), _x(r.ratio), fmt_s(r.cpu_s), fmt_s(r.fake_s)])
            over = r.wall_s - r.bound_s
            where.append([f"{res.size:,}", r.kind, fmt_s(over), fmt_s(r.rate_wait_s), fmt_s(r.retry_wait_s),
                          fmt_s(r.phases.get("transitions")), fmt_s(r.phases.get("publishing")), _where(r)])
        i = res.incremental
        inc_rows.append([f"{res.size:,}", i.changed, ", ".join(f"{k} {v}" for k, v in i.by_endpoint.items()),
                         i.expected_requests, i.requests, "yes" if i.requests == i.expected_requests else "NO"])
    out = [f"Sync against the fake Personio limited to {RATE:g} requests/s (hybrid clock: real processing + "
           "virtual sleeps)", "",
           table(["applications", "sync", "requests", "429s", "bound (req/rate)", "wall", "wall / bound",
                  "CPU", "in fake"], rows),
           "", "Where the time goes (hybrid seconds)", "",
           table(["applications", "sync", "wall - bound", "budget waits", "429 waits", "transitions phase",
                  "publishing phase", "all phases"], where),
           "", f"Incremental sync after {CHANGED_SHARE:.0%} of applications changed", "",
           table(["applications", "changed", "successful requests by endpoint", "expected (list pages + changed)",
                  "sent", "as expected"], inc_rows)]
    usable = []
    goals = []
    for res in results:
        f = res.first
        goal = (f.list_requests + 10) / RATE
        first = f.first_usable_s if f.first_usable_s is not None else float("nan")
        usable.append([f"{res.size:,}", f.list_requests, fmt_s(first), fmt_s(goal), fmt_s(f.wall_s),
                       f"{first / f.wall_s:.1%}" if f.wall_s else "-", f.snapshots])
        goals.append(f"- {res.size:,}: first usable snapshot after {fmt_s(first)} "
                     f"({'met' if first <= goal else 'MISSED'} <= (list requests + 10) / rate = {fmt_s(goal)}); "
                     f"complete sync {_x(f.ratio)} of the bound ({'met' if f.ratio <= 1.05 else 'MISSED'} <= 1.05x)")
    out += ["", "First usable snapshot (lists published before the stage histories)", "",
            table(["applications", "list requests", "first_usable", "goal (list + 10) / rate", "wall",
                   "first_usable / wall", "snapshots"], usable)]
    return "\n".join([*out, "", "Goals:", *goals])


def main(argv: list[str] | None = None) -> None:
    """CLI: `python -m benchmarks.sync [--quick] [--sizes 1000,10000] [--json out.json]`."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    results = run(args.quick, args.sizes, log=lambda m: print(m, file=sys.stderr))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2, default=str))


if __name__ == "__main__":
    main()
