"""Hostile names in a real browser: Streamlit's table toolbar offers no CSV download (it wrote formulas as they
came), and names with markdown, HTML, KaTeX or links render as plain text in captions, warnings and charts."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from tests.browser import conftest as harness

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

TIMEOUT_MS = 90_000
FORMULA = '=HYPERLINK("https://evil.example/x","Open")'
HOSTILE = ["[click here](https://evil.example/phish) ![p](https://evil.example/p.png)",
           "<b>bold</b> <a href='https://evil.example'>link</a> $x^2$ :red[red]", FORMULA]


def _publish_hostile(cache: Path) -> None:
    """A company of DEMO_SIZE applications (the served demo's store) whose names and last sync error are hostile."""
    from dashboard.config import load_settings
    from dashboard.source import open_store, source_from_settings
    from dashboard.store import RawSnapshot
    from tests.pages.synthetic import synthetic_tables

    t = synthetic_tables(harness.DEMO_SIZE, datetime.now(UTC).date(), seed=9)
    i = pl.int_range(pl.len()) % 3
    name = pl.when(i == 0).then(pl.lit(FORMULA)).when(i == 1).then(pl.lit(HOSTILE[1])).otherwise(pl.lit(HOSTILE[0]))
    jobs = t.jobs.with_columns(pl.concat_str(name, pl.lit(" "), pl.col("job_id")).alias("job_name"))
    apps = t.applications.with_columns(pl.when(pl.col("channel_name") == "Agency").then(pl.lit(HOSTILE[1]))
                                       .otherwise(pl.col("channel_name")).alias("channel_name"))
    source = source_from_settings(load_settings({"RECRUITING_DASHBOARD_CACHE_DIR": str(cache)}),
                                  demo_size=harness.DEMO_SIZE)
    store = open_store(source, cache)
    try:
        now = datetime.now(UTC)
        store.publish(RawSnapshot(), type(t)(applications=apps, transitions=t.transitions, jobs=jobs,
                                             candidates=t.candidates, stages=t.stages, as_of=t.as_of),
                      {"synced_at": now, "full_sync_at": now, "watermarks": {}})
        store.record_attempt("Personio said 500: " + HOSTILE[0])
    finally:
        store.close()


@pytest.fixture(scope="module")
def hostile_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("hostile-cache")
    _publish_hostile(cache)
    return cache


@pytest.fixture(scope="module")
def hostile_server(hostile_cache: Path) -> Iterator[harness.Server]:
    with harness._streamlit(hostile_cache, "hostile") as url:  # noqa: SLF001 - the shared server starter
        yield harness.Server(url=url, cache_dir=hostile_cache, demo_size=harness.DEMO_SIZE)


def _open(browser, server: harness.Server, path: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    # Streamlit saves a table's CSV through the File System Access API when it exists (a native dialog):
    # without it, the browser's ordinary download path is used, which Playwright sees as a download event
    context.add_init_script("delete window.showSaveFilePicker;")
    page = context.new_page()
    page.goto(server.link(path), wait_until="domcontentloaded")
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_function("""() => { const a = document.querySelector('[data-testid="stApp"]');
        return a && a.getAttribute('data-test-script-state') === 'notRunning'; }""", timeout=TIMEOUT_MS)
    return context, page


def _table(page):
    """The element around the Jobs page's last table (applications by job: the job names)."""
    frame = page.locator('[data-testid="stDataFrame"]').last
    return frame.locator("xpath=ancestor::div[@data-testid='stElementContainer'][1]")


def _toolbar_buttons(page) -> list[str]:
    table = _table(page)
    table.scroll_into_view_if_needed()
    table.locator('[data-testid="stDataFrame"]').hover()
    toolbar = table.locator('[data-testid="stElementToolbar"]')
    expect(toolbar).to_be_visible()
    return [b.get_attribute("aria-label") or b.inner_text() for b in toolbar.locator("button").all()]


def test_the_table_toolbar_has_no_csv_download_and_our_csv_button_is_formula_safe(browser, hostile_server) -> None:
    context, page = _open(browser, hostile_server, "/jobs?range=all_time")
    try:
        labels = _toolbar_buttons(page)
        assert labels and not [x for x in labels if "download" in x.lower() or "csv" in x.lower()], labels
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            page.locator(".st-key-table_applications_by_job_table_csv button:visible").first.click()
        rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_bytes()[3:].decode("utf-8"))))
        cells = [c for r in rows for c in r]
        assert any(c.startswith("'=HYPERLINK(") for c in cells)
        assert not [c for c in cells if c.startswith("=")]
    finally:
        context.close()


def test_without_the_setting_the_toolbar_download_writes_the_formula(browser, hostile_cache) -> None:
    """The attack the setting stops: Streamlit's own "Download as CSV" keeps =HYPERLINK(...) as it came."""
    with harness._streamlit(hostile_cache, "unsafe", "--client.disableDataExport", "false") as url:  # noqa: SLF001
        server = harness.Server(url=url, cache_dir=hostile_cache, demo_size=harness.DEMO_SIZE)
        context, page = _open(browser, server, "/jobs?range=all_time")
        try:
            labels = _toolbar_buttons(page)
            download = next(x for x in labels if "download" in x.lower() or "csv" in x.lower())
            with page.expect_download(timeout=TIMEOUT_MS) as info:
                _table(page).locator(f'[data-testid="stElementToolbar"] button[aria-label="{download}"]').click()
            text = Path(info.value.path()).read_bytes().decode("utf-8", errors="replace")
            assert FORMULA.replace('"', '""') in text or FORMULA in text
        finally:
            context.close()


@pytest.mark.parametrize("path", ["/jobs?range=all_time", "/channels?range=all_time", "/data"])
def test_hostile_names_and_errors_render_as_plain_text(browser, hostile_server, path: str) -> None:
    context, page = _open(browser, hostile_server, path)
    try:
        page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
            .every(c => c.querySelector('.main-svg'))""", timeout=TIMEOUT_MS)
        for selector in ('a[href*="evil.example"]', 'img[src*="evil.example"]', ".katex",
                         '[data-testid="stException"]'):
            expect(page.locator(selector)).to_have_count(0)
        assert page.evaluate("""() => [...document.querySelectorAll('.main-svg tspan, .main-svg text')]
            .filter(t => (t.getAttribute('style') || '').includes('bold') && t.textContent.includes('bold')).length
            """) == 0  # <b>bold</b> from a name is not bold in any chart
        body = page.locator('[data-testid="stMain"], [data-testid="stSidebar"]')
        assert "click here" in " ".join(body.all_inner_texts())  # shown, as text
    finally:
        context.close()
