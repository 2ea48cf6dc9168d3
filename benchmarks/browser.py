"""Browser plumbing of the interaction benchmark: a dashboard server, Debian Chromium, and a "settled" clock.

A click's time runs from its pointerdown event in the page (a capturing listener, `performance.now()`) to the
moment the page is SETTLED, which is when all four of these hold:

1. the script run that the click started has finished (`stApp`'s `data-test-script-state` went from
   `running` to `notRunning` after the click; every change is logged, so a run that starts and ends
   between two polls still counts);
2. no element is stale (Streamlit marks elements of the previous run `data-stale="true"` until the run
   replaces or drops them) and no skeleton stands in for an element still loading (`stSkeleton`);
3. every `stPlotlyChart` has a plotly graph drawn (`.main-svg`), visible unless the chart itself is not
   displayed (an inactive tab); Streamlit hides a graph until it knows its width;
4. every graph has drawn the data it holds now: plotly's `plotly_afterplot` event has fired since its
   `data` was last replaced (`Plotly.react` swaps `gd.data` first and draws after).

The conditions are polled on animation frames and must hold on two frames in a row. The time reported is
the later of the run's end and the last `plotly_afterplot` after the click, both taken in the page, so the
polling adds nothing. `plotly_afterplot` is caught by a setter on `HTMLElement.prototype.emit` that wraps
the per-graph `emit` plotly assigns when it first draws into a div.

The payload is read off the WebSocket: bytes of every frame the server sent between the click and the
settled page, and the plotly figure JSON inside them (Streamlit's ForwardMsg protobuf, `plotly_chart.spec`).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
START_TIMEOUT_S = 180.0
SETTLE_TIMEOUT_MS = 180_000
VIEWPORT = {"width": 1400, "height": 1000}

INIT_JS = """
window.__bench = {runs: [], clicks: [], draws: []};
new MutationObserver(ms => { for (const m of ms) if (m.oldValue === 'running')
    window.__bench.runs.push(performance.now()); })
  .observe(document, {attributes: true, attributeOldValue: true, subtree: true,
                      attributeFilter: ['data-test-script-state']});
document.addEventListener('pointerdown', e => { if (e.isTrusted) window.__bench.clicks.push(performance.now()); }, true);
Object.defineProperty(HTMLElement.prototype, 'emit', {configurable: true, set(fn) {
  const gd = this;
  Object.defineProperty(gd, 'emit', {configurable: true, writable: true, value(name, data) {
    if (name === 'plotly_afterplot') { gd.__drawn = gd.data; window.__bench.draws.push(performance.now()); }
    return fn.call(this, name, data);
  }});
}});
"""

SETTLED_JS = """(mark) => {
  const b = window.__bench, app = document.querySelector('[data-testid="stApp"]');
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const ok = app && app.getAttribute('data-test-script-state') === 'notRunning'
    && b.runs.length > mark.runs
    && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')
    && charts.every(c => { const gd = c.querySelector('.js-plotly-plot');
         return gd && gd.querySelector('.main-svg') && gd.__drawn === gd.data
           && (getComputedStyle(gd).visibility !== 'hidden' || !c.checkVisibility()); });
  window.__okFrames = ok ? (window.__okFrames || 0) + 1 : 0;
  return window.__okFrames >= 2;
}"""

MARK_JS = "() => { window.__okFrames = 0; const b = window.__bench;" \
          " return {runs: b.runs.length, clicks: b.clicks.length, draws: b.draws.length}; }"

ELAPSED_JS = """(mark) => {
  const b = window.__bench, click = b.clicks[mark.clicks];
  const end = Math.max(b.runs[b.runs.length - 1], ...b.draws.slice(mark.draws));
  return {ms: end - click, run_ms: b.runs[b.runs.length - 1] - click, charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
          draws: b.draws.length - mark.draws};
}"""


@dataclass
class Timed:
    """One click: milliseconds to the settled page, what came over the WebSocket, how many charts."""

    ms: float
    run_ms: float  # of which until the script run finished (server, WebSocket, React), the rest plotly drawing
    server_cpu_ms: float  # CPU time of the server process (all threads) from the click to the settled page
    browser_cpu_ms: float  # main-thread task time of the page's renderer (CDP Performance.TaskDuration)
    ws_bytes: int
    figure_bytes: int
    charts: int
    draws: int


def free_port() -> int:
    """A free local TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    """A running dashboard server: its URL and process id."""

    url: str
    pid: int

    def cpu_s(self) -> float:
        """CPU seconds the server process has used so far (user + system, all threads; Linux /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve(app_root: Path, cache_dir: Path, demo_size: int, token: str | None = None) -> Iterator[Server]:
    """`python -m dashboard.launch` of the checkout at `app_root` on a free port, reading `cache_dir`.

    `app_root` may be another checkout of the project (a git worktree of an older commit): `-m` run from there
    imports that checkout's `dashboard` (the working directory comes first on sys.path)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSONIO_")}
    env |= {"RECRUITING_DASHBOARD_CACHE_DIR": str(cache_dir), "RECRUITING_DASHBOARD_DEMO_SIZE": str(demo_size),
            "PYTHONPATH": str(app_root)}
    if token:
        env["DASHBOARD_TOKEN"] = token
    log = cache_dir / f"streamlit-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "dashboard.launch", "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=app_root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(proc, url, log)
        yield Server(url, proc.pid)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


