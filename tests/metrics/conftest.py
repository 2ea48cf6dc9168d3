"""Factory for small hand-built `Tables` in the schemas of dashboard/schema.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from dashboard.schema import SCHEMAS, Tables

AS_OF = datetime(2024, 3, 1, tzinfo=UTC)


def ts(value: str) -> datetime:
    """'2024-01-05' or '2024-01-05T12:00' as a UTC datetime."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _stage(type_: str | None, name: str | None) -> tuple[str | None, str | None, str | None]:
    """(id, name, type) of a stage given by type and optional custom name."""
    if type_ is None:
        return None, None, None
    if name is None:
        return f"system:{type_}", type_.capitalize(), type_
    return f"s:{name}", name, type_


def app(
    application_id: str,
    stage: str = "new",
    *,
    applied: str = "2024-01-01",
    created: str | None = None,
    job: str | None = "j1",
    channel: str | None = "LinkedIn",
    candidate: str | None = "same-as-id",
    stage_name: str | None = None,
) -> dict:
    """One application row; created defaults to the application date at 00:00 UTC."""
    sid, sname, stype = _stage(stage, stage_name)
    cand = f"c-{application_id}" if candidate == "same-as-id" else candidate
    created_at = ts(created or applied)
    return {
        "application_id": application_id,
        "candidate_id": cand,
        "job_id": job,
        "application_date": date.fromisoformat(applied) if applied else None,
        "created_at": created_at,
        "updated_at": created_at,
        "stage_id": sid,
        "stage_name": sname,
        "stage_type": stype,
        "channel_id": None if channel is None else f"ch:{channel}",
        "channel_name": "Unknown" if channel is None else channel,
        "is_anonymized": cand is None,
    }


def tr(
    application_id: str,
    from_type: str | None,
    to_type: str,
    at: str,
    *,
    from_name: str | None = None,
    to_name: str | None = None,
    seq: int = 0,
) -> dict:
    """One stage transition row (stage names default to the capitalised type)."""
    fid, fname, ftype = _stage(from_type, from_name)
    tid, tname, ttype = _stage(to_type, to_name)
    return {
        "application_id": application_id,
        "seq": seq,
        "from_stage_id": fid,
        "from_stage_name": fname,
        "from_stage_type": ftype,
        "to_stage_id": tid,
        "to_stage_name": tname,
        "to_stage_type": ttype,
        "transitioned_at": ts(at),
    }


def job(
    job_id: str = "j1",
    name: str | None = None,
    *,
    department: str = "Engineering",
    category: str = "Tech",
    location: str = "Berlin",
    created: str = "2023-12-01",
) -> dict:
    """One job row."""
    return {
        "job_id": job_id,
        "job_name": name or f"Job {job_id}",
        "department_id": f"d:{department}",
        "department_name": department,
        "category_id": f"k:{category}",
        "category_name": category,
        "location": location,
        "employment_type": "permanent",
        "created_at": ts(created),
    }


def make_tables(
    apps: list[dict] = (),
    transitions: list[dict] = (),
    jobs: list[dict] | None = None,
    *,
    as_of: datetime = AS_OF,
) -> Tables:
    """Tables from row dicts; jobs default to one job "j1"; seq is numbered per application in list order."""
    jobs = [job()] if jobs is None else jobs
    counters: dict[str, int] = {}
    numbered = []
    for row in transitions:
        n = counters.get(row["application_id"], 0)
        counters[row["application_id"]] = n + 1
        numbered.append({**row, "seq": n})
    frames = {
        "applications": list(apps),
        "transitions": numbered,
        "jobs": list(jobs),
        "candidates": [],
        "stages": [],
    }
    built = {name: pl.DataFrame(rows, schema=SCHEMAS[name], orient="row") if rows else pl.DataFrame(schema=SCHEMAS[name]) for name, rows in frames.items()}
    return Tables(**built, as_of=as_of)


@pytest.fixture
def empty() -> Tables:
    """All five tables empty."""
    return Tables(as_of=AS_OF)


def small_tables() -> Tables:
    """The hand-computed reference company used across the metric tests (as_of 2024-03-01).

    j1 "Backend" (Engineering/Tech/Berlin, created 2023-12-01); j2 "Sales Rep" (Sales/Business/Munich,
    created 2024-01-15).
    a1 j1 LinkedIn 01-01: new→screening 01-03 →interviews 01-10 →offer 01-20 →hired 01-31 (hired)
    a2 j1 LinkedIn 01-02: new→screening 01-04 →rejected 01-08 (rejected)
    a3 j1 Referral 01-05: new→screening 01-06 →interviews 01-12 (active, interviews)
    a4 j2 Referral 01-10: new→screening 01-11 →offer 01-15 →rejected 01-25 (declined offer)
    a5 j2 no channel 01-20: no transitions (active, new)
    a6 j2 LinkedIn 02-05, same candidate as a1: new→withdrawn 02-06 (withdrawn)
    """
    apps = [
        app("a1", "hired", applied="2024-01-01"),
        app("a2", "rejected", applied="2024-01-02"),
        app("a3", "interviews", applied="2024-01-05", channel="Referral"),
        app("a4", "rejected", applied="2024-01-10", job="j2", channel="Referral"),
        app("a5", "new", applied="2024-01-20", job="j2", channel=None),
        app("a6", "withdrawn", applied="2024-02-05", job="j2", candidate="c-a1"),
    ]
    transitions = [
        tr("a1", "new", "screening", "2024-01-03"),
        tr("a1", "screening", "interviews", "2024-01-10"),
        tr("a1", "interviews", "offer", "2024-01-20"),
        tr("a1", "offer", "hired", "2024-01-31"),
        tr("a2", "new", "screening", "2024-01-04"),
        tr("a2", "screening", "rejected", "2024-01-08"),
        tr("a3", "new", "screening", "2024-01-06"),
        tr("a3", "screening", "interviews", "2024-01-12"),
        tr("a4", "new", "screening", "2024-01-11"),
        tr("a4", "screening", "offer", "2024-01-15"),
        tr("a4", "offer", "rejected", "2024-01-25"),
        tr("a6", "new", "withdrawn", "2024-02-06"),
    ]
    jobs = [
        job("j1", "Backend", created="2023-12-01"),
        job("j2", "Sales Rep", department="Sales", category="Business", location="Munich", created="2024-01-15"),
    ]
    return make_tables(apps, transitions, jobs)


@pytest.fixture
def small() -> Tables:
    """The reference company of `small_tables`."""
    return small_tables()
