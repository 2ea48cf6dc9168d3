"""A page's review pack, slide deck and CSV zip (dashboard.exports), built when the download is clicked."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.exports.csv import display_frame, safe_filename
from dashboard.exports.deck import review_deck
from dashboard.exports.pack import Section, csv_zip, review_html
from dashboard.exports.review import Review, from_page
from dashboard.ui import state
from dashboard.ui.formats import label
from dashboard.ui.plain import md
from dashboard.ui.widgets import Pack

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def sections(pack: Pack) -> list[Section]:
    """Every chart (with its data table) and every other table of the page, in the order they were shown."""
    out = [Section(title=label(name), caption=caption, figure=fig, table=pack.tables.get(name))
           for name, fig, caption in pack.figures]
    shown = {name for name, _fig, _cap in pack.figures}
    out += [Section(title=label(name), table=df) for name, df in pack.tables.items() if name not in shown]
    return out


def page_review(pack: Pack) -> Review:
    """The page as a review: its tiles, charts with captions and data, other tables."""
    return from_page(pack.title, pack.context, pack.figures, pack.tables, pack.tiles)


def pack_html(pack: Pack) -> bytes:
    """The review pack as one offline HTML document."""
    return review_html(page_review(pack))


def pack_zip(pack: Pack) -> bytes:
    """Every table of the pack as a formula-safe CSV (human headers, exact values alongside) in one zip."""
    tables = dict(pack.tables)
    if pack.tile_table is not None:
        tables = {"headline_numbers": pack.tile_table, **tables}
    return csv_zip({name: display_frame(df) for name, df in tables.items()})


def review_pack_buttons(pack: Pack, whole: Any = None) -> None:
    """Downloads for the page as it is now: review pack (HTML), slide deck (PowerPoint), CSVs (zip), built on click.

    `whole` (a zero-argument function returning the whole dashboard's Review) adds the same two for every page."""
    stem = pack.context.file_stem(pack.page) if pack.context is not None else pack.page
    base = safe_filename(stem)
    st.divider()
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key=f"pack_{pack.page}_buttons"):
        st.download_button("Review pack (HTML)", data=lambda: pack_html(pack), file_name=f"{base}.html",
                           mime="text/html", key=state.key(state.PACK_HTML, page=pack.page),
                           icon=":material/article:", on_click="ignore",
                           help="Every chart and table of this page for the current filters, in one offline file")
        st.download_button("Slides (PowerPoint)", data=lambda: review_deck(page_review(pack)),
                           file_name=f"{base}.pptx", mime=PPTX_MIME, key=state.key(state.PACK_PPTX, page=pack.page),
                           icon=":material/slideshow:", on_click="ignore", disabled=not pack.figures,
                           help="A title slide, the headline numbers and one slide per chart with its caption and n")
        st.download_button("All CSVs (zip)", data=lambda: pack_zip(pack), file_name=f"{base}_csv.zip",
                           mime="application/zip", key=state.key(state.PACK_ZIP, page=pack.page),
                           icon=":material/folder_zip:", disabled=not pack.tables, on_click="ignore")
        if whole is not None:
            whole_base = safe_filename(pack.context.file_stem("review")) if pack.context is not None else "review"
            st.download_button("Whole dashboard (HTML)", data=lambda: review_html(whole()),
                               file_name=f"{whole_base}.html", mime="text/html",
                               key=state.key(state.PACK_HTML, page="whole"), icon=":material/article:",
                               on_click="ignore", help="Every page's charts for the current filters, in one file")
            st.download_button("Whole dashboard (PowerPoint)", data=lambda: review_deck(whole()),
                               file_name=f"{whole_base}.pptx", mime=PPTX_MIME,
                               key=state.key(state.PACK_PPTX, page="whole"), icon=":material/slideshow:",
                               on_click="ignore", help="Every page's charts for the current filters, one slide each")
    st.caption(f"{len(pack.figures)} charts, {len(pack.tables)} tables · {md(pack.subtitle)}")  # filter values: plain
