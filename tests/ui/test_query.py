"""The URL form of the sidebar selection: round trip, repeated parameters, junk ignored."""

from datetime import date

from dashboard.ui.query import Selection, from_params, restrict, to_params
from metrics.filters import Filters


def _getter(params: dict[str, list[str]]):
    return lambda name: params.get(name, [])


def test_round_trip_keeps_every_field() -> None:
    sel = Selection(preset="custom", custom_from=date(2026, 1, 1), custom_to=date(2026, 3, 31), jobs=("j1", "j2"),
                    departments=("Sales, EMEA",), categories=("Tech",), locations=("Berlin",), channels=("LinkedIn",))
    params = to_params(sel)
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    assert from_params(_getter(as_lists)) == sel


def test_params_are_strings_and_lists_are_repeated() -> None:
    params = to_params(Selection(preset="last_30_days", channels=("A", "B")))
    assert params == {"range": "last_30_days", "channel": ["A", "B"]}


def test_dates_only_travel_with_a_custom_range() -> None:
    assert "from" not in to_params(Selection(preset="all_time", custom_from=date(2026, 1, 1)))


def test_junk_is_dropped() -> None:
    sel = from_params(_getter({"range": ["someday"], "from": ["2026-13-01"], "channel": ["", "A", "A"]}))
    assert sel == Selection(channels=("A",))


def test_reversed_custom_range_is_swapped() -> None:
    sel = from_params(_getter({"range": ["custom"], "from": ["2026-03-01"], "to": ["2026-01-01"]}))
    assert (sel.custom_from, sel.custom_to) == (date(2026, 1, 1), date(2026, 3, 1))


def test_restrict_drops_values_that_are_not_options() -> None:
    sel = Selection(jobs=("j1", "gone"), channels=("LinkedIn",))
    assert restrict(sel, {"jobs": ["j1"], "channels": []}) == Selection(jobs=("j1",))


def test_to_filters_uses_the_preset_relative_to_today() -> None:
    f = Selection(preset="last_30_days", channels=("A",)).to_filters(date(2026, 1, 30))
    assert f == Filters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 30), channels=("A",))
