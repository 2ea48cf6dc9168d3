"""Parser fuzzing: payloads built from the seed OpenAPI schemas, then broken (wrong types, nulls, missing keys, odd
timestamps and zones, huge strings, unicode). The parser returns valid tables or raises ParseError, nothing else.

Each test records how many payloads it parsed (`fuzzed_payloads`); conftest prints the total."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.parse import ParseError, build_tables
from dashboard.schema import SCHEMAS

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
AS_OF = datetime(2025, 6, 30, 12, tzinfo=UTC)

STAGE_TYPES = ["new", "screening", "interviews", "offer", "hired", "talent pool", "other", "unassigned",
               "rejected", "withdrawn"]
ZONES = ["UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "Etc/GMT+12",
         "Mars/Olympus", "", "Z", "+02:00"]
ODD_TIMES = ["2024-02-29T23:59:60Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999+14:00", "2024-13-01",
             "2024-03-31T02:30:00", "2024-10-27T02:30:00+01:00", "1970-01-01", "yesterday", "", " ",
             "2024-06-01T10:00:00.123456789Z", "2024-06-01 10:00", "2024-06-01T10:00:00-00:00", "20240601T100000Z",
             "٢٠٢٤-٠٦-٠١", "2024-06-01T10:00:00\x00Z"]


SAMPLES = ["", " ", "Anna", "Zoë Ångström", "محمد", "王小明", "Ｆｕｌｌｗｉｄｔｈ", "e\u0301", "😀👩‍💻", "\u202eevil",
           "a\x00b", "tab\there", "line\nbreak", "=1+1", "null", "None", "0", "-1", "1e309", "x" * 5000,
           "\ud800", "\ufeffbom", "Robert'); DROP TABLE", "<script>", "2000001", "5000001"]


def text() -> st.SearchStrategy[str]:
    """Strings cheap to draw (one choice) yet hostile: unicode, controls, huge, numeric-looking; or short random."""
    return st.sampled_from(SAMPLES) | st.text(max_size=4)


def _seed_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for name in ("003_v2-candidates-list.openapi.json", "004_v2-application-by-id.openapi.json"):
        path = SEEDS / name
        schemas.update(json.loads(path.read_text())["components"]["schemas"])
    return schemas


SCHEMA_DOC = _seed_schemas()


def _resolve(ref: str) -> Any:
    node: Any = {"components": {"schemas": SCHEMA_DOC}}
    for part in ref.lstrip("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return None  # the seeds reference schemas they do not contain (CategoryRef, ...)
        node = node[part]
    return node


TZINFOS = [UTC, None, timezone(timedelta(hours=5, minutes=45)), timezone(timedelta(hours=-12)),
           ZoneInfo("Europe/Berlin"), ZoneInfo("America/St_Johns"), ZoneInfo("Pacific/Kiritimati")]


def timestamp_text() -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 1, 1),
                           timezones=st.sampled_from(TZINFOS))
    return st.one_of(moments.map(lambda d: d.isoformat()), moments.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
                     st.sampled_from(ODD_TIMES))


def timestamp_value() -> st.SearchStrategy[Any]:
    """A timestamp as candidates (string) or applications ({date-time|date, timezone}) send it."""
    return st.one_of(
        timestamp_text(),
        st.fixed_dictionaries({"date-time": timestamp_text(), "timezone": st.sampled_from(ZONES)}),
        st.fixed_dictionaries({"date": timestamp_text()}, optional={"timezone": st.sampled_from(ZONES)}),
    )


def from_schema(schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """A strategy for valid-looking values of an OpenAPI schema (refs resolved; missing refs become objects)."""
    if not isinstance(schema, dict) or depth > 4:
        return st.none()
    if "$ref" in schema:
        target = _resolve(schema["$ref"])
        if target is None:
            return st.fixed_dictionaries({"id": text(), "name": text()})
        return from_schema(target, depth + 1)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    props = schema.get("properties")
    if props and {"date-time", "timezone"} <= set(props):
        return timestamp_value()
    if kind == "object" or props:
        required = set(schema.get("required", []))
        req = {k: _prop(k, v, depth) for k, v in (props or {}).items() if k in required}
        opt = {k: _prop(k, v, depth) for k, v in (props or {}).items() if k not in required}
        return st.fixed_dictionaries(req, optional=opt)
    if kind == "array":
        return st.lists(from_schema(schema.get("items"), depth + 1), max_size=2)
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return timestamp_text()
        if fmt == "date":
            return st.dates().map(str) | st.sampled_from(ODD_TIMES)
        return text()
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "number"):
        return st.integers(-(2**40), 2**40)
    return st.none()


def _prop(name: str, schema: Any, depth: int) -> st.SearchStrategy[Any]:
    """Links and hiring teams are never read by the parser: keep them small so the budget goes to the rest."""
    if name == "_meta":
        return st.just({"links": {"self": {"href": "https://api.personio.de/v2/x"}}})
    if name == "hiring_team":
        return st.lists(st.fixed_dictionaries({"person": st.fixed_dictionaries({"id": text()})}),
                        max_size=1)
    return from_schema(schema, depth + 1)


def stage() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"type": st.sampled_from(STAGE_TYPES) | text(), "kind": st.sampled_from(["custom", "system"])},
        optional={"id": text(), "name": text()})


def application() -> st.SearchStrategy[dict]:
    """An application from seed 004's schema, with the stage shapes the notes describe."""
    base = from_schema(SCHEMA_DOC.get("Application", {"type": "object"}))
    ids = st.integers(2_000_000, 2_000_030).map(str)

    @st.composite
    def build(draw: st.DrawFn) -> dict:
        rec = dict(draw(base))
        rec["id"] = draw(ids)
        rec["current_stage"] = draw(stage())
        rec["job"] = draw(st.fixed_dictionaries({"id": st.integers(1, 5).map(str)},
                                                optional={"name": text(),
                                                          "category": text() | st.fixed_dictionaries(
                                                              {"id": st.just("1"), "name": text()})}))
        return rec
    return build()


