"""Review packs: one self-contained offline HTML file (plotly.js inlined once) and a ZIP of safe CSVs.

The pack shows exactly the sections it is given: no candidate names or other columns are added here.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.offline import get_plotlyjs

from dashboard.exports.csv import csv_bytes, safe_filename
from dashboard.figures.template import print_ready

MAX_TABLE_ROWS = 500
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed entry timestamps: the same tables give the same bytes

CSS = """
body{font-family:"Source Sans Pro","DejaVu Sans",Helvetica,Arial,sans-serif;color:#31333F;margin:0;background:#fff}
main{max-width:1180px;margin:0 auto;padding:24px 32px 64px}
h1{font-size:28px;margin:0 0 4px} h2{font-size:20px;margin:40px 0 4px;border-top:1px solid #e3e5e8;padding-top:20px}
.meta{color:#5f6470;margin:0 0 2px} .caption{color:#5f6470;margin:0 0 12px}
nav ol{columns:2;color:#5f6470;padding-left:20px} nav a{color:#0072B2;text-decoration:none}
.chart{width:100%;min-height:360px}
.table-wrap{overflow-x:auto;max-height:560px;overflow-y:auto;border:1px solid #e3e5e8;border-radius:4px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{padding:4px 10px;border-bottom:1px solid #eef0f2;text-align:left;white-space:nowrap}
th{position:sticky;top:0;background:#f6f7f9;font-weight:600} td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#5f6470;font-size:12px;margin:4px 0}
.cover{border-bottom:1px solid #e3e5e8;padding:8px 0 16px;margin-bottom:8px} .cover .company{font-size:20px;margin:8px 0 2px}
.tiles{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:12px;margin:12px 0}
.tile{border:1px solid #d5d8de;border-radius:8px;padding:10px 14px}
.tile .label{color:#5f6470;font-size:14px} .tile .value{font-size:30px;font-weight:700;margin:2px 0}
.tile .change{font-size:13px} .tile .n{color:#5f6470;font-size:12px}
.good{color:#1a7f37} .bad{color:#c62828} .neutral{color:#5f6470}
@media print{.tiles{grid-template-columns:repeat(3,1fr)} .table-wrap{max-height:none;overflow:visible} h2{break-before:auto} .chart{break-inside:avoid}}
"""


@dataclass(frozen=True)
class Section:
    """One part of a review pack: a heading, a caption, and a chart and/or a table."""

    title: str
    caption: str = ""
    figure: go.Figure | None = None
    table: pl.DataFrame | None = None


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: Any, column: str = "") -> tuple[str, bool]:
    """(escaped text, is_number) of one table cell, rounded for reading (shares as %, days one decimal)."""
    from dashboard.display import is_days, is_rate, percent

    if value is None:
        return "–", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, float):
        if value != value:
            return "–", True
        if is_rate(column):
            return _e(percent(value)), True
        return (f"{value:,.1f}" if is_days(column) else f"{value:,.2f}"), True
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, datetime):
        return _e(f"{value:%Y-%m-%d %H:%M}"), False
    if isinstance(value, date):
        return _e(value.isoformat()), False
    return _e(value), False


def table_html(df: pl.DataFrame, max_rows: int = MAX_TABLE_ROWS) -> str:
    """An escaped HTML table of the first `max_rows` rows (nested values shown as text)."""
    if df.width == 0:
        return '<p class="note">No rows.</p>'
    from dashboard.display import label

    head = "".join(f"<th>{_e(label(c))}</th>" for c in df.columns)
    rows = []
    for row in df.head(max_rows).iter_rows():
        cells = (_cell(v, c) for v, c in zip(row, df.columns, strict=True))
        rows.append("<tr>" + "".join(f'<td class="num">{t}</td>' if num else f"<td>{t}</td>" for t, num in cells)
                    + "</tr>")
    note = ""
    if df.height > max_rows:
        note = f'<p class="note">First {max_rows:,} of {df.height:,} rows; the CSV export has all of them.</p>'
    elif df.height == 0:
        note = '<p class="note">No rows.</p>'
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            f"</table></div>{note}")


def _script_safe_json(fig: go.Figure) -> str:
    """Figure JSON that cannot end its <script> block: <, > and & become JSON unicode escapes."""
    return fig.to_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def figure_html(fig: go.Figure, div_id: str) -> str:
    """A div and the script that draws `fig` into it with the page's single plotly.js."""
    spec = _script_safe_json(print_ready(fig))
    return (
        f'<div id="{div_id}" class="chart"></div>\n<script>(function(){{var f={spec};'
        f'Plotly.newPlot("{div_id}",f.data,f.layout,{_config_json()});}})();</script>'
    )


def _config_json() -> str:
    return json.dumps(PLOTLY_CONFIG)


def tiles_html(tiles: Sequence[Any]) -> str:
    """KPI tiles (`exports.review.Tile`) as a grid of bordered tiles: label, value, change, n."""
    out = []
    for t in tiles:
        change = ""
        if t.change:
            prev = f" vs {_e(t.previous)} previous period" if t.previous else ""
            change = f'<div class="change {_e(t.tone)}">{_e(t.change)}{prev}</div>'
        out.append(f'<div class="tile"><div class="label">{_e(t.label)}</div><div class="value">{_e(t.value)}</div>'
                   f'{change}<div class="n">{_e(t.n)}</div></div>')
    return f'<div class="tiles">{"".join(out)}</div>'


def review_pack_html(
    title: str, filters_description: str, as_of: datetime | date | str, sections: Sequence[Section],
    *, cover: Sequence[str] = (), tiles: Sequence[Any] = (),
) -> bytes:
    """One self-contained UTF-8 HTML document: cover, contents, KPI tiles, then every section's chart and table.

    `cover` lines (company, range, …) go under the title; `tiles` (`exports.review.Tile`) become a
    "Headline numbers" section of tiles."""
    as_of_text = as_of.isoformat(timespec="minutes") if isinstance(as_of, datetime) else str(as_of)
    toc_items = ['<li><a href="#kpis">Headline numbers</a></li>'] if tiles else []
    toc_items += [f'<li><a href="#s{i}">{_e(s.title)}</a></li>' for i, s in enumerate(sections, 1)]
    toc = "".join(toc_items)
    body = [f'<section id="kpis"><h2>Headline numbers</h2>{tiles_html(tiles)}</section>'] if tiles else []
    for i, s in enumerate(sections, 1):
        parts = [f'<section id="s{i}"><h2>{_e(s.title)}</h2>']
        if s.caption:
            parts.append(f'<p class="caption">{_e(s.caption)}</p>')
        if s.figure is not None:
            parts.append(figure_html(s.figure, f"chart-{i}"))
        if s.table is not None:
            parts.append(table_html(s.table))
        parts.append("</section>")
        body.append("\n".join(parts))
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="personio-recruiting-dashboard">
<title>{_e(title)}</title>
<style>{CSS}</style>
<script>{get_plotlyjs()}</script>
</head><body><main>
<header class="cover">
<h1>{_e(title)}</h1>
{"".join(f'<p class="company">{_e(line)}</p>' if i == 0 else f'<p class="meta">{_e(line)}</p>' for i, line in enumerate(cover))}
<p class="meta">Filters: {_e(filters_description or "none")}</p>
<p class="meta">Data as of {_e(as_of_text)}</p>
</header>
<nav><h2>Contents</h2><ol>{toc}</ol></nav>
{chr(10).join(body)}
</main></body></html>
"""
    return doc.encode("utf-8")


def csv_zip(tables: dict[str, pl.DataFrame]) -> bytes:
    """A ZIP with one formula-safe CSV per table, named safe_filename(name).csv (duplicates numbered)."""
    buf = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, df in tables.items():
            stem = safe_filename(name, default="table")
            candidate, k = f"{stem}.csv", 2
            while candidate.lower() in used:
                candidate, k = f"{stem}_{k}.csv", k + 1
            used.add(candidate.lower())
            info = zipfile.ZipInfo(candidate, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, csv_bytes(df))
    return buf.getvalue()


def review_html(review: Any) -> bytes:
    """The HTML review pack of an `exports.review.Review`: cover, contents, tiles, each chart with its
    caption and its data as a human-labelled table, then the other tables."""
    from dashboard.display import label

    c = review.context
    sections = [Section(title=(f"{ch.section} · " if ch.section else "") + ch.title, caption=ch.caption,
                        figure=ch.figure, table=ch.data) for ch in review.charts]
    sections += [Section(title=label(name), table=df) for name, df in review.tables.items()]
    return review_pack_html(review.title, c.filters_text, c.as_of.strftime("%Y-%m-%d %H:%M UTC"), sections,
                            cover=[c.company, c.range_text], tiles=review.tiles)
