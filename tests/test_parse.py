"""Raw Personio records become the normalised tables: every variant of the API, no PII, never a crash."""

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.parse import ParseError, ParseNote, build_tables, parse_timestamp
from dashboard.schema import SCHEMAS, UNKNOWN

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
AS_OF = datetime(2024, 6, 1, tzinfo=UTC)


def _seed_example(file: str, name: str) -> dict:
    return json.loads((SEEDS / file).read_text(encoding="utf-8"))["components"]["examples"][name]["value"]


def build(**kwargs):
    inputs = {
        "applications": [],
        "transitions": {},
        "jobs": [],
        "candidates": [],
        "categories": [],
        "feed": None,
        "as_of": AS_OF,
    }
    inputs.update(kwargs)
    return build_tables(**inputs)


def ts(text: str) -> dict:
    return {"date-time": text, "timezone": "UTC"}


def stage(
    stage_type: str, stage_id: str | None = None, name: str | None = None, kind: str = "custom"
) -> dict:
    out = {"type": stage_type, "kind": kind}
    if stage_id is not None:
        out["id"] = stage_id
    if name is not None:
        out["name"] = name
    return out


def application(app_id="a1", **overrides) -> dict:
    record = {
        "id": app_id,
        "company": {"id": "1"},
        "candidate": {"id": "c1", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
        "job": {"id": "j1", "name": "Engineer"},
        "current_stage": stage("screening", "s2", "Phone screen"),
        "application_date": "2024-01-10",
        "channel": {"id": "ch1", "name": "LinkedIn"},
        "is_anonymized": False,
        "created_at": ts("2024-01-10T09:00:00Z"),
        "updated_at": ts("2024-01-12T09:00:00Z"),
    }
    record.update(overrides)
    return record


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def assert_schemas(tables) -> None:
    for name, frame in tables.frames().items():
        assert frame.schema == pl.Schema(SCHEMAS[name]), name


# --- the seeds' own examples -------------------------------------------------------------------------------


def test_seed_application_example_parses():
    seed = _seed_example("004_v2-application-by-id.openapi.json", "ApplicationResponse")
    tables, notes = build(applications=[seed])
    assert_schemas(tables)
    row = tables.applications.row(0, named=True)
    assert row["application_id"] == "495039"
    assert row["candidate_id"] == "3498579"
    assert row["job_id"] == "209321"
    assert row["application_date"] == date(2023, 12, 11)
    assert row["created_at"] == utc(2023, 12, 11, 14, 50, 17)
    assert row["updated_at"] == utc(2023, 12, 11, 14, 50, 17)
    assert (row["channel_id"], row["channel_name"]) == (None, UNKNOWN)
    assert row["is_anonymized"] is False
    # No current_stage and no transitions: assumed to still be in "new", with a note.
    assert (row["stage_id"], row["stage_name"], row["stage_type"]) == ("system:new", "New", "new")
    assert any(n.record_id == "495039" and "current_stage" in n.message for n in notes)
    # Its job.category is an object although the schema says string; the job is known from the reference.
    job = tables.jobs.row(0, named=True)
    assert job["job_id"] == "209321"
    assert job["job_name"] == "Software Developer"
    assert (job["category_id"], job["category_name"]) == ("3459833", "Technology")
    assert (job["department_id"], job["department_name"]) == ("321", "IT")
    assert (job["location"], job["employment_type"]) == (UNKNOWN, UNKNOWN)


def test_seed_candidate_list_example_parses_without_pii():
    seed = _seed_example("003_v2-candidates-list.openapi.json", "CandidateListResponse")
    tables, _ = build(candidates=seed["_data"])
    assert_schemas(tables)
    assert tables.candidates.columns == ["candidate_id", "created_at", "updated_at"]
    assert tables.candidates["candidate_id"].to_list() == ["495039", "3459829"]
    assert tables.candidates["created_at"].to_list() == [utc(2023, 12, 11, 14, 50, 17)] * 2
    cells = {str(v) for column in tables.candidates.iter_columns() for v in column.to_list()}
    for pii in ("John", "Doe", "john.doe@example.com", "+4915212345678", "Berlin", "1989-10-15", "MALE"):
        assert not any(pii in cell for cell in cells)


def test_no_pii_reaches_any_table_or_note():
    pii = ["Ada", "Lovelace", "ada@example.com", "+4915200000000", "FEMALE", "Munich"]
    candidate = {
        "id": "c1",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "+4915200000000",
        "gender": "FEMALE",
        "location": "Munich",
        "created_at": "garbage-Ada",
        "updated_at": "2024-01-01T00:00:00Z",
    }
    tables, notes = build(applications=[application()], candidates=[candidate])
    text = " ".join(
        str(v)
        for frame in tables.frames().values()
        for column in frame.iter_columns()
        for v in column.to_list()
    ) + " ".join(n.message for n in notes)
    for value in pii:
        assert value not in text


# --- applications ------------------------------------------------------------------------------------------


def test_application_fields_and_timestamp_offsets():
    record = application(
        created_at={"date-time": "2024-01-10T09:00:00+02:00", "timezone": "Europe/Berlin"},
        updated_at={"date": "2024-01-12T09:00:00"},
    )
    tables, notes = build(applications=[record])
    row = tables.applications.row(0, named=True)
    assert row == {
        "application_id": "a1",
        "candidate_id": "c1",
        "job_id": "j1",
        "application_date": date(2024, 1, 10),
        "created_at": utc(2024, 1, 10, 7),
        "updated_at": utc(2024, 1, 12, 9),
        "stage_id": "s2",
        "stage_name": "Phone screen",
        "stage_type": "screening",
        "channel_id": "ch1",
        "channel_name": "LinkedIn",
        "is_anonymized": False,
    }
    assert notes == [ParseNote("jobs", "j1", "job known only from its applications")]


def test_ids_sent_as_ints_become_strings():
    record = application(
        app_id=17,
        candidate={"id": 42},
        job={"id": 7, "name": "Engineer"},
        channel={"id": 3, "name": "Referral"},
        current_stage={"id": 99, "name": "Tech talk", "type": "interviews"},
    )
    history = {
        17: [
            {
                "from_stage": stage("new"),
                "to_stage": {"id": 99, "type": "interviews"},
                "created_at": ts("2024-01-11T00:00:00Z"),
            }
        ]
    }
    tables, _ = build(applications=[record], transitions=history, jobs=[{"id": 7, "name": "Engineer"}])
    row = tables.applications.row(0, named=True)
    assert (
        row["application_id"],
        row["candidate_id"],
        row["job_id"],
        row["channel_id"],
        row["stage_id"],
    ) == (
        "17",
        "42",
        "7",
        "3",
        "99",
    )
    assert tables.transitions["application_id"].to_list() == ["17"]
    assert tables.transitions["to_stage_id"].to_list() == ["99"]
    assert tables.jobs["job_id"].to_list() == ["7"]


def test_missing_channel_is_unknown_with_null_id():
    record = application()
    del record["channel"]
    tables, _ = build(applications=[record, application("a2", channel=None)])
    assert tables.applications["channel_id"].to_list() == [None, None]
    assert tables.applications["channel_name"].to_list() == [UNKNOWN, UNKNOWN]


def test_missing_application_date_falls_back_to_created_at_utc_date():
    record = application(created_at={"date-time": "2024-01-10T23:30:00-02:00", "timezone": "America/Noronha"})
    del record["application_date"]
    tables, notes = build(applications=[record])
    assert tables.applications["application_date"].to_list() == [date(2024, 1, 11)]
    assert any("application_date" in n.message for n in notes)


def test_unreadable_created_at_keeps_the_record_with_null_and_a_note():
    tables, notes = build(applications=[application(created_at={"date-time": "soon", "timezone": "UTC"})])
    assert tables.applications["application_id"].to_list() == ["a1"]
    assert tables.applications["created_at"].to_list() == [None]
    assert tables.applications["application_date"].to_list() == [date(2024, 1, 10)]
    assert ParseNote("applications", "a1", "created_at: unreadable timestamp, kept as null") in notes


def test_missing_current_stage_uses_latest_transition():
    record = application()
    del record["current_stage"]
    history = {
        "a1": [
            {
                "from_stage": stage("screening", "s2"),
                "to_stage": stage("offer", "s4", "Offer"),
                "created_at": ts("2024-02-01T00:00:00Z"),
            },
            {
                "from_stage": stage("new"),
                "to_stage": stage("screening", "s2"),
                "created_at": ts("2024-01-11T00:00:00Z"),
            },
        ]
    }
    tables, notes = build(applications=[record], transitions=history)
    row = tables.applications.row(0, named=True)
    assert (row["stage_id"], row["stage_name"], row["stage_type"]) == ("s4", "Offer", "offer")
    assert any("latest transition" in n.message for n in notes)


def test_stage_types_are_normalised_and_unknown_types_kept():
    records = [
        application("a1", current_stage={"id": "s9", "name": "Assessment", "type": "  Assessment Centre "}),
        application("a2", current_stage={"type": "talent pool", "kind": "system"}),
        application("a3", current_stage={"type": "HIRED", "kind": "system"}),
        application("a4", current_stage={"id": "s5", "name": "Mystery"}),
    ]
    tables, _ = build(applications=records)
    stages = tables.applications.select("stage_id", "stage_name", "stage_type").rows()
    assert stages == [
        ("s9", "Assessment", "assessment centre"),
        ("system:talent pool", "Talent pool", "talent pool"),
        ("system:hired", "Hired", "hired"),
        ("s5", "Mystery", "unknown"),
    ]


def test_anonymised_application_has_null_candidate():
    records = [
        application("a1", candidate=None, is_anonymized=True),
        application("a2", candidate=None),
        application("a3", is_anonymized="yes"),
    ]
    del records[1]["is_anonymized"]
    tables, _ = build(applications=records)
    assert tables.applications["candidate_id"].to_list() == [None, None, "c1"]
    assert tables.applications["is_anonymized"].to_list() == [True, False, False]


def test_records_without_id_non_objects_and_duplicates_are_skipped_with_notes():
    no_id = application()
    del no_id["id"]
    tables, notes = build(applications=[no_id, None, "junk", application("a1"), application("a1")])
    assert tables.applications["application_id"].to_list() == ["a1"]
    assert len([n for n in notes if n.table == "applications"]) == 4
    assert ParseNote("applications", "a1", "duplicate id, later copy skipped") in notes


def test_extra_unknown_fields_are_ignored():
    tables, _ = build(applications=[application(custom_thing={"deep": [1, 2]}, tags=["x"])])
    assert tables.applications.height == 1


def test_surrogate_characters_do_not_crash_the_frame():
    tables, _ = build(applications=[application(channel={"id": "x", "name": "Link\ud800edIn"})])
    assert tables.applications["channel_name"].to_list() == ["Link?edIn"]


# --- transitions -------------------------------------------------------------------------------------------


def test_from_to_transitions_are_ordered_oldest_first():
    items = [  # latest first, as the API sends them
        {
            "id": "t3",
            "from_stage": stage("interviews", "s3"),
            "to_stage": stage("rejected", kind="system"),
            "created_at": ts("2024-01-20T10:00:00+01:00"),
        },
        {
            "id": "t2",
            "from_stage": stage("screening", "s2"),
            "to_stage": stage("interviews", "s3", "Onsite"),
            "transitioned_at": "2024-01-15T10:00:00Z",
        },
        {
            "id": "t1",
            "from_stage": stage("new", kind="system"),
            "to_stage": stage("screening", "s2", "Phone"),
            "timestamp": "2024-01-11",
        },
    ]
    tables, notes = build(applications=[application()], transitions={"a1": items})
    assert tables.transitions.rows() == [
        ("a1", 0, "system:new", "New", "new", "s2", "Phone", "screening", utc(2024, 1, 11)),
        ("a1", 1, "s2", "Screening", "screening", "s3", "Onsite", "interviews", utc(2024, 1, 15, 10)),
        (
            "a1",
            2,
            "s3",
            "Interviews",
            "interviews",
            "system:rejected",
            "Rejected",
            "rejected",
            utc(2024, 1, 20, 9),
        ),
    ]
    assert not [n for n in notes if n.table == "transitions"]


def test_entered_stage_transitions_derive_from_stage():
    items = [
        {"stage": stage("offer", "s4", "Offer"), "entered_at": "2024-01-20T00:00:00Z"},
        {"stage": stage("screening", "s2", "Phone"), "entered_at": "2024-01-12T00:00:00Z"},
        {"stage": stage("new", kind="system"), "entered_at": "2024-01-10T09:00:00Z"},
    ]
    tables, _ = build(applications=[application()], transitions={"a1": items})
    frame = tables.transitions
    assert frame["seq"].to_list() == [0, 1, 2]
    assert frame["from_stage_id"].to_list() == [None, "system:new", "s2"]
    assert frame["from_stage_type"].to_list() == [None, "new", "screening"]
    assert frame["to_stage_id"].to_list() == ["system:new", "s2", "s4"]
    assert frame["transitioned_at"].to_list() == [utc(2024, 1, 10, 9), utc(2024, 1, 12), utc(2024, 1, 20)]


def test_equal_timestamps_keep_reversed_api_order():
    same = "2024-01-15T10:00:00Z"
    items = [
        {"stage": stage("interviews", "s3"), "entered_at": same},  # sent first = latest
        {"stage": stage("screening", "s2"), "entered_at": same},
        {"stage": stage("new", kind="system"), "entered_at": "2024-01-10T00:00:00Z"},
    ]
    tables, _ = build(applications=[application()], transitions={"a1": items})
    assert tables.transitions["to_stage_id"].to_list() == ["system:new", "s2", "s3"]
    assert tables.transitions["from_stage_id"].to_list() == [None, "system:new", "s2"]


def test_out_of_order_items_are_sorted_by_time():
    items = [
        {"stage": stage("screening", "s2"), "entered_at": "2024-01-12T00:00:00Z"},
        {"stage": stage("offer", "s4"), "entered_at": "2024-01-20T00:00:00Z"},
    ]
    tables, _ = build(applications=[application()], transitions={"a1": items})
    assert tables.transitions["to_stage_id"].to_list() == ["s2", "s4"]
    assert tables.transitions["seq"].to_list() == [0, 1]


def test_broken_items_are_skipped_with_notes():
    items = [
        {"to_stage": stage("offer", "s4"), "created_at": ts("2024-01-20T00:00:00Z")},
        {"to_stage": "offer", "created_at": ts("2024-01-19T00:00:00Z")},
        {"stage": stage("interviews", "s3")},
        {"stage": stage("interviews", "s3"), "entered_at": "last tuesday"},
        {"from_stage": stage("new")},
        "junk",
        {"stage": stage("screening", "s2"), "entered_at": "2024-01-12T00:00:00Z"},
    ]
    tables, notes = build(applications=[application()], transitions={"a1": items})
    assert tables.transitions["to_stage_id"].to_list() == ["s2", "s4"]
    # The from_stage-less shape (a) item takes the previous item's to_stage.
    assert tables.transitions["from_stage_id"].to_list() == [None, "s2"]
    assert len([n for n in notes if n.table == "transitions" and n.record_id == "a1"]) == 5


def test_transitions_of_unknown_applications_are_dropped_with_a_note():
    items = [{"stage": stage("new"), "entered_at": "2024-01-10T00:00:00Z"}]
    tables, notes = build(applications=[application()], transitions={"a1": items, "zz": items, "a2": "nope"})
    assert tables.transitions["application_id"].to_list() == ["a1"]
    assert ParseNote("transitions", "zz", "transitions of an unknown application, skipped") in notes
    assert any(n.record_id == "a2" for n in notes)


# --- jobs, categories, feed --------------------------------------------------------------------------------


CATEGORIES = [
    {
        "id": "cat1",
        "name": "Technology",
        "stages": [
            {"id": "s1", "name": "Phone", "type": "screening", "kind": "custom", "position": 2},
            {"name": "New", "type": "new", "kind": "SYSTEM", "position": 1},
            {"id": "s3", "name": "Onsite", "type": "interviews", "kind": "custom"},
        ],
    },
    {"id": 5, "name": "Sales"},
]


def test_job_category_as_string_or_object_and_lookup_by_categories():
    jobs = [
        {
            "id": "j1",
            "name": "Engineer",
            "category": "Technology",
            "department": {"id": "d1", "name": "IT"},
            "created_at": ts("2023-11-01T08:00:00+01:00"),
        },
        {"id": "j2", "name": "Seller", "category": {"id": "5"}},
        {"id": "j3", "name": "Other", "category": {"id": "c9", "name": "Ops"}},
        {"id": "j4", "name": "Mystery"},
    ]
    tables, _ = build(jobs=jobs, categories=CATEGORIES)
    rows = tables.jobs.select(
        "job_id", "category_id", "category_name", "department_id", "department_name"
    ).rows()
    assert rows == [
        ("j1", "cat1", "Technology", "d1", "IT"),
        ("j2", "5", "Sales", None, UNKNOWN),
        ("j3", "c9", "Ops", None, UNKNOWN),
        ("j4", None, UNKNOWN, None, UNKNOWN),
    ]
    assert tables.jobs["created_at"].to_list()[0] == utc(2023, 11, 1, 7)


def test_application_job_category_string_fills_a_job_missing_from_the_list():
    record = application(job={"id": "j5", "name": "Designer", "category": "Technology"})
    tables, _ = build(applications=[record], categories=CATEGORIES)
    assert tables.jobs.select("job_id", "job_name", "category_id", "category_name").rows() == [
        ("j5", "Designer", "cat1", "Technology")
    ]


def test_feed_enriches_location_and_employment_type_by_int_or_string_id():
    jobs = [{"id": "101", "name": "A"}, {"id": "102", "name": "B"}, {"id": "103", "name": "C"}]
    feed = [
        {
            "id": 101,
            "name": "A",
            "office": "Berlin",
            "department": "IT",
            "recruiting_category": "Technology",
            "employment_type": "permanent",
            "seniority": "senior",
            "schedule": "full-time",
            "created_at": "2023-05-01T10:00:00+02:00",
        },
        {"id": "102", "name": "B", "office": None, "employment_type": "intern"},
    ]
    tables, _ = build(jobs=jobs, feed=feed, categories=CATEGORIES)
    rows = tables.jobs.select(
        "job_id", "location", "employment_type", "department_name", "category_id", "created_at"
    ).rows()
    assert rows == [
        ("101", "Berlin", "permanent", "IT", "cat1", utc(2023, 5, 1, 8)),
        ("102", UNKNOWN, "intern", UNKNOWN, None, None),
        ("103", UNKNOWN, UNKNOWN, UNKNOWN, None, None),
    ]


def test_stages_table_from_categories():
    tables, _ = build(categories=CATEGORIES)
    assert tables.stages.rows() == [
        ("cat1", "s1", "Phone", "screening", "custom", 2),
        ("cat1", "system:new", "New", "new", "system", 1),
        ("cat1", "s3", "Onsite", "interviews", "custom", 2),
    ]


# --- whole-input behaviour ---------------------------------------------------------------------------------


def test_empty_company_gives_exact_empty_schemas():
    tables, notes = build()
    assert_schemas(tables)
    assert all(frame.height == 0 for frame in tables.frames().values())
    assert notes == []
    assert tables.as_of == AS_OF


def test_none_inputs_are_empty_too():
    tables, _ = build(applications=None, transitions=None, jobs=None, candidates=None, categories=None)
    assert_schemas(tables)


def test_as_of_is_normalised_to_utc():
    tables, _ = build(as_of=datetime(2024, 6, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    assert tables.as_of == utc(2024, 6, 1, 10)
    assert build(as_of=datetime(2024, 6, 1, 12))[0].as_of == utc(2024, 6, 1, 12)


@pytest.mark.parametrize(
    "bad",
    [{"applications": 5}, {"transitions": [1, 2]}, {"jobs": 3.5}, {"as_of": "2024-01-01"}],
)
def test_unusable_top_level_inputs_are_parse_errors(bad):
    with pytest.raises(ParseError):
        build(**bad)


def test_public_api_reexports_parse_timestamp():
    assert parse_timestamp("2024-01-01T00:00:00Z") == utc(2024, 1, 1)


def test_generator_inputs_are_consumed_once():
    tables, _ = build(applications=(application(str(i)) for i in range(3)))
    assert tables.applications["application_id"].to_list() == ["0", "1", "2"]


# --- property tests: junk never escapes as anything but ParseError -----------------------------------------

_KEYS = st.sampled_from(
    [
        "id",
        "name",
        "type",
        "kind",
        "position",
        "candidate",
        "job",
        "current_stage",
        "channel",
        "category",
        "department",
        "stages",
        "application_date",
        "created_at",
        "updated_at",
        "is_anonymized",
        "date-time",
        "date",
        "timezone",
        "from_stage",
        "to_stage",
        "stage",
        "entered_at",
        "timestamp",
        "transitioned_at",
        "office",
        "employment_type",
        "recruiting_category",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["2024-01-10T09:00:00Z", "2024-01-10", "new", "Offer", "Europe/Berlin", "\ud800"]),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(_KEYS, st.text(max_size=5)), inner, max_size=6)
    ),
    max_leaves=12,
)
_RECORDS = st.lists(st.one_of(_JSON, st.dictionaries(_KEYS, _JSON, max_size=8)), max_size=5)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    applications=_RECORDS,
    transitions=st.one_of(
        st.dictionaries(
            st.one_of(st.text(max_size=3), st.integers()), st.one_of(_RECORDS, _JSON), max_size=4
        ),
        _JSON,
    ),
    jobs=_RECORDS,
    candidates=_RECORDS,
    categories=_RECORDS,
    feed=st.one_of(st.none(), _RECORDS),
)
def test_junk_gives_valid_tables_or_parse_error(
    applications, transitions, jobs, candidates, categories, feed
):
    try:
        tables, notes = build(
            applications=applications,
            transitions=transitions,
            jobs=jobs,
            candidates=candidates,
            categories=categories,
            feed=feed,
        )
    except ParseError:
        return
    assert_schemas(tables)
    assert all(isinstance(n, ParseNote) for n in notes)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    overrides=st.dictionaries(_KEYS, _JSON, max_size=6),
    items=st.lists(st.dictionaries(_KEYS, _JSON, max_size=5), max_size=4),
)
def test_junk_fields_in_otherwise_valid_records_never_crash(overrides, items):
    record = application(**overrides)
    record["id"] = "a1"
    tables, _ = build(applications=[record], transitions={"a1": items})
    assert_schemas(tables)
    assert tables.applications["application_id"].to_list() == ["a1"]
    assert tables.transitions["seq"].to_list() == list(range(tables.transitions.height))


def test_stage_ids_of_different_json_types_do_not_share_a_cache_entry():
    items = [
        {"stage": {"id": 1, "type": "screening"}, "entered_at": "2024-01-12T00:00:00Z"},
        {"stage": {"id": True, "type": "screening"}, "entered_at": "2024-01-11T00:00:00Z"},
    ]
    tables, _ = build(applications=[application()], transitions={"a1": items})
    assert tables.transitions["to_stage_id"].to_list() == ["system:screening", "1"]