def candidate() -> st.SearchStrategy[dict]:
    base = from_schema(SCHEMA_DOC.get("Candidate", {"type": "object"}))
    return base.map(dict)


def transition_item() -> st.SearchStrategy[dict]:
    return st.one_of(
        st.fixed_dictionaries({"to_stage": stage(), "created_at": timestamp_value()},
                              optional={"from_stage": stage() | st.none(), "id": text()}),
        st.fixed_dictionaries({"stage": stage(), "entered_at": timestamp_value()}),
    )


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                 text(), st.lists(st.integers(), max_size=2), st.dictionaries(text(),
                                                                                           st.integers(), max_size=2),
                 st.just("x" * 50_000), st.just("\ud800\udfff\u202e\x00\ufeff𝔘𝔫𝔦😀"), st.sampled_from(ODD_TIMES))


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _set(root: Any, path: tuple, op: str, junk: Any) -> Any:
    if not path:
        return junk if op == "replace" else root
    parent = root
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if op == "delete":
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and last < len(parent):
            parent.pop(last)
    else:
        parent[last] = junk
    return root


@st.composite
def broken(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> Any:
    """A valid record, then 0..4 breakages: a key deleted, or a value (at any depth) replaced by junk."""
    value = copy.deepcopy(draw(valid))  # never mutate an object a strategy may hand out again
    for _ in range(draw(st.integers(0, 2))):
        paths = _paths(value)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["delete", "replace", "replace"]))
        try:
            value = _set(value, path, op, draw(JUNK))
        except (KeyError, IndexError, TypeError):
            pass  # the path vanished under an earlier breakage
    if draw(st.integers(0, 9)) == 0:
        value = draw(JUNK)  # the whole record is junk
    return value


def assert_valid_or_parse_error(**payload: Any) -> None:
    try:
        tables, notes = build_tables(**payload, as_of=AS_OF)
    except ParseError as exc:
        assert str(exc)  # a clear message, never an empty one
        return
    for name, schema in SCHEMAS.items():
        frame = getattr(tables, name)
        assert isinstance(frame, pl.DataFrame) and dict(frame.schema) == schema, name
    apps = tables.applications["application_id"]
    assert apps.null_count() == 0 and apps.n_unique() == apps.len()
    keys = tables.transitions.select("application_id", "seq")
    assert keys.n_unique() == keys.height
    assert set(tables.transitions["application_id"].to_list()) <= set(apps.to_list())
    listed = {r.get("id") for r in payload["applications"] if isinstance(r, dict) and isinstance(r.get("id"), str)}
    noted = {n.record_id for n in notes if n.table == "applications"}
    kept = set(apps.to_list())
    plain = {i for i in listed if i.isascii() and i.isprintable() and i.strip() == i and i}
    assert all(i in kept or i in noted for i in plain)  # none lost silently


