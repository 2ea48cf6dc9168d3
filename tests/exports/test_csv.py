"""CSV export: formula injection neutralised, numbers untouched, safe file names, whole export."""

import io
import json
import math
from datetime import UTC, date, datetime

import polars as pl
import pytest

from dashboard.exports.csv import csv_bytes, export_all, kpis_json, safe_cell, safe_filename, write_csv
from dashboard.schema import Tables


@pytest.mark.parametrize("text", ["=1+1", "+49 30 123", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_risky_strings_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Berlin", "", " =x", "a=b", 42, -3, -1.5, None, True, date(2024, 1, 1)])
def test_harmless_values_untouched(value):
    assert safe_cell(value) == value


def test_csv_neutralises_string_cells_but_not_numbers():
    df = pl.DataFrame({"name": ["=cmd|' /C calc'!A0", "Anna", "-x", None], "n": [-1, 2, 3, 4], "r": [-0.5, 1.0, 2.0, None]})
    back = pl.read_csv(io.BytesIO(csv_bytes(df)))
    assert back["name"].to_list() == ["'=cmd|' /C calc'!A0", "Anna", "'-x", None]
    assert back["n"].to_list() == [-1, 2, 3, 4]
    assert back["r"].to_list()[:3] == [-0.5, 1.0, 2.0]


def test_csv_neutralises_risky_header_and_handles_lists_and_times():
    df = pl.DataFrame({"=evil": ["a"], "l": [["=x", "y"]], "t": [datetime(2024, 5, 1, 12, tzinfo=UTC)]})
    text = csv_bytes(df).decode("utf-8-sig")
    header, row = text.splitlines()
    assert header.startswith("'=evil,")
    assert "2024-05-01T12:00:00Z" in row


def test_write_csv_creates_parents(tmp_path):
    p = write_csv(pl.DataFrame({"a": ["@x"]}), tmp_path / "deep" / "x.csv")
    assert p.read_bytes().decode("utf-8-sig").splitlines() == ["a", "'@x"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Time to hire", "Time_to_hire"), ("../../etc/passwd", "etc_passwd"), ("a/b\\c:d", "a_b_c_d"),
     ("CON", "_CON"), ("", "export"), ("...", "export"), ("Bewerbungen Ü", "Bewerbungen_Ü")],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_kpis_json_numbers_stay_numbers_and_undefined_is_null():
    text = kpis_json({"n": 3, "rate": 0.25, "nan": math.nan, "inf": math.inf, "none": None, "d": date(2024, 1, 2)})
    assert json.loads(text) == {"n": 3, "rate": 0.25, "nan": None, "inf": None, "none": None, "d": "2024-01-02"}


def test_export_all_writes_every_table(tmp_path):
    t = Tables()
    paths = export_all(t, tmp_path)
    names = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert names == ["applications.csv", "candidates.csv", "hiring_team.csv", "jobs.csv", "stages.csv", "transitions.csv"]
    assert all(p.exists() for p in paths)
    header = (tmp_path / "tables" / "applications.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",")[:2] == ["application_id", "candidate_id"]


def test_export_all_writes_one_csv_per_metric_and_kpis_json(tmp_path):
    from metrics.bundle import metric_tables
    from metrics.filters import Filters

    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    export_all(Tables(), tmp_path, f)
    stems = set(metric_tables(Tables(), f))
    written = {p.stem for p in tmp_path.glob("*.csv")}
    assert written == {safe_filename(s) for s in stems} | {"by_hiring_team_member"}
    kpis = json.loads((tmp_path / "kpis.json").read_text(encoding="utf-8"))
    assert isinstance(kpis, dict) and kpis


def test_export_all_never_holds_member_names_even_where_personio_would_give_them(tmp_path):
    # the demo's fake Personio serves names for every hiring-team member; the export writes ids and roles only
    from dashboard.demo import generate_company
    from dashboard.demo.generator import team_people

    company = generate_company(400, seed=3)
    people = team_people(3)
    written = export_all(company.tables(), tmp_path)
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in written)
    assert "56789" in text  # the members are there, by id
    for first, last in people.select("first_name", "last_name").iter_rows():
        assert f"{first} {last}" not in text and f"{first},{last}" not in text
