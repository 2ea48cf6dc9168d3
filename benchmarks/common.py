"""Shared benchmark plumbing: repeated timing, peak memory of a fresh process, machine facts, tables."""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of repeated runs of one callable."""

    runs: tuple[float, ...]
    cpu: tuple[float, ...] = ()  # process CPU seconds (all threads) of each run

    @property
    def cpu_median(self) -> float | None:
        """Median CPU seconds of a run (more stable than wall time when other processes take the cores)."""
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def median(self) -> float:
        """Median of the runs (robust to one noisy neighbour on a shared machine)."""
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        """(max - min) / median: how noisy the runs were."""
        return (max(self.runs) - min(self.runs)) / self.median if self.median > 0 else 0.0


def time_runs(fn: Callable[[], Any], runs: int, warmup: int = 1) -> Timing:
    """Run `fn` `warmup` times untimed, then `runs` times timed (perf_counter, GC collected before each)."""
    for _ in range(warmup):
        fn()
    out, cpu = [], []
    for _ in range(runs):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return Timing(tuple(out), tuple(cpu))


def cpu_pressure() -> str:
    """Linux PSI: share of the last 10 s / 60 s in which runnable tasks waited for a CPU ('-' elsewhere)."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return "-"
    fields = dict(f.split("=") for f in line.split()[1:])
    return f"{fields.get('avg10', '?')}% (10 s), {fields.get('avg60', '?')}% (60 s)"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MiB.

    Linux: VmHWM of /proc/self/status, because ru_maxrss carries the parent's peak across fork+exec (a
    child of a 4 GB parent reports 4 GB). Elsewhere ru_maxrss (KiB on Linux, bytes on macOS)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float:
    """Current resident set size, MiB (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except OSError:
        return peak_rss_mb()


def run_child(module: str, *args: str, timeout: float = 900) -> dict:
    """Run `python -m module args...` in a fresh interpreter; its last stdout line is a JSON object."""
    cmd = [sys.executable, "-m", module, *args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    """CPU model, cores, memory, Python and library versions: the context every figure depends on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = {}
    for name in ("polars", "pandas", "duckdb", "streamlit", "httpx"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            versions[name] = "-"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "CPU pressure now": cpu_pressure(),
        **versions,
    }


def fmt_s(seconds: float | None) -> str:
    """Seconds with a sensible unit for a table cell."""
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_x(ratio: float | None) -> str:
    """A ratio as '12.3x'."""
    return "-" if ratio is None else (f"{ratio:.1f}x" if ratio < 100 else f"{ratio:.0f}x")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured markdown table (also readable on a terminal)."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])
