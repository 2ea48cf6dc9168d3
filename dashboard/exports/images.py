"""Static PNG/SVG export of plotly figures through kaleido 1.x and the system Chromium.

One Chromium (one kaleido session on a private event-loop thread) is started on first use and reused,
so an export after the first costs a fraction of a second. The browser is found from
`DASHBOARD_CHROMIUM` or `BROWSER_PATH` (env), else /usr/bin/chromium, else `chromium`/`chromium-browser`/
`google-chrome` on PATH; kaleido never downloads one. Without a usable browser every export raises
`ImageExportError`; `image_export_status()` lets the UI hide the buttons with the reason instead.
"""

from __future__ import annotations

import asyncio
import atexit
import html
import os
import shutil
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from dashboard.exports.context import ExportContext
from dashboard.figures.template import print_ready

DEFAULT_CHROMIUM = "/usr/bin/chromium"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
START_TIMEOUT_S = 60.0
RENDER_TIMEOUT_S = 30.0
# Beyond choreographer's defaults (--no-sandbox, --disable-gpu, --headless, ...): nothing phones home.
EXTRA_FLAGS = (
    "--disable-background-networking",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--no-pings",
    "--mute-audio",
    "--hide-scrollbars",
)


class ImageExportError(RuntimeError):
    """PNG/SVG export is impossible (no Chromium, Chromium failed to start, or a render failed)."""


def chromium_path() -> str | None:
    """The Chromium executable to use, or None when there is none."""
    for var in ("DASHBOARD_CHROMIUM", "BROWSER_PATH"):
        if value := os.environ.get(var):
            return value if _is_executable(value) else None
    if _is_executable(DEFAULT_CHROMIUM):
        return DEFAULT_CHROMIUM
    for name in BROWSER_NAMES:
        if found := shutil.which(name):
            return found
    return None


def _is_executable(path: str) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def image_export_status() -> tuple[bool, str]:
    """(available, explanation) without starting the browser; the UI shows the explanation when False."""
    path = chromium_path()
    if path is None:
        return False, (
            "PNG/SVG export needs Chromium: install it (e.g. `apt-get install chromium`) or set "
            "DASHBOARD_CHROMIUM / BROWSER_PATH to a Chromium or Chrome executable."
        )
    return True, f"PNG/SVG export uses {path}"


def _browser_class() -> type:
    from choreographer.browsers.chromium import Chromium

    class QuietChromium(Chromium):
        """Choreographer's Chromium with the extra no-network flags."""

        def get_cli(self):  # noqa: ANN201 - matches the base signature
            return [*super().get_cli(), *EXTRA_FLAGS]

    return QuietChromium


class _Session:
    """One kaleido browser on a private asyncio loop thread, shared by every export of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None or not self._thread or not self._thread.is_alive():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido-loop", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        return self._loop

    def _ensure_open(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        with self._lock:
            loop = self._ensure_loop()
            if self._kaleido is not None:
                return loop, self._kaleido
            path = chromium_path()
            if path is None:
                raise ImageExportError(image_export_status()[1])

            async def open_browser() -> Any:
                import kaleido

                k = kaleido.Kaleido(
                    path=path, browser_cls=_browser_class(), mathjax=False, timeout=RENDER_TIMEOUT_S
                )
                await k.open()
                return k

            future = asyncio.run_coroutine_threadsafe(open_browser(), loop)
            try:
                self._kaleido = future.result(timeout=START_TIMEOUT_S)
            except FutureTimeout as e:
                future.cancel()
                raise ImageExportError(f"Chromium at {path} did not start within {START_TIMEOUT_S:.0f} s") from e
            except Exception as e:  # any launch failure becomes one clear error for the UI
                raise ImageExportError(f"Chromium at {path} could not be started: {e}") from e
            return loop, self._kaleido

    def render(self, fig: go.Figure, opts: dict[str, Any]) -> bytes:
        """Render with the shared browser; a failed render restarts the browser and retries once."""
        for attempt in (1, 2):
            loop, k = self._ensure_open()
            future = asyncio.run_coroutine_threadsafe(k.calc_fig(fig, opts=opts), loop)
            try:
                return future.result(timeout=RENDER_TIMEOUT_S + 5)
            except Exception as e:
                future.cancel()
                self.close()
                if attempt == 2:
                    raise ImageExportError(f"Image export failed: {type(e).__name__}: {e}") from e
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the browser (the loop thread stays for the next session)."""
        with self._lock:
            k, self._kaleido = self._kaleido, None
            if k is not None and self._loop is not None and self._loop.is_running():
                try:
                    asyncio.run_coroutine_threadsafe(k.close(), self._loop).result(timeout=10)
                except Exception:  # noqa: S110 - best effort at shutdown; the process is going away
                    pass


