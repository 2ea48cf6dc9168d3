"""Raw Personio API records (decoded JSON) → the normalised polars tables of `dashboard.schema`.

One pass over the records fills plain Python column lists; each table becomes one `pl.DataFrame` at the end.
Bad input never raises anything but `ParseError`: a record that cannot be read is skipped, a field that cannot
be read becomes null (or the `Unknown` label), and either way a `ParseNote` says which record and field.

Choices where the API leaves things open (pinned by tests/test_parse.py):

- **Unreadable or missing timestamps** keep their record with a null in that column (notes say so), except
  a stage transition without a readable time, which is skipped: it cannot be placed in the history.
  A missing/unreadable `application_date` falls back to the UTC date of `created_at` (null if both fail).
- **Missing `current_stage`** (seed 004's example has none): the `to_stage` of the application's latest
  transition; with no transitions the system stage `new` (`system:new`, "New"), because every application
  enters the pipeline there and nothing recorded says it left. Either way a note is added.
- A stage object without a usable `type` gets type `unknown` (kept, unranked, like any unknown type).
- Transitions: one application's response is a bare list or a `_data` / `data` envelope of items; an item is
  `{from_stage?, to_stage, <time>}` or `{stage, <time>}` with `<time>` the first of `created_at`,
  `transitioned_at`, `timestamp`, `entered_at` (a string or a `{date-time, timezone}` / `{date}` object). No
  other shape is guessed at: when no history of any application can be read, an "error" note names the field
  names seen (never values); when only some cannot, a "warning" note counts them. Items are put in time order (ties keep the
  API order, reversed, since the API sends latest first); `seq` 0 is the oldest. An item without a from
  stage takes the previous item's `to_stage` (the oldest one's stays null). Transitions of applications
  not in the applications table are dropped with a note.
- Duplicate ids keep the first record (lists come last-updated first) and note the rest.
- Hiring teams (`[{person: {id}, role: {name}}]` on applications and jobs) become `hiring_team` rows, the
  application's with its id, the job's with a null application id. An item without a person id is skipped with a
  note, a missing role name is `Unknown`, a member listed twice in one list counts once.
- Jobs referenced by applications but absent from the jobs list are added from the embedded job reference.
  Department, category, location, employment type and created_at fall back to the career-site feed entry
  of the same id; a job without a name is called "Job <id>".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import Any

import polars as pl

from dashboard.schema import SCHEMAS, UNKNOWN, UTC_TS, Tables
from dashboard.timestamps import EPOCH, ParseError, parse_timestamp, to_epoch_us

__all__ = ["ParseError", "ParseNote", "build_tables", "parse_timestamp"]

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ONE_US = timedelta(microseconds=1)
_TIME_KEYS = ("created_at", "transitioned_at", "timestamp", "entered_at")
_INT32_MAX = 2**31 - 1
_UNKNOWN_TYPE = "unknown"
# What a malformed record can make our field access raise; caught per record, never escapes.
_RECORD_ERRORS = (ParseError, TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError)


@dataclass(frozen=True)
class ParseNote:
    """A problem met while parsing: which table and record (id, if it had one), what happened, how bad.

    `severity` is "note" for a record-level issue, "warning" for a summary the user should see (some stage
    histories unreadable) and "error" when a whole kind of data could not be read (no stage history understood).
    """

    table: str
    record_id: str | None
    message: str
    severity: str = "note"


Stage = tuple[str, str, str]  # (stage_id, stage_name, stage_type)


class _Notes:
    """Collects ParseNotes."""

    def __init__(self) -> None:
        self.items: list[ParseNote] = []

    def add(self, table: str, record_id: str | None, message: str, severity: str = "note") -> None:
        self.items.append(ParseNote(table, record_id, message, severity))


def _id(value: object) -> str | None:
    """An id as a string (the API sends strings, sometimes ints); None when absent or not an id."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int) and not isinstance(value, bool) and -(10**18) < value < 10**18:
        return str(value)
    return None


