"""The benchmarks keep running (quick sizes, one run each): no timing is asserted, only that they work."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

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


def test_duckdb_figure_queries_are_single_statements_over_the_base_tables() -> None:
    from benchmarks.bundle import filter_state
    from benchmarks.duckdb_bundle import connect, query

    t = metrics.company_tables(800)
    con = connect(t)
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone() == (0,)
    funnel = query(con, "funnel", filter_state(metrics.END))
    assert [r["step"] for r in funnel] == ["new", "screening", "interviews", "offer", "hired"]
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone() == (0,)


@pytest.mark.browser
@pytest.mark.xdist_group("chromium")
def test_browser_mode_times_every_page_and_reads_its_figures_off_the_websocket() -> None:
    # in a thread of its own: Playwright's sync API refuses a thread that already runs its loop, as this worker's
    # does when the browser tests' session-wide Chromium ran first
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(interaction.browser_run, (300,), 1, log=lambda _m: None).result()
    pages = {r.page for r in results}
    assert {"Overview", "Funnel", "Speed", "Channels", "Jobs", "Outcomes", "Candidates"} <= pages
    for r in results:
        assert len(r.switch_ms) == len(r.filter_ms) == 1 and r.switch_ms[0] > 0 and r.filter_ms[0] > 0
        assert r.switch_ws[0] >= r.figure_bytes[0] >= 0  # a page may show no chart (e.g. an empty state)
    assert all(r.figure_bytes[0] > 0 for r in results if r.page in {"Funnel", "Speed", "Channels"})
    text = interaction.browser_report(results)
    assert "Funnel" in text and "figure JSON" in text
