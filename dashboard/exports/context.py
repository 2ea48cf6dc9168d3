"""What an export shows, in words: company, date range, active filters by name (never ids), data as of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

from dashboard.ui.dates import describe_range
from metrics.filters import Filters

FILTER_NAMES: tuple[tuple[str, str], ...] = (
    ("job_ids", "Job"), ("departments", "Department"), ("categories", "Category"), ("locations", "Location"),
    ("channels", "Channel"), ("roles", "Role"), ("members", "Team member"),
)


def describe_filters(f: Filters, jobs: pl.DataFrame | None = None) -> list[str]:
    """One 'Name: value, value' line per active label filter; job ids become job names where `jobs` knows them."""
    names: dict[str, str] = {}
    if jobs is not None and jobs.height and {"job_id", "job_name"} <= set(jobs.columns):
        names = dict(jobs.select("job_id", "job_name").drop_nulls().unique("job_id").iter_rows())
    lines = []
    for attr, title in FILTER_NAMES:
        values = getattr(f, attr, ()) or ()
        if values:
            shown = [names.get(v, v) if attr == "job_ids" else v for v in values]
            lines.append(f"{title}: {', '.join(str(v) for v in shown)}")
    return lines


@dataclass(frozen=True)
class ExportContext:
    """Everything an exported image, table, pack or deck says about where its numbers come from."""

    company: str
    date_from: date | None
    date_to: date | None
    as_of: datetime
    filters: tuple[str, ...] = field(default_factory=tuple)  # 'Department: Sales' lines

    @property
    def range_text(self) -> str:
        """The date range in words."""
        return describe_range(self.date_from, self.date_to)

    @property
    def filters_text(self) -> str:
        """'Department: Sales; Channel: LinkedIn' or 'No filters'."""
        return "; ".join(self.filters) if self.filters else "No filters"

    @property
    def as_of_text(self) -> str:
        """'data as of 3 Dec 2026 19:52 UTC'."""
        return f"data as of {self.as_of:%-d %b %Y %H:%M} UTC"

    def file_stem(self, what: str) -> str:
        """'funnel_2026-07-01_2026-09-30': what the file holds and the range it covers."""
        lo = self.date_from.isoformat() if self.date_from else "start"
        hi = self.date_to.isoformat() if self.date_to else self.as_of.date().isoformat()
        return f"{what}_{lo}_{hi}"


def context_for(company: str, f: Filters, as_of: datetime, jobs: pl.DataFrame | None = None) -> ExportContext:
    """The ExportContext of filter state `f` on a snapshot synced at `as_of`."""
    return ExportContext(company=company, date_from=f.date_from, date_to=f.date_to, as_of=as_of,
                         filters=tuple(describe_filters(f, jobs)))
