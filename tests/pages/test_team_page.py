"""The Team page and the hiring-team filters through the real entry point (AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.store import Store
from dashboard.ui import state
from tests.pages.conftest import APP, TIMEOUT

TEAM = "pages/review/team.py"


def _team(root: Path):
    (store_dir,) = [p for p in root.iterdir() if p.is_dir() and p.name.startswith("demo-")]
    store = Store(store_dir)
    try:
        return store.load_tables().hiring_team
    finally:
        store.close()


def _app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    return at.run()


def _members_in_table(at: AppTest) -> list[str]:
    frame = next(df.value for df in at.dataframe if "member" in df.value.columns)
    return list(frame["member"])


def test_team_page_lists_members_by_role_and_id_without_names(demo_env: Path) -> None:
    at = _app()
    at.switch_page(TEAM).run()
    assert not at.exception, [e.value for e in at.exception]
    members = _members_in_table(at)
    assert any(m.startswith("Recruiter · ") for m in members)
    assert any(m.startswith("Hiring manager · ") for m in members)
    person = members[0].split(" · ")[1]
    assert person.isdigit()  # ids, not names, by default


def test_member_filter_from_the_url_narrows_every_page_and_stays_in_the_url(demo_env: Path) -> None:
    team = _team(demo_env)
    recruiter = team.filter(team["role"] == "Recruiter")["person_id"][0]
    at = _app({state.QP_MEMBER: recruiter})
    assert at.sidebar.multiselect(key=state.MEMBERS).value == [recruiter]
    assert at.query_params[state.QP_MEMBER] == [recruiter] or at.query_params[state.QP_MEMBER] == recruiter
    at.switch_page(TEAM).run()
    members = _members_in_table(at)
    assert members == [f"Recruiter · {recruiter}"]
    at.switch_page("pages/sources/jobs.py").run()
    assert not at.exception, [e.value for e in at.exception]


def test_role_filter_keeps_only_that_roles_members(demo_env: Path) -> None:
    at = _app({state.QP_ROLE: "Hiring manager"})
    at.switch_page(TEAM).run()
    members = _members_in_table(at)
    assert members and all(m.startswith("Hiring manager · ") for m in members)


def test_picking_a_member_shows_their_funnel_jobs_and_stuck_list(demo_env: Path) -> None:
    at = _app()
    at.switch_page(TEAM).run()
    box = at.selectbox(key=state.TEAM_FOCUS)
    box.set_value(1).run()
    assert not at.exception, [e.value for e in at.exception]
    heading = [h.value for h in at.subheader]
    assert box.options[1] in heading
    texts = [m.value for m in at.markdown]
    assert "**Jobs on their team**" in texts


def _demo_names() -> dict[str, str]:
    """{person_id: display name} of the demo's made-up hiring-team members (preferred name, else first + last)."""
    from dashboard.demo.generator import team_people
    from dashboard.source import DEMO_SEED

    people = team_people(DEMO_SEED)
    return {p: pref or f"{first} {last}" for p, first, last, pref in
            people.select("person_id", "first_name", "last_name", "preferred_name").iter_rows()}


def test_demo_member_names_appear_only_when_switched_on(demo_env: Path) -> None:
    names = _demo_names()
    at = _app()
    at.switch_page(TEAM).run()
    assert not any(n in m for m in _members_in_table(at) for n in names.values())
    at.toggle(key=state.TEAM_NAMES).set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    members = _members_in_table(at)
    named = [m for m in members if m != "Unassigned"]
    assert named and all(m.split(" · ", 1)[1] in names.values() for m in named), members
    assert not [c.value for c in at.caption if "could not be read" in c.value]
