from datetime import date

import polars as pl

from metrics.filters import Filters, application_cohort, date_in_range, previous_period, scoped_applications

from .conftest import app, make_tables


def test_previous_period_same_length_immediately_before():
    # Jan 1..31 is 31 days -> Dec 1..31
    prev = previous_period(Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31), channels=("X",)))
    assert prev == Filters(date_from=date(2023, 12, 1), date_to=date(2023, 12, 31), channels=("X",))
    assert previous_period(Filters()) is None
    assert previous_period(Filters(date_from=date(2024, 1, 1))) is None


def test_scoped_applications_job_attributes_and_unknown_job(small):
    t = make_tables([app("x", job="missing"), app("y", job=None)])
    scoped = scoped_applications(t, Filters())
    assert scoped["job_name"].to_list() == ["Unknown", "Unknown"]
    assert scoped["category_name"].to_list() == ["Unknown", "Unknown"]
    rows = scoped_applications(small, Filters(departments=("Sales",)))
    assert sorted(rows["application_id"]) == ["a4", "a5", "a6"]
    assert set(rows["location"]) == {"Munich"}


def test_every_dimension_filters_but_not_date(small):
    f = Filters(date_from=date(2030, 1, 1), channels=("Unknown",))
    assert scoped_applications(small, f)["application_id"].to_list() == ["a5"]
    assert application_cohort(small, f).height == 0
    assert scoped_applications(small, Filters(categories=("Tech",), locations=("Berlin",), job_ids=("j1",))).height == 3


def test_application_cohort_inclusive_range(small):
    f = Filters(date_from=date(2024, 1, 2), date_to=date(2024, 1, 10))
    assert application_cohort(small, f)["application_id"].to_list() == ["a2", "a3", "a4"]


def test_missing_application_date_falls_back_to_created():
    t = make_tables([app("x", applied=None, created="2024-05-06T13:00")])
    assert scoped_applications(t, Filters())["application_date"].to_list() == [date(2024, 5, 6)]


def test_date_in_range_null_handling():
    df = pl.DataFrame({"d": [date(2024, 1, 1), None]})
    assert df.select(date_in_range(pl.col("d"), Filters()).alias("d"))["d"].to_list() == [True, True]
    assert df.select(date_in_range(pl.col("d"), Filters(date_to=date(2024, 1, 1))).alias("d"))["d"].to_list() == [True, False]


def test_date_in_range_of_utc_timestamps_by_their_utc_date():
    from datetime import UTC, datetime, timedelta

    jan1 = datetime(2024, 1, 1, tzinfo=UTC)
    at = [jan1 - timedelta(microseconds=1), jan1, jan1 + timedelta(days=1) - timedelta(microseconds=1), jan1 + timedelta(days=1), None]
    df = pl.DataFrame({"t": pl.Series(at, dtype=pl.Datetime("us", "UTC"))})

    def inside(f):
        return df.select(date_in_range(pl.col("t"), f).alias("in"))["in"].to_list()

    day = date(2024, 1, 1)
    assert inside(Filters(date_from=day, date_to=day)) == [False, True, True, False, False]
    assert inside(Filters(date_from=day)) == [False, True, True, True, False]
    assert inside(Filters(date_to=day)) == [True, True, True, False, False]
    assert inside(Filters(date_to=date.max)) == [True, True, True, True, False]
    assert inside(Filters()) == [True, True, True, True, True]
