"""The "Check connection" button and the at-once token check of typed credentials (shown as plain text)."""

from __future__ import annotations

import streamlit as st

from dashboard.config import Settings
from dashboard.doctor import check_source, check_token, failure_reason
from dashboard.source import Source, source_from_settings
from dashboard.ui import state


def _make_client(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - looked up per call (tests replace it)
    from dashboard.ui import loaders

    return loaders.make_client(*args, **kwargs)


def check_credentials(settings: Settings) -> None:
    """Right after credentials are typed: one token request, its result kept for `show_credentials_result`."""
    st.session_state.pop(state.CONN_REPORT, None)  # a report about other credentials is stale now
    if settings.is_demo:
        st.session_state.pop(state.CRED_CHECK, None)
        return
    source = source_from_settings(settings)
    st.session_state[state.CRED_CHECK] = check_token(source, settings.client_secret.get(),
                                                     make_client=_make_client)


def forget_check() -> None:
    """Drop the results of earlier checks (credentials forgotten)."""
    st.session_state.pop(state.CRED_CHECK, None)
    st.session_state.pop(state.CONN_REPORT, None)


def show_credentials_result() -> None:
    """The result of the token request made when the credentials were typed (plain text)."""
    result = st.session_state.get(state.CRED_CHECK)
    if not result:
        return
    accepted, message = result
    if accepted:
        st.success("Credentials accepted.", icon=":material/check:")
    else:
        st.error("Personio did not accept these credentials:", icon=":material/error:")
    st.text(message)


def check_button(where: str, source: Source | None, settings: Settings) -> None:
    """A "Check connection" button; the report (the same as `python -m dashboard doctor`) shown below it."""
    clicked = st.button("Check connection", key=state.key(state.CONN_CHECK, where=where),
                        icon=":material/network_check:", disabled=source is None,
                        help="Token, then one request to each Personio endpoint the dashboard uses. The report "
                             "holds no secret, token, name or e-mail, so it can be pasted into a bug report.")
    if clicked and source is not None:
        secret = settings.client_secret.get() or None
        with st.spinner("Checking the connection…"):
            try:
                report = check_source(source, secret, make_client=_make_client)
            except Exception as exc:  # noqa: BLE001 - e.g. a setting the client refuses: say so, never crash
                result = (False, f"Connection check of {source.label}\nResult: FAILED. "
                                 f"{failure_reason(exc, (secret or '',))}")
            else:
                result = (report.ok, report.text())
        st.session_state[state.CONN_REPORT] = result
    result = st.session_state.get(state.CONN_REPORT)
    if not result:
        return
    ok, text = result
    if ok:
        st.success("Connection OK: the dashboard can read this account.", icon=":material/check:")
    else:
        st.error("The connection check found a problem (see the last line of the report).", icon=":material/error:")
    st.code(text, language=None, wrap_lines=True)
