"""The benchmarks keep running (quick sizes, one run each): no timing is asserted, only that they work."""

from __future__ import annotations

import pytest

from benchmarks import __main__ as bench
from benchmarks import interaction, metrics, sync
from benchmarks.bundle import canonical, differences


@pytest.mark.xdist_group("bench")
def test_quick_run_of_every_benchmark_prints_every_table(capsys: pytest.CaptureFixture[str]) -> None:
    text = bench.main(["--quick"])
    assert "Machine" in text
    assert "Sync against the fake Personio" in text
    assert "Metric bundle" in text
    assert "Peak RSS" in text
    assert "Filter change" in text


@pytest.mark.xdist_group("bench")
def test_incremental_sync_requests_are_list_pages_plus_changed_applications() -> None:
    (res,) = sync.run(sizes=(200,), log=lambda _m: None)
    inc = res.incremental
    assert inc.changed == 2
    assert inc.by_endpoint["transitions"] == inc.changed
    assert inc.requests == inc.expected_requests
    assert res.first.rate_limited == 0


@pytest.mark.xdist_group("bench")
def test_pandas_and_duckdb_bundles_agree_with_polars_on_the_demo_company() -> None:
    t = metrics.company_tables(1_500)
    expected = canonical(metrics.prepare("polars", t)())
    for impl in ("pandas", "duckdb"):
        assert differences(expected, canonical(metrics.prepare(impl, t)())) == [], impl


def test_agreement_check_reports_a_changed_count() -> None:
    expected = {"funnel": [("new", 10, 0.5)]}
    assert differences(expected, {"funnel": [("new", 10, 0.5 + 1e-9)]}) == []
    assert differences(expected, {"funnel": [("new", 11, 0.5)]}) != []
    assert differences(expected, {"funnel": [("new", 10, 0.51)]}) != []


def test_interaction_report_flags_a_page_over_the_goal_at_100k() -> None:
    slow = interaction.PageResult(100_000, "pages/review/speed.py", 1.0, [0.5, 0.6, 0.4], [0.25, 0.3, 0.2])
    text = interaction.report([slow])
    assert "MISSED" in text and "review/speed" in text
    assert "50% metrics" in text