def _text(value: object) -> str | None:
    """A non-blank string, stripped; anything else is None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _ref_id(value: object) -> str | None:
    """Id of an embedded reference: `{id, ...}` or a bare id."""
    if isinstance(value, dict):
        return _id(value.get("id"))
    return _id(value)


def _named_ref(value: object) -> tuple[str | None, str | None]:
    """(id, name) of an embedded `{id, name}` object; a bare string is a name."""
    if isinstance(value, dict):
        return _id(value.get("id")), _text(value.get("name"))
    return None, _text(value)


def _stage(value: object) -> Stage | None:
    """Normalised (id, name, type) of a stage object; None when it is not a stage at all."""
    if not isinstance(value, dict):
        return None
    raw_type = value.get("type")
    stage_type = raw_type.strip().lower() if isinstance(raw_type, str) else ""
    stage_id = _id(value.get("id"))
    name = _text(value.get("name"))
    if not stage_type:
        if stage_id is None and name is None:
            return None
        stage_type = _UNKNOWN_TYPE
    return (
        stage_id if stage_id is not None else f"system:{stage_type}",
        name if name is not None else stage_type.capitalize(),
        stage_type,
    )


class _StageTable:
    """Interns normalised stages: rows hold small ints, strings are built once per distinct stage."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []
        self._by_stage: dict[Stage, int] = {}
        self._by_raw: dict[tuple, int | None] = {}

    def index(self, value: object) -> int | None:
        """Index of the stage object `value` in `stages`; None when it is not a stage."""
        if not isinstance(value, dict):
            return None
        raw_id = value.get("id")
        raw = (raw_id, raw_id.__class__, value.get("name"), value.get("type"))  # class: 1 == True == 1.0
        try:
            return self._by_raw[raw]
        except KeyError:
            pass
        except TypeError:  # unhashable junk in the stage object: normalise without the raw cache
            return self._intern(_stage(value))
        self._by_raw[raw] = found = self._intern(_stage(value))
        return found

    def _intern(self, stage: Stage | None) -> int | None:
        if stage is None:
            return None
        found = self._by_stage.get(stage)
        if found is None:
            found = self._by_stage[stage] = len(self.stages)
            self.stages.append(stage)
        return found

    def column(self, part: int) -> pl.Series:
        """Part `part` (0 id, 1 name, 2 type) of every interned stage, for `gather`."""
        return _strings([stage[part] for stage in self.stages])


def _timestamp_us(value: object) -> int | None:
    """Epoch microseconds (UTC) of a timestamp in any accepted form; None when absent."""
    text = value.get("date-time") if type(value) is dict else value
    if type(text) is str and len(text) <= 64:  # fast path: the usual string with an explicit offset
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:  # fromisoformat gives fixed offsets only
            return (parsed - EPOCH) // _ONE_US
    parsed = parse_timestamp(value)
    return None if parsed is None else to_epoch_us(parsed)


def _field_us(rec: dict, key: str, table: str, rid: str, notes: _Notes) -> int | None:
    """Timestamp field `key` of `rec` as epoch µs; missing or unreadable gives None and a note."""
    value = rec.get(key)
    try:
        result = _timestamp_us(value)
    except ParseError:
        notes.add(table, rid, f"{key}: unreadable timestamp, kept as null")
        return None
    if result is None:
        notes.add(table, rid, f"{key}: missing, kept as null")
    return result


