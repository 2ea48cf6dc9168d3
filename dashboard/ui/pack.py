"""A page's review pack: one self-contained HTML file (charts + tables) and a zip of its CSVs (dashboard.exports.pack)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard.exports.csv import safe_filename
from dashboard.exports.pack import Section, csv_zip, review_pack_html
from dashboard.ui import state
from dashboard.ui.formats import label
from dashboard.ui.widgets import Pack


def sections(pack: Pack) -> list[Section]:
    """Every chart (with its data table) and every other table of the page, in the order they were shown."""
    out = [Section(title=label(name), caption=caption, figure=fig, table=pack.tables.get(name))
           for name, fig, caption in pack.figures]
    shown = {name for name, _fig, _cap in pack.figures}
    out += [Section(title=label(name), table=df) for name, df in pack.tables.items() if name not in shown]
    return out


def pack_html(pack: Pack) -> bytes:
    """The review pack as one offline HTML document."""
    return review_pack_html(pack.title, pack.subtitle, pack.as_of or datetime.now(UTC), sections(pack))


def pack_zip(pack: Pack) -> bytes:
    """Every table of the pack as a formula-safe CSV inside one zip."""
    return csv_zip(dict(pack.tables))


def review_pack_buttons(pack: Pack) -> None:
    """Two downloads for the page as it is now: review pack (HTML) and its CSVs (zip), built on click."""
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    base = safe_filename(f"{pack.page}_{stamp}")
    st.divider()
    left, right, info = st.columns([1, 1, 3], vertical_alignment="center")
    with left:
        st.download_button("Review pack (HTML)", data=lambda: pack_html(pack), file_name=f"{base}.html",
                           mime="text/html", key=state.key(state.PACK_HTML, page=pack.page),
                           icon=":material/slideshow:",
                           help="Every chart and table of this page for the current filters, in one offline file", on_click="ignore")
    with right:
        st.download_button("All CSVs (zip)", data=lambda: pack_zip(pack), file_name=f"{base}_csv.zip",
                           mime="application/zip", key=state.key(state.PACK_ZIP, page=pack.page),
                           icon=":material/folder_zip:", disabled=not pack.tables, on_click="ignore")
    info.caption(f"{len(pack.figures)} charts, {len(pack.tables)} tables · {pack.subtitle}")
