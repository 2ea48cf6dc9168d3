"""Timestamps in every form Personio sends become aware UTC datetimes; garbage is a ParseError."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.timestamps import ParseError, parse_timestamp


def test_zulu_string_is_utc():
    assert parse_timestamp("2023-12-11T14:50:17Z") == datetime(2023, 12, 11, 14, 50, 17, tzinfo=UTC)


def test_offset_string_is_converted_to_utc():
    parsed = parse_timestamp("2023-12-11T14:50:17+02:00")
    assert parsed == datetime(2023, 12, 11, 12, 50, 17, tzinfo=UTC)
    assert parsed.tzinfo is UTC


def test_negative_offset_crossing_midnight():
    assert parse_timestamp("2023-12-11T23:30:00-02:00") == datetime(2023, 12, 12, 1, 30, tzinfo=UTC)


def test_naive_string_is_taken_as_utc():
    assert parse_timestamp("2025-02-20T13:19:40") == datetime(2025, 2, 20, 13, 19, 40, tzinfo=UTC)


def test_date_only_string_is_midnight_utc():
    assert parse_timestamp("2023-12-11") == datetime(2023, 12, 11, tzinfo=UTC)


def test_fractional_seconds_are_kept_to_the_microsecond():
    parsed = parse_timestamp("2023-12-11T14:50:17.123456Z")
    assert parsed == datetime(2023, 12, 11, 14, 50, 17, 123456, tzinfo=UTC)


def test_surrounding_whitespace_is_ignored():
    assert parse_timestamp("  2023-12-11T14:50:17Z ") == datetime(2023, 12, 11, 14, 50, 17, tzinfo=UTC)


def test_date_time_object_as_in_the_v2_seed():
    value = {"date-time": "2023-12-11T14:50:17Z", "timezone": "UTC"}
    assert parse_timestamp(value) == datetime(2023, 12, 11, 14, 50, 17, tzinfo=UTC)


def test_date_key_object():
    assert parse_timestamp({"date": "2023-12-11T10:00:00+01:00"}) == datetime(2023, 12, 11, 9, tzinfo=UTC)
    assert parse_timestamp({"date": "2023-12-11"}) == datetime(2023, 12, 11, tzinfo=UTC)


def test_object_timezone_localises_a_naive_value():
    # Berlin is UTC+1 in December and UTC+2 in July.
    assert parse_timestamp({"date-time": "2023-12-11T14:50:17", "timezone": "Europe/Berlin"}) == datetime(
        2023, 12, 11, 13, 50, 17, tzinfo=UTC
    )
    assert parse_timestamp({"date-time": "2023-07-11T14:50:17", "timezone": "Europe/Berlin"}) == datetime(
        2023, 7, 11, 12, 50, 17, tzinfo=UTC
    )


def test_explicit_offset_wins_over_object_timezone():
    value = {"date-time": "2023-12-11T14:50:17Z", "timezone": "Europe/Berlin"}
    assert parse_timestamp(value) == datetime(2023, 12, 11, 14, 50, 17, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "   ", {}, {"timezone": "UTC"}, {"date-time": None}])
def test_absent_values_are_none(value):
    assert parse_timestamp(value) is None


def test_datetime_and_date_objects_are_accepted():
    berlin_summer = timezone(timedelta(hours=2))
    assert parse_timestamp(datetime(2023, 7, 1, 12, tzinfo=berlin_summer)) == datetime(
        2023, 7, 1, 10, tzinfo=UTC
    )
    assert parse_timestamp(datetime(2023, 7, 1, 12)) == datetime(2023, 7, 1, 12, tzinfo=UTC)
    assert parse_timestamp(date(2023, 7, 1)) == datetime(2023, 7, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "not a date",
        "2023-13-45",
        "2023-12-11T25:00:00Z",
        "x" * 500,
        12345,
        1.5,
        True,
        ["2023-12-11"],
        {"date-time": 1702306217},
        {"date-time": "yesterday"},
        {"date-time": "2023-12-11T14:50:17", "timezone": "Mars/Olympus_Mons"},
    ],
)
def test_garbage_is_a_parse_error(value):
    with pytest.raises(ParseError):
        parse_timestamp(value)


def test_parse_error_does_not_echo_the_value():
    secret = "john.doe@example.com"
    with pytest.raises(ParseError) as caught:
        parse_timestamp(secret)
    assert secret not in str(caught.value)


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)


_offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_aware = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2199, 12, 30), timezones=_offsets)


@settings(max_examples=200, deadline=None)
@given(moment=_aware)
def test_iso_strings_round_trip_to_the_same_instant(moment):
    parsed = parse_timestamp(moment.isoformat())
    assert parsed == moment
    assert parsed.utcoffset() == timedelta(0)


@settings(max_examples=100, deadline=None)
@given(moment=_aware)
def test_date_time_objects_round_trip_to_the_same_instant(moment):
    parsed = parse_timestamp({"date-time": moment.isoformat(), "timezone": "Europe/Berlin"})
    assert parsed == moment


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.binary(max_size=10)))
def test_arbitrary_scalars_give_a_datetime_none_or_parse_error(value):
    try:
        parsed = parse_timestamp(value)
    except ParseError:
        return
    assert parsed is None or parsed.tzinfo is UTC