_session = _Session()
atexit.register(_session.close)


SLIDE_WIDTH, SLIDE_HEIGHT = 1200, 600
CONTEXT_GAP = 26  # px under the context lines of `decorate`
LINE_SLACK = 8  # px a context line renders taller than figures.common counts a subtitle line


def export_height(fig: go.Figure, height: int | None = None) -> int:
    """`height`, else the slide height or the figure's own when taller (a chart with a row per job keeps its labels)."""
    if height is not None:
        return height
    own = fig.layout.height
    return max(SLIDE_HEIGHT, int(own)) if isinstance(own, int | float) else SLIDE_HEIGHT


def decorate(fig: go.Figure, ctx: ExportContext | None, n: str | None = None) -> go.Figure:
    """A copy that carries its context inside the image: under the title, the company, date range and filters
    (by name), then n and "data as of"; axes keep room for their labels so nothing is clipped."""
    from dashboard.figures.common import finish

    out = go.Figure(fig)
    if ctx is None:
        return out
    title = str(out.layout.title.text or "")
    n = None if "n = " in title else n  # most titles state n already
    lines = [f"{ctx.company} · {ctx.range_text} · {ctx.filters_text}", " · ".join(x for x in (n, ctx.as_of_text) if x)]
    sub = "".join(f"<br><sup>{html.escape(line, quote=False)}</sup>" for line in lines)
    margin = out.layout.margin
    out.update_layout(title_text=title + sub, height=export_height(out) + 36,
                      margin={"l": max(margin.l or 0, 72), "r": max(margin.r or 0, 32), "b": max(margin.b or 0, 64)})
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    out = finish(out, min_width=SLIDE_WIDTH - 80)
    # small-print lines render taller than `finish` counts them: move a legend under the title down by that
    # much, and keep room between everything above the plot and the plot (subplot titles, bar labels)
    slack = LINE_SLACK * len(lines)
    legend = out.layout.legend
    if legend.yref == "container" and legend.y is not None:
        out.update_layout(legend_y=legend.y - slack / out.layout.height)
    out.update_layout(margin_t=(out.layout.margin.t or 0) + slack + CONTEXT_GAP)
    return out


def to_png(fig: go.Figure, width: int = SLIDE_WIDTH, height: int | None = None, scale: float = 2) -> bytes:
    """PNG bytes of `fig` (width x `export_height` CSS pixels, times `scale`). Raises ImageExportError."""
    return _session.render(print_ready(fig), {"format": "png", "width": width, "height": export_height(fig, height),
                                              "scale": scale})


def to_svg(fig: go.Figure, width: int = SLIDE_WIDTH, height: int | None = None) -> bytes:
    """An SVG document of `fig` (width x `export_height`) as UTF-8 bytes. Raises ImageExportError."""
    return _session.render(print_ready(fig), {"format": "svg", "width": width, "height": export_height(fig, height)})


def shutdown() -> None:
    """Close the shared browser now (it restarts on the next export)."""
    _session.close()


def prewarm() -> None:
    """Start the shared browser in the background (app start-up) so the first export is fast too."""
    if image_export_status()[0]:
        threading.Thread(target=_prewarm_quietly, name="kaleido-prewarm", daemon=True).start()


def _prewarm_quietly() -> None:
    try:
        _session._ensure_open()
    except ImageExportError:
        pass  # the export button reports the error when the user asks for an image
