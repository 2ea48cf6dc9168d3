"""Team glue for the UI: role and member filter options, member labels and names (memory only, on request)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard.schema import Tables
from dashboard.team_names import MAX_MEMBERS, live_names, names_file, read_names_file
from dashboard.ui import state
from metrics.team import member_label

NAMES_CACHE = "team_member_names"  # session-state key: {source key: {person_id: name}} fetched live this session


def team_options(t: Tables) -> dict[str, dict[str, str]]:
    """Sidebar options: {"roles": {role: role}, "members": {person_id: "Recruiter · 56789"}} from the hiring teams."""
    team = t.hiring_team.select("person_id", "role").unique().sort("role", "person_id")
    roles = {r: r for r in team.get_column("role").unique().sort().to_list()}
    by_person: dict[str, list[str]] = {}
    for pid, role in team.iter_rows():
        by_person.setdefault(pid, []).append(role)
    members = {pid: member_label(pid, " / ".join(rs)) for pid, rs in sorted(by_person.items(), key=lambda kv: (kv[1], kv[0]))}
    return {"roles": roles, "members": members}


def member_names(ctx: Any, person_ids: list[str]) -> tuple[dict[str, str], str | None]:
    """{person_id: name} from the local names file, then from Personio's persons endpoint; plus a note on gaps.

    Live names are kept in this session's memory only (never in the cache, CSVs or packs unless shown)."""
    wanted = [p for p in dict.fromkeys(person_ids) if p]
    names = {p: n for p, n in read_names_file(names_file()).items() if p in set(wanted)}
    missing = [p for p in wanted if p not in names]
    if not missing or ctx.source is None:
        return names, None
    cache = st.session_state.setdefault(NAMES_CACHE, {}).setdefault(ctx.source.key, {})
    todo = [p for p in missing if p not in cache]
    note = None
    if todo:
        from dashboard.ui.loaders import client_for

        try:
            client = client_for(ctx.source, st.session_state.get(state.CRED_REVISION, 0), ctx.settings.client_secret)
            fetched = live_names(client, todo, limit=MAX_MEMBERS)
        except Exception as exc:  # names are optional: never break the page
            fetched = {}
            note = (f"Names could not be read from Personio ({type(exc).__name__}): the credential needs the scope "
                    f"personio:persons:read, or list names in {names_file()} (person_id,name).")
        cache.update({p: fetched.get(p, "") for p in todo})
    names.update({p: cache[p] for p in missing if cache.get(p)})
    return names, note


def labels(frame: pl.DataFrame, names: dict[str, str] | None = None) -> list[str]:
    """Display label per row of a frame with person_id and role: "Recruiter · 56789" (a name replaces the id)."""
    names = names or {}
    return [member_label(p, r, names.get(p) if p else None) for p, r in frame.select("person_id", "role").iter_rows()]
