"""Interaction benchmark: server-side time from a sidebar filter change to a rendered page (Streamlit AppTest).

A demo company of each size is published straight into a temporary store (the generator's tables, as a
sync would leave them), then `app.py` runs under AppTest. Per page: one run to open it, then several filter
changes (a department, a channel, a date preset; each a new filter state, so no cached metric result can
answer it), each timed from `at.run()` to the returned element tree. AppTest runs the script in this
process, so the figure is script time + Streamlit's own work, without the browser and the websocket.

    python -m benchmarks.interaction [--quick]

Browser mode (`--browser`) times the same app in Debian Chromium instead, click to settled page (see
benchmarks/browser.py for "settled"), for every page of the navigation:

- page switch: a click on the page's navigation link (its metrics not yet computed for the filter state;
  the application facts are, by the page before it);
- filter change: on that page, a click picking one channel in the sidebar (a filter state this server has
  not seen: every metric and the facts are computed).

Each repeat starts a fresh server (empty Streamlit caches) on the same published company. With `--ref REV`
the same walk also runs against a git worktree of REV, interleaved with this checkout in every repeat
(alternating which goes first), so before/after are measured side by side under the same machine load.

    python -m benchmarks.interaction --browser [--sizes 3000,100000] [--repeats 5] [--ref HEAD~3]
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import ROOT, fmt_s, table
from dashboard.demo import generate_company
from dashboard.source import demo_source, open_store
from dashboard.store import RawSnapshot
from dashboard.ui import state
from dashboard.ui.sidebar import ENV_DEMO_SIZE

SIZES = (3_000, 100_000)
QUICK_SIZES = (500,)
SEED = 7
GOAL_S = 0.3
PAGES = (
    "pages/review/overview.py",
    "pages/review/funnel.py",
    "pages/review/speed.py",
    "pages/sources/channels.py",
    "pages/sources/jobs.py",
    "pages/sources/outcomes.py",
    "pages/sources/candidates.py",
)
TIMEOUT = 600
BROWSER_SIZES_QUICK = (500,)


@dataclass
class PageResult:
    """Filter-change times of one page at one size, and how much of each was metric computation."""

    size: int
    page: str
    open_s: float  # switching to the page (its metrics on the current filter state)
    changes_s: list[float]  # one per filter change
    metrics_s: list[float] = field(default_factory=list)  # of which: metric functions + application facts

    @property
    def median(self) -> float:
        """Median filter-change time."""
        return statistics.median(self.changes_s)

    @property
    def metrics_share(self) -> float | None:
        """Median share of a filter change spent computing metrics (the rest: Streamlit, figures, tables)."""
        if len(self.metrics_s) != len(self.changes_s) or not self.changes_s:
            return None
        return statistics.median(m / c for m, c in zip(self.metrics_s, self.changes_s, strict=True))


class MetricTimer:
    """Adds up the time spent in metric functions called through the app's cached loaders (outermost calls)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._depth = 0
        self._undo: list = []

    def _wrap(self, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._depth += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds += time.perf_counter() - t0
        return timed

    def __enter__(self) -> MetricTimer:
        import metrics.stages
        from dashboard.ui import loaders

        resolve, facts = loaders._resolve, metrics.stages.application_facts
        loaders._resolve = lambda name: self._wrap(resolve(name))
        metrics.stages.application_facts = self._wrap(facts)
        self._undo = [(loaders, "_resolve", resolve), (metrics.stages, "application_facts", facts)]
        return self

    def __exit__(self, *exc: object) -> None:
        for obj, name, value in self._undo:
            setattr(obj, name, value)


def publish_demo(cache_root: Path, size: int) -> None:
    """Publish the generated demo company of `size` as the demo source's snapshot (no sync needed)."""
    company = generate_company(size, seed=SEED, end=datetime.now(UTC).date())
    store = open_store(demo_source(size), cache_root)
    try:
        now = datetime.now(UTC)
        store.publish(RawSnapshot(), company.tables(), {"synced_at": now, "full_sync_at": now, "watermarks": {}})
    finally:
        store.close()


def _changes(at) -> list:
    """Filter changes, each to a filter state not seen before in this session."""
    departments = at.sidebar.multiselect(key=state.DEPARTMENTS).options
    channels = at.sidebar.multiselect(key=state.CHANNELS).options
    return [
        lambda: at.sidebar.multiselect(key=state.DEPARTMENTS).set_value(departments[:1]),
        lambda: at.sidebar.multiselect(key=state.CHANNELS).set_value(channels[:1]),
        lambda: at.sidebar.selectbox(key=state.PRESET).set_value("last_12_months"),
        lambda: at.sidebar.multiselect(key=state.DEPARTMENTS).set_value(departments[1:2]),
        lambda: at.sidebar.multiselect(key=state.CHANNELS).set_value([]),
    ]


def bench_page(size: int, page: str, n_changes: int) -> PageResult:
    """A fresh app session (and fresh Streamlit caches) on `page`; times `n_changes` filter changes."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    for name in ("streamlit", "streamlit.runtime"):  # "no runtime" warnings of bare mode
        logging.getLogger(name).setLevel(logging.ERROR)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    t0 = time.perf_counter()
    at.switch_page(page).run()
    opened = time.perf_counter() - t0
    _check(at, page)
    times, in_metrics = [], []
    for change in _changes(at)[:n_changes]:
        change()
        with MetricTimer() as timer:
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        in_metrics.append(timer.seconds)
        _check(at, page)
    return PageResult(size, page, opened, times, in_metrics)


def _check(at, page: str) -> None:
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception][:1]}")


def bench_size(size: int, n_changes: int, pages: tuple[str, ...] = PAGES) -> list[PageResult]:
    """Every page of a `size` demo company (published into a temporary cache)."""
    saved = {k: os.environ.get(k) for k in ("RECRUITING_DASHBOARD_CACHE_DIR", ENV_DEMO_SIZE,
                                            "PERSONIO_CLIENT_ID", "PERSONIO_CLIENT_SECRET")}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            os.environ["RECRUITING_DASHBOARD_CACHE_DIR"] = tmp
            os.environ[ENV_DEMO_SIZE] = str(size)
            os.environ.pop("PERSONIO_CLIENT_ID", None)
            os.environ.pop("PERSONIO_CLIENT_SECRET", None)
            publish_demo(Path(tmp), size)
            return [bench_page(size, page, n_changes) for page in pages]
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def run(quick: bool = False, sizes: tuple[int, ...] | None = None, n_changes: int | None = None,
        log=print) -> list[PageResult]:
    """Every page at every size (quick: a small company, two changes, two pages)."""
    out: list[PageResult] = []
    for size in sizes or (QUICK_SIZES if quick else SIZES):
        log(f"interaction: {size:,} applications ...")
        out += bench_size(size, n_changes or (2 if quick else 5), PAGES[:2] if quick else PAGES)
    return out


def _share(r: PageResult) -> str:
    return "?" if r.metrics_share is None else f"{r.metrics_share:.0%}"


def report(results: list[PageResult]) -> str:
    """Markdown: per page and size, median filter change time (and the slowest), ratio to the goal."""
    sizes = sorted({r.size for r in results})
    rows = []
    for page in dict.fromkeys(r.page for r in results):
        row = [page.removeprefix("pages/").removesuffix(".py")]
        for size in sizes:
            r = next((x for x in results if x.page == page and x.size == size), None)
            row.append("-" if r is None else f"{fmt_s(r.median)} (max {fmt_s(max(r.changes_s))}; "
                                             f"{_share(r)} metrics; {r.median / GOAL_S:.2f}x goal)")
        rows.append(row)
    out = [f"Filter change → rendered page, server side (AppTest; median of changes; share of it computing "
           f"metrics; goal {fmt_s(GOAL_S)})", "",
           table(["page", *(f"{s:,} applications" for s in sizes)], rows)]
    goals = []
    for size in sizes:
        worst = max((r for r in results if r.size == size), key=lambda r: r.median)
        verdict = "no goal at this size" if size < 100_000 else "met" if worst.median <= GOAL_S else "MISSED"
        goals.append(f"- {size:,}: slowest page {worst.page} {fmt_s(worst.median)} ({verdict}; goal "
                     f"{fmt_s(GOAL_S)} at 100,000)")
    return "\n".join([*out, "", "Goals:", *goals])


BROWSER_GOALS_S = {3_000: 0.5, 100_000: 1.0}
START = "Data"  # the page the walk starts on (reads no metrics)
NO_CHARTS = ("Glossary",)  # pages of text only: nothing to time
WARM_PAGE = "candidates"


@dataclass
class BrowserResult:
    """Clicks on one page at one size with one checkout: page switches and filter changes (ms each)."""

    size: int
    version: str
    page: str
    switch_ms: list[float] = field(default_factory=list)
    filter_ms: list[float] = field(default_factory=list)
    switch_cpu_ms: list[float] = field(default_factory=list)  # server CPU + browser main-thread task time
    filter_cpu_ms: list[float] = field(default_factory=list)
    switch_run_ms: list[float] = field(default_factory=list)  # click → script run finished (rest: plotly)
    switch_ws: list[int] = field(default_factory=list)  # WebSocket bytes of each page switch
    figure_bytes: list[int] = field(default_factory=list)  # plotly figure JSON of each page switch
    charts: int = 0


def _walk(browser, server, token: str | None, channels: list[str], version: str, size: int,
          out: dict[tuple[str, str], BrowserResult], log) -> None:
    """One session: every navigation page, a switch to it and a filter change on it (one channel, then removed)."""
    from benchmarks.browser import Session

    tok = f"&token={token}" if token else ""
    # warm-up, untimed: a small page at another date range loads plotly.js (a 4.7 MB chunk, loaded by the first
    # chart of a tab) and the application facts of the label filters; then the walk starts on the Data page
    with Session.open(browser, server, f"/{WARM_PAGE}?range=last_30_days{tok}") as s:
        s.timed(s.nav(START))
        s.timed(s.pick(state.PRESET, "All time"))
        links = s.page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
        labels = [t.strip().splitlines()[-1].strip() for t in links if t.strip()]
        labels = [t for t in labels if t not in (START, *NO_CHARTS)]
        for i, label in enumerate(labels):
            r = out.setdefault((label, version), BrowserResult(size, version, label))
            t = s.timed(s.nav(label))
            r.switch_ms.append(t.ms)
            r.switch_cpu_ms.append(t.server_cpu_ms + t.browser_cpu_ms)
            r.switch_run_ms.append(t.run_ms)
            r.switch_ws.append(t.ws_bytes)
            r.figure_bytes.append(t.figure_bytes)
            r.charts = t.charts
            channel = channels[i % len(channels)]
            c = s.timed(s.pick(state.CHANNELS, channel))
            r.filter_ms.append(c.ms)
            r.filter_cpu_ms.append(c.server_cpu_ms + c.browser_cpu_ms)
            s.page.keyboard.press("Escape")
            s.timed(s.unpick(state.CHANNELS, channel))
            log(f"  {version} {label}: switch {t.ms:.0f} ms (run {t.run_ms:.0f}; CPU server {t.server_cpu_ms:.0f} + "
                f"browser {t.browser_cpu_ms:.0f}; {t.figure_bytes:,} B figures, {t.charts} charts), "
                f"filter {c.ms:.0f} ms (CPU {c.server_cpu_ms:.0f} + {c.browser_cpu_ms:.0f})")


def browser_run(sizes: tuple[int, ...], repeats: int, ref: str | None = None, token: str | None = None,
                log=print) -> list[BrowserResult]:
    """Every page at every size in Chromium, `repeats` fresh servers per checkout (interleaved with `ref`'s)."""
    import secrets
    import subprocess

    from benchmarks.browser import chromium, serve

    token = token or secrets.token_urlsafe(16)  # the launcher's access token (DASHBOARD_TOKEN), also in each URL
    out: dict[tuple[str, str], BrowserResult] = {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        roots = {"after": ROOT}
        if ref:
            roots = {"before": Path(tmp) / "before", **roots}
            subprocess.run(["git", "worktree", "add", "--detach", str(roots["before"]), ref],  # noqa: S603, S607
                           cwd=ROOT, check=True, capture_output=True)
        try:
            for size in sizes:
                cache = Path(tmp) / f"cache-{size}"
                cache.mkdir()
                publish_demo(cache, size)
                company = generate_company(size, seed=SEED, end=datetime.now(UTC).date())
                channels = (company.tables().applications.group_by("channel_name").len()
                            .sort("len", "channel_name", descending=True)["channel_name"].to_list())
                results: dict[tuple[str, str], BrowserResult] = {}
                for rep in range(repeats):
                    order = list(roots) if rep % 2 == 0 else list(reversed(roots))
                    for version in order:
                        log(f"browser: {size:,} applications, repeat {rep + 1}/{repeats}, {version}")
                        with serve(roots[version], cache, size, token) as server:
                            _walk(browser, server, token, channels, version, size, results, log)
                out |= {(size, *k): v for k, v in results.items()}
        finally:
            if ref:
                subprocess.run(["git", "worktree", "remove", "--force", str(roots["before"])],  # noqa: S603, S607
                               cwd=ROOT, check=False, capture_output=True)
    return list(out.values())


def _med(values: list[float]) -> str:
    return fmt_s(statistics.median(values) / 1000) if values else "-"


def browser_report(results: list[BrowserResult]) -> str:
    """Markdown: per size, per page median click → settled page (wall and CPU; before / after), and payload."""
    sizes = sorted({r.size for r in results})
    versions = sorted({r.version for r in results}, key=lambda v: v != "before")
    pages = list(dict.fromkeys(r.page for r in results))
    find = {(r.size, r.version, r.page): r for r in results}
    cols = (("switch", "switch_ms"), ("switch CPU", "switch_cpu_ms"), ("filter", "filter_ms"),
            ("filter CPU", "filter_cpu_ms"))
    out = ["Click → settled page in Chromium, median of repeats (page switch = its navigation link; filter "
           "change = one channel picked on it). CPU = server process CPU + the page's main-thread task time."]
    for size in sizes:
        heads = ["page", *(f"{c} {v}" for c, _ in cols for v in versions)]
        rows = [[page, *(_med(getattr(find[(size, v, page)], attr)) if (size, v, page) in find else "-"
                         for _, attr in cols for v in versions)] for page in pages]
        out += ["", f"{size:,} applications", "", table(heads, rows)]
    heads = ["page", "charts", *(f"{size:,} {what} {v}" for size in sizes for what in ("figure JSON", "WebSocket")
                                 for v in versions)]
    rows = []
    for page in pages:
        row = [page, str(max((r.charts for r in results if r.page == page), default=0))]
        for size in sizes:
            for attr in ("figure_bytes", "switch_ws"):
                for v in versions:
                    r = find.get((size, v, page))
                    row.append(f"{statistics.median(getattr(r, attr)) / 1024:,.0f} KiB" if r else "-")
        rows.append(row)
    out += ["", "Payload of a page switch (median): plotly figure JSON and all WebSocket frames", "",
            table(heads, rows), "", "Goals (slowest median click per size, latest version):"]
    last = versions[-1]
    for size in sizes:
        goal = BROWSER_GOALS_S.get(size)
        mine = [r for r in results if r.size == size and r.version == last]
        worst_s, worst = max((statistics.median(getattr(r, a)) / 1000, f"{r.page} {k}")
                             for r in mine for k, a in (("switch", "switch_ms"), ("filter", "filter_ms"))
                             if getattr(r, a))
        verdict = "no goal" if goal is None else ("met" if worst_s <= goal else "MISSED")
        out.append(f"- {size:,}: {worst} {fmt_s(worst_s)} ({verdict}{'' if goal is None else f'; goal {fmt_s(goal)}'})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """CLI: `python -m benchmarks.interaction [--quick] [--sizes 3000,100000] [--changes 5] [--browser ...]`."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")))
    ap.add_argument("--changes", type=int)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--browser", action="store_true", help="time clicks in Chromium instead of AppTest runs")
    ap.add_argument("--repeats", type=int, default=3, help="browser: fresh servers per checkout and size")
    ap.add_argument("--ref", help="browser: also measure this git revision (before), interleaved")
    args = ap.parse_args(argv)
    if args.browser:
        res = browser_run(args.sizes or (BROWSER_SIZES_QUICK if args.quick else tuple(BROWSER_GOALS_S)),
                          1 if args.quick else args.repeats, args.ref, os.environ.get("DASHBOARD_TOKEN"),
                          log=lambda m: print(m, file=sys.stderr, flush=True))
        print(browser_report(res))
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in res], indent=2))
        return
    results = run(args.quick, args.sizes, args.changes, log=lambda m: print(m, file=sys.stderr))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