def _to_date_days(value: object) -> int | None:
    """Days since 1970-01-01 of a calendar date ("YYYY-MM-DD", or any timestamp form: its UTC date)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).toordinal() - _EPOCH_ORDINAL
        except ValueError:
            pass
    parsed = parse_timestamp(value)
    return None if parsed is None else parsed.toordinal() - _EPOCH_ORDINAL


def _records(records: object, table: str, notes: _Notes) -> Iterator[tuple[dict, str]]:
    """The dict records with an id, first copy of each id; the rest skipped with a note."""
    if records is None:
        return
    try:
        iterator = iter(records)  # type: ignore[call-overload]
    except TypeError as exc:
        raise ParseError(f"{table}: expected a list of records") from exc
    seen: set[str] = set()
    for rec in iterator:
        if not isinstance(rec, dict):
            notes.add(table, None, "record is not an object, skipped")
            continue
        rid = _id(rec.get("id"))
        if rid is None:
            notes.add(table, None, "record without a usable id, skipped")
            continue
        if rid in seen:
            notes.add(table, rid, "duplicate id, later copy skipped")
            continue
        seen.add(rid)
        yield rec, rid


def _columns(name: str) -> dict[str, list]:
    """Empty column lists for table `name`."""
    return {column: [] for column in SCHEMAS[name]}


def _append(columns: dict[str, list], row: tuple) -> None:
    """Append one row (values in schema order) to the column lists."""
    for values, value in zip(columns.values(), row, strict=True):
        values.append(value)


def _frame(name: str, columns: dict[str, list]) -> pl.DataFrame:
    """The table `name` from column lists holding epoch µs for timestamps and epoch days for dates."""
    schema = SCHEMAS[name]
    wire = {c: (pl.Int64 if t == UTC_TS else pl.Int32 if t == pl.Date else t) for c, t in schema.items()}
    try:
        frame = pl.DataFrame(columns, schema=wire)
    except UnicodeError:  # lone surrogates from a JSON "\ud800" escape: replace them, keep the record
        clean = {
            c: ([_clean(v) for v in values] if wire[c] == pl.String else values)
            for c, values in columns.items()
        }
        frame = pl.DataFrame(clean, schema=wire)
    return frame.with_columns(pl.col(c).cast(t) for c, t in schema.items() if wire[c] != t)


def _strings(values: list[str | None]) -> pl.Series:
    """A String series of `values`, replacing lone surrogates if polars refuses them."""
    try:
        return pl.Series(values, dtype=pl.String)
    except UnicodeError:
        return pl.Series([_clean(v) for v in values], dtype=pl.String)


def _clean(value: str | None) -> str | None:
    """`value` with characters UTF-8 cannot encode replaced by '?'."""
    return None if value is None else value.encode("utf-8", "replace").decode("utf-8")


# --- transitions -------------------------------------------------------------------------------------------

# (transitioned_at µs, from stage index or None, to stage index), indices into a _StageTable
_TransitionRow = tuple[int, int | None, int]


# Envelopes a stage-transition response may come in; anything else is reported, never guessed at.
_ENVELOPE_KEYS = ("_data", "data")
_MAX_FIELD_NAMES = 30
_MAX_FIELD_NAME_LEN = 40
EXPECTED_TRANSITION_SHAPES = ("from_stage/to_stage with created_at", "stage with entered_at")


def transition_items(payload: object) -> list | None:
    """The items of one stage-transition response: a bare list, or a `_data` / `data` envelope; else None."""
    if isinstance(payload, list | tuple):
        return list(payload)
    if isinstance(payload, Mapping):
        for key in _ENVELOPE_KEYS:
            inner = payload.get(key)
            if isinstance(inner, list | tuple):
                return list(inner)
    return None


def _field_name(key: object) -> str:
    """A field name safe to print: printable characters only, bounded length (names only, never values)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(key))
    return text[:_MAX_FIELD_NAME_LEN]


def field_names(value: object) -> set[str]:
    """Field names of a record and of its nested objects ("stage.id"), one level deep; never values."""
    names: set[str] = set()
    if not isinstance(value, Mapping):
        return names
    for key, inner in value.items():
        name = _field_name(key)
        names.add(name)
        if isinstance(inner, Mapping):
            names.update(f"{name}.{_field_name(k)}" for k in inner)
    return names


def _transition_item(item: object, stages: _StageTable) -> tuple[int, int | None, int, bool] | str:
    """(time, from, to, from_given) of one transition item, or the reason it is unusable."""
    if not isinstance(item, dict):
        return "item is not an object"
    if "to_stage" in item:
        to_stage = stages.index(item.get("to_stage"))
        from_stage = stages.index(item.get("from_stage"))
    elif "stage" in item:
        to_stage = stages.index(item.get("stage"))
        from_stage = None
    else:
        return _UNKNOWN_SHAPE
    if to_stage is None:
        return "item's stage is not a stage object"
    raw_time = None
    for key in _TIME_KEYS:
        raw_time = item.get(key)
        if raw_time is not None:
            break
    try:
        at = _timestamp_us(raw_time)
    except ParseError:
        return "item's timestamp is unreadable"
    if at is None:
        return "item has no timestamp"
    return at, from_stage, to_stage, from_stage is not None


