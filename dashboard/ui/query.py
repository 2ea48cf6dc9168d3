"""The sidebar selection and its URL form: `?range=custom&from=2026-01-01&to=2026-03-31&channel=LinkedIn`.

Values are strings; lists are repeated parameters (`&job=12&job=34`), so names with commas survive.
Invalid values are dropped, never raised: a stale or hand-edited link still opens the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from dashboard.ui import state
from dashboard.ui.dates import DEFAULT_PRESET, PRESETS, preset_range
from metrics.filters import Filters

_LIST_PARAMS: dict[str, str] = {
    "jobs": state.QP_JOB,
    "departments": state.QP_DEPARTMENT,
    "categories": state.QP_CATEGORY,
    "locations": state.QP_LOCATION,
    "channels": state.QP_CHANNEL,
    "roles": state.QP_ROLE,
    "members": state.QP_MEMBER,
}


@dataclass(frozen=True)
class Selection:
    """What the sidebar holds: a date preset (plus a custom range) and label filters (empty = all)."""

    preset: str = DEFAULT_PRESET
    custom_from: date | None = None
    custom_to: date | None = None
    jobs: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # hiring-team role names
    members: tuple[str, ...] = ()  # hiring-team person ids

    def date_range(self, today: date) -> tuple[date | None, date | None]:
        """The inclusive range this selection means on `today`."""
        if self.preset == "custom":
            return self.custom_from, self.custom_to
        return preset_range(self.preset, today)

    def to_filters(self, today: date) -> Filters:
        """The metrics' Filters for this selection."""
        date_from, date_to = self.date_range(today)
        return Filters(date_from=date_from, date_to=date_to, job_ids=self.jobs, departments=self.departments,
                       categories=self.categories, locations=self.locations, channels=self.channels,
                       roles=self.roles, members=self.members)


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def to_params(sel: Selection) -> dict[str, str | list[str]]:
    """URL query parameters for `sel` (only what differs from empty; `range` always present)."""
    params: dict[str, str | list[str]] = {state.QP_RANGE: sel.preset}
    if sel.preset == "custom":
        if sel.custom_from:
            params[state.QP_FROM] = sel.custom_from.isoformat()
        if sel.custom_to:
            params[state.QP_TO] = sel.custom_to.isoformat()
    for attr, name in _LIST_PARAMS.items():
        values = getattr(sel, attr)
        if values:
            params[name] = list(values)
    return params


def from_params(get_all: Callable[[str], Sequence[str]]) -> Selection:
    """The selection a URL describes; `get_all(name)` returns every value of a parameter (st.query_params.get_all)."""
    preset = (list(get_all(state.QP_RANGE)) or [DEFAULT_PRESET])[-1]
    if preset not in PRESETS:
        preset = DEFAULT_PRESET
    custom_from = _parse_date((list(get_all(state.QP_FROM)) or [None])[-1])
    custom_to = _parse_date((list(get_all(state.QP_TO)) or [None])[-1])
    if preset == "custom" and custom_from and custom_to and custom_from > custom_to:
        custom_from, custom_to = custom_to, custom_from
    lists = {attr: tuple(dict.fromkeys(v for v in get_all(name) if v)) for attr, name in _LIST_PARAMS.items()}
    return Selection(preset=preset, custom_from=custom_from, custom_to=custom_to, **lists)


def restrict(sel: Selection, options: Mapping[str, Sequence[str]]) -> Selection:
    """`sel` without label values that are not among `options[attr]` (e.g. a job that no longer exists)."""
    changes = {attr: tuple(v for v in getattr(sel, attr) if v in set(options.get(attr, ())))
               for attr in _LIST_PARAMS}
    return replace(sel, **changes)
