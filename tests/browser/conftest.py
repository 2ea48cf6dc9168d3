"""Browser tests: one synced demo company, one real `streamlit run app.py` server and one Debian Chromium.

Everything is session-scoped and started once per xdist worker that runs the "chromium" group. Waits are on
conditions (the health endpoint, Streamlit's script state), never fixed sleeps.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# screenshots for the docs show the default demo company; the CI walkthrough a small one for speed
DEMO_SIZE = 10_000 if os.environ.get("UPDATE_SCREENSHOTS") == "1" else 600
SERVER_START_TIMEOUT_S = 120.0
CHROMIUM = "/usr/bin/chromium"
TOKEN = "browser-test-token-8d2f61c4"  # noqa: S105 - DASHBOARD_TOKEN of the test servers
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@dataclass(frozen=True)
class Server:
    """A running dashboard: its base URL and the cache directory it reads."""

    url: str
    cache_dir: Path
    demo_size: int
    token: str = TOKEN

    def link(self, path_and_query: str = "/") -> str:
        """`url` + `path_and_query` with the access token added (the app shows no data without it)."""
        return with_token(self.url + path_and_query, self.token)


def with_token(url: str, token: str = TOKEN) -> str:
    """`url` with `token=<token>` in its query string (unless it has a token already)."""
    if "token=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}token={token}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env(cache_dir: Path) -> dict[str, str]:
    """The process environment without Personio credentials, pointed at `cache_dir` and the small demo."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSONIO_")}
    env["RECRUITING_DASHBOARD_CACHE_DIR"] = str(cache_dir)
    env["RECRUITING_DASHBOARD_DEMO_SIZE"] = str(DEMO_SIZE)
    env["DASHBOARD_TOKEN"] = TOKEN
    return env


def _wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    """Poll /_stcore/health until it answers "ok"; fail fast (with the log) if the server exits."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{url}/_stcore/health").text.strip() == "ok":
                    return
            except httpx.TransportError:
                pass
            try:  # doubles as the poll interval: returns early only if the server died
                proc.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
    raise RuntimeError(f"streamlit did not answer within {SERVER_START_TIMEOUT_S:.0f}s:\n{log.read_text()[-4000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


@contextmanager
def _streamlit(cache_dir: Path, name: str, *extra: str) -> Iterator[str]:
    """`streamlit run app.py` on a free local port reading `cache_dir`; yields its base URL, stops it after."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = cache_dir / f"streamlit-{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            [str(VENV_BIN / "python"), "-m", "dashboard.launch", "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *extra],
            cwd=ROOT, env=_clean_env(cache_dir), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(proc, url, log)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo company synced by the CLI into a temporary cache, served by the real Streamlit app."""
    cache_dir = tmp_path_factory.mktemp("browser-cache")
    subprocess.run([sys.executable, "-m", "dashboard", "sync", "--demo-size", str(DEMO_SIZE)],  # noqa: S603
                   cwd=ROOT, env=_clean_env(cache_dir), check=True, capture_output=True, timeout=300)
    with _streamlit(cache_dir, "light") as url:
        yield Server(url=url, cache_dir=cache_dir, demo_size=DEMO_SIZE)


@pytest.fixture(scope="session")
def dark_server(server: Server) -> Iterator[Server]:
    """The same company served with the dark theme (.streamlit/config.toml pins light; the toolbar is minimal)."""
    with _streamlit(server.cache_dir, "dark", "--theme.base", "dark") as url:
        yield Server(url=url, cache_dir=server.cache_dir, demo_size=server.demo_size)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (no browser downloads)."""
    if not Path(CHROMIUM).exists():
        # `make test` installs it; a missing browser must not turn the browser tests into silent skips
        pytest.fail(f"{CHROMIUM} is not installed: run `make chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the browser timings the walkthrough recorded (user_properties travel back from xdist workers)."""
    lines = list(dict.fromkeys(f"  {name}: {value}" for reports in terminalreporter.stats.values() for r in reports
                               for name, value in getattr(r, "user_properties", ()) if name.startswith("timing_")))
    if lines:
        terminalreporter.write_sep("-", "browser timings")
        for line in lines:
            terminalreporter.write_line(line)
