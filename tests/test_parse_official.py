"""Personio's own example payloads (tests/fixtures/official) read field by field by the parser."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from dashboard.parse import build_tables

OFFICIAL = Path(__file__).parent / "fixtures" / "official"
AS_OF = datetime(2024, 1, 1, tzinfo=UTC)
STAMP = datetime(2023, 12, 11, 14, 50, 17, tzinfo=UTC)  # "2023-12-11T14:50:17Z" in every example


def _load(name: str) -> dict:
    return json.loads((OFFICIAL / name).read_text())


def _tables(**records):
    args = {"applications": [], "transitions": {}, "jobs": [], "candidates": [], "categories": [], "feed": None,
            "as_of": AS_OF, **records}
    return build_tables(**args)


def test_official_application_example_is_read_field_by_field():
    tables, notes = _tables(applications=[_load("application-by-id.200.json")])
    assert tables.applications.height == 1
    row = tables.applications.row(0, named=True)
    assert row["application_id"] == "495039"
    assert row["candidate_id"] == "3498579"
    assert row["job_id"] == "209321"
    assert row["application_date"] == date(2023, 12, 11)
    assert row["created_at"] == STAMP and row["updated_at"] == STAMP
    assert row["is_anonymized"] is False
    # the example has no channel and no current_stage (the schema makes current_stage required)
    assert (row["channel_id"], row["channel_name"]) == (None, "Unknown")
    assert row["stage_type"] == "new"
    assert any(n.table == "applications" and "current_stage" in n.message for n in notes)


def test_official_application_example_gives_its_job_with_category_and_department():
    tables, _ = _tables(applications=[_load("application-by-id.200.json")])
    job = tables.jobs.row(0, named=True)
    assert (job["job_id"], job["job_name"]) == ("209321", "Software Developer")
    assert (job["category_id"], job["category_name"]) == ("3459833", "Technology")
    assert (job["department_id"], job["department_name"]) == ("321", "IT")


def test_official_application_example_gives_its_hiring_team():
    tables, _ = _tables(applications=[_load("application-by-id.200.json")])
    team = getattr(tables, "hiring_team", None)
    if team is None:  # the hiring-team table is optional in Tables
        return
    rows = sorted(team.select("person_id", "role").rows())
    assert rows == [("56789", "HR manager"), ("67890", "Tech lead")]


def test_official_candidate_pages_are_read_field_by_field():
    records = _load("candidates-list.page1.json")["_data"]
    tables, notes = _tables(candidates=records)
    assert tables.candidates.rows() == [("495039", STAMP, STAMP), ("3459829", STAMP, STAMP)]
    assert not [n for n in notes if n.table == "candidates"]
    second = _load("candidates-list.page2.json")["_data"]
    tables, _ = _tables(candidates=second)
    assert sorted(tables.candidates["candidate_id"]) == ["3459829", "495039"]


def test_official_system_stage_with_only_type_and_kind_parses_as_a_system_stage():
    app = {**_load("application-by-id.200.json"), "current_stage": {"kind": "system", "type": "rejected"}}
    tables, _ = _tables(applications=[app])
    row = tables.applications.row(0, named=True)
    assert (row["stage_id"], row["stage_name"], row["stage_type"]) == ("system:rejected", "Rejected", "rejected")
