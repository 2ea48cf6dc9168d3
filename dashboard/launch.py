"""Start the dashboard server (`python -m dashboard.launch [streamlit options]`), the router in charge from the start.

`streamlit run app.py` treats a `pages/` folder beside the entry script as legacy auto-discovered pages until
the first script run has called `st.navigation`; a shared deep link (`/funnel?range=...`) opened as the first
request after a start then shows "Page not found". Our pages are `st.Page`s of the router in app.py, so the
legacy mode is switched off before the server starts. Options are Streamlit's own (`--server.port 8502`).

Every launch has an access token (`DASHBOARD_TOKEN`, else a random one): the launcher prints the link that
carries it and opens it in the browser (not with `--server.headless true`), and puts a Host-header check in
front of every HTTP request and WebSocket (DNS rebinding).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dashboard import access, warmup

APP = Path(__file__).resolve().parent.parent / "app.py"


def _flag(args: list[str], name: str) -> str | None:
    """The value of `--name value` / `--name=value` in `args` (the last one), else None."""
    value = None
    for i, arg in enumerate(args):
        if arg == f"--{name}" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith(f"--{name}="):
            value = arg.split("=", 1)[1]
    return value


def open_in_browser(url: str) -> None:
    """Open `url` in the desktop's browser; nothing on a machine without a display (never a terminal browser)."""
    from streamlit import cli_util, env_util

    if env_util.IS_LINUX_OR_BSD and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return
    cli_util.open_browser(url)


def base_url() -> str:
    """This server's address for the browser: the bound address, or localhost when bound to all interfaces."""
    from streamlit import config
    from streamlit.web.server import server_util

    address = config.get_option("server.address") or "localhost"
    return server_util.get_url("localhost" if address in ("0.0.0.0", "::") else address)  # noqa: S104


def _on_start(original: Callable[[Any], None], token: str, open_browser: bool) -> Callable[[Any], None]:
    """Streamlit's start hook plus: print the access link, open it unless headless."""
    def on_start(server: Any) -> None:
        original(server)
        url = access.access_url(base_url(), token)
        access.announce(url, sys.stdout)
        if open_browser:
            open_in_browser(url)
    return on_start


def main(argv: list[str] | None = None) -> None:
    """Run `streamlit run app.py` in this process: router from the start, access token, local hosts only."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import bootstrap, cli

    args = list(sys.argv[1:] if argv is None else argv)
    token = access.launch_token()
    open_browser = (_flag(args, "server.headless") or "").lower() != "true"
    if _flag(args, "logger.hideWelcomeMessage") is None:
        args += ["--logger.hideWelcomeMessage", "true"]  # its URLs lack the token: the launcher prints the link
    PagesManager.uses_pages_directory = False
    warmup.preload(project=False)  # heavy first imports now, in this one thread (see dashboard.warmup)
    access.install_host_check()
    bootstrap._on_server_start = _on_start(bootstrap._on_server_start, token, open_browser)  # noqa: SLF001
    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
