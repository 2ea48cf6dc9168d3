"""kpis.json's by_hiring_team_member and by_hiring_team_member.csv, pinned on the hand-built team company."""

import csv
import json
from dataclasses import replace

import polars as pl

from dashboard.exports.csv import export_all
from tests.metrics.test_team import JAN, team_tables


def test_kpis_json_lists_each_member_with_exactly_the_contract_keys(tmp_path):
    export_all(team_tables(), tmp_path, JAN)
    members = json.loads((tmp_path / "kpis.json").read_text(encoding="utf-8"))["by_hiring_team_member"]
    keys = ["person_id", "role", "jobs", "applications", "hires", "time_to_hire_median_days"]
    assert [list(m) for m in members] == [keys] * 5
    assert [list(m.values()) for m in members] == [
        ["R1", "Recruiter", 2, 4, 1, 30.0],
        ["H1", "Hiring manager", 1, 3, 1, 30.0],
        ["H2", "Hiring manager", 0, 1, 0, None],
        ["R2", "Recruiter", 1, 1, 0, None],
        [None, None, 1, 1, 1, 10.0],  # Unassigned: job j3 has no team, a7 hired 01-25 after applying 01-15
    ]


def test_member_csv_holds_the_full_table_and_is_formula_safe(tmp_path):
    t = team_tables()
    hostile = t.hiring_team.with_columns(
        pl.when(pl.col("person_id") == "R2").then(pl.lit("=HYPERLINK(\"http://x\")")).otherwise("role").alias("role")
    )
    export_all(replace(t, hiring_team=hostile), tmp_path, JAN)
    with (tmp_path / "by_hiring_team_member.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {"person_id", "role", "to_interviews_lo", "offer_acceptance_n", "stuck", "too_few_to_judge"} <= set(rows[0])
    assert len(rows) == 5
    assert not any(r["role"].startswith("=") for r in rows)
    assert (tmp_path / "tables" / "hiring_team.csv").exists()
