"""Stage transitions in every named shape and envelope; loud (error / warning) on shapes nobody named."""

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.parse import (
    APPLICATION_SPEC,
    TRANSITION_SPEC,
    build_tables,
    latest_stage_id,
    sanitise,
    sanitise_transitions,
    transition_items,
)

AS_OF = datetime(2024, 6, 1, tzinfo=UTC)


def build(applications, transitions):
    return build_tables(applications=applications, transitions=transitions, jobs=[], candidates=[],
                        categories=[], feed=None, as_of=AS_OF)


def app(app_id: str) -> dict:
    return {"id": app_id, "current_stage": {"id": "s2", "type": "screening", "kind": "custom"},
            "application_date": "2024-01-10"}


NEW = {"type": "new", "kind": "system"}
SCREEN = {"id": "s2", "name": "Phone screen", "type": "screening", "kind": "custom"}

FROM_TO = [
    {"id": "t2", "from_stage": NEW, "to_stage": SCREEN, "created_at": {"date-time": "2024-01-12T08:00:00+01:00",
                                                                        "timezone": "Europe/Berlin"}},
]
ENTERED = [
    {"stage": SCREEN, "entered_at": {"date": "2024-01-12"}},
    {"stage": NEW, "entered_at": "2024-01-10T09:00:00Z"},
]


@pytest.mark.parametrize("wrap", [lambda x: x, lambda x: {"_data": x}, lambda x: {"data": x, "_meta": {}}],
                         ids=["bare list", "_data envelope", "data envelope"])
@pytest.mark.parametrize("items", [FROM_TO, ENTERED], ids=["from/to", "entered stage"])
def test_every_named_shape_in_every_envelope_reads_the_same_move(wrap, items):
    tables, notes = build([app("a1")], {"a1": wrap(items)})
    last = tables.transitions.row(-1, named=True)
    assert last["to_stage_id"] == "s2"
    assert last["from_stage_id"] == "system:new"  # a system stage with only type and kind
    assert last["from_stage_name"] == "New"
    assert not [n for n in notes if n.severity != "note"]


def test_timestamp_objects_with_a_zone_and_date_only_objects_are_read():
    tables, _ = build([app("a1")], {"a1": FROM_TO})
    assert tables.transitions["transitioned_at"].to_list() == [datetime(2024, 1, 12, 7, tzinfo=UTC)]
    tables, _ = build([app("a1")], {"a1": ENTERED})
    assert tables.transitions["transitioned_at"].to_list() == [datetime(2024, 1, 10, 9, tzinfo=UTC),
                                                               datetime(2024, 1, 12, tzinfo=UTC)]


def test_unknown_shape_everywhere_is_an_error_naming_the_fields_not_the_values():
    odd = [{"moved_to": {"label": "secret-stage-name"}, "when": "2024-01-12", "by": "boss@example.com"}]
    tables, notes = build([app("a1"), app("a2")], {"a1": odd, "a2": {"items": odd}})
    errors = [n for n in notes if n.severity == "error"]
    assert len(errors) == 1
    message = errors[0].message
    assert message.startswith("stage transitions: none of the 2 stage histories could be read")
    for name in ("by", "moved_to", "moved_to.label", "when", "items"):
        assert name in message
    assert "secret-stage-name" not in message and "boss@example.com" not in message
    assert tables.transitions.height == 0
    assert tables.applications.height == 2  # volume and per-stage figures keep working


def test_some_unreadable_histories_are_a_warning_with_counts_and_the_rest_is_used():
    odd = [{"moved_to": "x", "when": "2024-01-12"}]
    tables, notes = build([app("a1"), app("a2"), app("a3")], {"a1": ENTERED, "a2": odd, "a3": []})
    warnings = [n for n in notes if n.severity == "warning"]
    assert [n.message for n in warnings] == [
        "stage transitions: the histories of 1 of 2 applications could not be read (fields seen: moved_to, when) "
        "and are left out of time-based figures"]
    assert not [n for n in notes if n.severity == "error"]
    assert tables.transitions["application_id"].to_list() == ["a1", "a1"]


def test_empty_histories_alone_are_not_an_error():
    _, notes = build([app("a1")], {"a1": [], "a2": {"_data": []}})
    assert not [n for n in notes if n.severity != "note"]


