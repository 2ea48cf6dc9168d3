"""Run every benchmark and print the ratio tables: `python -m benchmarks [--quick] [--only sync,metrics]`.

--quick runs a small size of each with one run (what CI does through tests/benchmarks/); the full run
takes about ten minutes on two cores (most of it pandas at 1M and the 10k sync's real processing).
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks import interaction, metrics, sync
from benchmarks.common import machine, table

BENCHMARKS = ("sync", "metrics", "interaction")


def main(argv: list[str] | None = None) -> str:
    """Run the chosen benchmarks; prints and returns the markdown report."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each (CI)")
    ap.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset of " + ", ".join(BENCHMARKS))
    ap.add_argument("--no-memory", action="store_true", help="skip the per-implementation memory subprocesses")
    args = ap.parse_args(argv)
    chosen = [b for b in args.only.split(",") if b]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    parts = ["Machine", "", table(["", ""], list(info.items())), ""]
    for name in BENCHMARKS:
        if name not in chosen:
            continue
        t0 = time.perf_counter()
        if name == "sync":
            parts.append(sync.report(sync.run(args.quick, log=log)))
        elif name == "metrics":
            parts.append(metrics.report(metrics.run(args.quick, memory=not args.no_memory, log=log)))
        else:
            parts.append(interaction.report(interaction.run(args.quick, log=log)))
        parts += ["", f"({name}: {time.perf_counter() - t0:.0f} s)", ""]
    text = "\n".join(parts)
    print(text)
    return text


if __name__ == "__main__":
    main()
