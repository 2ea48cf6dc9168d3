"""The access gate of every script run: without this launch's token the app shows how to open it, and no data.

The token arrives as the `token` query parameter of the link `make run` prints; once it matched, the session
remembers it and every run puts it back into the URL (page switches and the sidebar's filter sync drop it).
"""

from __future__ import annotations

import streamlit as st

from dashboard import access
from dashboard.ui import state

LOCKED_TITLE = "Recruiting dashboard"
LOCKED_TEXT = (
    "This dashboard opens only through its access link, so that no other program or web page on this computer "
    "can read it. Open the link printed in the terminal where the dashboard was started (`make run` prints it "
    "and opens it; it ends in `?token=…`). To choose the token yourself, start the dashboard with the "
    "environment variable `DASHBOARD_TOKEN` set and add `?token=<that value>` to the address."
)


def _server_base_url() -> str:
    """The local address of this server for the printed link (http://localhost:<port>)."""
    try:
        from streamlit.web.server import server_util

        return server_util.get_url("localhost")
    except Exception:  # no server config (e.g. AppTest): a plain local default
        return "http://localhost:8501"


def granted() -> bool:
    """True when this session presented the launch token (now in the URL, or earlier in this session)."""
    expected = access.launch_token()
    if access.token_matches(st.query_params.get(state.QP_TOKEN), expected):
        st.session_state[state.ACCESS_TOKEN] = expected
        return True
    return access.token_matches(st.session_state.get(state.ACCESS_TOKEN), expected)


def url_params() -> dict[str, str]:
    """The query parameter that keeps the token in the URL ({} before access was granted)."""
    token = st.session_state.get(state.ACCESS_TOKEN)
    return {state.QP_TOKEN: token} if token else {}


def require_access() -> None:
    """Stop this run with the how-to-open page unless the session has the token; keep the token in the URL."""
    if granted():
        token = st.session_state[state.ACCESS_TOKEN]
        if st.query_params.get(state.QP_TOKEN) != token:
            st.query_params[state.QP_TOKEN] = token
        return
    access.announce(access.access_url(_server_base_url(), access.launch_token()))
    st.title(LOCKED_TITLE)
    st.info(LOCKED_TEXT, icon=":material/lock:")
    st.stop()