_UNKNOWN_SHAPE = "item has neither to_stage nor stage"


@dataclass
class _HistoryReading:
    """How the stage histories read: which applications sent any, which none could be read of, fields seen."""

    present: set[str]
    unreadable: set[str]
    fields: set[str]


def _application_transitions(
    app_id: str, payload: object, stages: _StageTable, notes: _Notes, reading: _HistoryReading
) -> list[_TransitionRow]:
    """One application's transition items (latest first, as sent) as rows oldest first."""
    items = transition_items(payload)
    if items is None:
        notes.add("transitions", app_id, "transition list is not a list, ignored")
        if payload is not None:
            reading.present.add(app_id)
            reading.unreadable.add(app_id)
            reading.fields.update(field_names(payload))
        return []
    if items:
        reading.present.add(app_id)
    parsed: list[tuple[int, int | None, int, bool]] = []
    for item in reversed(items):
        result = _transition_item(item, stages)
        if isinstance(result, str):
            notes.add("transitions", app_id, f"{result}, skipped")
        else:
            parsed.append(result)
    if items and not parsed:
        reading.unreadable.add(app_id)
        for item in items:
            reading.fields.update(field_names(item))
    parsed.sort(key=itemgetter(0))  # stable: equal times keep the reversed API order
    rows: list[_TransitionRow] = []
    previous_to: int | None = None
    for at, from_stage, to_stage, from_given in parsed:
        rows.append((at, from_stage if from_given else previous_to, to_stage))
        previous_to = to_stage
    return rows


def _parse_transitions(
    transitions: object, stages: _StageTable, notes: _Notes
) -> tuple[dict[str, list[_TransitionRow]], _HistoryReading]:
    """All applications' transitions by application id, and how well the histories read."""
    reading = _HistoryReading(set(), set(), set())
    if transitions is None:
        return {}, reading
    if not isinstance(transitions, Mapping):
        raise ParseError("transitions: expected a mapping of application id to list")
    by_app: dict[str, list[_TransitionRow]] = {}
    for key, items in transitions.items():
        app_id = _id(key)
        if app_id is None:
            notes.add("transitions", None, "application id key unusable, its transitions skipped")
            continue
        if app_id in by_app:
            notes.add("transitions", app_id, "application listed twice, later list skipped")
            continue
        by_app[app_id] = _application_transitions(app_id, items, stages, notes, reading)
    return by_app, reading


def stage_id(value: object) -> str | None:
    """The normalised id of a stage object (`system:<type>` for system stages); None when not a stage."""
    stage = _stage(value)
    return None if stage is None else stage[0]


def latest_stage_id(payload: object) -> str | None:
    """The stage an application entered last according to one stored stage-transition response (None: unknown)."""
    items = transition_items(payload)
    if not items:
        return None
    stages = _StageTable()
    best: tuple[int, int] | None = None
    for item in reversed(items):  # latest first as sent: among equal times the first sent wins
        try:
            result = _transition_item(item, stages)
        except _RECORD_ERRORS:
            continue
        if not isinstance(result, str) and (best is None or result[0] >= best[0]):
            best = (result[0], result[2])
    return None if best is None else stages.stages[best[1]][0]


def _fields_text(fields: set[str]) -> str:
    """'a, b, c' of at most _MAX_FIELD_NAMES field names (sorted), '+N more' beyond."""
    names = sorted(fields)
    shown = ", ".join(names[:_MAX_FIELD_NAMES]) or "none"
    return shown + (f" (+{len(names) - _MAX_FIELD_NAMES} more)" if len(names) > _MAX_FIELD_NAMES else "")


