"""Names of hiring-team members: from a local file and, when the credential may read persons, live from Personio.

The recruiting API sends hiring-team members as person ids only. Names come from two places, neither of them the
cache or the analytics tables:

- a local CSV file (`person_id,name`, one member a line; git-ignored `team_names.csv` in the working directory,
  or the file named by $RECRUITING_DASHBOARD_TEAM_NAMES) for credentials without access to persons;
- Personio's `GET /v2/persons/{id}` (scope `personio:persons:read`), one request per member, asked only for the
  members of the hiring teams and kept in memory like candidate names.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

NAMES_FILE_ENV = "RECRUITING_DASHBOARD_TEAM_NAMES"
DEFAULT_NAMES_FILE = "team_names.csv"
MAX_MEMBERS = 100  # one request each: more members than this are shown by id
MAX_FILE_BYTES = 1_000_000
MAX_NAME_CHARS = 80


class PersonReader(Protocol):
    """What this module needs of a client: one person by id."""

    def person(self, person_id: str) -> dict: ...


def names_file(env: dict[str, str] | None = None) -> Path:
    """The local names file: $RECRUITING_DASHBOARD_TEAM_NAMES, else team_names.csv in the working directory."""
    env = os.environ if env is None else env
    return Path((env.get(NAMES_FILE_ENV) or "").strip() or DEFAULT_NAMES_FILE)


def _clean(text: object) -> str:
    """A name as one line of plain text: control characters dropped, whitespace collapsed, length capped."""
    printable = "".join(ch if ch.isprintable() else " " for ch in str(text or ""))
    return " ".join(printable.split())[:MAX_NAME_CHARS]


def read_names_file(path: Path) -> dict[str, str]:
    """{person_id: name} from a `person_id,name` CSV (header optional); {} when missing or unreadable.

    Rows without an id or a name are skipped; the first row of an id wins."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return {}
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return {}
    out: dict[str, str] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) < 2:
            continue
        pid, name = _clean(row[0]), _clean(row[1])
        if not pid or not name or (pid.lower() == "person_id" and not out):
            continue
        out.setdefault(pid, name)
    return out


def person_name(record: dict) -> str:
    """A person's display name: preferred name, else first and last name ('' when none)."""
    preferred = _clean(record.get("preferred_name"))
    if preferred:
        return preferred
    return _clean(" ".join(_clean(record.get(k)) for k in ("first_name", "last_name")))


def live_names(client: PersonReader, person_ids: Iterable[str], limit: int = MAX_MEMBERS) -> dict[str, str]:
    """Names of up to `limit` distinct members from Personio's persons endpoint; errors propagate (the caller says
    why names are missing, e.g. a credential without the persons scope)."""
    names: dict[str, str] = {}
    for pid in list(dict.fromkeys(p for p in person_ids if p))[:limit]:
        name = person_name(client.person(pid))
        if name:
            names[pid] = name
    return names
