from datetime import date

from metrics.filters import Filters
from metrics.volume import applications_by, volume_over_time


def test_weekly_volume_zero_filled_over_data_range(small):
    table = volume_over_time(small, Filters())
    # Mondays 01-01 (a1,a2,a3), 01-08 (a4), 01-15 (a5), 01-22, 01-29, 02-05 (a6)
    assert table["bucket_start"].to_list() == [date(2024, 1, d) for d in (1, 8, 15, 22, 29)] + [date(2024, 2, 5)]
    assert table["applications"].to_list() == [3, 1, 1, 0, 0, 1]


def test_monthly_volume_over_filter_range_split_by_channel(small):
    f = Filters(date_from=date(2023, 12, 15), date_to=date(2024, 2, 29))
    table = volume_over_time(small, f, "month", "channel")
    got = {(r["bucket_start"], r["channel_name"]): r["applications"] for r in table.iter_rows(named=True)}
    assert got[(date(2023, 12, 1), "LinkedIn")] == 0  # empty bucket present
    assert got[(date(2024, 1, 1), "LinkedIn")] == 2 and got[(date(2024, 1, 1), "Referral")] == 2
    assert got[(date(2024, 1, 1), "Unknown")] == 1 and got[(date(2024, 2, 1), "LinkedIn")] == 1
    assert table.height == 3 * 3


def test_daily_volume_empty(empty):
    assert volume_over_time(empty, Filters(), "day").height == 0
    assert volume_over_time(empty, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 3)), "day")["applications"].to_list() == [0, 0, 0]


def test_applications_by_job_with_stage_breakdown(small):
    rows = {r["key"]: r for r in applications_by(small, Filters(), "job").iter_rows(named=True)}
    # j1: a1 hired, a2 rejected, a3 interviews; j2: a4 rejected, a5 new, a6 withdrawn
    assert rows["j1"]["label"] == "Backend" and rows["j1"]["applications"] == 3 and rows["j1"]["hires"] == 1
    assert (rows["j1"]["n_hired"], rows["j1"]["n_rejected"], rows["j1"]["n_interviews"]) == (1, 1, 1)
    assert (rows["j2"]["n_new"], rows["j2"]["n_withdrawn"], rows["j2"]["hires"]) == (1, 1, 0)
    assert rows["j1"]["share"] == 0.5


def test_applications_by_channel_has_unknown(small):
    table = applications_by(small, Filters(), "channel")
    assert dict(zip(table["label"], table["applications"], strict=True)) == {"LinkedIn": 3, "Referral": 2, "Unknown": 1}


def test_partial_buckets_at_the_range_edges_and_the_sync_day():
    from datetime import UTC, datetime

    import polars as pl

    from metrics.volume import partial_buckets

    starts = pl.Series([date(2024, 1, 29), date(2024, 2, 5), date(2024, 2, 26)])
    as_of = datetime(2024, 3, 1, 12, tzinfo=UTC)  # a Friday: the week of Feb 26 is not over
    f = Filters(date_from=date(2024, 2, 1), date_to=date(2024, 3, 31))
    assert partial_buckets(starts, f, "week", as_of).to_list() == [True, False, True]
    months = pl.Series([date(2024, 1, 1), date(2024, 2, 1)])
    assert partial_buckets(months, Filters(date_to=date(2024, 2, 29)), "month", as_of).to_list() == [False, False]
    assert partial_buckets(months, Filters(date_to=date(2024, 2, 28)), "month", as_of).to_list() == [False, True]
