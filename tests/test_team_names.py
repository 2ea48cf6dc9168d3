"""Hiring-team names: a local file and Personio's persons endpoint, as plain one-line text, never required."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.team_names import live_names, names_file, person_name, read_names_file


def test_names_file_maps_ids_to_names_skipping_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text("person_id,name\n56789,Ada Lovelace\n,nobody\n56790,\n56789,Second Copy\n67891,  Grace\tHopper \n",
                    encoding="utf-8")
    assert read_names_file(path) == {"56789": "Ada Lovelace", "67891": "Grace Hopper"}


def test_missing_or_unreadable_names_file_is_empty(tmp_path: Path) -> None:
    assert read_names_file(tmp_path / "absent.csv") == {}
    assert read_names_file(tmp_path) == {}


def test_names_file_location_comes_from_the_environment() -> None:
    assert names_file({}) == Path("team_names.csv")
    assert names_file({"RECRUITING_DASHBOARD_TEAM_NAMES": "/x/names.csv"}) == Path("/x/names.csv")


def test_person_name_prefers_the_preferred_name() -> None:
    assert person_name({"first_name": "Ada", "last_name": "Lovelace"}) == "Ada Lovelace"
    assert person_name({"first_name": "Ada", "last_name": "Lovelace", "preferred_name": "Ada L."}) == "Ada L."
    assert person_name({"id": "1"}) == ""


class StubPersons:
    def __init__(self, fail: Exception | None = None) -> None:
        self.asked: list[str] = []
        self.fail = fail

    def person(self, person_id: str) -> dict:
        self.asked.append(person_id)
        if self.fail:
            raise self.fail
        return {"id": person_id, "first_name": f"P{person_id}", "last_name": "X"}


def test_live_names_ask_once_per_distinct_member_up_to_the_limit() -> None:
    client = StubPersons()
    assert live_names(client, ["1", "2", "1", None, "3"], limit=2) == {"1": "P1 X", "2": "P2 X"}
    assert client.asked == ["1", "2"]


def test_live_names_errors_propagate_for_the_caller_to_explain() -> None:
    with pytest.raises(PermissionError):
        live_names(StubPersons(PermissionError("scope")), ["1"])


@given(st.dictionaries(st.sampled_from(["first_name", "last_name", "preferred_name"]),
                       st.one_of(st.none(), st.integers(), st.text())))
def test_any_person_record_gives_one_line_of_plain_text(record: dict) -> None:
    name = person_name(record)
    assert "\n" not in name and "\r" not in name and len(name) <= 80
    assert name == name.strip()