def run_counted(test, record_property, minimum: int) -> None:
    counter = {"n": 0}
    test(counter)
    record_property("fuzzed_payloads", counter["n"])
    print(f"{test.__name__}: {counter['n']} payloads")
    assert counter["n"] >= minimum


@settings(FUZZ, max_examples=700)
@given(apps=st.lists(broken(application()), max_size=3),
       transitions=st.dictionaries(st.integers(2_000_000, 2_000_030).map(str),
                                   st.lists(broken(transition_item()), max_size=4), max_size=4))
def _fuzz_applications(counter, apps, transitions):
    counter["n"] += 1
    assert_valid_or_parse_error(applications=apps, transitions=transitions, jobs=[], candidates=[],
                                categories=[], feed=None)


@settings(FUZZ, max_examples=900)
@given(cands=st.lists(broken(candidate()), max_size=3),
       jobs=st.lists(broken(from_schema(SCHEMA_DOC.get("Job", {"type": "object"})).map(dict)), max_size=4),
       categories=st.lists(broken(st.fixed_dictionaries({"id": text(),
                                                          "name": text(),
                                                          "stages": st.lists(stage(), max_size=4)})), max_size=3))
def _fuzz_candidates_jobs_categories(counter, cands, jobs, categories):
    counter["n"] += 1
    assert_valid_or_parse_error(applications=[], transitions={}, jobs=jobs, candidates=cands,
                                categories=categories, feed=None)


@settings(FUZZ, max_examples=400)
@given(payload=st.fixed_dictionaries({
    "applications": broken(st.lists(application(), max_size=3)),
    "transitions": broken(st.dictionaries(st.integers(2_000_000, 2_000_030).map(str),
                                          st.lists(transition_item(), max_size=3), max_size=3)),
    "jobs": broken(st.lists(from_schema(SCHEMA_DOC.get("Job", {"type": "object"})), max_size=2)),
    "candidates": broken(st.lists(candidate(), max_size=2)),
    "categories": broken(st.lists(st.fixed_dictionaries({"id": st.just("1"), "stages": st.lists(stage())}),
                                  max_size=2)),
    "feed": st.none() | broken(st.lists(st.fixed_dictionaries({"id": st.integers(1, 5).map(str),
                                                                "office": text()}), max_size=2)),
}))
def _fuzz_whole_payload_shapes(counter, payload):
    counter["n"] += 1
    if not isinstance(payload["applications"], list):
        payload["applications"] = [payload["applications"]] if isinstance(payload["applications"], dict) else []
    assert_valid_or_parse_error(**payload)


def test_fuzzed_applications_and_transitions_parse_or_raise_parse_error(record_property):
    run_counted(_fuzz_applications, record_property, 700)


def test_fuzzed_candidates_jobs_and_categories_parse_or_raise_parse_error(record_property):
    run_counted(_fuzz_candidates_jobs_categories, record_property, 900)


def test_fuzzed_top_level_shapes_parse_or_raise_parse_error(record_property):
    run_counted(_fuzz_whole_payload_shapes, record_property, 400)


def test_seed_schemas_were_found():
    assert {"Application", "Candidate", "Stage"} <= set(SCHEMA_DOC), "seed OpenAPI files missing"


@pytest.mark.parametrize("junk", [None, 42, "text", {"_data": []}, [None], [[]], [{"id": None}]])
def test_top_level_junk_is_a_parse_error_or_empty_tables(junk):
    assert_valid_or_parse_error(applications=junk if isinstance(junk, list) else [], transitions={},
                                jobs=[], candidates=[], categories=[], feed=None)
    try:
        build_tables(applications=junk, transitions={}, jobs=[], candidates=[], categories=[], feed=None, as_of=AS_OF)
    except ParseError:
        pass
