"""Small hand-built metric frames with the documented output columns (used by the figure tests)."""

from __future__ import annotations

from datetime import date

import polars as pl

STEPS = ["new", "screening", "interviews", "offer", "hired"]


def funnel() -> pl.DataFrame:
    """reached 10/6/3/2/1; pass-through rates with made-up intervals."""
    return pl.DataFrame({
        "step": STEPS, "rank": [0, 1, 2, 3, 4], "reached": [10, 6, 3, 2, 1],
        "step_conversion": [0.6, 0.5, 2 / 3, 0.5, None],
        "closed_at": [3, 2, 1, 0, 1], "active_at": [1, 1, 0, 1, 0],
        "pass_through": [6 / 9, 3 / 5, 2 / 3, 1.0, None],
        "pass_through_lo": [0.35, 0.23, 0.21, 0.34, None],
        "pass_through_hi": [0.88, 0.88, 0.94, 1.0, None],
    })


def snapshot() -> pl.DataFrame:
    return pl.DataFrame({
        "stage_type": ["new", "screening", "interviews", "interviews", "rejected"],
        "stage_name": ["New", "Phone screen", "Tech interview", "Onsite", "Rejected"],
        "stage_id": ["s1", "s2", "s3", "s4", "system:rejected"],
        "rank": [0, 1, 2, 2, None], "count": [4, 3, 2, 1, 5],
        "position_in_type": [0, 0, 0, 1, 0], "pipeline": ["Tech", "Tech", "Tech", "Tech", "Tech"],
    })


def volume(split: bool = False) -> pl.DataFrame:
    weeks = [date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)]
    if not split:
        return pl.DataFrame({"bucket_start": weeks, "applications": [4, 0, 6]})
    return pl.DataFrame({
        "bucket_start": weeks * 2, "channel_name": ["LinkedIn"] * 3 + ["Referral"] * 3,
        "applications": [3, 0, 5, 1, 0, 1],
    })


def applications_by() -> pl.DataFrame:
    return pl.DataFrame({
        "key": ["j1", "j2"], "label": ["Backend <script>alert(1)</script>", "Sales"],
        "applications": [7, 3], "hires": [1, 0], "n_new": [2, 1], "n_screening": [2, 0], "n_interviews": [1, 0],
        "n_offer": [0, 0], "n_hired": [1, 0], "n_rejected": [1, 2], "n_withdrawn": [0, 0],
        "n_talent_pool": [0, 0], "n_other": [0, 0], "n_unassigned": [0, 0], "n_unknown_type": [0, 0],
        "share": [0.7, 0.3],
    })


def channel_conversion() -> pl.DataFrame:
    return pl.DataFrame({
        "channel_name": ["LinkedIn", "Referral"], "applications": [40, 5],
        "reached_new": [40, 5], "reached_screening": [20, 4], "reached_interviews": [10, 3],
        "reached_offer": [4, 1], "reached_hired": [2, 1],
        "interview_rate": [0.25, 0.6], "interview_rate_lo": [0.14, 0.23], "interview_rate_hi": [0.40, 0.88],
        "hire_rate": [0.05, 0.2], "hire_rate_lo": [0.01, 0.04], "hire_rate_hi": [0.17, 0.62],
        "too_few_to_judge": [False, True],
    })


def channel_quality() -> pl.DataFrame:
    return pl.DataFrame({
        "channel_name": ["LinkedIn"] * 5 + ["Referral"] * 5, "furthest_step": STEPS * 2,
        "rank": [0, 1, 2, 3, 4] * 2, "applications": [20, 10, 6, 2, 2, 1, 1, 2, 0, 1],
        "share": [0.5, 0.25, 0.15, 0.05, 0.05, 0.2, 0.2, 0.4, 0.0, 0.2],
    })


def time_to_hire() -> pl.DataFrame:
    return pl.DataFrame({
        "application_id": ["a1", "a2", "a3", "a4"], "job_id": ["j1"] * 4, "job_name": ["Backend"] * 4,
        "channel_name": ["LinkedIn", "Referral", "LinkedIn", "Indeed"],
        "days": [10.0, 20.0, 30.0, 60.0],
    })


TIME_TO_HIRE_SUMMARY = {"n": 4, "median": 25.0, "p25": 17.5, "p75": 37.5, "p90": 51.0, "mean": 30.0}


def time_to_fill() -> pl.DataFrame:
    return pl.DataFrame({
        "job_id": ["j1", "j2", "j3"], "job_name": ["Backend", "Sales", "Backend"],
        "category_name": ["Eng", "Sales", "Eng"], "department_name": ["R&D", "GTM", "R&D"],
        "status": ["filled", "open", "open"], "days": [30.0, None, None], "age_days": [None, 45.0, 12.0],
        "duration": [30.0, 45.0, 12.0], "observed": [True, False, False],
    })


def km_curve() -> pl.DataFrame:
    return pl.DataFrame({
        "time": [12.0, 30.0, 45.0], "at_risk": [3, 2, 1], "events": [0, 1, 0], "censored": [1, 0, 1],
        "survival": [1.0, 0.5, 0.5],
    })


def time_in_stage() -> pl.DataFrame:
    return pl.DataFrame({
        "stage_type": ["new", "screening", "interviews"], "n_completed": [8, 5, 3],
        "median": [2.0, 5.5, 9.0], "p90": [4.0, 11.0, 20.0], "n_open": [1, 2, 0], "km_median": [2.0, 6.0, 9.0],
    })


OFFER_ACCEPTANCE = {"accepted": 6, "declined": 2, "withdrew": 1, "pending": 2, "other": 0,
                    "rate": 6 / 9, "rate_lo": 0.35, "rate_hi": 0.88}


def declined_by_month() -> pl.DataFrame:
    return pl.DataFrame({"month": [date(2025, 1, 1), date(2025, 2, 1)], "declined": [1, 1], "withdrew": [0, 1],
                         "total": [1, 2]})


def rejections() -> pl.DataFrame:
    return pl.DataFrame({
        "from_stage_type": ["new", "screening", "Unknown"], "from_stage_name": ["New", "Phone screen", "Unknown"],
        "count": [3, 2, 1], "reached": [10, 6, None], "rate": [0.3, 2 / 6, None],
    })


def applications_per_candidate() -> pl.DataFrame:
    return pl.DataFrame({"applications_per_candidate": [1, 2, 3], "candidates": [7, 2, 1], "share": [0.7, 0.2, 0.1]},
                        schema_overrides={"applications_per_candidate": pl.UInt32, "candidates": pl.UInt32})


def sparklines() -> pl.DataFrame:
    weeks = [date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)]
    return pl.DataFrame({"key": ["applications"] * 3 + ["hires"] * 3, "bucket_start": weeks * 2,
                         "value": [4.0, None, 6.0, 1.0, 0.0, 2.0]})