def _report_histories(reading: _HistoryReading, known: set[str], notes: _Notes) -> None:
    """An error when no stage history of a known application could be read, a warning when some could not."""
    present = reading.present & known
    unreadable = reading.unreadable & known
    if not unreadable:
        return
    fields = _fields_text(reading.fields)
    expected = " or ".join(EXPECTED_TRANSITION_SHAPES)
    if unreadable == present:
        notes.add("transitions", None,
                  f"stage transitions: none of the {len(present):,} stage histories could be read (fields seen: "
                  f"{fields}; expected {expected}); time-based figures cannot be computed", "error")
    else:
        notes.add("transitions", None,
                  f"stage transitions: the histories of {len(unreadable):,} of {len(present):,} applications could "
                  f"not be read (fields seen: {fields}) and are left out of time-based figures", "warning")


def _transitions_frame(
    by_app: dict[str, list[_TransitionRow]], known: set[str], stages: _StageTable, notes: _Notes
) -> pl.DataFrame:
    """The transitions table, only for applications in the applications table."""
    app_index: list[int] = []
    seqs: list[int] = []
    from_index: list[int | None] = []
    to_index: list[int] = []
    times: list[int] = []
    app_ids: list[str] = []
    for app_id, rows in by_app.items():
        if app_id not in known:
            if rows:
                notes.add("transitions", app_id, "transitions of an unknown application, skipped")
            continue
        if not rows:
            continue
        position = len(app_ids)
        app_ids.append(app_id)
        for seq, (at, from_stage, to_stage) in enumerate(rows):
            app_index.append(position)
            seqs.append(seq)
            from_index.append(from_stage)
            to_index.append(to_stage)
            times.append(at)
    index = pl.DataFrame(
        {"app": app_index, "seq": seqs, "from": from_index, "to": to_index, "at": times},
        schema={"app": pl.UInt32, "seq": pl.Int32, "from": pl.UInt32, "to": pl.UInt32, "at": pl.Int64},
    )
    parts = {"id": 0, "name": 1, "type": 2}
    return index.select(
        pl.lit(_strings(app_ids)).gather(pl.col("app")).alias("application_id"),
        pl.col("seq"),
        *(pl.lit(stages.column(i)).gather(pl.col("from")).alias(f"from_stage_{p}") for p, i in parts.items()),
        *(pl.lit(stages.column(i)).gather(pl.col("to")).alias(f"to_stage_{p}") for p, i in parts.items()),
        pl.col("at").cast(UTC_TS).alias("transitioned_at"),
    )


# --- applications ------------------------------------------------------------------------------------------

_NEW_STAGE: Stage = ("system:new", "New", "new")


def _application_row(
    rec: dict, app_id: str, history: list[_TransitionRow], stages: _StageTable, notes: _Notes
) -> tuple[tuple, dict[str, Any] | None]:
    """One applications row (schema order) plus the embedded job reference, if any."""
    created = _field_us(rec, "created_at", "applications", app_id, notes)
    updated = _field_us(rec, "updated_at", "applications", app_id, notes)
    try:
        app_date = _to_date_days(rec.get("application_date"))
    except ParseError:
        app_date = None
    if app_date is None:
        notes.add(
            "applications", app_id, "application_date missing or unreadable, used created_at's date if any"
        )
        if created is not None:
            app_date = created // 86_400_000_000

    stage_index = stages.index(rec.get("current_stage"))
    if stage_index is not None:
        stage = stages.stages[stage_index]
    else:
        if history:
            stage = stages.stages[history[-1][2]]
            notes.add("applications", app_id, "current_stage missing, used the latest transition's stage")
        else:
            stage = _NEW_STAGE
            notes.add("applications", app_id, "current_stage missing and no transitions, assumed 'new'")

    channel_id, channel_name = _named_ref(rec.get("channel"))
    anonymized = rec.get("is_anonymized")
    job = rec.get("job")
    row = (
        app_id,
        _ref_id(rec.get("candidate")),
        _ref_id(job),
        app_date,
        created,
        updated,
        *stage,
        channel_id,
        channel_name or UNKNOWN,
        anonymized if isinstance(anonymized, bool) else False,
    )
    return row, job if isinstance(job, dict) else None


