"""Metric bundle benchmark: our polars code vs idiomatic pandas vs DuckDB SQL on the demo company.

For each size the three implementations must agree on every number (counts exactly, days and rates
within 1e-6) before anything is timed. Times are the median of `runs` runs after one warm-up run, in
one process on the same data; peak memory is measured per implementation in a fresh interpreter that
loads the tables from Parquet, runs the bundle once and reports `ru_maxrss`.

    python -m benchmarks.metrics [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from benchmarks.bundle import canonical, differences, filter_state, polars_bundle
from benchmarks.common import (
    cpu_pressure,
    current_rss_mb,
    fmt_s,
    fmt_x,
    peak_rss_mb,
    run_child,
    table,
    time_runs,
)
from dashboard.demo import generate_company
from dashboard.schema import SCHEMAS, Tables

SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000,)
RUNS = 5
END = date(2026, 11, 1)  # fixed, so every run benchmarks the same company
SEED = 7
IMPLS = ("polars", "pandas", "duckdb")
GOALS = {100_000: (0.2, None), 1_000_000: (2.0, 2048.0)}  # size: (max median seconds, max peak MiB)


@dataclass
class SizeResult:
    """Timings (median seconds, all runs) and peak memory per implementation at one size."""

    size: int
    transitions: int
    median: dict[str, float]
    runs: dict[str, list[float]]
    cpu: dict[str, float] = field(default_factory=dict)  # median process CPU seconds per run
    pressure: str = ""  # CPU pressure (PSI) right after timing
    peak_mb: dict[str, float] = field(default_factory=dict)
    bundle_mb: dict[str, float] = field(default_factory=dict)  # peak minus RSS with the data loaded
    generate_s: float = 0.0


def company_tables(size: int) -> Tables:
    """The demo company of `size` applications ending on END (deterministic)."""
    return generate_company(size, seed=SEED, end=END).tables()


def prepare(impl: str, t: Tables) -> Callable[[], Any]:
    """A zero-argument callable computing the bundle with `impl`; conversion/loading happens here, untimed."""
    f = filter_state(END)
    if impl == "polars":
        return lambda: polars_bundle(t, f)
    if impl == "pandas":
        from benchmarks.pandas_bundle import PdTables, pandas_bundle

        pt = PdTables(t)
        return lambda: pandas_bundle(pt, f)
    from benchmarks.duckdb_bundle import connect, duckdb_bundle

    con = connect(t)
    return lambda: duckdb_bundle(con, f)


def check_agreement(fns: dict) -> None:
    """Raise when pandas or DuckDB disagree with polars on any number of the bundle."""
    expected = canonical(fns["polars"]())
    for impl in IMPLS[1:]:
        problems = differences(expected, canonical(fns[impl]()))
        if problems:
            raise AssertionError(f"{impl} disagrees with polars:\n" + "\n".join(problems))


def _save(t: Tables, folder: Path) -> None:
    for name, frame in t.frames().items():
        frame.write_parquet(folder / f"{name}.parquet")
    (folder / "as_of.txt").write_text(t.as_of.isoformat())


def _load(folder: Path) -> Tables:
    from datetime import datetime

    frames = {name: pl.read_parquet(folder / f"{name}.parquet") for name in SCHEMAS}
    return Tables(**frames, as_of=datetime.fromisoformat((folder / "as_of.txt").read_text()))


def child(impl: str, folder: str) -> dict:
    """In a fresh interpreter: load the tables, prepare `impl`, note RSS, run the bundle once, report peak."""
    t = _load(Path(folder))
    fn = prepare(impl, t)
    base = current_rss_mb()
    t0 = time.perf_counter()
    fn()
    return {"impl": impl, "seconds": time.perf_counter() - t0, "base_mb": base, "peak_mb": peak_rss_mb()}


def bench_size(size: int, runs: int, memory: bool) -> SizeResult:
    """Agreement, timings and (optionally) memory of the three implementations at one size."""
    t0 = time.perf_counter()
    t = company_tables(size)
    gen = time.perf_counter() - t0
    fns = {impl: prepare(impl, t) for impl in IMPLS}
    check_agreement(fns)
    timings = {impl: time_runs(fns[impl], runs) for impl in IMPLS}
    res = SizeResult(size, t.transitions.height, {k: v.median for k, v in timings.items()},
                     {k: list(v.runs) for k, v in timings.items()}, {k: v.cpu_median for k, v in timings.items()},
                     cpu_pressure(), generate_s=gen)
    del fns
    if memory:
        res.peak_mb, res.bundle_mb = measure_memory(t)
    return res


def measure_memory(t: Tables) -> tuple[dict[str, float], dict[str, float]]:
    """(peak MiB, peak minus loaded MiB) per implementation, each in a fresh interpreter."""
    peak, bundle = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        _save(t, Path(tmp))
        for impl in IMPLS:
            out = run_child("benchmarks.metrics", "--child", impl, tmp)
            peak[impl], bundle[impl] = out["peak_mb"], out["peak_mb"] - out["base_mb"]
    return peak, bundle


def run(quick: bool = False, sizes: tuple[int, ...] | None = None, runs: int | None = None,
        memory: bool = True, log=print) -> list[SizeResult]:
    """Benchmark every size; `quick` is one small size and one run (for CI)."""
    sizes = sizes or (QUICK_SIZES if quick else SIZES)
    runs = runs or (1 if quick else RUNS)
    results = []
    for size in sizes:
        log(f"metrics: {size:,} applications ...")
        results.append(bench_size(size, runs, memory))
    return results


def goal_notes(r: SizeResult) -> list[str]:
    """Which goals of the issue this size meets or misses."""
    notes = []
    pl_s = r.median["polars"]
    if r.size in GOALS:
        max_s, max_mb = GOALS[r.size]
        notes.append(f"{r.size:,}: polars {fmt_s(pl_s)} {'<=' if pl_s <= max_s else '>'} {fmt_s(max_s)} "
                     f"({'met' if pl_s <= max_s else 'MISSED'})")
        if max_mb is not None and "polars" in r.peak_mb:
            mb = r.peak_mb["polars"]
            notes.append(f"{r.size:,}: polars peak {mb:.0f} MiB {'<=' if mb <= max_mb else '>'} {max_mb:.0f} MiB "
                         f"({'met' if mb <= max_mb else 'MISSED'})")
    if r.size == 100_000:
        vs_pd = r.median["pandas"] / pl_s
        vs_dd = r.median["duckdb"] / pl_s
        notes.append(f"100,000: pandas/polars {fmt_x(vs_pd)} ({'met' if vs_pd >= 10 else 'MISSED'} >= 10x), "
                     f"duckdb/polars {fmt_x(vs_dd)} ({'met' if vs_dd >= 1 else 'MISSED'} >= 1x)")
    return notes


def report(results: list[SizeResult]) -> str:
    """Markdown: ratio table, absolute medians, memory, goals."""
    rows = []
    for r in results:
        p = r.median["polars"]
        rows.append([f"{r.size:,}", f"{r.transitions:,}", fmt_s(p), fmt_x(r.median["pandas"] / p),
                     fmt_x(r.median["duckdb"] / p), fmt_s(r.median["pandas"]), fmt_s(r.median["duckdb"]),
                     " / ".join(fmt_s(r.cpu.get(i)) for i in IMPLS), r.pressure])
    out = ["Metric bundle (median of runs; ratio = other / polars, higher is better for polars)", "",
           table(["applications", "transitions", "polars", "pandas / polars", "duckdb / polars", "pandas", "duckdb",
                  "CPU time polars / pandas / duckdb", "CPU pressure after"], rows)]
    if any(r.peak_mb for r in results):
        mem = [[f"{r.size:,}", *(f"{r.peak_mb[i]:.0f} ({r.bundle_mb[i]:+.0f})" for i in IMPLS)]
               for r in results if r.peak_mb]
        out += ["", "Peak RSS of a fresh process, MiB (in brackets: above the RSS with the data loaded)", "",
                table(["applications", *IMPLS], mem)]
    notes = [n for r in results for n in goal_notes(r)]
    if notes:
        out += ["", "Goals:", *(f"- {n}" for n in notes)]
    return "\n".join(out)


def _tth(t: Tables, f, fx: pl.DataFrame) -> dict:
    from metrics.speed import speed_summary, time_to_hire

    return speed_summary(time_to_hire(t, f, facts=fx))


def _figure_fns() -> dict[str, tuple[Callable[[Tables, Any, pl.DataFrame], Any], tuple[str, ...]]]:
    """Per figure: the polars metric given the facts, and the DuckDB bundle queries that answer it."""
    from metrics import channels, funnel, outcomes, speed, volume

    return {
        "funnel": (lambda t, f, fx: funnel.funnel(t, f, facts=fx), ("funnel",)),
        "time to hire (quantiles)": (_tth, ("time_to_hire_days",)),
        "funnel + time to hire": (lambda t, f, fx: (funnel.funnel(t, f, facts=fx), _tth(t, f, fx)),
                                  ("funnel", "time_to_hire_days")),
        "weekly volume": (lambda t, f, fx: volume.volume_over_time(t, f, "week", facts=fx), ("volume_by_week",)),
        "channel conversion": (lambda t, f, fx: channels.channel_conversion(t, f, facts=fx),
                               ("channel_conversion",)),
        "time in stage": (lambda t, f, fx: speed.time_in_stage(t, f, "stage_type", facts=fx), ("time_in_stage",)),
        "rejections by stage": (lambda t, f, fx: outcomes.rejections_by_stage(t, f, "rejected", facts=fx),
                                ("rejections_by_stage",)),
    }


@dataclass
class FigureResult:
    """One figure at one size: polars from the base tables (facts included), polars given the facts, DuckDB."""

    size: int
    figure: str
    polars_s: float
    polars_given_facts_s: float
    duckdb_s: float
    cpu: dict[str, float] = field(default_factory=dict)


def bench_figures(size: int, runs: int) -> list[FigureResult]:
    """Each figure alone, from the base tables: application_facts + the metric vs one DuckDB statement per query."""
    from benchmarks.duckdb_bundle import connect, query
    from metrics.stages import application_facts

    t = company_tables(size)
    f = filter_state(END)
    con = connect(t)
    facts = application_facts(t, f)
    out = []
    for name, (fn, queries) in _figure_fns().items():
        cold = time_runs(lambda fn=fn: fn(t, f, application_facts(t, f)), runs)
        warm = time_runs(lambda fn=fn: fn(t, f, facts), runs)
        dd = time_runs(lambda qs=queries: [query(con, q, f) for q in qs], runs)
        out.append(FigureResult(size, name, cold.median, warm.median, dd.median,
                                {"polars": cold.cpu_median, "duckdb": dd.cpu_median}))
    con.close()
    return out


def figures_report(results: list[FigureResult]) -> str:
    """Markdown: per figure and size, DuckDB / polars (both from the base tables) and the absolute medians."""
    rows = [[f"{r.size:,}", r.figure, fmt_x(r.duckdb_s / r.polars_s), fmt_s(r.polars_s), fmt_s(r.polars_given_facts_s),
             fmt_s(r.duckdb_s), f"{fmt_s(r.cpu['polars'])} / {fmt_s(r.cpu['duckdb'])}"] for r in results]
    return "\n".join([
        "One figure from the base tables (median of runs; ratio = duckdb / polars, below 1x DuckDB is faster)", "",
        table(["applications", "figure", "duckdb / polars", "polars (facts + metric)", "of which metric",
               "duckdb (one statement per query)", "CPU polars / duckdb"], rows)])


def main(argv: list[str] | None = None) -> None:
    """CLI: `python -m benchmarks.metrics [--quick] [--sizes 10000,100000] [--runs 5] [--no-memory]`."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")))
    ap.add_argument("--runs", type=int)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--figures", action="store_true", help="each figure alone, polars vs DuckDB")
    ap.add_argument("--child", nargs=2, metavar=("IMPL", "FOLDER"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.figures:
        figs = [r for size in (args.sizes or SIZES[:2]) for r in bench_figures(size, args.runs or RUNS)]
        print(figures_report(figs))
        return
    results = run(args.quick, args.sizes, args.runs, not args.no_memory, log=lambda m: print(m, file=sys.stderr))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
