import json
from datetime import date

from metrics.filters import Filters
from metrics.kpis import KPI_KEYS, kpi_sparklines, kpi_tiles, kpis


def test_kpis_exact_keys_and_values(small):
    k = kpis(small, Filters())
    assert tuple(k) == KPI_KEYS
    json.dumps(k)  # JSON-ready
    assert (k["applications"], k["hires"]) == (6, 1)
    assert k["funnel_reached"] == {"new": 6, "screening": 4, "interviews": 3, "offer": 2, "hired": 1}
    assert k["time_to_hire_days"]["median"] == 30.0
    assert k["time_to_offer_days"]["n"] == 2
    assert k["time_to_fill_days"] == {"n_filled": 1, "n_open": 1, "median": 61.0, "km_median": 61.0}
    assert k["offer_acceptance"] == {"accepted": 1, "declined": 1, "withdrew": 0, "pending": 0, "rate": 0.5}
    assert k["applications_per_candidate_mean"] == 1.2
    assert k["rejections_by_stage_type"] == {"screening": 1, "offer": 1}
    assert (k["as_of"], k["date_from"]) == ("2024-03-01T00:00:00+00:00", None)


def test_kpi_tiles_compare_with_previous_period(small):
    # Feb 1..29 (29 days: a6) vs Jan 3..31 (29 days: a3, a4, a5; a1 hired 01-31)
    tiles = {t["key"]: t for t in kpi_tiles(small, Filters(date_from=date(2024, 2, 1), date_to=date(2024, 2, 29)))}
    assert (tiles["applications"]["value"], tiles["applications"]["previous"], tiles["applications"]["delta"]) == (1, 3, -2)
    assert (tiles["hires"]["value"], tiles["hires"]["previous"]) == (0, 1)
    assert tiles["time_to_hire"]["value"] is None and tiles["time_to_hire"]["previous"] == 30.0
    assert tiles["time_to_hire"]["delta"] is None
    assert all(set(t) == {"key", "label", "value", "previous", "delta", "unit", "n"} for t in tiles.values())
    assert kpi_tiles(small, Filters())[0]["previous"] is None


def test_sparklines_weekly(small):
    spark = kpi_sparklines(small, Filters())
    apps = spark.filter(spark["key"] == "applications")["value"].to_list()
    assert apps == [3, 1, 1, 0, 0, 1]
    assert set(spark["key"]) == {"applications", "conversion", "hires", "time_to_hire", "time_to_offer", "offer_acceptance"}


def test_kpis_empty(empty):
    k = kpis(empty, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31)))
    assert k["applications"] == 0 and k["time_to_hire_days"]["median"] is None and k["offer_acceptance"]["rate"] is None
    assert k["date_to"] == "2024-01-31"


def test_sparklines_leave_out_partial_first_and_last_weeks(small):
    # Tue 2024-01-02 .. Wed 2024-02-07: the weeks of Jan 1 and Feb 5 are partial and left out; a4 (01-10) is in
    # the week of Jan 8, a5 (01-20) in the week of Jan 15, nothing in the weeks of Jan 22 and Jan 29
    spark = kpi_sparklines(small, Filters(date_from=date(2024, 1, 2), date_to=date(2024, 2, 7)))
    apps = spark.filter(spark["key"] == "applications")
    assert apps["bucket_start"].to_list() == [date(2024, 1, 8), date(2024, 1, 15), date(2024, 1, 22), date(2024, 1, 29)]
    assert apps["value"].to_list() == [1, 1, 0, 0]


def test_sparklines_leave_out_the_week_of_the_sync_day_and_every_week_after_it(small):
    # Mon 2024-01-29 .. Sun 03-31, synced Fri 03-01: the week of Feb 26 is only partly synced and the March
    # weeks not at all; whole weeks Jan 29 .. Feb 19 stay. a6 (02-05) applied in the week of Feb 5 and was
    # withdrawn (conversion 0); a1's hire (01-31) is in the week of Jan 29, which had no application (no rate)
    spark = kpi_sparklines(small, Filters(date_from=date(2024, 1, 29), date_to=date(2024, 3, 31)))
    weeks = [date(2024, 1, 29), date(2024, 2, 5), date(2024, 2, 12), date(2024, 2, 19)]
    series = {k: spark.filter(spark["key"] == k) for k in ("applications", "hires", "conversion")}
    assert all(s["bucket_start"].to_list() == weeks for s in series.values())
    assert series["applications"]["value"].to_list() == [0, 1, 0, 0]
    assert series["hires"]["value"].to_list() == [1, 0, 0, 0]
    assert series["conversion"]["value"].to_list() == [None, 0.0, None, None]


def test_tiles_name_the_hire_cohort_and_replace_applications_per_candidate(small):
    tiles = {t["key"]: t for t in kpi_tiles(small, Filters())}
    assert tiles["hires"]["label"] == "Hires (hire date in range)"
    assert "applications_per_candidate" not in tiles
    # reached interviews: a1, a3 (and a4 skipped to offer, which counts as having passed interviews) = 3 of 6
    assert tiles["interview_rate"]["value"] == 0.5 and tiles["interview_rate"]["n"] == 6
