"""A small synthetic company as normalised Tables, for page tests when the demo generator is not installed."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import polars as pl

from dashboard.schema import SCHEMAS, Tables

FUNNEL = ("new", "screening", "interviews", "offer", "hired")
CHANNELS = ("LinkedIn", "Career site", "Referral", "Indeed", "Agency", "=cmd|' /C calc'!A0")
DEPARTMENTS = ("Engineering", "Sales", "Operations")
CATEGORIES = ("Tech", "Commercial", "Support")
LOCATIONS = ("Berlin", "Munich", "Madrid", "Remote")


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMAS[name], orient="row") if rows else pl.DataFrame(schema=SCHEMAS[name])


def synthetic_tables(n_applications: int, today: date, seed: int = 3) -> Tables:
    """`n_applications` applications over the year before `today`, 12 jobs, full stage histories."""
    rnd = random.Random(seed)
    as_of = datetime.combine(today, time(12), tzinfo=UTC)
    jobs, stages = [], []
    for c in range(len(CATEGORIES)):
        for pos, st in enumerate((*FUNNEL, "rejected", "withdrawn")):
            stages.append({"category_id": f"cat{c}", "stage_id": f"cat{c}:{st}", "stage_name": st.capitalize(),
                           "stage_type": st, "stage_kind": "system", "position": pos})
    for j in range(12):
        c = j % 3
        jobs.append({"job_id": f"job{j}", "job_name": f"Job {j:02d} {CATEGORIES[c]}", "department_id": f"d{c}",
                     "department_name": DEPARTMENTS[c], "category_id": f"cat{c}", "category_name": CATEGORIES[c],
                     "location": LOCATIONS[j % 4], "employment_type": "permanent",
                     "created_at": as_of - timedelta(days=420 - 20 * j)})
    apps, trans, cands = [], [], []
    for i in range(n_applications):
        job = jobs[rnd.randrange(len(jobs))]
        cat = job["category_id"]
        applied = today - timedelta(days=rnd.randrange(0, 365))
        created = datetime.combine(applied, time(9), tzinfo=UTC)
        furthest = min(4, int(rnd.expovariate(0.6)))
        t = created
        seq = 0
        prev = "new"
        cand = f"cand{rnd.randrange(max(1, int(n_applications * 0.8)))}"
        for rank in range(1, furthest + 1):
            t = t + timedelta(days=rnd.uniform(1, 12))
            if t > as_of:
                break
            trans.append({"application_id": f"app{i}", "seq": seq, "from_stage_id": f"{cat}:{prev}",
                          "from_stage_name": prev.capitalize(), "from_stage_type": prev,
                          "to_stage_id": f"{cat}:{FUNNEL[rank]}", "to_stage_name": FUNNEL[rank].capitalize(),
                          "to_stage_type": FUNNEL[rank], "transitioned_at": t})
            seq += 1
            prev = FUNNEL[rank]
        if prev != "hired" and rnd.random() < 0.7:
            t2 = t + timedelta(days=rnd.uniform(1, 10))
            if t2 <= as_of:
                exit_type = "rejected" if rnd.random() < 0.8 else "withdrawn"
                trans.append({"application_id": f"app{i}", "seq": seq, "from_stage_id": f"{cat}:{prev}",
                              "from_stage_name": prev.capitalize(), "from_stage_type": prev,
                              "to_stage_id": f"{cat}:{exit_type}", "to_stage_name": exit_type.capitalize(),
                              "to_stage_type": exit_type, "transitioned_at": t2})
                prev = exit_type
                t = t2
        channel = CHANNELS[min(len(CHANNELS) - 1, int(rnd.expovariate(0.7)))]
        apps.append({"application_id": f"app{i}", "candidate_id": cand, "job_id": job["job_id"],
                     "application_date": applied, "created_at": created, "updated_at": t,
                     "stage_id": f"{cat}:{prev}", "stage_name": prev.capitalize(), "stage_type": prev,
                     "channel_id": f"ch:{channel}", "channel_name": channel, "is_anonymized": False})
        cands.append({"candidate_id": cand, "created_at": created, "updated_at": t})
    candidates = _frame("candidates", cands).unique("candidate_id", keep="first")
    return Tables(applications=_frame("applications", apps), transitions=_frame("transitions", trans),
                  jobs=_frame("jobs", jobs), candidates=candidates, stages=_frame("stages", stages), as_of=as_of)
