"""A real-browser walkthrough of the dashboard on the demo company: every page, filters <-> URL, a drill-down
into a funnel bar, CSV / PNG / review-pack downloads, screenshots (UPDATE_SCREENSHOTS=1) and filter timings.

The steps share one tab and run in order inside one test; expected numbers are computed here from the synced
tables with plain polars filters, never read back from the app.
"""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import polars as pl
import pytest

from tests.browser.conftest import TOKEN, with_token

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
Page = playwright_api.Page

TIMEOUT_MS = 90_000  # a loaded 2-core CI machine renders plotly slowly
DOWNLOAD_TIMEOUT_MS = 120_000  # the first PNG starts kaleido's Chromium inside the server
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
WIDTH = 1400
# (navigation label = page title, URL path)
PAGES = [("Overview", ""), ("Funnel", "funnel"), ("Speed", "speed"), ("Team", "team"), ("Channels", "channels"),
         ("Jobs", "jobs"), ("Outcomes", "outcomes"), ("Candidates", "candidates"), ("Data", "data"),
         ("Glossary", "glossary")]
FUNNEL_RANK = {"new": 0, "screening": 1, "interviews": 2, "offer": 3, "hired": 4}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Records every change of Streamlit's script state (initial/running/notRunning) with its time, so a rerun is
# recognised even when it starts and ends between two polls.
SCRIPT_STATE_LOG = """
window.__stLog = [];
new MutationObserver(ms => { for (const m of ms) window.__stLog.push(
    {old: m.oldValue, now: m.target.getAttribute('data-test-script-state'), t: performance.now()}); })
  .observe(document, {attributes: true, attributeOldValue: true, subtree: true,
                      attributeFilter: ['data-test-script-state']});
"""
RUN_FINISHED = """(mark) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && window.__stLog.slice(mark).some(e => e.old === 'running');
}"""
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .every(c => c.querySelector('.main-svg'))
  && !document.querySelector('[data-testid="stSkeleton"]')"""


# ---- helpers ----------------------------------------------------------------------------------------------

def rerun(page: Page, action: Callable[[], None]) -> float:
    """Run `action` (a widget change) and wait until the script run it triggers has finished; its ms."""
    mark, t0 = page.evaluate("() => [window.__stLog.length, performance.now()]")
    action()
    page.wait_for_function(RUN_FINISHED, arg=mark, timeout=TIMEOUT_MS)
    return page.evaluate("(m) => window.__stLog.slice(m).filter(e => e.old === 'running').pop().t", mark) - t0


def settle(page: Page) -> None:
    """After a page load: the first script run has finished and every chart is drawn."""
    page.wait_for_function(RUN_FINISHED, arg=0, timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)


def open_url(page: Page, url: str) -> None:
    """Open `url` (with the server's access token added) and wait until it has settled."""
    page.goto(with_token(url), wait_until="domcontentloaded")
    settle(page)


def assert_no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def title(page: Page, text: str):
    return page.get_by_role("heading", level=1, name=text, exact=True)


def kpi_value(page: Page, label: str):
    """The value element of the KPI tile labelled exactly `label`."""
    label_el = page.locator('[data-testid="stMetricLabel"]').filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return page.locator('[data-testid="stMetric"]').filter(has=label_el).locator('[data-testid="stMetricValue"]')


def choose(page: Page, widget_key: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox / multiselect with this key (react-aria combobox).

    Typing first filters the list: long option lists are virtualised, so an option may not be in the DOM yet.
    List filters label each option with the applications it keeps ('LinkedIn · 1,234'): the count is optional."""
    box = page.locator(f".st-key-{widget_key} input")
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile(rf"^{re.escape(option)}( · [\d,]+)?$")).click()


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def download(page: Page, button_key: str) -> tuple[str, bytes]:
    """Click the download button with this widget key; (suggested file name, bytes)."""
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        # Streamlit keeps a hidden copy of a download button with help text (for sizing): take the visible one
        page.locator(f".st-key-{button_key} button:visible").first.click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def assert_formula_safe(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run: risky text starts with an apostrophe (plain numbers are fine)."""
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                try:
                    float(cell)
                except ValueError:
                    pytest.fail(f"formula-like cell in CSV: {cell!r}")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def screenshot(page: Page, name: str) -> None:
    """Full-page PNG into docs/screenshots/ (only with UPDATE_SCREENSHOTS=1): the viewport grows to the content."""
    if not UPDATE_SCREENSHOTS:
        return
    height = page.evaluate("""() => Math.max(...['[data-testid="stMain"]', '[data-testid="stMainBlockContainer"]',
        '[data-testid="stSidebarContent"]'].map(s => document.querySelector(s)?.scrollHeight || 0))""")
    original = page.viewport_size
    page.set_viewport_size({"width": WIDTH, "height": max(900, int(height) + 40)})
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True, animations="disabled")
    page.set_viewport_size(original)


# ---- expected values, by hand from the synced tables ------------------------------------------------------

@pytest.fixture(scope="module")
def tables(server):
    from dashboard.source import demo_source, open_store

    store = open_store(demo_source(server.demo_size), server.cache_dir)
    try:
        t = store.load_tables()
    finally:
        store.close()
    assert t is not None and t.applications.height == server.demo_size
    return t


def today() -> datetime.date:
    return datetime.now(UTC).date()


def in_last_days(apps: pl.DataFrame, days: int) -> pl.DataFrame:
    return apps.filter(pl.col("application_date").is_between(today() - timedelta(days=days - 1), today()))


def reached(t, apps: pl.DataFrame, step: str) -> int:
    """Applications of `apps` whose current stage or any transition stage ranks at `step` or beyond."""
    beyond = [s for s, r in FUNNEL_RANK.items() if r >= FUNNEL_RANK[step]]
    moved = t.transitions.filter(pl.col("from_stage_type").is_in(beyond) | pl.col("to_stage_type").is_in(beyond))
    hit = apps.filter(pl.col("stage_type").is_in(beyond) | pl.col("application_id").is_in(moved["application_id"]))
    return hit.height


# ---- the walkthrough --------------------------------------------------------------------------------------

@contextmanager
def new_tab(browser, **options) -> Iterator[Page]:
    """A fresh browser context (own cookies, own Streamlit session) and its one tab."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 1000}, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(SCRIPT_STATE_LOG)
    try:
        yield context.new_page()
    finally:
        context.close()


def every_page_in_the_navigation_shows_its_title_and_no_exception(page: Page) -> None:
    links = page.locator('[data-testid="stSidebarNavLink"]')
    expect(links).to_have_count(len(PAGES))
    for label, path in PAGES:
        link = links.filter(has=page.get_by_text(label, exact=True))
        if label != "Overview":
            rerun(page, link.click)
        page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
        expect(title(page, label)).to_be_visible()
        assert urlsplit(page.url).path == f"/{path}"
        assert query(page).get("token") == [TOKEN]  # the access token survives page switches
        assert_no_exception(page)
        screenshot(page, label.lower())
    rerun(page, links.filter(has=page.get_by_text("Overview", exact=True)).click)
    expect(title(page, "Overview")).to_be_visible()


def filter_changes_update_the_numbers_and_the_url(page: Page, tables, record_property) -> None:
    apps = tables.applications
    applications = kpi_value(page, "Applications")
    expect(applications).to_have_text(f"{in_last_days(apps, 90).height:,}")  # default preset: last 90 days
    assert query(page)["range"] == ["last_90_days"]

    ms = rerun(page, lambda: choose(page, "flt_preset", "All time"))
    expect(applications).to_have_text(f"{apps.height:,}")
    assert query(page)["range"] == ["all_time"]
    record_property("timing_preset_change_script_ms", round(ms))

    channel = apps.group_by("channel_name").len().sort("len", "channel_name", descending=True)["channel_name"][0]
    t0 = page.evaluate("performance.now()")
    ms = rerun(page, lambda: choose(page, "flt_channels", channel))
    page.keyboard.press("Escape")  # close the multiselect's dropdown
    expect(applications).to_have_text(f"{apps.filter(pl.col('channel_name') == channel).height:,}")
    shown_ms = page.evaluate("performance.now()") - t0
    assert query(page)["channel"] == [channel]
    assert query(page)["range"] == ["all_time"]
    expect(page.get_by_text("filtered by channel")).to_be_visible()
    record_property("timing_channel_change_script_ms", round(ms))
    record_property("timing_channel_change_until_number_shown_ms", round(shown_ms))
    assert_no_exception(page)


def clicking_a_funnel_bar_lists_the_applications_that_reached_it(page: Page, tables) -> None:
    channel = parse_qs(urlsplit(page.url).query)["channel"][0]  # the filters of the previous test stay on
    cohort = tables.applications.filter(pl.col("channel_name") == channel)
    expected = reached(tables, cohort, "interviews")
    assert 0 < expected < cohort.height

    rerun(page, page.locator('[data-testid="stSidebarNavLink"]').filter(has=page.get_by_text("Funnel", exact=True)).click)
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
    steps = page.evaluate("""() => document.querySelector('.st-key-chart_funnel .js-plotly-plot')
        .data.find(t => t.type === 'bar').customdata.map(c => c[0])""")
    bar = page.locator(".st-key-chart_funnel .plotly .barlayer .trace").first.locator(".point path")
    expect(bar).to_have_count(len(steps))
    # plotly's drag layer sits on top of the bars: a forced click lands a real mouse click on the bar's centre
    rerun(page, lambda: bar.nth(steps.index("interviews")).click(force=True))
    drill = page.locator(".st-key-drill_funnel")
    expect(drill).to_contain_text(f"Applications behind the selection (1 point) · {expected:,} applications")
    expect(drill.locator('[data-testid="stDataFrame"]')).to_be_visible()
    assert_no_exception(page)

    name, data = download(page, "drill_funnel_csv")
    assert re.fullmatch(r"funnel_applications_(start|\d{4}-\d\d-\d\d)_\d{4}-\d\d-\d\d\.csv", name)
    rows = csv_rows(data)
    assert "Application" in rows[0]  # human headers
    ids = [r[rows[0].index("Application")] for r in rows[1:]]
    assert len(ids) == len(set(ids)) == expected
    assert set(ids) <= set(cohort["application_id"].cast(pl.String).to_list())
    assert_formula_safe(rows)
    assert "Candidate name" not in rows[0]  # names are off by default

    rerun(page, page.locator(".st-key-drill_funnel_names label").click)  # switch names on: fetched live
    _name, data = download(page, "drill_funnel_csv")
    rows = csv_rows(data)
    assert rows[0][0] == "Candidate name"
    cand = rows[0].index("Candidate")
    from dashboard.people import MAX_NAMES

    named = {r[cand] for r in rows[1:] if r[cand] and r[0].strip()}
    # every non-anonymised application has a name, up to the live-fetch limit (one request per candidate)
    assert len(named) == min(len({r[cand] for r in rows[1:] if r[cand]}), MAX_NAMES)


def clicking_a_time_to_hire_bar_lists_the_hires_of_its_bin(page: Page, server, tables) -> None:
    open_url(page, server.url + "/speed?range=all_time")
    bars = page.evaluate("""() => {
        const t = document.querySelector('.st-key-chart_time_to_hire .js-plotly-plot').data.find(t => t.type === 'bar');
        return t.customdata.map((c, i) => [c[0], c[1], t.y[i]]); }""")
    low, high, count = max(bars, key=lambda b: b[2])  # the tallest bin
    assert count > 0
    bar = page.locator(".st-key-chart_time_to_hire .plotly .barlayer .trace").first.locator(".point path")
    expect(bar).to_have_count(len(bars))
    rerun(page, lambda: bar.nth(bars.index([low, high, count])).click(force=True))
    drill = page.locator(".st-key-drill_time_to_hire")
    expect(drill).to_contain_text(f"Applications behind the selection (1 point) · {count:,} applications")
    assert_no_exception(page)
    _name, data = download(page, "drill_time_to_hire_csv")
    rows = csv_rows(data)
    ids = [r[rows[0].index("Application")] for r in rows[1:]]
    assert len(set(ids)) == count
    hired = tables.applications.filter(pl.col("stage_type") == "hired")["application_id"].cast(pl.String).to_list()
    assert set(ids) <= set(hired)  # the bin lists hires only
    days = [float(r[rows[0].index("days")]) for r in rows[1:]]  # the exact value, under its machine name
    assert all(float(low) <= d < float(high) for d in days)  # exactly the bar's bin [low, high)


def chart_downloads_csv_png_and_review_pack(page: Page, tables) -> None:
    channel = parse_qs(urlsplit(page.url).query)["channel"][0]
    cohort = tables.applications.filter(pl.col("channel_name") == channel)

    name, data = download(page, "chart_funnel_csv")
    assert re.fullmatch(r"funnel_(start|\d{4}-\d\d-\d\d)_\d{4}-\d\d-\d\d\.csv", name)  # what and when
    rows = csv_rows(data)
    header = rows[0]
    assert {"Step", "Reached"} <= set(header)  # human headers; exact rates follow under machine names
    by_step = {r[header.index("Step")]: int(r[header.index("Reached")]) for r in rows[1:]}
    assert by_step == {step: reached(tables, cohort, step) for step in FUNNEL_RANK}
    assert_formula_safe(rows)

    name, data = download(page, "chart_funnel_png")
    assert re.fullmatch(r"funnel_(start|\d{4}-\d\d-\d\d)_\d{4}-\d\d-\d\d\.png", name)
    width, height = png_size(data)
    assert 600 <= width <= 4000 and 300 <= height <= 4000
    assert len(data) > 10_000  # a drawn chart, not a blank image

    name, data = download(page, "pack_funnel_html")
    assert re.fullmatch(r"funnel_(start|\d{4}-\d\d-\d\d)_\d{4}-\d\d-\d\d\.html", name)
    html = data.decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "Funnel — recruiting review" in html
    assert "Recruiting funnel" in html and "Channel: " + channel in html
    assert "<script src=" not in html  # self-contained: plotly.js is inlined, nothing loads from the web


def a_link_with_filters_opens_with_the_filter_widgets_set(browser, server, tables) -> None:
    apps = tables.applications
    channel = sorted(apps["channel_name"].unique().to_list())[0]
    with new_tab(browser) as tab:
        open_url(tab, f"{server.url}/channels?range=last_12_months&channel={quote(channel)}&channel=%3Dno-such")
        expect(title(tab, "Channels")).to_be_visible()
        expect(tab.locator(".st-key-flt_preset input")).to_have_value("Last 12 months")
        tags = tab.locator(".st-key-flt_channels [data-tag]")
        expect(tags).to_have_count(1)  # the unknown channel of the hand-edited link is dropped
        expect(tags.first).to_contain_text(channel)
        expect(tab.get_by_text("filtered by channel")).to_be_visible()
        assert query(tab) == {"range": ["last_12_months"], "channel": [channel], "token": [TOKEN]}
        assert_no_exception(tab)


def page_controls_live_in_the_url_and_overview_has_its_own_path(browser, server) -> None:
    with new_tab(browser) as tab:
        open_url(tab, f"{server.url}/overview?range=all_time&volume_bucket=Month&volume_split=Channel")
        expect(title(tab, "Overview")).to_be_visible()
        expect(tab.get_by_text("Page not found")).to_have_count(0)
        q = query(tab)
        assert q["range"] == ["all_time"] and q["volume_bucket"] == ["Month"] and q["volume_split"] == ["Channel"]
        expect(tab.locator(".st-key-chart_volume_by_month")).to_be_visible()  # the bucket came from the link
        open_url(tab, f"{server.url}/speed?range=all_time&speed_tab=Time+to+fill")
        expect(tab.get_by_role("tab", name="Time to fill", exact=True)).to_have_attribute("aria-selected", "true")
        assert query(tab)["speed_tab"] == ["Time to fill"]
        open_url(tab, f"{server.url}/funnel?range=all_time&snapshot_at=2025-06-30")
        expect(tab.locator(".st-key-snapshot_at input")).to_have_value("2025-06-30")
        assert query(tab)["snapshot_at"] == ["2025-06-30"] and query(tab)["range"] == ["all_time"]
        assert_no_exception(tab)


def the_overview_renders_in_the_dark_theme(browser, server) -> None:
    with new_tab(browser) as tab:
        open_url(tab, server.url + "/")
        expect(title(tab, "Overview")).to_be_visible()
        background = tab.evaluate("""() => getComputedStyle(document.querySelector('[data-testid="stApp"]'))
            .backgroundColor""")
        r, g, b = (int(v) for v in re.findall(r"\d+", background)[:3])
        assert max(r, g, b) < 80, f"dark background expected, got {background}"
        assert_no_exception(tab)
        screenshot(tab, "overview-dark")


def the_server_logged_no_traceback(server) -> None:
    """Errors the pages caught and hid (or that happened in download callbacks) still show in the server log."""
    log = (server.cache_dir / "streamlit-light.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-4000:]


def attributed(tables, person_id: str, role: str) -> pl.DataFrame:
    """Applications attributed to a member, by hand: its own team when it has one, else its job's."""
    team = tables.hiring_team
    own = team.filter(pl.col("application_id").is_not_null())
    mine_own = own.filter((pl.col("person_id") == person_id) & (pl.col("role") == role))["application_id"]
    jobs = team.filter(pl.col("application_id").is_null() & (pl.col("person_id") == person_id)
                       & (pl.col("role") == role))["job_id"]
    apps = tables.applications
    via_job = apps.filter(~pl.col("application_id").is_in(own["application_id"]) & pl.col("job_id").is_in(jobs))
    return pl.concat([apps.filter(pl.col("application_id").is_in(mine_own)), via_job])


def clicking_a_member_opens_their_applications_funnel_jobs_and_stuck_list(page: Page, server, tables) -> None:
    open_url(page, server.url + "/team?range=all_time")
    expect(title(page, "Team")).to_be_visible()
    points = page.evaluate("""() => document.querySelector('.st-key-chart_team .js-plotly-plot')
        .data[0].customdata""")
    person_id, role = points[0]
    expected = attributed(tables, person_id, role).height
    marker = page.locator(".st-key-chart_team .plotly .scatterlayer .trace").first.locator(".points path")
    expect(marker).to_have_count(len(points))
    rerun(page, lambda: marker.first.click(force=True))
    drill = page.locator(".st-key-drill_team")
    expect(drill).to_contain_text(f"Applications behind the selection (1 point) · {expected:,} applications")
    label = f"{role} · {person_id}"
    expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()  # the member in detail
    expect(page.locator(".st-key-chart_team_member_funnel .js-plotly-plot")).to_be_visible()
    expect(page.get_by_text("Jobs on their team")).to_be_visible()
    assert_no_exception(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
    screenshot(page, "team")


def a_shared_link_with_a_member_filter_narrows_every_page(browser, server, tables) -> None:
    team = tables.hiring_team.filter(pl.col("role") == "Recruiter")
    person_id = team["person_id"].sort()[0]
    apps = attributed(tables, person_id, "Recruiter")
    with new_tab(browser) as tab:
        open_url(tab, f"{server.url}/team?range=all_time&member={person_id}")
        tags = tab.locator(".st-key-flt_members [data-tag]")
        expect(tags).to_have_count(1)
        expect(tags.first).to_contain_text(person_id)
        members = tab.evaluate("""() => document.querySelector('.st-key-chart_team .js-plotly-plot')
            .data.flatMap(t => t.customdata.map(c => c[0]))""")
        assert set(members) <= {person_id}
        rerun(tab, tab.locator('[data-testid="stSidebarNavLink"]').filter(
            has=tab.get_by_text("Overview", exact=True)).click)
        expect(kpi_value(tab, "Applications")).to_have_text(f"{apps.height:,}")
        assert query(tab)["member"] == [person_id]  # the filter stays in the URL on every page
        assert_no_exception(tab)


def the_job_health_view_flags_stuck_jobs_first_and_drills_into_a_job(page: Page, server, tables) -> None:
    open_url(page, server.url + "/jobs")
    expect(title(page, "Jobs")).to_be_visible()
    first = page.evaluate("""() => {
        const bars = document.querySelector('.st-key-chart_job_health .js-plotly-plot').data.filter(t => t.type === 'bar');
        const k = bars.findIndex(t => t.x[0] > 0);  // the first job's first non-empty stage segment
        return [bars[k].customdata[0][0], bars[k].y[0], k]; }""")
    job_id, label, trace = first
    closed = ["hired", "rejected", "withdrawn", "talent pool"]
    active = in_last_days(tables.applications, 90).filter(
        (pl.col("job_id") == job_id) & ~pl.col("stage_type").is_in(closed))
    bar = page.locator(".st-key-chart_job_health .plotly .barlayer .trace").nth(trace).locator(".point path")
    rerun(page, lambda: bar.first.click(force=True))
    drill = page.locator(".st-key-drill_job_health")
    expect(drill).to_contain_text(f"· {active.height:,} applications")
    if "⚠" in page.evaluate("""() => document.querySelector('.st-key-chart_job_health .js-plotly-plot')
            .data.find(t => t.type === 'bar').y.join(' ')"""):
        assert label.startswith("⚠")  # stuck jobs come first
    assert_no_exception(page)


def test_walkthrough(browser, server, tables, record_property, request: pytest.FixtureRequest) -> None:
    """One user session through the whole dashboard, then a shared link and the server log; with
    UPDATE_SCREENSHOTS=1 also the Overview in the dark theme (a second server, so not on every CI run).

    One test, not several: the steps build on each other's state (filters, page), and one test cannot be split
    across xdist workers (each worker would start its own server and Chromium)."""
    expect.set_options(timeout=TIMEOUT_MS)
    started = time.monotonic()

    def step(name: str, run: Callable[..., None], *args) -> None:
        nonlocal started
        run(*args)
        record_property(f"timing_step_{name}_s", round(time.monotonic() - started, 1))
        started = time.monotonic()

    with new_tab(browser, accept_downloads=True, color_scheme="light") as page:
        step("open_overview", open_url, page, server.url + "/")
        step("every_page", every_page_in_the_navigation_shows_its_title_and_no_exception, page)
        step("filters", filter_changes_update_the_numbers_and_the_url, page, tables, record_property)
        step("drill_down", clicking_a_funnel_bar_lists_the_applications_that_reached_it, page, tables)
        step("downloads", chart_downloads_csv_png_and_review_pack, page, tables)
        step("histogram_drill", clicking_a_time_to_hire_bar_lists_the_hires_of_its_bin, page, server, tables)
        step("team_drill", clicking_a_member_opens_their_applications_funnel_jobs_and_stuck_list, page, server, tables)
        step("job_health", the_job_health_view_flags_stuck_jobs_first_and_drills_into_a_job, page, server, tables)
    step("member_link", a_shared_link_with_a_member_filter_narrows_every_page, browser, server, tables)
    step("shared_link", a_link_with_filters_opens_with_the_filter_widgets_set, browser, server, tables)
    step("url_state", page_controls_live_in_the_url_and_overview_has_its_own_path, browser, server)
    if UPDATE_SCREENSHOTS:
        step("dark_theme", the_overview_renders_in_the_dark_theme, browser, request.getfixturevalue("dark_server"))
    the_server_logged_no_traceback(server)