# --- jobs --------------------------------------------------------------------------------------------------


class _Categories:
    """Category names by id and ids by (unambiguous) name, from the categories list."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.ids: dict[str, str | None] = {}

    def add(self, cat_id: str, name: str | None) -> None:
        if name is None:
            return
        self.names.setdefault(cat_id, name)
        self.ids[name] = cat_id if self.ids.get(name, cat_id) == cat_id else None

    def resolve(self, value: object) -> tuple[str | None, str | None]:
        """(id, name) of a job's category given as `{id, name}`, a bare name, or missing."""
        cat_id, name = _named_ref(value)
        if cat_id is None and name is not None:
            cat_id = self.ids.get(name)
        if name is None and cat_id is not None:
            name = self.names.get(cat_id)
        return cat_id, name


def _feed_index(feed: object, notes: _Notes) -> dict[str, dict]:
    """Career-site feed positions by job id."""
    index: dict[str, dict] = {}
    for position, _rid in _records(feed, "feed", notes):
        index[_rid] = position
    return index


def _job_row(
    job_id: str, rec: dict, embedded: dict | None, feed: dict | None, cats: _Categories, notes: _Notes
) -> tuple:
    """One jobs row (schema order) from the jobs-list record, the applications' reference and the feed."""
    embedded = embedded or {}
    feed = feed or {}
    name = _text(rec.get("name")) or _text(embedded.get("name")) or _text(feed.get("name")) or f"Job {job_id}"

    dept_id, dept_name = _named_ref(rec.get("department"))
    if dept_id is None and dept_name is None:
        dept_id, dept_name = _named_ref(embedded.get("department"))
    dept_name = dept_name or _text(feed.get("department"))

    cat_id, cat_name = cats.resolve(rec.get("category"))
    if cat_id is None and cat_name is None:
        cat_id, cat_name = cats.resolve(embedded.get("category"))
    if cat_id is None and cat_name is None:
        cat_id, cat_name = cats.resolve(_text(feed.get("recruiting_category")))

    created = None
    for table, source in (("jobs", rec), ("feed", feed)):
        try:
            created = _timestamp_us(source.get("created_at"))
        except ParseError:
            notes.add(table, job_id, "created_at: unreadable timestamp, ignored")
        if created is not None:
            break
    if created is None and rec:
        notes.add("jobs", job_id, "created_at: missing or unreadable (also in the feed), kept as null")
    return (
        job_id,
        name,
        dept_id,
        dept_name or UNKNOWN,
        cat_id,
        cat_name or UNKNOWN,
        _text(feed.get("office")) or UNKNOWN,
        _text(feed.get("employment_type")) or UNKNOWN,
        created,
    )


# --- hiring teams ------------------------------------------------------------------------------------------


