import functools
import io
import re
import zipfile
from datetime import UTC, datetime

import polars as pl
from plotly.offline import get_plotlyjs

from dashboard.exports.pack import Section, csv_zip, review_pack_html
from dashboard.figures.funnel import funnel_chart
from dashboard.figures.volume import applications_by_chart
from tests.figures import frames as F

HOSTILE = "<script>alert(1)</script>"


@functools.cache
def pack() -> str:
    jobs = pl.DataFrame({"job_id": ["j1"], "job_name": [HOSTILE], "applications": [7]})
    sections = [
        Section("Funnel", "Application cohort", funnel_chart(F.funnel()), None),
        Section("Applications by job", "Current stage breakdown", applications_by_chart(F.applications_by()), jobs),
        Section("Only a table", "", None, pl.DataFrame({"x": [1.5, None]})),
    ]
    html = review_pack_html("Review pack <Q1>", "Dept: R&D", datetime(2025, 3, 31, 8, 0, tzinfo=UTC), sections)
    return html.decode("utf-8")


def test_review_pack_inlines_plotly_js_exactly_once():
    html = pack()
    marker = get_plotlyjs()[:200]
    assert html.count(marker) == 1
    assert html.count("Plotly.newPlot(") == 2  # one per figure


def test_review_pack_works_offline():
    html = pack()
    assert not re.search(r"<script[^>]+src=", html)
    assert "<link" not in html


def test_review_pack_contains_every_section_title_and_the_header():
    html = pack()
    for title in ("Funnel", "Applications by job", "Only a table"):
        assert f"<h2>{title}</h2>" in html
    assert "Review pack &lt;Q1&gt;" in html
    assert "Dept: R&amp;D" in html
    assert "2025-03-31T08:00+00:00" in html


def test_review_pack_escapes_hostile_strings_in_tables_and_charts():
    html = pack()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the table cell
    assert "\\u003cscript\\u003ealert(1)" in html  # inside the chart JSON


def test_review_pack_renders_null_cells_as_dash():
    assert "<td class=\"num\">1.50</td><" in pack().replace("\n", "")
    assert "<td>–</td>" in pack()


def test_csv_zip_neutralises_formulas_with_safe_names():
    data = csv_zip({
        "jobs/../../etc": pl.DataFrame({"job_name": ['=HYPERLINK("http://x","y")', "Sales"]}),
        "jobs": pl.DataFrame({"n": [1]}),
    })
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert all("/" not in n and "\\" not in n and n.endswith(".csv") for n in names)
        assert len(set(names)) == 2
        text = zf.read(names[0]).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert '\n=HYPERLINK' not in text and not text.startswith("=")


def test_csv_zip_is_deterministic():
    tables = {"a": pl.DataFrame({"x": [1]})}
    assert csv_zip(tables) == csv_zip(tables)
