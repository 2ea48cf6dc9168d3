"""Access token and local-host allow-list: constant-time token check, per-launch random token, Host header check
on HTTP and WebSocket (DNS rebinding)."""

from __future__ import annotations

import io
import warnings

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from dashboard import access

with warnings.catch_warnings():  # starlette would rather use httpx2 for its test client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def test_token_matches_only_the_exact_token() -> None:
    assert access.token_matches("abc123", "abc123")
    for wrong in ("abc12", "abc1234", "ABC123", " abc123", "", None, ["abc123"], 123):
        assert not access.token_matches(wrong, "abc123")
    assert not access.token_matches("", "")  # an empty expected token never opens anything


def test_token_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: seen.append((a, b)) or a == b)
    assert access.token_matches("secret-x", "secret-x")
    assert seen == [(b"secret-x", b"secret-x")]


def test_dashboard_token_env_fixes_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(access.ENV_TOKEN, "fixed-for-scripts")
    assert access.launch_token() == "fixed-for-scripts"


def test_without_env_a_launch_makes_one_random_token_and_keeps_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(access.ENV_TOKEN, raising=False)
    first = access.launch_token()
    assert len(first) >= 43 and first == access.launch_token()  # 256 bits, stable for the process
    monkeypatch.delenv(access.ENV_TOKEN)
    assert access.launch_token() != first  # a new launch gets a new one


def test_access_url_carries_the_token_as_query_parameter() -> None:
    assert access.access_url("http://localhost:8501", "a+b/c") == "http://localhost:8501/?token=a%2Bb%2Fc"
    assert access.access_url("http://127.0.0.1:9/", "t", "speed") == "http://127.0.0.1:9/speed?token=t"


def test_announce_prints_the_link_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "_announced", False)
    out = io.StringIO()
    access.announce("http://localhost:1/?token=t", out)
    access.announce("http://localhost:1/?token=t", out)
    assert out.getvalue().count("http://localhost:1/?token=t") == 1


@pytest.mark.parametrize("host", ["localhost", "localhost:8501", "127.0.0.1:8501", "[::1]:8501", "LOCALHOST.",
                                  "127.0.0.1"])
def test_local_host_names_are_allowed(host: str) -> None:
    assert access.host_allowed(host)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8501", "127.0.0.1.evil.example", "localhost.evil",
                                  "0.0.0.0:8501", "192.168.1.5:8501", "user@localhost", "localhost/x", "", None,
                                  "localhost:99999", "[::1"])
def test_other_host_names_are_refused(host: str | None) -> None:
    assert not access.host_allowed(host)


def test_patterns_follow_streamlits_allowed_hosts() -> None:
    assert access.host_allowed("pc.lan:8501", ["*.lan"])
    assert access.host_allowed("anything:1", ["*"])
    assert not access.host_allowed("pc.lan", ["localhost"])


def _app() -> Starlette:
    async def home(request) -> PlainTextResponse:
        return PlainTextResponse("candidate data")

    async def stream(ws: WebSocket) -> None:
        await ws.accept()
        await ws.send_text("data")
        await ws.close()

    app = Starlette(routes=[Route("/", home), WebSocketRoute("/_stcore/stream", stream)])
    app.add_middleware(access.LocalHostsOnly, hosts=lambda: access.LOCAL_HOSTS)
    return app


def test_http_with_a_foreign_host_header_gets_403() -> None:
    client = TestClient(_app(), base_url="http://127.0.0.1:8501")
    assert client.get("/").text == "candidate data"
    refused = client.get("/", headers={"Host": "evil.example:8501"})
    assert refused.status_code == 403 and "candidate data" not in refused.text


def test_websocket_with_a_foreign_host_header_is_refused() -> None:
    client = TestClient(_app(), base_url="http://127.0.0.1:8501")
    with client.websocket_connect("/_stcore/stream", headers={"Host": "localhost:8501"}) as ws:
        assert ws.receive_text() == "data"
    with pytest.raises(WebSocketDisconnect) as refused, \
            client.websocket_connect("/_stcore/stream", headers={"Host": "evil.example"}):
        pass
    assert refused.value.code == 1008


def test_install_host_check_puts_it_before_streamlits_middleware(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.web.server.starlette import starlette_app

    monkeypatch.setattr(starlette_app, "create_streamlit_middleware", starlette_app.create_streamlit_middleware)
    access.install_host_check()
    access.install_host_check()  # idempotent
    stack = starlette_app.create_streamlit_middleware()
    assert stack[0].cls is access.LocalHostsOnly
    assert sum(m.cls is access.LocalHostsOnly for m in stack) == 1


def test_empty_streamlit_allowed_hosts_falls_back_to_local_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.setattr(config, "get_option", lambda name: [] if name == "server.allowedHosts" else None)
    assert access.configured_hosts() == access.LOCAL_HOSTS
