"""A page's review pack: one self-contained HTML file (charts + tables) and a zip of its CSVs.

plotly.js is inlined once, so the HTML opens offline and can be attached to an e-mail or a slide deck.
"""

from __future__ import annotations

import html
import io
import zipfile
from datetime import UTC, datetime

import polars as pl
import streamlit as st

from dashboard.export import csv_bytes, neutralise, safe_filename
from dashboard.ui import state
from dashboard.ui.formats import label
from dashboard.ui.widgets import Pack

MAX_HTML_ROWS = 500
_CSS = """
body{font-family:Inter,"Source Sans 3","DejaVu Sans",Arial,sans-serif;margin:2rem auto;max-width:1200px;color:#31333F}
h1{margin-bottom:.2rem} .sub{color:#5b6170;margin-bottom:1.5rem} .cap{color:#5b6170;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 2rem} th,td{border:1px solid #ddd;padding:.25rem .5rem}
th{background:#f3f4f6;text-align:left} td.num{text-align:right} section{margin-bottom:2.5rem}
"""


def _table_html(df: pl.DataFrame) -> str:
    shown = neutralise(df.head(MAX_HTML_ROWS))
    head = "".join(f"<th>{html.escape(label(c))}</th>" for c in shown.columns)
    numeric = [dt.is_numeric() for dt in shown.dtypes]
    body = []
    for row in shown.iter_rows():
        cells = []
        for value, is_num in zip(row, numeric, strict=True):
            if isinstance(value, float):
                text = f"{value:,.3f}".rstrip("0").rstrip(".")
            else:
                text = "" if value is None else str(value)
            cells.append(f"<td class='num'>{html.escape(text)}</td>" if is_num else f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = (f"<p class='cap'>First {MAX_HTML_ROWS:,} of {df.height:,} rows; the CSV zip has all of them.</p>"
            if df.height > MAX_HTML_ROWS else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def pack_html(pack: Pack) -> bytes:
    """The review pack as one HTML document (plotly.js inlined once)."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(pack.title)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(pack.title)}</h1><div class='sub'>{html.escape(pack.subtitle)}<br>"
             f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC</div>"]
    for note in pack.notes:
        parts.append(f"<p class='cap'>{html.escape(note)}</p>")
    first = True
    for name, fig, caption in pack.figures:
        div = fig.to_html(full_html=False, include_plotlyjs="inline" if first else False,
                          config={"displaylogo": False}, div_id=f"fig-{safe_filename(name)}")
        first = False
        parts.append(f"<section>{div}<p class='cap'>{html.escape(caption)}</p>")
        if name in pack.tables:
            parts.append(_table_html(pack.tables[name]))
        parts.append("</section>")
    for name, df in pack.tables.items():
        if any(name == fname for fname, _f, _c in pack.figures):
            continue
        parts.append(f"<section><h3>{html.escape(label(name))}</h3>{_table_html(df)}</section>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def pack_zip(pack: Pack) -> bytes:
    """Every table of the pack as a formula-safe CSV inside one zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, df in pack.tables.items():
            zf.writestr(f"{safe_filename(name)}.csv", csv_bytes(df))
    return buf.getvalue()


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
                           help="Every chart and table of this page for the current filters, in one offline file")
    with right:
        st.download_button("All CSVs (zip)", data=lambda: pack_zip(pack), file_name=f"{base}_csv.zip",
                           mime="application/zip", key=state.key(state.PACK_ZIP, page=pack.page),
                           icon=":material/folder_zip:", disabled=not pack.tables)
    info.caption(f"{len(pack.figures)} charts, {len(pack.tables)} tables · {pack.subtitle}")
