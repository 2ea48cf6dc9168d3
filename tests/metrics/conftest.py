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