def _team_rows(
    value: object, app_id: str | None, job_id: str | None, table: str, rid: str, notes: _Notes
) -> list[tuple]:
    """Hiring-team rows (application_id, job_id, person_id, role) of one record's `hiring_team` list.

    Items without a usable person id are skipped with a note; a missing role name becomes "Unknown";
    a member listed twice counts once."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        notes.add(table, rid, "hiring_team is not a list, ignored")
        return []
    rows: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(value):
        person = _ref_id(item.get("person")) if isinstance(item, dict) else None
        if person is None:
            notes.add(table, rid, f"hiring_team item {index} has no person id, skipped")
            continue
        raw_role = item.get("role")
        role = _text(raw_role.get("name")) if isinstance(raw_role, dict) else _text(raw_role)
        member = (person, role or UNKNOWN)
        if member not in seen:
            seen.add(member)
            rows.append((app_id, job_id, *member))
    return rows


# --- stages and candidates ---------------------------------------------------------------------------------


def _stage_rows(cat_id: str, stages: object, notes: _Notes) -> list[tuple]:
    """Stages-table rows of one category."""
    if stages is None:
        return []
    if not isinstance(stages, list | tuple):
        notes.add("stages", cat_id, "stages is not a list, ignored")
        return []
    rows = []
    for index, raw in enumerate(stages):
        stage = _stage(raw)
        if stage is None:
            notes.add("stages", cat_id, f"stage {index} is not a stage object, skipped")
            continue
        position = raw.get("position")
        if not (isinstance(position, int) and not isinstance(position, bool) and 0 <= position <= _INT32_MAX):
            if position is not None:
                notes.add("stages", cat_id, f"stage {index}: unusable position, used list order")
            position = index
        kind = _text(raw.get("kind"))
        rows.append((cat_id, *stage, kind.lower() if kind else None, position))
    return rows


# --- entry point -------------------------------------------------------------------------------------------


def _as_of_utc(as_of: object) -> datetime:
    """`as_of` as an aware UTC datetime (naive taken as UTC)."""
    if not isinstance(as_of, datetime):
        raise ParseError("as_of: expected a datetime")
    try:
        return as_of.replace(tzinfo=UTC) if as_of.utcoffset() is None else as_of.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ParseError("as_of: outside the representable range") from exc


def build_tables(
    *,
    applications: Iterable[dict],
    transitions: Mapping[str, list[dict]],
    jobs: Iterable[dict],
    candidates: Iterable[dict],
    categories: Iterable[dict],
    feed: list[dict] | None,
    as_of: datetime,
) -> tuple[Tables, list[ParseNote]]:
    """The normalised `Tables` of one company snapshot from its raw API records, plus notes on what was off."""
    notes = _Notes()
    as_of_utc = _as_of_utc(as_of)

    cats = _Categories()
    stage_cols = _columns("stages")
    for rec, cat_id in _records(categories, "categories", notes):
        try:
            cats.add(cat_id, _text(rec.get("name")))
            for row in _stage_rows(cat_id, rec.get("stages"), notes):
                _append(stage_cols, row)
        except _RECORD_ERRORS:
            notes.add("categories", cat_id, "unreadable category, skipped")

    stage_table = _StageTable()
    history, reading = _parse_transitions(transitions, stage_table, notes)

    app_cols = _columns("applications")
    team_cols = _columns("hiring_team")
    embedded_jobs: dict[str, dict] = {}
    for rec, app_id in _records(applications, "applications", notes):
        try:
            row, job = _application_row(rec, app_id, history.get(app_id, []), stage_table, notes)
        except _RECORD_ERRORS:
            notes.add("applications", app_id, "unreadable application, skipped")
            continue
        _append(app_cols, row)
        for member in _team_rows(rec.get("hiring_team"), app_id, row[2], "applications", app_id, notes):
            _append(team_cols, member)
        if job is not None and row[2] is not None:
            embedded_jobs.setdefault(row[2], job)

    feed_by_id = _feed_index(feed, notes)
    job_cols = _columns("jobs")
    listed: set[str] = set()
    for rec, job_id in _records(jobs, "jobs", notes):
        try:
            row = _job_row(job_id, rec, embedded_jobs.get(job_id), feed_by_id.get(job_id), cats, notes)
        except _RECORD_ERRORS:
            notes.add("jobs", job_id, "unreadable job, skipped")
            continue
        _append(job_cols, row)
        listed.add(job_id)
        for member in _team_rows(rec.get("hiring_team"), None, job_id, "jobs", job_id, notes):
            _append(team_cols, member)
    for job_id, ref in embedded_jobs.items():
        if job_id in listed:
            continue
        notes.add("jobs", job_id, "job known only from its applications")
        try:
            _append(job_cols, _job_row(job_id, {}, ref, feed_by_id.get(job_id), cats, notes))
        except _RECORD_ERRORS:
            notes.add("jobs", job_id, "unreadable job reference, skipped")

    cand_cols = _columns("candidates")
    for rec, cand_id in _records(candidates, "candidates", notes):
        try:
            created = _field_us(rec, "created_at", "candidates", cand_id, notes)
            updated = _field_us(rec, "updated_at", "candidates", cand_id, notes)
        except _RECORD_ERRORS:
            notes.add("candidates", cand_id, "unreadable candidate, skipped")
            continue
        _append(cand_cols, (cand_id, created, updated))

    _report_histories(reading, set(app_cols["application_id"]), notes)
    tables = Tables(
        applications=_frame("applications", app_cols),
        transitions=_transitions_frame(history, set(app_cols["application_id"]), stage_table, notes),
        jobs=_frame("jobs", job_cols),
        candidates=_frame("candidates", cand_cols),
        stages=_frame("stages", stage_cols),
        as_of=as_of_utc,
        hiring_team=_frame("hiring_team", team_cols),
    )
    return tables, notes.items


# --- what the store keeps ----------------------------------------------------------------------------------

# Allow-lists of the fields the dashboard reads, per record type: `sanitise_*` drops everything else before a
# record is written to the cache (e-mails, phones, comments, custom attributes never reach the disk).
_Spec = Mapping[str, Any]  # field -> True (keep as is) or a nested spec (objects, and each object of a list)
_TIMESTAMP: _Spec = {"date-time": True, "date": True, "timezone": True}
_REF: _Spec = {"id": True, "name": True}
_STAGE_SPEC: _Spec = {"id": True, "name": True, "type": True, "kind": True, "position": True}
_HIRING_TEAM: _Spec = {"person": {"id": True}, "role": {"name": True}}
APPLICATION_SPEC: _Spec = {
    "id": True, "company": {"id": True}, "candidate": {"id": True},
    "job": {"id": True, "name": True, "category": _REF, "department": _REF},
    "current_stage": _STAGE_SPEC, "application_date": _TIMESTAMP, "channel": _REF, "is_anonymized": True,
    "hiring_team": _HIRING_TEAM, "created_at": _TIMESTAMP, "updated_at": _TIMESTAMP,
}
JOB_SPEC: _Spec = {
    "id": True, "name": True, "company": {"id": True}, "department": _REF, "category": _REF,
    "hiring_team": _HIRING_TEAM, "created_at": _TIMESTAMP, "updated_at": _TIMESTAMP,
}
CATEGORY_SPEC: _Spec = {"id": True, "name": True, "stages": _STAGE_SPEC}
CANDIDATE_SPEC: _Spec = {
    "id": True, "company": {"id": True}, "is_anonymized": True,
    "applications": {"id": True, "application_date": _TIMESTAMP}, "created_at": _TIMESTAMP,
    "updated_at": _TIMESTAMP,
}
TRANSITION_SPEC: _Spec = {
    "id": True, "from_stage": _STAGE_SPEC, "to_stage": _STAGE_SPEC, "stage": _STAGE_SPEC,
    **{key: _TIMESTAMP for key in _TIME_KEYS},
}


def _pick(value: object, spec: _Spec | bool) -> object:
    """`value` reduced to `spec`: objects keep the listed fields, lists apply the spec to each element.

    A field whose spec is nested but whose value is a scalar (a bare id, a timestamp string) is kept as is:
    the parser reads those forms too, and a scalar cannot hide extra fields."""
    if spec is True:
        return value
    if isinstance(value, Mapping):
        return {k: _pick(v, spec[k]) for k, v in value.items() if isinstance(k, str) and k in spec}
    if isinstance(value, list | tuple):
        return [_pick(v, spec) for v in value]
    return value


def sanitise(record: Mapping[str, Any], spec: _Spec) -> dict[str, Any]:
    """`record` with only the fields of `spec` (e.g. APPLICATION_SPEC), nested objects and lists included."""
    return _pick(record, spec)  # type: ignore[return-value]


def sanitise_transitions(payload: object) -> object:
    """One application's stage-transition response reduced to the fields the parser reads.

    Items of a shape the parser does not understand are kept as received: they carry the only copy of the
    history, so a parser fix re-derives the tables from the store without a new sync (the sync reports them)."""
    items = transition_items(payload)
    if items is None:
        return payload
    return [sanitise(item, TRANSITION_SPEC)
            if isinstance(item, Mapping) and ("to_stage" in item or "stage" in item) else item
            for item in items]
