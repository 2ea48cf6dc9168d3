"""Streamlit entry point: page config, the shared sidebar (company, data, filters), the page router.

Run with `streamlit run app.py`. Pages live in pages/<section>/<page>.py: a pages/*.py file directly under
pages/ would switch Streamlit into its legacy auto-discovered multipage mode for the first run of a
process (and for every AppTest run), bypassing this script and its sidebar.
"""

from __future__ import annotations

import streamlit as st

from dashboard.warmup import preload

preload()  # every first import in one thread at a time: concurrent sessions never see a half-imported module

from dashboard.ui.access import require_access  # noqa: E402
from dashboard.ui.context import set_current  # noqa: E402
from dashboard.ui.sidebar import render_sidebar  # noqa: E402

PAGES: dict[str, list[st.Page]] = {
    "Review": [
        st.Page("pages/review/overview.py", title="Overview", icon=":material/dashboard:", url_path="home",
                default=True),
        # the default page is served at "/": a hidden page answers links to /overview (no "Page not found")
        st.Page("pages/review/overview_link.py", title="Overview", url_path="overview", visibility="hidden"),
        st.Page("pages/review/funnel.py", title="Funnel", icon=":material/filter_alt:", url_path="funnel"),
        st.Page("pages/review/speed.py", title="Speed", icon=":material/timer:", url_path="speed"),
        st.Page("pages/review/team.py", title="Team", icon=":material/groups:", url_path="team"),
    ],
    "Sources & jobs": [
        st.Page("pages/sources/channels.py", title="Channels", icon=":material/campaign:", url_path="channels"),
        st.Page("pages/sources/jobs.py", title="Jobs", icon=":material/work:", url_path="jobs"),
        st.Page("pages/sources/outcomes.py", title="Outcomes", icon=":material/handshake:", url_path="outcomes"),
        st.Page("pages/sources/candidates.py", title="Candidates", icon=":material/group:", url_path="candidates"),
    ],
    "Admin": [
        st.Page("pages/admin/data.py", title="Data", icon=":material/database:", url_path="data"),
        st.Page("pages/admin/glossary.py", title="Glossary", icon=":material/menu_book:", url_path="glossary"),
    ],
}

st.set_page_config(page_title="Recruiting dashboard", page_icon="📊", layout="wide",
                   initial_sidebar_state="expanded")
require_access()  # without this launch's token: how to open the dashboard, and nothing else
page = st.navigation(PAGES, position="sidebar", expanded=True)
set_current(render_sidebar())
page.run()
