"""Candidate names for drill-down tables, fetched live on request and kept in memory only.

The cache and the analytics tables never hold names, e-mails or phones (see SECURITY.md). When a user
switches names on in a drill-down, the names of the (few) candidates shown are fetched one by one from
the API and returned to the page; nothing is written to disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

MAX_NAMES = 200  # one request per candidate: a drill-down of thousands would burn the rate budget


class CandidateReader(Protocol):
    """What this module needs of a client: one candidate by id."""

    def candidate(self, candidate_id: str) -> dict: ...


def display_name(record: dict) -> str:
    """'First Last' from a candidate record; empty parts are skipped."""
    parts = [str(record.get(k) or "").strip() for k in ("first_name", "last_name")]
    return " ".join(p for p in parts if p)


def candidate_names(client: CandidateReader, candidate_ids: Iterable[str | None],
                    limit: int = MAX_NAMES) -> dict[str, str]:
    """Names of up to `limit` distinct candidates (anonymised = no id = no name); errors propagate."""
    names: dict[str, str] = {}
    for cid in dict.fromkeys(c for c in candidate_ids if c):
        if len(names) >= limit:
            break
        names[cid] = display_name(client.candidate(cid))
    return names
