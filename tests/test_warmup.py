"""First imports happen once, in one thread, before sessions run concurrently (the flaky Speed page: a second
session got a half-imported numpy/plotly module from Python's import-deadlock avoidance)."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
import time
from pathlib import Path

from dashboard import warmup

ROOT = Path(__file__).resolve().parents[1]

_CHECK = """
import sys
from dashboard import warmup
warmup.preload()
import pkgutil, importlib
want = ["numpy", "polars", "pyarrow", "plotly.graph_objs._box", "plotly.graph_objs._bar", "plotly.io", "kaleido"]
for pkg in ("dashboard", "metrics"):
    p = importlib.import_module(pkg)
    want += [m.name for m in pkgutil.walk_packages(p.__path__, prefix=pkg + ".") if m.name not in warmup.SKIP]
print([m for m in want if m not in sys.modules])
"""


def test_preload_imports_every_heavy_library_and_project_module_in_a_fresh_process() -> None:
    out = subprocess.run([sys.executable, "-c", _CHECK], cwd=ROOT, capture_output=True, text=True, timeout=180,  # noqa: S603
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_second_session_waits_until_the_first_has_finished_preloading(monkeypatch) -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow_libraries() -> None:
        calls.append("libraries")
        started.set()
        release.wait(30)

    monkeypatch.setattr(warmup, "_touch_libraries", slow_libraries)
    monkeypatch.setattr(warmup, "_import_project", lambda: calls.append("project"))
    monkeypatch.setattr(warmup, "_libraries", False)
    monkeypatch.setattr(warmup, "_done", False)
    first = threading.Thread(target=warmup.preload)
    first.start()
    assert started.wait(30)
    finished: list[float] = []
    second = threading.Thread(target=lambda: (warmup.preload(), finished.append(time.monotonic())))
    second.start()
    second.join(0.2)
    assert second.is_alive() and not finished  # blocked while the first session imports
    release.set()
    first.join(30)
    second.join(30)
    assert finished and calls == ["libraries", "project"]  # done once, not twice


def test_app_preloads_before_importing_anything_else_of_ours() -> None:
    tree = ast.parse((ROOT / "app.py").read_text())
    body = [n for n in tree.body if not isinstance(n, ast.Expr) or not isinstance(n.value, ast.Constant)]
    ours = [i for i, n in enumerate(body) if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("dashboard")]
    call = next(i for i, n in enumerate(body) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                and getattr(n.value.func, "id", None) == "preload")
    assert ours[0] < call < ours[1]  # `from dashboard.warmup import preload`, preload(), then the rest
