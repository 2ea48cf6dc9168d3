"""Schemas of the normalised tables (the staging layer every metric reads) and the `Tables` bundle."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl

UTC_TS = pl.Datetime("us", "UTC")
UNKNOWN = "Unknown"

APPLICATIONS_SCHEMA: dict[str, pl.DataType] = {
    "application_id": pl.String,
    "candidate_id": pl.String,  # null for anonymised applications
    "job_id": pl.String,
    "application_date": pl.Date,
    "created_at": UTC_TS,
    "updated_at": UTC_TS,
    "stage_id": pl.String,  # system stages without an id get "system:<type>"
    "stage_name": pl.String,
    "stage_type": pl.String,  # kept as sent (lower case); unknown types stay as-is
    "channel_id": pl.String,  # null when the API sent no channel
    "channel_name": pl.String,  # "Unknown" when the API sent no channel
    "is_anonymized": pl.Boolean,
}

TRANSITIONS_SCHEMA: dict[str, pl.DataType] = {
    "application_id": pl.String,
    "seq": pl.Int32,  # 0 = oldest; keeps API order for equal timestamps
    "from_stage_id": pl.String,
    "from_stage_name": pl.String,
    "from_stage_type": pl.String,
    "to_stage_id": pl.String,
    "to_stage_name": pl.String,
    "to_stage_type": pl.String,
    "transitioned_at": UTC_TS,
}

JOBS_SCHEMA: dict[str, pl.DataType] = {
    "job_id": pl.String,
    "job_name": pl.String,
    "department_id": pl.String,
    "department_name": pl.String,  # "Unknown" when missing
    "category_id": pl.String,
    "category_name": pl.String,  # "Unknown" when missing
    "location": pl.String,  # office from the career-site feed, "Unknown" when not published/reachable
    "employment_type": pl.String,  # "Unknown" when not known
    "created_at": UTC_TS,
}

CANDIDATES_SCHEMA: dict[str, pl.DataType] = {
    "candidate_id": pl.String,
    "created_at": UTC_TS,
    "updated_at": UTC_TS,
}

STAGES_SCHEMA: dict[str, pl.DataType] = {
    "category_id": pl.String,
    "stage_id": pl.String,
    "stage_name": pl.String,
    "stage_type": pl.String,
    "stage_kind": pl.String,
    "position": pl.Int32,
}

HIRING_TEAM_SCHEMA: dict[str, pl.DataType] = {
    "application_id": pl.String,  # null for a job's own team
    "job_id": pl.String,
    "person_id": pl.String,
    "role": pl.String,  # role name as sent (e.g. "Recruiter", "Hiring manager")
}

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "applications": APPLICATIONS_SCHEMA,
    "transitions": TRANSITIONS_SCHEMA,
    "jobs": JOBS_SCHEMA,
    "candidates": CANDIDATES_SCHEMA,
    "stages": STAGES_SCHEMA,
    "hiring_team": HIRING_TEAM_SCHEMA,
}

# Funnel order of metrics.md; other types have no rank.
FUNNEL_STEPS: tuple[str, ...] = ("new", "screening", "interviews", "offer", "hired")
STAGE_RANK: dict[str, int] = {t: i for i, t in enumerate(FUNNEL_STEPS)}
EXIT_TYPES: tuple[str, ...] = ("rejected", "withdrawn", "talent pool")
UNRANKED_TYPES: tuple[str, ...] = ("other", "unassigned")
KNOWN_STAGE_TYPES: tuple[str, ...] = FUNNEL_STEPS + EXIT_TYPES + UNRANKED_TYPES


def empty_frame(name: str) -> pl.DataFrame:
    """An empty frame with the schema of table `name`, so empty companies flow through every metric."""
    return pl.DataFrame(schema=SCHEMAS[name])


@dataclass(frozen=True)
class Tables:
    """The normalised tables of one company snapshot plus the moment they were synced (`as_of`, UTC)."""

    applications: pl.DataFrame = field(default_factory=lambda: empty_frame("applications"))
    transitions: pl.DataFrame = field(default_factory=lambda: empty_frame("transitions"))
    jobs: pl.DataFrame = field(default_factory=lambda: empty_frame("jobs"))
    candidates: pl.DataFrame = field(default_factory=lambda: empty_frame("candidates"))
    stages: pl.DataFrame = field(default_factory=lambda: empty_frame("stages"))
    as_of: datetime = field(default_factory=lambda: datetime(1970, 1, 1, tzinfo=UTC))
    hiring_team: pl.DataFrame = field(default_factory=lambda: empty_frame("hiring_team"))

    def frames(self) -> dict[str, pl.DataFrame]:
        """The tables by name, in the order of SCHEMAS."""
        return {name: getattr(self, name) for name in SCHEMAS}