def test_hostile_field_names_are_printable_and_bounded():
    odd = [{"\x1b[31m" + "k" * 500: 1}]
    _, notes = build([app("a1")], {"a1": odd})
    message = next(n.message for n in notes if n.severity == "error")
    assert "\x1b" not in message and "k" * 41 not in message


def test_latest_stage_is_the_stage_entered_last():
    assert latest_stage_id(ENTERED) == "s2"
    assert latest_stage_id({"_data": FROM_TO}) == "s2"
    assert latest_stage_id([{"odd": 1}]) is None
    assert latest_stage_id([]) is None


def test_allow_lists_drop_personal_and_unknown_fields():
    item = {"id": "t1", "to_stage": {**SCREEN, "comment": "private"}, "created_at": {"date-time": "x"},
            "moved_by": {"email": "boss@example.com"}, "comment": "bad fit"}
    assert sanitise_transitions({"_data": [item]}) == [
        {"id": "t1", "to_stage": SCREEN, "created_at": {"date-time": "x"}}]
    record = {"id": "a1", "candidate": {"id": "c1", "email": "a@b.c"}, "phone": "123", "custom_attributes": [1],
              "hiring_team": [{"person": {"id": "p1", "email": "p@x"}, "role": {"name": "Recruiter", "x": 1}}],
              "job": {"id": "j1", "name": "Eng", "secret": 1}}
    assert sanitise(record, APPLICATION_SPEC) == {
        "id": "a1", "candidate": {"id": "c1"},
        "hiring_team": [{"person": {"id": "p1"}, "role": {"name": "Recruiter"}}],
        "job": {"id": "j1", "name": "Eng"}}


def test_items_of_an_unknown_shape_are_kept_for_a_later_parser_fix():
    odd = {"moved_to": "x", "when": "2024-01-12"}
    assert sanitise_transitions([odd]) == [odd]
    assert sanitise_transitions({"weird": 1}) == {"weird": 1}


_STAGES = st.fixed_dictionaries({"type": st.sampled_from(["new", "screening", "offer", "hired", "rejected"])},
                                optional={"id": st.text(min_size=1, max_size=4), "kind": st.just("custom"),
                                          "name": st.text(max_size=6)})
_TIMES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


def _stamp(draw_kind: str, when: datetime):
    if draw_kind == "string":
        return when.isoformat()
    if draw_kind == "object":
        return {"date-time": when.isoformat(), "timezone": "UTC"}
    return {"date": when.date().isoformat()}


@st.composite
def histories(draw):
    shape = draw(st.sampled_from(["from_to", "entered"]))
    stamp = draw(st.sampled_from(["string", "object", "date"]))
    n = draw(st.integers(min_value=1, max_value=6))
    items = []
    for _ in range(n):
        when = _stamp(stamp, draw(_TIMES))
        if shape == "from_to":
            items.append({"from_stage": draw(_STAGES), "to_stage": draw(_STAGES), "created_at": when})
        else:
            items.append({"stage": draw(_STAGES), "entered_at": when})
    envelope = draw(st.sampled_from(["bare", "_data", "data"]))
    return items if envelope == "bare" else {envelope: items}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=histories())
def test_any_named_shape_reads_every_item_without_notes(payload):
    tables, notes = build([app("a1")], {"a1": payload})
    assert tables.transitions.height == len(transition_items(payload))
    assert tables.transitions["seq"].to_list() == list(range(tables.transitions.height))
    assert not [n for n in notes if n.table == "transitions"]
    assert sanitise_transitions(payload) == [sanitise(i, TRANSITION_SPEC) for i in transition_items(payload)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=st.lists(st.dictionaries(st.text(max_size=8).filter(lambda k: k not in ("to_stage", "stage")),
                                        st.one_of(st.none(), st.text(max_size=5), st.integers()), min_size=1,
                                        max_size=4), min_size=1, max_size=4))
def test_any_unnamed_shape_is_an_error_never_a_guess(payload):
    tables, notes = build([app("a1")], {"a1": payload})
    assert tables.transitions.height == 0
    assert [n.severity for n in notes if n.severity != "note"] == ["error"]
