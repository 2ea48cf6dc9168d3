"""Names from Personio never render as markup: hostile job, channel, department, category, location and stage
names and a hostile stored sync error go through every page (AppTest); no markdown, KaTeX, HTML, link,
colour or image survives in any markdown element, and no data markup reaches a figure."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.config import load_settings
from dashboard.source import open_store, source_from_settings
from dashboard.store import RawSnapshot
from dashboard.ui.sidebar import ENV_DEMO_SIZE
from tests.hardening.ui import rendered
from tests.pages.conftest import APP, TIMEOUT
from tests.pages.synthetic import synthetic_tables

PAGES = ["pages/review/overview.py", "pages/review/funnel.py", "pages/review/speed.py",
         "pages/sources/channels.py", "pages/sources/jobs.py", "pages/sources/outcomes.py",
         "pages/sources/candidates.py", "pages/admin/data.py"]
# each piece is markup in Streamlit markdown or in plotly text when it survives unescaped
HOSTILE = [
    "[click here](https://evil.example/phish)", "![pixel](https://evil.example/p.png)", "<b>bold</b>",
    "<a href='https://evil.example'>link</a>", "$x^2$", "$$\\int$$", ":red[red]", ":material/warning:",
    "&lt;i&gt;entity&lt;/i&gt;", "**strong**", "<img src=x onerror=alert(1)>", "`code`", "<br>", "https://evil.example/raw",
]
MARKDOWN_KINDS = ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader", "header")
DATA_MARKUP = ("<b>bold</b>", "<a href", "<img", "<br>x", "&lt;i&gt;entity")  # raw, as a data value would carry it


def _hostile_tables(names: list[str]):
    t = synthetic_tables(60, datetime.now(UTC).date(), seed=5)
    pick = {i: names[i % len(names)] + f" #{i}" for i in range(64)}

    def relabel(df: pl.DataFrame, col: str) -> pl.DataFrame:
        values = sorted(df[col].drop_nulls().unique().to_list())
        mapping = {v: pick[i] for i, v in enumerate(values)}
        return df.with_columns(pl.col(col).replace_strict(mapping, default=pl.col(col)))

    jobs = t.jobs
    for col in ("job_name", "department_name", "category_name", "location"):
        jobs = relabel(jobs, col)
    apps = relabel(t.applications, "channel_name")
    names_of = {f"{c}:{s}": n for c, s, n in zip([f"cat{i // 7}" for i in range(21)], ["x"] * 21, range(21),
                                                                                strict=True)}
    del names_of
    stages = t.stages.with_columns(pl.concat_str(pl.col("stage_name"), pl.lit(" "), pl.lit(names[0])).alias("stage_name"))
    trans = t.transitions.with_columns(
        pl.concat_str(pl.col("from_stage_name"), pl.lit(" "), pl.lit(names[0])).alias("from_stage_name"),
        pl.concat_str(pl.col("to_stage_name"), pl.lit(" "), pl.lit(names[0])).alias("to_stage_name"))
    apps = apps.with_columns(pl.concat_str(pl.col("stage_name"), pl.lit(" "), pl.lit(names[0])).alias("stage_name"))
    return type(t)(applications=apps, transitions=trans, jobs=jobs, candidates=t.candidates, stages=stages,
                   as_of=t.as_of)


def _publish(root: Path, names: list[str]) -> list[str]:
    source = source_from_settings(load_settings({"RECRUITING_DASHBOARD_CACHE_DIR": str(root)}), demo_size=60)
    store = open_store(source, root)
    try:
        tables = _hostile_tables(names)
        now = datetime.now(UTC)
        store.publish(RawSnapshot(), tables, {"synced_at": now, "full_sync_at": now, "watermarks": {}})
        store.record_attempt(f"Personio said 500: {names[0]} {names[-1]}")
        return tables.applications["channel_name"].unique().sort().to_list()
    finally:
        store.close()


def _markdown_bodies(at: AppTest) -> list[str]:
    out = [str(e.value) for kind in MARKDOWN_KINDS for e in getattr(at, kind)]
    out += [str(getattr(m.proto, "help", "")) for m in at.metric]
    return out


def _figure_specs(at: AppTest) -> list[str]:
    return [json.dumps(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def _assert_plain(at: AppTest, names: list[str]) -> None:
    assert not at.exception, [e.value for e in at.exception]
    for body in _markdown_bodies(at):
        for piece in HOSTILE:
            assert piece not in body, f"markup {piece!r} survives in {body[:300]!r}"
        assert "://evil.example" not in rendered(body), "a bare URL would be autolinked"
    for spec in _figure_specs(at):
        for piece in DATA_MARKUP:
            assert piece not in spec, f"data markup {piece!r} reaches a figure"


names_strategy = st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=4).map(lambda xs: [" ".join(xs), *xs])


@pytest.fixture
def hostile_root(tmp_path_factory, monkeypatch):
    def make(names: list[str]) -> tuple[Path, list[str]]:
        root = tmp_path_factory.mktemp("hostile")
        channels = _publish(root, names)
        monkeypatch.setenv("RECRUITING_DASHBOARD_CACHE_DIR", str(root))
        monkeypatch.setenv(ENV_DEMO_SIZE, "60")
        for name in ("PERSONIO_CLIENT_ID", "PERSONIO_CLIENT_SECRET"):
            monkeypatch.delenv(name, raising=False)
        return root, channels
    return make


@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=names_strategy)
@example(names=HOSTILE)
@example(names=["<b>" + "J" * 100_000 + "</b>", "[x](https://evil.example)"])
def test_hostile_names_render_as_plain_text_on_every_page(hostile_root, names: list[str]) -> None:
    _root, channels = hostile_root(names)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"range": "all_time", "channel": channels[:2]})
    at.run()
    _assert_plain(at, names)
    for page in PAGES:
        at.switch_page(page).run()
        _assert_plain(at, names)
