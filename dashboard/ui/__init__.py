"""Streamlit glue: session-state keys, sidebar filters <-> query params, cached loaders, chart/table widgets."""
