"""Date-range presets of the sidebar, relative to a given `today` (the demo data ends today)."""

from __future__ import annotations

from datetime import date, timedelta

PRESETS: dict[str, str] = {
    "last_30_days": "Last 30 days",
    "last_90_days": "Last 90 days",
    "this_quarter": "This quarter",
    "last_quarter": "Last quarter",
    "year_to_date": "Year to date",
    "last_12_months": "Last 12 months",
    "all_time": "All time",
    "custom": "Custom range…",
}
DEFAULT_PRESET = "last_90_days"


def quarter_start(d: date) -> date:
    """First day of the calendar quarter containing `d`."""
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def preset_range(preset: str, today: date) -> tuple[date | None, date | None]:
    """(from, to) inclusive for a preset; (None, None) for all time. Unknown/custom presets raise KeyError."""
    if preset == "last_30_days":
        return today - timedelta(days=29), today
    if preset == "last_90_days":
        return today - timedelta(days=89), today
    if preset == "this_quarter":
        return quarter_start(today), today
    if preset == "last_quarter":
        end = quarter_start(today) - timedelta(days=1)
        return quarter_start(end), end
    if preset == "year_to_date":
        return date(today.year, 1, 1), today
    if preset == "last_12_months":
        return today - timedelta(days=364), today
    if preset == "all_time":
        return None, None
    raise KeyError(preset)


def describe_range(date_from: date | None, date_to: date | None) -> str:
    """'1 Jan 2026 – 31 Mar 2026 (90 days)', or 'all time'."""
    if date_from is None and date_to is None:
        return "all time"
    left = f"{date_from:%-d %b %Y}" if date_from else "start"
    right = f"{date_to:%-d %b %Y}" if date_to else "today"
    days = f" ({(date_to - date_from).days + 1} days)" if date_from and date_to else ""
    return f"{left} – {right}{days}"
