"""Date presets are relative to the given today and inclusive on both ends."""

from datetime import date

import pytest

from dashboard.ui.dates import PRESETS, describe_range, preset_range, quarter_start


@pytest.mark.parametrize(("preset", "expected"), [
    ("last_30_days", (date(2026, 10, 25), date(2026, 11, 23))),
    ("last_90_days", (date(2026, 8, 26), date(2026, 11, 23))),
    ("this_quarter", (date(2026, 10, 1), date(2026, 11, 23))),
    ("last_quarter", (date(2026, 7, 1), date(2026, 9, 30))),
    ("year_to_date", (date(2026, 1, 1), date(2026, 11, 23))),
    ("all_time", (None, None)),
])
def test_presets_on_a_fixed_day(preset: str, expected: tuple) -> None:
    assert preset_range(preset, date(2026, 11, 23)) == expected


def test_last_quarter_in_january_is_the_previous_years_q4() -> None:
    assert preset_range("last_quarter", date(2027, 1, 5)) == (date(2026, 10, 1), date(2026, 12, 31))


def test_quarter_start() -> None:
    assert [quarter_start(date(2026, m, 15)).month for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [1, 1, 4, 4, 7, 7, 10, 10]


def test_every_preset_but_custom_has_a_range() -> None:
    for preset in PRESETS:
        if preset == "custom":
            with pytest.raises(KeyError):
                preset_range(preset, date(2026, 1, 1))
        else:
            preset_range(preset, date(2026, 1, 1))


def test_describe_range_counts_days_inclusively() -> None:
    assert describe_range(date(2026, 1, 1), date(2026, 1, 31)) == "1 Jan 2026 – 31 Jan 2026 (31 days)"
    assert describe_range(None, None) == "all time"
