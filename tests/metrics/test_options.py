from datetime import date

from metrics.filters import Filters
from metrics.options import cohort_size, filter_options


def rows(df):
    return dict(df.iter_rows())


def test_a_department_leaves_only_its_jobs(small):
    # j1 Backend is Engineering (a1, a2, a3), j2 Sales Rep is Sales (a4, a5, a6)
    assert rows(filter_options(small, Filters(), "jobs")) == {"j1": 3, "j2": 3}
    assert rows(filter_options(small, Filters(departments=("Sales",)), "jobs")) == {"j2": 3}


def test_a_dimension_ignores_its_own_selection_and_counts_the_range(small):
    # the department list is not narrowed by the department chosen; counts are applications dated in range
    f = Filters(departments=("Sales",), date_from=date(2024, 1, 5), date_to=date(2024, 1, 31))
    assert rows(filter_options(small, f, "departments")) == {"Engineering": 1, "Sales": 2}  # a3; a4, a5


def test_channels_narrow_by_job_filters_and_count_zero_where_the_range_has_none(small):
    # Sales: a4 Referral 01-10, a5 no channel 01-20, a6 LinkedIn 02-05; from 01-15 Referral keeps none
    f = Filters(departments=("Sales",), date_from=date(2024, 1, 15))
    assert rows(filter_options(small, f, "channels")) == {"LinkedIn": 1, "Referral": 0, "Unknown": 1}


def test_a_channel_narrows_the_job_attributes_to_jobs_with_its_applications(small):
    # Referral applications: a3 (j1, Engineering) and a4 (j2, Sales); LinkedIn only a1, a2 (j1) and a6 (j2)
    assert rows(filter_options(small, Filters(channels=("Referral",)), "departments")) == {"Engineering": 1, "Sales": 1}
    assert rows(filter_options(small, Filters(channels=("Referral",), categories=("Tech",)), "jobs")) == {"j1": 1}


def test_cohort_size_is_zero_for_a_combination_without_data(small):
    assert cohort_size(small, Filters(departments=("Sales",))) == 3
    assert cohort_size(small, Filters(departments=("Sales",), date_from=date(2024, 3, 1))) == 0
