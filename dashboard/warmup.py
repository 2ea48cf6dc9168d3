"""Import every heavy module once, in one thread, before sessions run concurrently.

Streamlit runs each browser session's script in its own thread (and downloads in others). numpy, polars,
pyarrow and plotly import parts of themselves lazily on first use; when two threads make such a first
import at the same time, Python's import-deadlock avoidance can hand one of them a *partially initialised*
module ("partially initialized module 'numpy' has no attribute 'ndarray'"), and that page dies with
Streamlit's generic error box. `preload()` does all of those first imports up front under a lock: the
launcher calls it before the server starts, app.py on every run (a no-op once done; a second session
waits until the first has finished).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading

_log = logging.getLogger("dashboard.warmup")
_lock = threading.Lock()
_libraries = False  # numpy, polars, pyarrow, plotly, kaleido imported and exercised
_done = False  # ... and every module of our packages
PACKAGES = ("dashboard", "metrics")
SKIP = ("dashboard.__main__", "dashboard.launch")


def _import_project() -> None:
    """Every module of our packages (page scripts import them; two sessions must not do it concurrently)."""
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if info.name not in SKIP:
                try:
                    importlib.import_module(info.name)
                except ImportError:  # an optional dependency: the page that needs it says so itself
                    _log.warning("warm-up could not import %s", info.name, exc_info=True)


def _touch_libraries() -> None:
    """Run the lazily imported paths of numpy, polars, pyarrow and plotly once."""
    import numpy as np
    import plotly.graph_objects as go
    import plotly.io as pio
    import polars as pl

    frame = pl.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    frame.to_numpy()
    frame.to_arrow()
    frame.to_pandas()
    traces = [go.Bar(x=["a"], y=[1], marker={"line": {"width": 0}, "pattern": {"shape": "/"}},
                     error_x={"type": "data", "array": [1]}, customdata=[["a"]], text=["1"]),
              go.Box(x=np.array([1.0, 2.0]), boxpoints="all", marker={"size": 5}),
              go.Scatter(x=[1], y=[1], mode="lines+markers", line={"shape": "hv"}),
              go.Histogram(x=[1.0]), go.Pie(labels=["a"], values=[1]), go.Heatmap(z=[[1]])]
    fig = go.Figure(traces, layout={"template": "plotly_white", "annotations": [{"text": "t"}],
                                    "shapes": [{"type": "line", "x0": 0, "x1": 1, "y0": 0, "y1": 1}]})
    pio.to_json(go.Figure(fig))
    try:  # PNG/SVG downloads import kaleido in a download thread
        import kaleido  # noqa: F401
    except ImportError:  # pragma: no cover - optional
        pass


def preload(*, project: bool = True) -> None:
    """Do every first import now (once per process); concurrent callers wait until it is done.

    `project=False` (the launcher, before Streamlit's runtime exists) skips our own modules, whose
    Streamlit caches are best created inside the runtime."""
    global _libraries, _done
    if _done or (_libraries and not project):
        return
    with _lock:
        if not _libraries:
            _touch_libraries()
            _libraries = True
        if project and not _done:
            _import_project()
            _done = True
