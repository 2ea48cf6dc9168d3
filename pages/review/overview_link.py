"""`/overview`: the Overview lives at the root URL; this hidden page sends a link to it there, filters kept."""

import streamlit as st

st.switch_page("pages/review/overview.py", query_params={k: st.query_params.get_all(k) for k in st.query_params})
