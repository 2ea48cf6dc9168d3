"""The demo generator: deterministic, the right sizes and schemas, and every story of the metrics visible."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from dashboard.demo import DemoCompany, generate_company
from dashboard.schema import SCHEMAS, UNKNOWN
from tests.demo.conftest import END

CLOSED = ["hired", "rejected", "withdrawn", "talent pool"]


def test_same_seed_gives_identical_frames(small_company: DemoCompany) -> None:
    again = generate_company(400, seed=3, end=END)
    for name in SCHEMAS:
        assert getattr(again, name).equals(getattr(small_company, name)), name
    assert again.candidate_details.equals(small_company.candidate_details)
    assert again.job_details.equals(small_company.job_details)


def test_other_seed_gives_other_data(small_company: DemoCompany) -> None:
    assert not generate_company(400, seed=4, end=END).applications.equals(small_company.applications)


def test_tables_have_exactly_the_schema_and_as_of_end(company: DemoCompany) -> None:
    tables = company.tables()
    assert tables.as_of == END
    for name, frame in tables.frames().items():
        assert dict(frame.schema) == SCHEMAS[name], name


def test_sizes(company: DemoCompany) -> None:
    assert company.applications.height == 3000
    assert company.applications["application_id"].n_unique() == 3000
    assert company.jobs.height == 90  # about 33 applications per job
    known = company.jobs.filter(pl.col("department_name") != UNKNOWN)
    assert known["department_name"].n_unique() == 6
    assert company.jobs["category_name"].n_unique() == 4
    assert company.channels.height == 8
    assert company.applications["channel_name"].n_unique() == 9  # 8 channels + Unknown


def test_every_reference_resolves(company: DemoCompany) -> None:
    apps = company.applications
    assert apps["job_id"].is_in(company.jobs["job_id"].implode()).all()
    named = apps.drop_nulls("candidate_id")
    assert named["candidate_id"].is_in(company.candidates["candidate_id"].implode()).all()
    assert company.candidates["candidate_id"].is_in(named["candidate_id"].implode()).all()
    assert company.transitions["application_id"].is_in(apps["application_id"].implode()).all()
    stage_ids = company.stages["stage_id"].implode()
    assert apps["stage_id"].is_in(stage_ids).all()
    assert company.transitions["to_stage_id"].is_in(stage_ids).all()


def test_dates_lie_in_the_window_and_nothing_after_end(company: DemoCompany) -> None:
    apps = company.applications
    assert apps["application_date"].min() >= (END - timedelta(days=18 * 31)).date()
    assert apps["application_date"].max() < END.date()
    assert apps["created_at"].max() < END and apps["updated_at"].max() < END
    assert company.transitions["transitioned_at"].max() < END
    assert (apps["updated_at"] >= apps["created_at"]).all()
    # the first transition never comes before the application was created
    first = company.transitions.filter(pl.col("seq") == 0).join(apps, on="application_id")
    assert (first["transitioned_at"] >= first["created_at"]).all()


def test_transitions_chain_from_new_and_end_at_the_current_stage(company: DemoCompany) -> None:
    tr = company.transitions.sort("application_id", "seq")
    assert (tr.filter(pl.col("seq") == 0)["from_stage_type"] == "new").all()
    chained = tr.with_columns(prev_to=pl.col("to_stage_id").shift(1).over("application_id")).drop_nulls("prev_to")
    assert (chained["prev_to"] == chained["from_stage_id"]).all()
    last = tr.group_by("application_id").agg(pl.col("to_stage_id").last()).join(
        company.applications, on="application_id")
    mismatched = last.filter(pl.col("to_stage_id") != pl.col("stage_id"))
    # only the few hires whose move into "hired" was never recorded
    assert 1 <= mismatched.height <= 5
    assert (mismatched["stage_type"] == "hired").all()


def _hire_rate(company: DemoCompany, channel: str) -> float:
    apps = company.applications.filter(pl.col("channel_name") == channel)
    return (apps["stage_type"] == "hired").mean()


def test_referral_hires_better_than_indeed_and_agency_offers_most(company: DemoCompany) -> None:
    assert _hire_rate(company, "Employee referral") > 3 * _hire_rate(company, "Indeed")
    counts = dict(company.applications.group_by("channel_name").len().iter_rows())
    assert counts["Employee referral"] < counts["LinkedIn"] / 2
    assert counts["Indeed"] > 400 and counts["LinkedIn"] > 400
    offered = company.transitions.filter(pl.col("to_stage_type") == "offer")["application_id"].implode()
    offer_rate = company.applications.group_by("channel_name").agg(
        pl.col("application_id").is_in(offered).mean().alias("rate"))
    assert offer_rate.sort("rate")["channel_name"][-1] == "Agency"


def test_outcome_stories_exist(company: DemoCompany) -> None:
    tr = company.transitions
    apps = company.applications
    assert tr.filter((pl.col("from_stage_type") == "offer") & (pl.col("to_stage_type") == "rejected")).height >= 10
    assert tr.filter((pl.col("from_stage_type") == "offer") & (pl.col("to_stage_type") == "withdrawn")).height >= 5
    reopened = tr.filter((pl.col("from_stage_type") == "rejected") & (pl.col("to_stage_type") == "screening"))
    assert reopened.height >= 10
    skipped = tr.filter((pl.col("from_stage_type") == "new") & (pl.col("to_stage_type") == "interviews"))
    assert skipped.height >= 10
    anonymised = apps.filter(pl.col("is_anonymized"))
    assert 0.02 * 3000 <= anonymised.height <= 0.04 * 3000
    assert anonymised["candidate_id"].null_count() == anonymised.height
    assert apps.filter(~pl.col("is_anonymized"))["candidate_id"].null_count() == 0
    missing = apps.filter(pl.col("channel_id").is_null())
    assert missing.height > 50 and (missing["channel_name"] == UNKNOWN).all()
    assert apps.filter(pl.col("stage_type") == "talent pool").height > 20
    assert apps.filter(pl.col("stage_type") == "assessment").height + tr.filter(
        pl.col("to_stage_type") == "assessment").height >= 3  # an unknown stage type
    assert tr.filter((pl.col("from_stage_type") == "hired") & (pl.col("to_stage_type") == "withdrawn")).height >= 1


def test_repeat_candidates_are_about_fifteen_percent(company: DemoCompany) -> None:
    per_candidate = company.applications.drop_nulls("candidate_id").group_by("candidate_id").len()
    share = (per_candidate["len"] > 1).mean()
    assert 0.10 <= share <= 0.20


def test_active_applications_include_recent_and_stuck_ones(company: DemoCompany) -> None:
    active = company.applications.filter(~pl.col("stage_type").is_in(CLOSED))
    assert 50 <= active.height <= 600
    assert active.filter(pl.col("updated_at") < END - timedelta(days=60)).height >= 5  # stuck in a stage
    recent = company.applications.filter(pl.col("application_date") >= (END - timedelta(days=30)).date())
    assert recent.height >= 100


def test_time_in_stage_is_realistic(company: DemoCompany) -> None:
    hires = company.transitions.filter(pl.col("to_stage_type") == "hired").join(
        company.applications, on="application_id")
    days = (hires["transitioned_at"] - hires["application_date"].cast(pl.Datetime("us", "UTC"))).dt.total_days()
    assert 14 <= days.median() <= 75


def test_jobs_open_filled_unknowns_and_negative_time_to_fill(company: DemoCompany) -> None:
    hires = company.transitions.filter(pl.col("to_stage_type") == "hired").join(
        company.applications.select("application_id", "job_id"), on="application_id")
    last_hire = hires.group_by("job_id").agg(pl.col("transitioned_at").max().alias("last_hire"))
    jobs = company.jobs.join(last_hire, on="job_id", how="left")
    filled = jobs.drop_nulls("last_hire")
    assert filled.height >= 15 and jobs.height - filled.height >= 5  # filled and open jobs
    assert 1 <= filled.filter(pl.col("created_at") > pl.col("last_hire")).height <= 5
    no_department = jobs.filter(pl.col("department_name") == UNKNOWN)["job_name"]
    assert no_department.len() >= 1 and no_department.str.starts_with("Founders' Associate").all()
    published = company.jobs.join(company.job_details, on="job_id")
    assert published.filter(~pl.col("published"))["location"].eq(UNKNOWN).all()
    locations = set(company.jobs["location"])
    assert {"Berlin", "Munich", "Madrid", "Amsterdam", "Remote", UNKNOWN} <= locations


def test_categories_have_their_own_custom_stages(company: DemoCompany) -> None:
    custom = company.stages.filter(pl.col("stage_kind") == "custom")
    assert custom["category_id"].n_unique() == 4
    assert {"Phone screen", "Tech interview", "Case study", "Reference check"} <= set(custom["stage_name"])
    per_cat = company.stages.group_by("category_id").agg(pl.col("stage_type"))
    for types in per_cat["stage_type"]:
        assert {"new", "screening", "interviews", "offer", "hired", "rejected", "withdrawn", "talent pool"} <= set(types)
    system = company.stages.filter(pl.col("stage_kind") == "system")
    assert (system["stage_id"] == "system:" + system["stage_type"]).all()


def test_seasonality_dips_in_august_and_december(company: DemoCompany) -> None:
    monthly = company.applications.group_by(pl.col("application_date").dt.month().alias("m")).len()
    counts = dict(monthly.iter_rows())
    assert counts[8] < counts[9] and counts[8] < counts[7]
    assert counts[12] < counts[11] and counts[12] < counts[1]


def test_candidates_have_fake_details(company: DemoCompany) -> None:
    details = company.candidate_details
    assert details.height == company.candidates.height
    assert details["email"].n_unique() == details.height
    assert details["email"].str.ends_with("@example.com").all()
    assert set(details["gender"]) <= {"MALE", "FEMALE", "DIVERSE", "UNDEFINED"}


def test_end_may_be_a_date_and_defaults_to_today() -> None:
    assert generate_company(50, end=date(2025, 6, 1)).end == END
    today = datetime.now(UTC).date()
    assert generate_company(10).end == datetime(today.year, today.month, today.day, tzinfo=UTC)


def test_empty_company_has_jobs_but_no_applications() -> None:
    empty = generate_company(0, end=END)
    assert empty.applications.height == 0 and empty.transitions.height == 0 and empty.candidates.height == 0
    assert empty.jobs.height == 40
    for name, frame in empty.tables().frames().items():
        assert dict(frame.schema) == SCHEMAS[name]


@pytest.mark.parametrize("n", [1, 7])
def test_tiny_companies_work(n: int) -> None:
    assert generate_company(n, end=END).applications.height == n


def test_twenty_thousand_applications_generate(company: DemoCompany) -> None:
    big = generate_company(20_000, seed=1, end=END)
    assert big.applications.height == 20_000
    assert big.jobs.height > 40
    assert big.transitions.height > 20_000


def _last_hires(company: DemoCompany) -> pl.DataFrame:
    hires = company.transitions.filter(pl.col("to_stage_type") == "hired").join(
        company.applications.filter(pl.col("stage_type") == "hired").select("application_id", "job_id"),
        on="application_id")
    return hires.group_by("job_id").agg(pl.col("transitioned_at").max().alias("last_hire"))


def test_time_to_fill_is_plausible_for_a_recruiter(company: DemoCompany) -> None:
    filled = company.jobs.join(_last_hires(company), on="job_id").filter(pl.col("last_hire") >= pl.col("created_at"))
    days = (filled["last_hire"] - filled["created_at"]).dt.total_days()
    assert 25 <= days.median() <= 90
    assert days.max() <= 200  # no requisition spans the whole 18 months


def test_filled_jobs_stop_receiving_applications(company: DemoCompany) -> None:
    # jobs with one opening are filled by their hire (entry-level and student roles hire two, volume roles three)
    single = company.job_details.filter(~pl.col("seniority").is_in(["entry-level", "student"])).select("job_id")
    apps = company.applications.join(_last_hires(company), on="job_id").join(single, on="job_id")
    after = apps.filter(pl.col("application_date").cast(pl.Datetime("us", "UTC"))
                        > pl.col("last_hire") + timedelta(days=14))
    assert after.height <= 0.01 * company.applications.height


def test_volume_roles_are_reposted_as_new_jobs(company: DemoCompany) -> None:
    for role in ("Sales Development Representative (Berlin)", "Support Specialist"):
        postings = company.jobs.filter(pl.col("job_name").str.starts_with(role))
        assert postings.height >= 3
        assert postings["job_name"].n_unique() == postings.height
