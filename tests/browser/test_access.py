"""In a real browser and on the real server: no data without the access token, and a foreign Host header
(DNS rebinding: evil.example resolving to 127.0.0.1) is refused on HTTP and on the WebSocket."""

from __future__ import annotations

import base64
import os
import socket
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

TIMEOUT_MS = 90_000
LOCKED = "This dashboard opens only through its access link"


def _handshake_status(url: str, host: str) -> int:
    """HTTP status of a WebSocket upgrade to Streamlit's stream endpoint sent with this Host header."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request.encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


@pytest.mark.parametrize("suffix", ["/", "/channels?range=all_time", "/?token=wrong", "/speed?token="])
def test_without_the_token_the_browser_shows_how_to_open_it_and_no_data(browser, server, suffix: str) -> None:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(server.url + suffix, wait_until="domcontentloaded")
        expect(page.get_by_text(LOCKED)).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_role("heading", level=1, name="Recruiting dashboard")).to_be_visible()
        for hidden in ('[data-testid="stMetric"]', '[data-testid="stPlotlyChart"]', '[data-testid="stDataFrame"]',
                       '[data-testid="stSidebarNavLink"]', '[data-testid="stException"]'):
            expect(page.locator(hidden)).to_have_count(0)
        assert server.token not in page.content()
    finally:
        context.close()


def test_a_page_under_a_foreign_host_name_is_refused(browser, server) -> None:
    """Chromium resolves evil.example to 127.0.0.1 (as a rebinding DNS would): the server answers 403."""
    port = urlsplit(server.url).port
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
    try:
        page = chromium.new_page()
        response = page.goto(f"http://evil.example:{port}/?token={server.token}", wait_until="load")
        assert response is not None and response.status == 403
        assert "Host not allowed" in page.content()
        ok = page.goto(f"http://127.0.0.1:{port}/_stcore/health")
        assert ok is not None and ok.status == 200  # the same browser on the local name works
    finally:
        chromium.close()


def test_the_websocket_is_refused_for_a_foreign_host_header(server) -> None:
    assert _handshake_status(server.url, urlsplit(server.url).netloc) == 101
    assert _handshake_status(server.url, "evil.example") == 403
    assert _handshake_status(server.url, f"evil.example:{urlsplit(server.url).port}") == 403
