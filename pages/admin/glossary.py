"""Glossary: the statistical terms of the dashboard in one line each."""

import streamlit as st

from dashboard.display import GLOSSARY

st.title("Glossary")
st.caption("The terms the charts and captions use, in plain words.")
for term, text in GLOSSARY.items():
    st.markdown(f"**{term}**: {text}")
