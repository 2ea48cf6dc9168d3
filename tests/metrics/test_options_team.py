"""Role and member filter options narrow by the other filters and narrow them, with application counts.

Pinned on `team_tables` (tests/metrics/test_team.py), counted by hand: attribution is a1 a2 a3 -> R1, H1
(j1's team); a4 -> H2 (its own team replaces j2's); a5, a6 -> R1, R2 (j2's team); a7 (j3, no team) ->
Unassigned. In January: a1 a2 a3 a4 a5 a7 (a6 applied 02-05)."""

from datetime import date

import pytest

from metrics.filters import Filters
from metrics.options import cohort_size, filter_options
from tests.metrics.test_team import JAN, team_tables


@pytest.fixture
def t():
    return team_tables()


def rows(df):
    return dict(df.iter_rows())


def test_members_count_the_applications_attributed_to_them_and_leave_out_unassigned(t):
    # R1: a1 a2 a3 a5; H1: a1 a2 a3; R2: a5; H2: a4 (own team only); a7 is Unassigned, not an option
    assert rows(filter_options(t, JAN, "members")) == {"H1": 3, "H2": 1, "R1": 4, "R2": 1}


def test_a_role_counts_an_application_once_however_many_members_share_it(t):
    # Recruiter: a1 a2 a3 a5 (a5 has R1 and R2); Hiring manager: a1 a2 a3 (H1) + a4 (H2)
    assert rows(filter_options(t, JAN, "roles")) == {"Hiring manager": 4, "Recruiter": 4}


def test_a_role_leaves_only_its_members_and_a_member_only_their_roles(t):
    assert rows(filter_options(t, Filters(roles=("Hiring manager",)), "members")) == {"H1": 3, "H2": 1}
    # R1 is only ever a recruiter: choosing them leaves no hiring-manager role to combine into an empty cohort
    assert rows(filter_options(t, Filters(members=("R1",)), "roles")) == {"Recruiter": 5}  # a1 a2 a3 a5 a6


def test_a_department_leaves_only_the_members_of_its_applications_and_jobs(t):
    # Sales is j2: a4 (H2), a5 (R1, R2) in January; j2's own team R1, R2. H1 (j1 only) is gone
    f = Filters(departments=("Sales",), date_from=JAN.date_from, date_to=JAN.date_to)
    assert rows(filter_options(t, f, "members")) == {"H2": 1, "R1": 1, "R2": 1}


def test_a_member_outside_the_range_stays_an_option_with_zero(t):
    # from February only a6 (R1, R2) is dated in range; H1 and H2 keep their place with 0
    assert rows(filter_options(t, Filters(date_from=date(2024, 2, 1)), "members")) == {
        "H1": 0, "H2": 0, "R1": 1, "R2": 1}


def test_a_member_leaves_only_their_jobs_including_those_of_their_own_team_applications(t):
    # R1 is on j1 (a1 a2 a3) and j2 (a5; a4 is H2's own team); H2 is on no job's team but handles a4 on j2
    assert rows(filter_options(t, Filters(members=("R1",), date_from=JAN.date_from, date_to=JAN.date_to),
                               "jobs")) == {"j1": 3, "j2": 1}
    assert rows(filter_options(t, Filters(members=("H2",)), "jobs")) == {"j2": 1}
    assert rows(filter_options(t, Filters(members=("H1",)), "departments")) == {"Engineering": 3}
    assert rows(filter_options(t, Filters(members=("H2",)), "channels")) == {"Referral": 1}


def test_a_channel_leaves_only_members_with_its_applications(t):
    # Referral: a3 (R1, H1) and a4 (H2); R2's applications a5 (no channel), a6 (LinkedIn) are not among them
    assert rows(filter_options(t, Filters(channels=("Referral",)), "members")) == {"H1": 1, "H2": 1, "R1": 1}


def test_a_role_and_member_that_never_meet_keep_nothing(t):
    assert cohort_size(t, Filters(roles=("Recruiter",), members=("H1",))) == 0
    assert "H1" not in rows(filter_options(t, Filters(roles=("Recruiter",)), "members"))
