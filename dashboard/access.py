"""Who may read the running dashboard: a per-launch access token and an allow-list of local host names.

Any local program (or another user of the machine) can open Streamlit's WebSocket, and a web page whose host
name resolves to 127.0.0.1 (DNS rebinding) can too unless the Host header is checked. So every launch has a
random token (as Jupyter does) that the app asks for in the `token` query parameter, and every HTTP request
and WebSocket must name a local host. `DASHBOARD_TOKEN` fixes the token for scripts and tests.
"""

from __future__ import annotations

import hmac
import os
import secrets
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

ENV_TOKEN = "DASHBOARD_TOKEN"
QUERY_PARAM = "token"
LOCAL_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
TOKEN_BYTES = 32  # 256 bits, URL-safe base64: 43 characters

_lock = threading.Lock()
_announced = False


def launch_token() -> str:
    """This process's access token: `DASHBOARD_TOKEN`, else a random one made once (kept in the environment)."""
    with _lock:
        token = os.environ.get(ENV_TOKEN, "").strip()
        if not token:
            token = secrets.token_urlsafe(TOKEN_BYTES)
            os.environ[ENV_TOKEN] = token
        return token


def token_matches(given: object, expected: str) -> bool:
    """True when `given` is exactly `expected`, compared in constant time (no length or prefix oracle)."""
    if not isinstance(given, str) or not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def access_url(base: str, token: str, path: str = "") -> str:
    """`base` + `path` with the token as its query parameter, e.g. http://localhost:8501/?token=…."""
    return f"{base.rstrip('/')}/{path.lstrip('/')}?{QUERY_PARAM}={quote(token, safe='')}"


def announce(url: str, stream: Any = None) -> None:
    """Print the access URL once per process (the terminal is the only place it appears)."""
    global _announced
    with _lock:
        if _announced:
            return
        _announced = True
    out = stream or sys.stderr
    print(f"\n  Open the dashboard with its access link (valid while this server runs):\n  {url}\n", file=out, flush=True)


def host_allowed(host: str | None, allowed: Iterable[str] = LOCAL_HOSTS) -> bool:
    """True when the Host header `host` names one of `allowed` (port ignored; `*.x` and `*` patterns as Streamlit)."""
    if not host:
        return False
    try:
        parts = urlsplit(f"//{host}")
        name = parts.hostname
        _ = parts.port  # validates the port
    except ValueError:
        return False
    if name is None or parts.username is not None or parts.password is not None or parts.path or parts.query:
        return False
    name = name.lower().rstrip(".")
    for pattern in allowed:
        p = pattern.strip().lower().rstrip(".").strip("[]")
        if p == "*" or name == p or (p.startswith("*.") and name.endswith(p[1:])):
            return True
    return False


def configured_hosts() -> tuple[str, ...]:
    """Streamlit's `server.allowedHosts`, or the local names when it is empty (Streamlit would accept any)."""
    from streamlit import config

    hosts = tuple(config.get_option("server.allowedHosts") or ())
    return hosts or LOCAL_HOSTS


Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


class LocalHostsOnly:
    """ASGI middleware: an HTTP request or WebSocket whose Host header is not allowed gets 403 / a refused handshake."""

    def __init__(self, app: ASGIApp, hosts: Callable[[], Iterable[str]] = configured_hosts) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == b"host"), None)
        if host_allowed(host, self.hosts()):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accept: the handshake gets 403
            return
        body = b"Host not allowed: open the dashboard at http://localhost or http://127.0.0.1\n"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def install_host_check() -> None:
    """Put `LocalHostsOnly` in front of Streamlit's own middleware for servers started in this process."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "_checks_hosts", False):
        return

    def with_host_check() -> list[Middleware]:
        return [Middleware(LocalHostsOnly), *original()]

    with_host_check._checks_hosts = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = with_host_check
