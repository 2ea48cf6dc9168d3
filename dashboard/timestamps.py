"""Personio timestamps (strings or `{date-time|date, timezone}` objects) to aware UTC datetimes.

Also home of `ParseError`, the one exception the parsing layer raises for bad input (re-exported by
`dashboard.parse`). Messages name the record and field, never the offending value (it may be personal data).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_UTC_NAMES = frozenset({"utc", "z", "gmt", "etc/utc", "etc/gmt", "zulu", "universal"})
_MAX_LEN = 64  # longer "timestamps" are garbage; refuse before fromisoformat sees them


class ParseError(ValueError):
    """Raw API data the dashboard cannot read: says which record and field, without echoing the data."""


@lru_cache(maxsize=256)
def _zone(name: str) -> tzinfo:
    """The IANA zone `name`; UTC aliases work even where the OS has no tz database (Windows without tzdata)."""
    if name.strip().lower() in _UTC_NAMES:
        return UTC
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ParseError("timestamp: unknown time zone name") from exc


def _from_string(text: str, zone_name: object = None) -> datetime | None:
    """Parse one ISO 8601 string; a naive value is local to `zone_name` if given, else UTC."""
    text = text.strip()
    if not text:
        return None
    if len(text) > _MAX_LEN:
        raise ParseError("timestamp: string too long to be a timestamp")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(f"timestamp: unrecognised format (length {len(text)})") from exc
    if parsed.tzinfo is None:
        zone: tzinfo = UTC
        if isinstance(zone_name, str) and zone_name.strip():
            zone = _zone(zone_name)
        parsed = parsed.replace(tzinfo=zone)
    return _to_utc(parsed)


def _to_utc(value: datetime) -> datetime:
    """`value` (naive = UTC) as an aware UTC datetime; out-of-range instants are a ParseError."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ParseError("timestamp: outside the representable range") from exc


def parse_timestamp(value: object) -> datetime | None:
    """An aware UTC datetime from any timestamp form Personio sends; None/"" is None, anything else a ParseError.

    Accepts "2023-12-11T14:50:17Z", offsets ("+02:00"), naive strings (taken as UTC), date-only strings
    (00:00 UTC), `{"date-time": ...}` / `{"date": ...}` objects with an optional IANA `timezone` (used only
    for a naive value; an explicit offset wins), and datetime/date objects.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _from_string(value)
    if isinstance(value, datetime):
        return _to_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, dict):
        inner = value.get("date-time")
        if inner is None:
            inner = value.get("date")
        if inner is None:
            return None
        if not isinstance(inner, str):
            raise ParseError("timestamp: object value is not a string")
        return _from_string(inner, value.get("timezone"))
    raise ParseError(f"timestamp: unexpected {type(value).__name__} value")


def to_epoch_us(value: datetime) -> int:
    """Microseconds since 1970-01-01 UTC of an aware datetime: the fast way into a polars Datetime column."""
    return (value - EPOCH) // _ONE_US
