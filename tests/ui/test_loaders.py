"""Cached loaders: large read-only frames are shared objects, never pickled copies."""

from datetime import date

import polars as pl
import pytest

from dashboard.demo import generate_company
from dashboard.ui import loaders
from metrics.filters import Filters, application_cohort


@pytest.fixture
def data(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> loaders.Data:
    tables = generate_company(60, seed=3, end=date(2026, 6, 30)).tables()
    monkeypatch.setattr(loaders, "tables_for", lambda path, snapshot_id: tables)
    return loaders.Data("/no/store", f"snapshot-{request.node.name}", tables)


def test_shared_frame_is_one_object_across_runs_with_the_metric_result(data: loaders.Data) -> None:
    f = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
    first = data.shared(application_cohort, f)
    assert data.shared(application_cohort, f) is first  # no unpickled copy per run
    expected = (data.tables.applications
                .filter(pl.col("application_date").is_between(date(2026, 1, 1), date(2026, 3, 31)))
                ["application_id"].sort().to_list())
    assert first["application_id"].sort().to_list() == expected
    assert data.metric(application_cohort, f).equals(first)


def test_shared_frames_differ_per_filter_state(data: loaders.Data) -> None:
    jan = data.shared(application_cohort, Filters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)))
    feb = data.shared(application_cohort, Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    assert jan["application_date"].max() <= date(2026, 1, 31) < feb["application_date"].min()
