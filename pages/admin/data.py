"""Data: sync status and errors, data-quality notes, credentials, cache location, purge, full resync."""

import polars as pl
import streamlit as st

from dashboard.ui import state
from dashboard.ui import widgets as w
from dashboard.ui.connection import check_button
from dashboard.ui.context import current
from dashboard.ui.histories import history_notice
from dashboard.ui.loaders import age_text, as_of_text, clear_caches, store_for
from dashboard.ui.plain import md
from dashboard.ui.sidebar import credentials_form
from dashboard.ui.syncing import sync_with_progress
from metrics.quality import data_quality_notes

ctx = current()
w.page_header("Data", ctx)


def ts(value) -> str:
    return "–" if value is None else f"{value:%Y-%m-%d %H:%M} UTC ({age_text(value)})"


st.subheader("Sync")
if ctx.source is None:
    w.empty_state("Personio is selected but no credentials are set: enter them below or switch to the demo company.",
                  icon=":material/key:")
else:
    status = ctx.status
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Data as of", "–" if status.as_of is None else f"{status.as_of:%-d %b, %H:%M}",
              help="When the published snapshot was synced (UTC)")
    c2.metric("Last full sync", "–" if status.full_sync_at is None else f"{status.full_sync_at:%Y-%m-%d}")
    c3.metric("Applications synced (all dates)", f"{status.counts.get('applications', 0):,}")
    c4.metric("Jobs synced", f"{status.counts.get('jobs', 0):,}")
    st.caption(f"{ctx.source.label} · {as_of_text(status.as_of)} · last attempt {ts(status.last_attempt_at)}")
    error = st.session_state.get(state.SYNC_ERROR) or status.last_error
    if error:
        st.error(f"**Last sync failed:** {md(error)}", icon="⚠️")  # stored server text: plain
    else:
        st.success("Last sync succeeded." if status.snapshot_id else "Not synced yet.", icon=":material/check:")
    b1, b2, _ = st.columns([1, 1, 3])
    run_incremental = b1.button("Sync now", key=state.SYNC_NOW, icon=":material/sync:", type="primary",
                                help="Fetch only what changed since the last sync")
    run_full = b2.button("Full resync", key=state.SYNC_FULL, icon=":material/sync_problem:",
                         help="Fetch everything again and drop records deleted or anonymised in Personio")
    if run_incremental or run_full:
        if sync_with_progress(ctx.source, ctx.store, ctx.settings.client_secret,
                              st.session_state.get(state.CRED_REVISION, 0), full=True if run_full else None,
                              has_data=ctx.has_data, as_of_text=as_of_text(status.as_of)):
            st.rerun()
    history_notice(status)
    if status.notes:
        with st.expander(f"Notes from the last sync ({len(status.notes)})", expanded=any(
                n.startswith("stage transitions:") for n in status.notes)):
            for note in status.notes[:50]:
                st.text(note)  # plain text: notes can quote ids and field names the server sent
    if status.counts:
        with st.expander("Rows per table"):
            st.dataframe(pl.DataFrame({"table": list(status.counts), "rows": list(status.counts.values())}),
                         hide_index=True, key="data_counts")

st.subheader("Data-quality notes")
if ctx.data is None:
    w.empty_state("No data synced yet.")
else:
    notes = ctx.data.metric(data_quality_notes, None)
    if notes.height:
        w.table(notes, "data_quality_notes", caption="Found in the whole snapshot (no filters). Records with these "
                "issues are counted where they can be and left out of durations where they cannot.")
    else:
        st.success("No data-quality issues found.", icon=":material/check:")

st.subheader("Personio credentials")
with st.container(border=True):
    configured = "set" if ctx.settings.client_id else "not set"
    st.caption(f"Client ID: {md(ctx.settings.client_id or '—')} ({configured}); secret: "
               f"{'set' if ctx.settings.client_secret else 'not set'} — never shown, stored for this session only "
               f"when typed here.")
    credentials_form("data", ctx.settings)
    check_button("data", ctx.source, ctx.settings)

st.subheader("Local cache")
st.markdown(f"Synced data is kept on this computer under {md(ctx.settings.cache_root)} (files readable by you only; "
            "no credentials or tokens). Candidate names, e-mails and phone numbers are never stored.")
if ctx.store is not None:
    st.caption(f"This company: {md(ctx.store.path)}")
    if ctx.store.warning:
        st.warning("Local cache:", icon=":material/warning:")
        st.text(ctx.store.warning)  # plain text: it names paths
    if not st.session_state.get(state.PURGE_PENDING):
        if st.button("Delete cached data…", key=state.PURGE_ASK, icon=":material/delete:"):
            st.session_state[state.PURGE_PENDING] = True
            st.rerun()
    else:
        st.warning("Delete every cached record of this company from this computer? The dashboard stays empty "
                   "until the next sync.", icon=":material/warning:")
        yes, no, _ = st.columns([1, 1, 4])
        if yes.button("Yes, delete", key=state.PURGE_CONFIRM, type="primary"):
            ctx.store.purge()
            store_for.clear()
            clear_caches()
            st.session_state[state.PURGE_PENDING] = False
            st.session_state.setdefault(state.SYNC_TRIED, set()).add(ctx.source.key)
            st.toast("Cached data deleted.")
            st.rerun()
        if no.button("Cancel", key=state.PURGE_CANCEL):
            st.session_state[state.PURGE_PENDING] = False
            st.rerun()