def _wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{url}/_stcore/health").text.strip() == "ok":
                    return
            except httpx.TransportError:
                pass
            try:  # the poll interval: returns early only if the server died
                proc.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
    raise RuntimeError(f"server did not answer within {START_TIMEOUT_S:.0f} s:\n{log.read_text()[-4000:]}")


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium (headless) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def figure_json_bytes(frame: bytes) -> int:
    """Bytes of plotly figure JSON in one ForwardMsg frame (0 for every other message)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(frame)
    except Exception:  # noqa: BLE001 - not a ForwardMsg: no figure in it
        return 0
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return 0
    el = msg.delta.new_element
    return len(el.plotly_chart.spec.encode()) if el.WhichOneof("type") == "plotly_chart" else 0


@dataclass
class Session:
    """One browser tab on the dashboard, counting WebSocket frames."""

    page: object
    server: Server
    cdp: object
    frames: list[bytes] = field(default_factory=list)

    @classmethod
    @contextmanager
    def open(cls, browser, server: Server, path: str) -> Iterator[Session]:
        """A new tab at `server.url + path`, settled after its first run."""
        url = server.url + path
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.add_init_script(INIT_JS)
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            session = cls(page, server, cdp)
            page.on("websocket", lambda ws: ws.on("framereceived", session._frame))
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_function(SETTLED_JS, arg={"runs": 0, "clicks": 0, "draws": 0}, polling="raf",
                                   timeout=SETTLE_TIMEOUT_MS)
            yield session
        finally:
            context.close()

    def _frame(self, payload: bytes | str) -> None:
        self.frames.append(payload if isinstance(payload, bytes) else payload.encode())

    def timed(self, click: Callable[[], None]) -> Timed:
        """Run `click` (one user click that starts a script run) and time it to the settled page."""
        page = self.page
        mark = page.evaluate(MARK_JS)
        self.frames.clear()
        cpu0, task0 = self.server.cpu_s(), self._task_s()
        click()
        page.wait_for_function(SETTLED_JS, arg=mark, polling="raf", timeout=SETTLE_TIMEOUT_MS)
        cpu1, task1 = self.server.cpu_s(), self._task_s()
        r = page.evaluate(ELAPSED_JS, mark)
        if page.locator('[data-testid="stException"]').count():  # an error page would time nothing
            raise RuntimeError(f"the app shows an exception: {page.locator('[data-testid=stMain]').inner_text()[:500]}")
        frames = list(self.frames)
        return Timed(ms=r["ms"], run_ms=r["run_ms"], server_cpu_ms=(cpu1 - cpu0) * 1000,
                     browser_cpu_ms=(task1 - task0) * 1000, ws_bytes=sum(map(len, frames)), figure_bytes=sum(map(figure_json_bytes, frames)),
                     charts=r["charts"], draws=r["draws"])

    def _task_s(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    def nav(self, label: str) -> Callable[[], None]:
        """A click on the sidebar navigation link `label`."""
        link = self.page.locator('[data-testid="stSidebarNavLink"]').filter(
            has=self.page.get_by_text(label, exact=True))
        return lambda: link.click()

    def pick(self, widget_key: str, option: str) -> Callable[[], None]:
        """Open the sidebar selectbox / multiselect `widget_key`, type `option`; the returned click picks it."""
        box = self.page.locator(f".st-key-{widget_key} input")
        box.click()
        box.fill(option)
        item = self.page.get_by_role("option", name=re.compile(rf"^{re.escape(option)}( · [\d,]+)?$"))  # "X · 12"
        item.wait_for()
        return lambda: item.click()

    def unpick(self, widget_key: str, option: str) -> Callable[[], None]:
        """The click on the remove cross of `option`'s chip in multiselect `widget_key`."""
        cross = self.page.locator(f".st-key-{widget_key}").get_by_role(
            "button", name=re.compile(rf"^Remove {re.escape(option)}( · [\d,]+)?$"))
        return lambda: cross.first.click()
