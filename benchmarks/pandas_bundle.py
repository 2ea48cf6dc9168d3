"""The metric bundle in idiomatic pandas (merge / groupby / vectorised columns), same definitions as metrics/.

Input: the normalised tables converted once with `to_pandas` (numpy timestamps, pandas `str` columns);
the conversion is not timed. Output: {name: pandas DataFrame | dict} as `benchmarks.bundle.canonical` reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from dashboard.schema import EXIT_TYPES, FUNNEL_STEPS, KNOWN_STAGE_TYPES, STAGE_RANK, UNKNOWN, Tables
from metrics.filters import JOB_ATTRS, Filters
from metrics.stats import KM_HALF

CLOSED = ("hired", *EXIT_TYPES)
DAY = pd.Timedelta(days=1)
TYPE_ORDER = {t: i for i, t in enumerate(KNOWN_STAGE_TYPES)}


class PdTables:
    """The five tables as pandas frames plus as_of (a UTC pandas Timestamp)."""

    def __init__(self, t: Tables) -> None:
        self.applications = t.applications.to_pandas()
        self.transitions = t.transitions.to_pandas()
        self.jobs = t.jobs.to_pandas()
        self.candidates = t.candidates.to_pandas()
        self.as_of = pd.Timestamp(t.as_of).tz_convert("UTC")


def _bounds(f: Filters) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """[start, end) of the date range as UTC instants."""
    lo = pd.Timestamp(datetime.combine(f.date_from, datetime.min.time(), UTC)) if f.date_from else None
    hi = pd.Timestamp(datetime.combine(f.date_to + timedelta(days=1), datetime.min.time(), UTC)) if f.date_to else None
    return lo, hi


def _in_range(ts: pd.Series, f: Filters) -> pd.Series:
    """The UTC date of `ts` lies in the range; nulls only pass without a range."""
    lo, hi = _bounds(f)
    if lo is None and hi is None:
        return pd.Series(True, index=ts.index)
    ok = ts.notna()
    if lo is not None:
        ok &= ts >= lo
    if hi is not None:
        ok &= ts < hi
    return ok


def _date_in_range(d: pd.Series, f: Filters) -> pd.Series:
    """Calendar dates (naive midnight timestamps) in the range."""
    return _in_range(d.dt.tz_localize("UTC"), f)


def _days(start: pd.Series, end: pd.Series) -> pd.Series:
    return (end - start) / DAY


def _rank(types: pd.Series) -> pd.Series:
    return types.map(STAGE_RANK).astype("float64")  # NaN for unranked


def _summary(values: pd.Series) -> dict[str, Any]:
    v = values.dropna()
    if v.empty:
        return {"n": 0, "median": None, "p25": None, "p75": None, "p90": None, "mean": None}
    q = v.quantile([0.5, 0.25, 0.75, 0.9])
    return {"n": int(v.size), "median": q[0.5], "p25": q[0.25], "p75": q[0.75], "p90": q[0.9], "mean": v.mean()}


def _km_median(durations: pd.Series, observed: pd.Series) -> float | None:
    """Kaplan-Meier median: first time the product-limit survival drops to 0.5 or below."""
    frame = pd.DataFrame({"time": durations.astype("float64"), "event": observed.astype(bool)}).dropna()
    if frame.empty:
        return None
    g = frame.groupby("time").agg(events=("event", "sum"), leaving=("event", "size")).sort_index()
    at_risk = g["leaving"][::-1].cumsum()[::-1]
    survival = (1 - g["events"] / at_risk).cumprod()
    reached = survival[survival <= KM_HALF]
    if reached.empty:
        return None
    t = float(reached.index[0])
    if abs(float(reached.iloc[0]) - 0.5) > 1e-9:
        return t
    later = g.index[(g.index > t) & (g["events"] > 0)]  # flat at one half: midpoint to the next event (as R)
    return (t + float(later[0] if len(later) else g.index[-1])) / 2


def _wilson(k: pd.Series, n: pd.Series) -> pd.Series:
    return (k / n).where(n > 0)


def facts(pt: PdTables, f: Filters) -> pd.DataFrame:
    """One row per application (no label filters in the benchmark): the columns metrics/stages.py derives."""
    jobs = pt.jobs.drop_duplicates("job_id")[["job_id", *JOB_ATTRS, "created_at"]]
    jobs = jobs.rename(columns={"created_at": "job_created_at"})
    apps = pt.applications.merge(jobs, on="job_id", how="left")
    apps[list(JOB_ATTRS)] = apps[list(JOB_ATTRS)].fillna(UNKNOWN)
    apps["channel_name"] = apps["channel_name"].fillna(UNKNOWN)
    apps["application_date"] = apps["application_date"].fillna(apps["created_at"].dt.tz_localize(None).dt.normalize())

    tr = pt.transitions
    to_t, from_t, at = tr["to_stage_type"], tr["from_stage_type"], tr["transitioned_at"]
    leaving = (from_t == "offer") & ((to_t != "offer") | to_t.isna())
    per_row = pd.DataFrame({
        "application_id": tr["application_id"],
        "r": np.fmax(_rank(from_t), _rank(to_t)),
        "h": at.where(to_t == "hired"),
        "o": at.where(to_t == "offer"),
        "touch": ((to_t == "offer") | (from_t == "offer")).fillna(False),
        "x_at": at.where(leaving),
        "at": at,
    })
    agg = per_row.groupby("application_id").agg(
        tr_rank=("r", "max"), hired_at=("h", "max"), offer_at=("o", "min"), tr_offer=("touch", "any"),
        last_transition_at=("at", "max"), n_transitions=("at", "size"), offer_exit_at=("x_at", "max"),
    )
    exits = per_row.loc[leaving, ["application_id", "x_at"]]
    last_exit = exits.loc[exits.groupby("application_id")["x_at"].idxmax()]
    agg["offer_exit_type"] = pd.Series(to_t[last_exit.index].to_numpy(), index=last_exit["application_id"].to_numpy())
    out = apps.merge(agg, left_on="application_id", right_index=True, how="left")

    st = out["stage_type"]
    out["furthest_rank"] = np.fmax(_rank(st), out["tr_rank"]).fillna(0).astype("int8")
    out["is_closed"] = st.isin(CLOSED)
    out["is_active"] = ~out["is_closed"]
    out["ever_offer"] = (st == "offer") | out["tr_offer"].fillna(False).astype(bool)
    exit_type = out["offer_exit_type"]
    out["offer_outcome"] = np.select(
        [~out["ever_offer"], st == "hired", st == "offer", exit_type == "rejected", exit_type == "withdrawn"],
        [None, "accepted", "pending", "declined", "withdrew"], default="other",
    )
    out["stage_entered_at"] = out["last_transition_at"].fillna(out["created_at"])
    out["n_transitions"] = out["n_transitions"].fillna(0).astype("int64")
    out["in_cohort"] = _date_in_range(out["application_date"], f)
    return out


def _funnel(cohort: pd.DataFrame) -> pd.DataFrame:
    g = cohort.groupby("furthest_rank").agg(at=("application_id", "size"), closed_at=("is_closed", "sum"),
                                            active_at=("is_active", "sum"))
    g = g.reindex(range(len(FUNNEL_STEPS)), fill_value=0)
    g["reached"] = g["at"][::-1].cumsum()[::-1]
    nxt = g["reached"].shift(-1)
    out = pd.DataFrame({
        "step": list(FUNNEL_STEPS),
        "reached": g["reached"].to_numpy(),
        "closed_at": g["closed_at"].to_numpy(),
        "active_at": g["active_at"].to_numpy(),
        "step_conversion": _wilson(nxt, g["reached"]).to_numpy(),
        "pass_through": _wilson(nxt, nxt + g["closed_at"]).to_numpy(),
    })
    return out


def _volume_by_week(cohort: pd.DataFrame, f: Filters) -> pd.DataFrame:
    dates = cohort["application_date"]
    start = pd.Timestamp(f.date_from) if f.date_from else dates.min()
    end = pd.Timestamp(f.date_to) if f.date_to else dates.max()
    monday = lambda d: d - pd.to_timedelta(d.dt.dayofweek, unit="D")  # noqa: E731
    buckets = pd.date_range(start - pd.Timedelta(days=start.dayofweek), end, freq="7D")
    counts = monday(dates).value_counts()
    return pd.DataFrame({"bucket_start": buckets, "applications": counts.reindex(buckets, fill_value=0).to_numpy()})


def _channel_conversion(cohort: pd.DataFrame) -> pd.DataFrame:
    reached = pd.DataFrame({f"reached_{s}": cohort["furthest_rank"] >= k for k, s in enumerate(FUNNEL_STEPS)})
    reached["channel_name"] = cohort["channel_name"]
    out = reached.groupby("channel_name").sum()
    out.insert(0, "applications", cohort.groupby("channel_name").size())
    out["interview_rate"] = _wilson(out["reached_interviews"], out["applications"])
    out["hire_rate"] = _wilson(out["reached_hired"], out["applications"])
    return out.reset_index().sort_values(["applications", "channel_name"], ascending=[False, True])


def _stage_intervals(pt: PdTables, fx: pd.DataFrame) -> pd.DataFrame:
    tr = pt.transitions.sort_values(["application_id", "transitioned_at", "seq"], kind="stable")
    app = tr["application_id"]
    same_next = app.shift(-1) == app
    first_of_app = app.shift(1) != app
    later = pd.DataFrame({
        "application_id": app, "stage_type": tr["to_stage_type"], "entered_at": tr["transitioned_at"],
        "left_at": tr["transitioned_at"].shift(-1).where(same_next),
    })
    first = tr.loc[first_of_app, ["application_id", "from_stage_type", "transitioned_at"]].merge(
        fx[["application_id", "created_at"]], on="application_id")
    first = first.rename(columns={"from_stage_type": "stage_type", "created_at": "entered_at",
                                  "transitioned_at": "left_at"})
    untouched = fx.loc[fx["n_transitions"] == 0, ["application_id", "stage_type", "created_at"]]
    untouched = untouched.rename(columns={"created_at": "entered_at"})
    untouched["left_at"] = pd.Series(pd.NaT, index=untouched.index, dtype=tr["transitioned_at"].dtype)
    stays = pd.concat([first, later, untouched], ignore_index=True)
    stays = stays[stays["stage_type"].notna()].merge(fx[["application_id", "is_active"]], on="application_id")
    last = stays["left_at"].isna()
    stays["is_open"] = last & stays["is_active"]
    final_closed = last & ~stays["is_active"]
    end = stays["left_at"].fillna(pt.as_of)
    stays["days"] = _days(stays["entered_at"], end).where(~final_closed)
    return stays


def _time_in_stage(pt: PdTables, fx: pd.DataFrame, f: Filters) -> pd.DataFrame:
    stays = _stage_intervals(pt, fx)
    as_of_in = bool(_in_range(pd.Series([pt.as_of]), f).iloc[0])
    completed = stays["left_at"].notna() & (stays["days"] >= 0) & _in_range(stays["left_at"], f)
    open_ = stays["is_open"] & as_of_in & (stays["days"] >= 0)
    used = stays[completed | open_].assign(observed=lambda d: ~d["is_open"])
    rows = []
    for stage_type, g in used.groupby("stage_type"):
        done = g.loc[g["observed"], "days"]
        rows.append({
            "stage_type": stage_type, "n_completed": int(g["observed"].sum()),
            "median": done.quantile(0.5) if len(done) else None, "p90": done.quantile(0.9) if len(done) else None,
            "n_open": int(g["is_open"].sum()), "km_median": _km_median(g["days"], g["observed"]),
        })
    out = pd.DataFrame(rows, columns=["stage_type", "n_completed", "median", "p90", "n_open", "km_median"])
    return out.sort_values("stage_type", key=lambda s: s.map(TYPE_ORDER).fillna(len(TYPE_ORDER)))


def _rejections(pt: PdTables, cohort: pd.DataFrame, kind: str) -> pd.DataFrame:
    into = pt.transitions[pt.transitions["to_stage_type"] == kind]
    into = into[into["application_id"].isin(cohort["application_id"])]
    without = int((cohort["stage_type"] == kind).sum() - cohort.loc[cohort["stage_type"] == kind, "application_id"]
                  .isin(into["application_id"]).sum())
    keys = pd.DataFrame({"from_stage_type": into["from_stage_type"].fillna(UNKNOWN),
                         "from_stage_name": into["from_stage_name"].fillna(UNKNOWN)})
    counts = keys.value_counts().rename("count").reset_index()
    if without:
        extra = pd.DataFrame({"from_stage_type": [UNKNOWN], "from_stage_name": [UNKNOWN], "count": [without]})
        counts = pd.concat([counts, extra]).groupby(["from_stage_type", "from_stage_name"], as_index=False)["count"].sum()
    reached = [int((cohort["furthest_rank"] >= k).sum()) for k in range(len(FUNNEL_STEPS))]
    counts["reached"] = counts["from_stage_type"].map(lambda s: reached[STAGE_RANK[s]] if s in STAGE_RANK else None)
    counts["rate"] = counts["count"] / counts["reached"].astype("float64")
    return counts


def _per_candidate(cohort: pd.DataFrame) -> pd.Series:
    return cohort["candidate_id"].dropna().value_counts()


def _applications_per_candidate(cohort: pd.DataFrame) -> pd.DataFrame:
    dist = _per_candidate(cohort).value_counts().rename_axis("applications_per_candidate").rename("candidates")
    out = dist.reset_index().sort_values("applications_per_candidate")
    out["share"] = out["candidates"] / out["candidates"].sum()
    return out


def _time_to_fill(pt: PdTables, fx: pd.DataFrame, f: Filters) -> dict[str, Any]:
    hired = fx[(fx["stage_type"] == "hired") & fx["hired_at"].notna()]
    last_hire = hired.groupby("job_id")["hired_at"].max().rename("filled_at")
    jobs = pt.jobs.merge(last_hire, left_on="job_id", right_index=True, how="left")
    jobs = jobs[jobs["created_at"].notna()]
    filled = jobs["filled_at"].notna()
    _, hi = _bounds(f)
    created_ok = jobs["created_at"] < hi if hi is not None else pd.Series(True, index=jobs.index)
    jobs = jobs[(filled & _in_range(jobs["filled_at"], f)) | (~filled & created_ok)]
    filled = jobs["filled_at"].notna()
    duration = _days(jobs["created_at"], jobs["filled_at"].where(filled, pt.as_of))
    ok = duration >= 0
    filled_ok = filled & ok
    return {
        "n_filled": int(filled_ok.sum()), "n_open": int((ok & ~filled).sum()),
        "median": _summary(duration[filled_ok])["median"],
        "km_median": _km_median(duration[ok], filled[ok]),
    }


def pandas_bundle(pt: PdTables, f: Filters) -> dict[str, Any]:
    """The bundle of `benchmarks.bundle` computed with pandas."""
    fx = facts(pt, f)
    cohort = fx[fx["in_cohort"]]
    start = fx["application_date"].dt.tz_localize("UTC")
    hires = fx[(fx["stage_type"] == "hired") & fx["hired_at"].notna() & _in_range(fx["hired_at"], f)]
    hire_days = _days(start[hires.index], hires["hired_at"])
    offers = fx[fx["offer_at"].notna() & _in_range(fx["offer_at"], f)]
    offer_days = _days(start[offers.index], offers["offer_at"])
    steps = _funnel(cohort)
    outcome_counts = cohort.loc[cohort["ever_offer"], "offer_outcome"].value_counts()
    oc = {k: int(outcome_counts.get(k, 0)) for k in ("accepted", "declined", "withdrew", "pending")}
    decided = oc["accepted"] + oc["declined"] + oc["withdrew"]
    rejections = _rejections(pt, cohort, "rejected")
    by_type = rejections.groupby("from_stage_type")["count"].sum()
    per_candidate = _per_candidate(cohort)
    kpis = {
        "applications": int(steps["reached"].iloc[0]),
        "hires": len(hires),
        "funnel_reached": dict(zip(FUNNEL_STEPS, (int(x) for x in steps["reached"]), strict=True)),
        "time_to_hire_days": _summary(hire_days[hire_days >= 0]),
        "time_to_offer_days": _summary(offer_days[offer_days >= 0]),
        "time_to_fill_days": _time_to_fill(pt, fx, f),
        "offer_acceptance": {**oc, "rate": oc["accepted"] / decided if decided else None},
        "applications_per_candidate_mean": per_candidate.mean() if len(per_candidate) else None,
        "rejections_by_stage_type": {k: int(v) for k, v in by_type.items()},
    }
    return {
        "kpis": kpis,
        "funnel": steps,
        "volume_by_week": _volume_by_week(cohort, f),
        "channel_conversion": _channel_conversion(cohort),
        "time_in_stage": _time_in_stage(pt, fx, f),
        "rejections_by_stage": rejections,
        "applications_per_candidate": _applications_per_candidate(cohort),
    }

