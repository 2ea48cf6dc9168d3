"""Same label, same number: every labelled figure on every page agrees for one filter state (AppTest)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import state
from tests.pages.conftest import APP, TIMEOUT, demo_tables
from tests.pages.test_pages import PAGES

BOLD = re.compile(r"\*\*([^*:]+): ([^*]+?)\*\*")  # **Label: value**
COHORT_N = re.compile(r"^(?P<cohort>[^·\n]+?) · n = (?P<n>[\d,]+) (?P<unit>[a-z][a-z ]*[a-z])")


def labelled_figures(at: AppTest) -> list[tuple[str, str]]:
    """(label, shown value) of every KPI tile, every bold 'Label: value' and every 'cohort · n = N unit' caption."""
    out = [(m.label, str(m.value)) for m in at.metric]
    for kind in ("markdown", "caption"):
        for element in at.main.get(kind):
            text = str(element.value)
            out += [(label.strip(), value.strip()) for label, value in BOLD.findall(text)]
            m = COHORT_N.match(text)
            if m:
                out.append((f"{m['cohort']} · {m['unit']}", m["n"]))
    return out


def _filter_states(root: Path) -> list[dict[str, list[str] | str]]:
    t = demo_tables(root)
    department = t.jobs["department_name"].drop_nulls().mode().sort()[0]
    channel = t.applications["channel_name"].drop_nulls().mode().sort()[0]
    category = t.jobs.filter(pl.col("department_name") == department)["category_name"].drop_nulls().sort()[0]
    return [
        {state.QP_RANGE: "all_time"},
        {state.QP_RANGE: "last_quarter"},
        {state.QP_RANGE: "last_12_months", state.QP_DEPARTMENT: [department]},
        {state.QP_RANGE: "year_to_date", state.QP_CHANNEL: [channel], state.QP_CATEGORY: [category]},
    ]


def test_label_collector_reads_tiles_bold_figures_and_cohort_captions() -> None:
    class Fake:
        def __init__(self, value: str) -> None:
            self.value = value

    class FakeApp:
        metric = [type("M", (), {"label": "Hires", "value": "8"})()]

        class main:  # noqa: N801 - mimics AppTest's attribute
            @staticmethod
            def get(kind: str) -> list[Fake]:
                if kind == "markdown":
                    return [Fake("**Applied → hired: 2.6%** (95% interval 1%–5%) · **Open jobs: 14**")]
                return [Fake("Application cohort: applications dated in range · n = 1,234 applications · click")]

    assert labelled_figures(FakeApp()) == [
        ("Hires", "8"), ("Applied → hired", "2.6%"), ("Open jobs", "14"),
        ("Application cohort: applications dated in range · applications", "1,234"),
    ]


@pytest.mark.xdist_group("labels")
def test_no_label_shows_two_numbers_on_any_page_for_four_filter_states(demo_env: Path) -> None:
    states = _filter_states(demo_env)
    for params in states:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params.update(params)
        at.run()
        seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (params, page, [e.value for e in at.exception])
            for label, value in labelled_figures(at):
                seen[label][value].append(page.rsplit("/", 1)[-1])
        clashes = {label: dict(values) for label, values in seen.items() if len(values) > 1}
        assert not clashes, (params, clashes)
        # the headline figures the review starts from are among what was compared
        assert {"Applications", "Applied → hired", "Offer acceptance", "Median time to hire"} <= set(seen), params
        assert len(seen["Applied → hired"]) == 1 and sum(map(len, seen["Applied → hired"].values())) >= 2, params


def test_statistical_terms_are_explained_where_they_appear_and_on_the_glossary(demo_env: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({state.QP_RANGE: "all_time"})
    at.run()
    expected = {"pages/review/funnel.py": ("Cohort", "95% interval", "Pass-through"),
                "pages/review/speed.py": ("Kaplan–Meier", "Censored"),
                "pages/sources/channels.py": ("95% interval",),
                "pages/review/team.py": ("Pass-through", "95% interval", "p90")}
    for page, terms in expected.items():
        at.switch_page(page).run()
        captions = "\n".join(str(c.value) for c in at.main.get("caption"))
        for term in terms:
            assert f"**{term}**: " in captions, (page, term)
    at.switch_page("pages/admin/glossary.py").run()
    assert not at.exception
    text = "\n".join(str(m.value) for m in at.markdown)
    for term in ("Kaplan–Meier", "Censored", "95% interval", "Cohort", "Pass-through"):
        assert f"**{term}**: " in text
