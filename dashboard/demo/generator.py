"""Deterministic, columnar generator of the demo company (normalised tables plus what the fake needs to render).

Everything is built with numpy arrays over all applications at once (no per-application Python loop), so the same
code makes 3,000 applications for the demo and 1,000,000 for benchmarks. Each application follows a fixed list of
possible events (see `_EVENTS`); masks say which happen, lognormal dwell times say when, and events after `end`
are cut, which leaves recent applications active.

Jobs behave like requisitions: a posting receives applications for a few weeks to a few months after it is created
(longer for senior roles; hard-to-fill and recently created roles stay open), hires at most its openings, and gets no
new applications once its openings are filled (bar a short tail). High-volume roles (SDR, support) are re-posted as
a new job every few months instead of one requisition spanning the whole period, so time to fill stays plausible.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

from dashboard.demo import catalog as cat
from dashboard.schema import SCHEMAS, UNKNOWN, UTC_TS, Tables

DAY = 86_400
_APP_ID_BASE = 2_000_000
_CANDIDATE_ID_BASE = 5_000_000
_JOB_ID_BASE = 200_000

# Events every application may go through, in order; index 0 is entering `new` at created_at (no transition).
_EVENTS = ("new", "screening_a", "reopen_rejected", "reopen_back", "screening_b", "interviews_a",
           "interviews_b", "offer", "hired", "exit", "no_show")
_E = {name: i for i, name in enumerate(_EVENTS)}

_BASE_PASS = np.array([0.5, 0.38, 0.33, 0.8])  # new→screening, screening→interviews, interviews→offer, offer→hired
# Exit (rejected, withdrawn, talent pool) by furthest rank 0..3; at offer a rejection is a declined offer.
_EXIT_PROBS = np.array([[0.85, 0.05, 0.10], [0.75, 0.12, 0.13], [0.68, 0.20, 0.12], [0.62, 0.38, 0.0]])
# Dwell in a stage before the next event, by class of the stage left: median days, lognormal sigma.
_DWELL_CLASSES = {"new": 0, "screening": 1, "interviews": 2, "offer": 3, "rejected": 4, "hired": 5}
_DWELL_MEDIAN = np.array([2.0, 4.0, 9.0, 4.0, 10.0, 30.0, 6.0])
_DWELL_SIGMA = np.array([0.9, 0.7, 0.6, 0.6, 0.5, 0.5, 0.5])


@dataclass(frozen=True, eq=False)
class DemoCompany:
    """The demo company: the five normalised tables plus the details the fake Personio renders into API records."""

    applications: pl.DataFrame  # APPLICATIONS_SCHEMA
    transitions: pl.DataFrame  # TRANSITIONS_SCHEMA
    jobs: pl.DataFrame  # JOBS_SCHEMA (location/employment type as the career feed reveals them)
    candidates: pl.DataFrame  # CANDIDATES_SCHEMA
    stages: pl.DataFrame  # STAGES_SCHEMA
    candidate_details: pl.DataFrame  # candidate_id, first_name, last_name, email, phone, gender, location
    job_details: pl.DataFrame  # job_id, office, employment_type, seniority, schedule, published, updated_at, ...
    channels: pl.DataFrame  # channel_id, channel_name
    departments: pl.DataFrame  # department_id, department_name
    categories: pl.DataFrame  # category_id, category_name
    hiring_team: pl.DataFrame  # application_id (null: the job's team), job_id, person_id, role, position
    end: datetime
    seed: int
    company_id: str = cat.COMPANY_ID

    def tables(self) -> Tables:
        """The normalised tables as a sync of this company at `end` would produce them."""
        return Tables(applications=self.applications, transitions=self.transitions, jobs=self.jobs,
                      candidates=self.candidates, stages=self.stages, as_of=self.end,
                      hiring_team=self.hiring_team.select(*SCHEMAS["hiring_team"]))


# --- small helpers -----------------------------------------------------------------------------------------


def _as_end(end: datetime | date | None) -> datetime:
    """`end` as an aware UTC datetime; None is today 00:00 UTC, a date is its 00:00 UTC."""
    if end is None:
        today = datetime.now(UTC).date()
        return datetime(today.year, today.month, today.day, tzinfo=UTC)
    if not isinstance(end, datetime):
        return datetime(end.year, end.month, end.day, tzinfo=UTC)
    return end.replace(tzinfo=UTC) if end.tzinfo is None else end.astimezone(UTC)


def _ascii(text: str) -> str:
    """Lower-case ASCII spelling of a name for e-mail addresses."""
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def _sample_rows(rng: np.random.Generator, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each entry of `rows`, a column drawn with probability ∝ weights[row] (every row needs weight > 0)."""
    n_rows, n_cols = weights.shape
    cum = np.cumsum(weights, axis=1)
    cum = cum / cum[:, -1:]
    flat = (cum + np.arange(n_rows)[:, None]).ravel()
    u = rng.random(len(rows))
    flat_index = np.searchsorted(flat, rows + u, side="right")
    return np.minimum(flat_index - rows * n_cols, n_cols - 1)


def _ts(seconds: np.ndarray | pl.Series) -> pl.Series:
    """Epoch seconds as a UTC timestamp series."""
    return (pl.Series(seconds, dtype=pl.Int64) * 1_000_000).cast(UTC_TS)


def _ids(base: int, index: np.ndarray) -> pl.Series:
    """Numeric string ids `base + index`."""
    return (pl.Series(index, dtype=pl.Int64) + base).cast(pl.String)


# --- stages ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stages:
    """Every distinct stage of the company (system stages shared), and each category's pipeline slots."""

    table_ids: list[str]
    names: list[str]
    types: list[str]
    kinds: list[str]
    slots: np.ndarray  # categories × len(SLOTS): stage index or -1 when the category has no such stage
    per_category: list[list[int]]  # stage indices of each category in position order

    def index(self, type_: str) -> int:
        """Index of the system stage of `type_`."""
        return self.table_ids.index(f"system:{type_}")


def _build_stages() -> _Stages:
    ids, names, types, kinds = [], [], [], []
    for t in cat.SYSTEM_TYPES:
        ids.append(f"system:{t}")
        names.append(t.capitalize())
        types.append(t)
        kinds.append("system")
    slots = np.full((len(cat.CATEGORIES), len(cat.SLOTS)), -1, dtype=np.int32)
    per_category = []
    for c, (cat_id, _) in enumerate(cat.CATEGORIES):
        slots[c, 0] = ids.index("system:new")
        slots[c, cat.SLOTS.index("offer")] = ids.index("system:offer")
        slots[c, cat.SLOTS.index("hired")] = ids.index("system:hired")
        on_path, off_path = [], []
        for stage in cat.CUSTOM_STAGES[cat_id]:
            gid = len(ids)
            ids.append(stage.stage_id)
            names.append(stage.name)
            types.append(stage.type)
            kinds.append("custom")
            if stage.slot is None:
                off_path.append(gid)
            else:
                slots[c, cat.SLOTS.index(stage.slot)] = gid
                if stage.slot != "offer":
                    on_path.append(gid)
        order = [slots[c, 0], *on_path, *off_path, slots[c, cat.SLOTS.index("offer")],
                 *(ids.index(f"system:{t}") for t in ("hired", "rejected", "withdrawn", "talent pool"))]
        per_category.append([int(g) for g in order])
    return _Stages(ids, names, types, kinds, slots, per_category)


def _stages_frame(stages: _Stages) -> pl.DataFrame:
    rows = [
        (cat_id, stages.table_ids[g], stages.names[g], stages.types[g], stages.kinds[g], pos)
        for (cat_id, _), order in zip(cat.CATEGORIES, stages.per_category, strict=True)
        for pos, g in enumerate(order)
    ]
    return pl.DataFrame(rows, schema=SCHEMAS["stages"], orient="row")


# --- calendar and jobs -------------------------------------------------------------------------------------


def _season(days: np.ndarray, push_lo: int, push_hi: int) -> np.ndarray:
    """Relative application volume per day: weekday dip, August and December dip, growth, a hiring push."""
    dates = days.astype("datetime64[D]")
    month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    w = np.where(weekday >= 5, 0.35, 1.0)
    w = w * np.select([month == 8, month == 12], [0.55, 0.5], 1.0)
    w = w * np.linspace(0.85, 1.15, len(days))
    return w * np.where((days >= push_lo) & (days < push_hi), 1.3, 1.0)


def _push_quarter(end_day: int) -> tuple[int, int]:
    """Days [lo, hi) of the calendar quarter nine months before the end: the hiring push."""
    d = date(1970, 1, 1) + timedelta(days=end_day - 270)
    q_month = (d.month - 1) // 3 * 3 + 1
    lo = date(d.year, q_month, 1)
    hi = date(d.year + (q_month + 3 > 12), (q_month + 2) % 12 + 1, 1)
    epoch = date(1970, 1, 1)
    return (lo - epoch).days, (hi - epoch).days


@dataclass(frozen=True)
class _Jobs:
    template: np.ndarray
    kind: np.ndarray  # normal | volume | hard | recent
    category: np.ndarray  # index into CATEGORIES
    created_s: np.ndarray
    open_lo: np.ndarray  # first day applications arrive
    open_hi: np.ndarray  # day after the last (the close plus a short tail)
    close_s: np.ndarray  # the posting is taken down: hires after close + _HIRE_SLACK do not happen
    openings: np.ndarray  # how many hires fill the job
    popularity: np.ndarray
    quality: np.ndarray
    hard: np.ndarray


# One entry per job of the demo (40): a template index, repeated for re-posted volume roles.
_SLOTS = np.array([i for i, t in enumerate(cat.JOB_TEMPLATES) for _ in range(t.postings)])
_TAIL_DAYS = 7  # applications still trickle in this long after a posting closes
_HIRE_SLACK = 21 * DAY  # in-flight candidates of a closed posting may still be hired this long after
_NEVER = 10**12


def _make_jobs(rng: np.random.Generator, n_jobs: int, start_day: int, end_day: int,
               push: tuple[int, int]) -> _Jobs:
    """Jobs with a realistic application window: weeks to a few months after creation (longer for senior roles),
    volume roles re-posted every few months, hard-to-fill and recent roles open at the end."""
    n_days = end_day - start_day
    slot = np.arange(n_jobs) % len(_SLOTS)
    t = _SLOTS[slot]
    tpl = [cat.JOB_TEMPLATES[i] for i in t]
    kinds = np.array([x.kind for x in tpl])
    kinds[np.arange(n_jobs) >= len(_SLOTS)] = "normal"  # beyond the catalogue (benchmarks): ordinary roles
    category_ids = [c for c, _ in cat.CATEGORIES]
    category = np.array([category_ids.index(x.category_id) for x in tpl])
    engineering = np.array([x.department_id == "101" for x in tpl])
    senior = np.array([x.seniority == "executive" for x in tpl])
    entry = np.array([x.seniority in ("entry-level", "student") for x in tpl])

    # Ordinary jobs: creation days spread evenly over the period (so some are always open), half the engineering
    # jobs in the hiring-push quarter.
    spread = np.empty(n_jobs)
    spread[rng.permutation(n_jobs)] = (np.arange(n_jobs) + rng.random(n_jobs)) / n_jobs
    normal_day = start_day - 20 + (spread * (n_days - 25)).astype(np.int64)
    in_push = engineering & (rng.random(n_jobs) < 0.5)
    push_day = rng.integers(push[0], max(push[1], push[0] + 1), n_jobs)
    # Volume roles: posting p of each template every n_days / VOLUME_POSTINGS, the two templates interleaved.
    posting = _repeat_no(t)  # the first cycle comes first, so its postings are numbered 0..VOLUME_POSTINGS-1
    phase = np.searchsorted(np.unique(t[kinds == "volume"]), t) * 0.5 if (kinds == "volume").any() else 0.0
    volume_day = start_day - 15 + ((posting + phase) * n_days / cat.VOLUME_POSTINGS).astype(np.int64) + rng.integers(
        -7, 8, n_jobs)
    created_day = np.select(
        [kinds == "volume", kinds == "recent", kinds == "hard"],
        [volume_day, end_day - rng.integers(10, 40, n_jobs),
         start_day + (n_days * rng.uniform(0.3, 0.75, n_jobs)).astype(np.int64)],
        np.where(in_push, push_day, normal_day),
    )
    created_day = np.minimum(created_day, end_day - 1)

    window = rng.lognormal(np.log(32), 0.35, n_jobs) * np.where(senior, 1.8, 1.0)
    window = np.where(kinds == "volume", rng.uniform(75, 95, n_jobs), np.clip(window, 14, 120))
    close_day = np.maximum(created_day + window.astype(np.int64), start_day + 14)
    close_day = np.where(np.isin(kinds, ("hard", "recent")), _NEVER // DAY, close_day)
    open_lo = np.maximum(created_day, start_day)
    open_hi = np.clip(close_day + _TAIL_DAYS, open_lo + 1, end_day)
    created_s = created_day * DAY + rng.integers(8 * 3600, 18 * 3600, n_jobs)
    close_s = np.where(close_day >= _NEVER // DAY, _NEVER, close_day * DAY + 18 * 3600)
    openings = np.select([kinds == "volume", entry, senior], [3, 2, 1], 1)
    popularity = np.array([x.popularity for x in tpl]) * rng.lognormal(0, 0.3, n_jobs)

    order = np.argsort(created_s, kind="stable")
    return _Jobs(template=t[order], kind=kinds[order], category=category[order], created_s=created_s[order],
                 open_lo=open_lo[order], open_hi=open_hi[order], close_s=close_s[order], openings=openings[order],
                 popularity=popularity[order], quality=rng.lognormal(0, 0.15, n_jobs)[order],
                 hard=(kinds == "hard")[order])


def _offsets(present: np.ndarray, target: np.ndarray, dwell_class: np.ndarray, z: np.ndarray, stuck: np.ndarray,
             stuck_col: np.ndarray, scale: np.ndarray | None = None) -> np.ndarray:
    """Seconds from created_at to each event: a lognormal dwell (normal deviates `z`) in the stage each present
    event leaves, times `scale[application, class of that stage]` (the hiring team's pace), six times as long in
    one column for `stuck` applications."""
    cols = np.arange(present.shape[1])
    prev = np.maximum.accumulate(np.where(present, cols, -1), axis=1)[:, :-1]
    left_class = dwell_class[np.take_along_axis(target, prev, axis=1)]
    dwell_days = np.exp(np.log(_DWELL_MEDIAN[left_class]) + _DWELL_SIGMA[left_class] * z)
    if scale is not None:
        dwell_days = dwell_days * np.take_along_axis(scale, left_class, axis=1)
    rows = stuck.nonzero()[0]
    dwell_days[rows, stuck_col[rows]] *= 6
    dwell_s = np.maximum((dwell_days * DAY).astype(np.int64), 60)
    rel = np.zeros(present.shape, dtype=np.int64)
    rel[:, 1:] = np.cumsum(np.where(present[:, 1:], dwell_s, 0), axis=1)
    return rel


# --- the generator -----------------------------------------------------------------------------------------


def _default_jobs(n_applications: int) -> int:
    """About 33 applications per job up to the demo size (10,000 applications: 300 jobs; at least 40), growing
    with the square root of the size beyond it for benchmarks (300 jobs at 100,000, 730 at 1,000,000)."""
    if n_applications <= 10_000:
        return max(len(_SLOTS), round(n_applications * 0.03))
    return max(300, round(len(_SLOTS) * (n_applications / 3000) ** 0.5))


def generate_company(n_applications: int = 3000, seed: int = 7, end: datetime | date | None = None,
                     months: int = 18, n_jobs: int | None = None) -> DemoCompany:
    """The demo company of `n_applications` applications over `months` months up to `end` (default today 00:00
    UTC); the same arguments always give the same frames."""
    if n_applications < 0 or months < 1:
        raise ValueError("n_applications must be >= 0 and months >= 1")
    rng = np.random.default_rng(seed)
    end_dt = _as_end(end)
    end_s = int(end_dt.timestamp())
    end_day = -(-end_s // DAY)
    start_day = end_day - round(months * 30.4375)
    push = _push_quarter(end_day)
    stages = _build_stages()
    jobs = _make_jobs(rng, n_jobs or _default_jobs(n_applications), start_day, end_day, push)
    n = n_applications
    team_rng = np.random.default_rng([seed, 12])  # its own stream: the team does not reshuffle everything else
    teams = _job_teams(team_rng, jobs)

    # When and where: a day by season × open postings, a job open that day (most applications arrive in a posting's
    # first weeks, a trickle after it closes), a channel by the job's category.
    days = np.arange(start_day, end_day)
    is_eng = np.array([cat.JOB_TEMPLATES[i].department_id == "101" for i in jobs.template])
    in_push = (days >= push[0]) & (days < push[1])
    age = days[:, None] - jobs.open_lo
    fade = np.where(days[:, None] * DAY < jobs.close_s, np.maximum(np.exp(-age / 60), 0.25), 0.15)
    open_w = ((age >= 0) & (days[:, None] < jobs.open_hi)) * jobs.popularity * fade
    open_w = open_w * np.where(in_push[:, None] & is_eng[None, :], 1.6, 1.0)
    day_w = _season(days, *push) * open_w.sum(axis=1) ** 0.25
    day = rng.choice(len(days), size=n, p=day_w / day_w.sum())
    job = _sample_rows(rng, open_w, day)
    category = jobs.category[job]
    chan_w = np.array([cat.CHANNEL_WEIGHTS[c] for c, _ in cat.CATEGORIES], dtype=float)
    chan = _sample_rows(rng, chan_w, category)
    app_day = days[day]
    hour_s = (np.clip(rng.normal(13.5, 3.0, n), 6, 23) * 3600).astype(np.int64)
    late = np.where(rng.random(n) < 0.05, rng.integers(1, 4, n) * DAY, 0)
    created = np.minimum(app_day * DAY + hour_s + late, end_s - 60)

    # Who handles it: the job's recruiter, or (a few) another recruiter as the application's own team.
    own = (team_rng.random(n) < cat.OWN_TEAM_SHARE) & (teams.recruiter[job] >= 0)
    other = (teams.recruiter[job] + team_rng.integers(1, len(cat.RECRUITERS), n)) % len(cat.RECRUITERS)
    recruiter = np.where(own, other, teams.recruiter[job])
    manager = teams.manager[job]

    # How far each application gets (by channel quality, job and hiring team), and how it ends.
    factors = np.asarray(cat.CHANNEL_FACTORS)[chan]
    p = _BASE_PASS * factors
    p[:, :3] *= jobs.quality[job][:, None]
    p[:, :2] *= _trait(cat.RECRUITERS, "conversion", recruiter)[:, None]
    p[:, 2] *= _trait(cat.HIRING_MANAGERS, "conversion", manager)
    passed = rng.random((n, 4)) < np.clip(p, 0, 0.95)
    far = np.cumprod(passed, axis=1).sum(axis=1)
    far = np.where(jobs.hard[job], np.minimum(far, 3), far)
    skip_screening = (far >= 2) & (rng.random(n) < 0.07)
    reopen = (far >= 1) & ~skip_screening & (rng.random(n) < 0.025)
    forgotten = (far <= 2) & (rng.random(n) < 0.025)
    no_show = (far == 4) & (rng.random(n) < 0.03)
    exit_cum = np.cumsum(_EXIT_PROBS[np.minimum(far, 3)], axis=1)
    exit_kind = (rng.random(n)[:, None] > exit_cum[:, :2]).sum(axis=1)
    exit_stage = np.array([stages.index(t) for t in ("rejected", "withdrawn", "talent pool")])[exit_kind]

    slot = stages.slots[category]  # n × slots
    target = np.empty((n, len(_EVENTS)), dtype=np.int32)
    target[:, _E["new"]] = slot[:, 0]
    target[:, _E["screening_a"]] = slot[:, 1]
    target[:, _E["reopen_rejected"]] = stages.index("rejected")
    target[:, _E["reopen_back"]] = slot[:, 1]
    target[:, _E["screening_b"]] = slot[:, 2]
    target[:, _E["interviews_a"]] = slot[:, 3]
    target[:, _E["interviews_b"]] = slot[:, 4]
    target[:, _E["offer"]] = slot[:, 5]
    target[:, _E["hired"]] = slot[:, 6]
    target[:, _E["exit"]] = exit_stage
    target[:, _E["no_show"]] = stages.index("withdrawn")
    assessment = stages.table_ids.index(cat.UNKNOWN_TYPE_STAGE)
    ops = [c for c, _ in cat.CATEGORIES].index("9003")
    to_assessment = (category == ops) & (far >= 2) & (rng.random(n) < 0.12)
    target[to_assessment, _E["interviews_a"]] = assessment

    present = np.zeros((n, len(_EVENTS)), dtype=bool)
    present[:, _E["new"]] = True
    present[:, _E["screening_a"]] = (far >= 1) & ~skip_screening
    present[:, _E["reopen_rejected"]] = reopen
    present[:, _E["reopen_back"]] = reopen
    present[:, _E["screening_b"]] = (far >= 1) & ~skip_screening & (rng.random(n) >= 0.25)
    present[:, _E["interviews_a"]] = far >= 2
    present[:, _E["interviews_b"]] = (far >= 2) & (rng.random(n) >= 0.3)
    present[:, _E["offer"]] = far >= 3
    present[:, _E["hired"]] = far >= 4
    present[:, _E["exit"]] = (far < 4) & ~forgotten
    present[:, _E["no_show"]] = no_show
    present &= target >= 0

    # When: lognormal dwell in the stage left (a few applications stuck much longer), as offsets from created_at.
    dwell_class = np.array([_DWELL_CLASSES.get(t, 6) for t in stages.types])
    z = rng.standard_normal((n, len(_EVENTS) - 1))
    stuck = rng.random(n) < 0.04
    stuck_col = rng.integers(0, len(_EVENTS) - 1, n)
    pace = np.ones((n, len(_DWELL_MEDIAN)))
    recruiter_stages = [_DWELL_CLASSES[s] for s in ("new", "screening", "offer")]
    pace[:, recruiter_stages] = _trait(cat.RECRUITERS, "speed", recruiter)[:, None]
    # interviews: the hiring manager decides, the recruiter schedules (half their pace, on a log scale)
    pace[:, _DWELL_CLASSES["interviews"]] = (_trait(cat.HIRING_MANAGERS, "speed", manager)
                                             * np.sqrt(_trait(cat.RECRUITERS, "speed", recruiter)))
    rel = _offsets(present, target, dwell_class, z, stuck, stuck_col, pace)

    # A job hires at most its openings, and only while the posting is up (plus in-flight candidates shortly after);
    # candidates it would otherwise have hired go to the talent pool (silver medallists).
    hire_at = created + rel[:, _E["hired"]]
    cand = present[:, _E["hired"]].nonzero()[0]
    cand = cand[np.lexsort((hire_at[cand], job[cand]))]
    job_of = job[cand]
    starts = np.r_[0, (np.diff(job_of) != 0).nonzero()[0] + 1] if len(cand) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(cand)) - np.repeat(starts, np.diff(np.r_[starts, len(cand)]))
    keep = (rank < jobs.openings[job_of]) & (hire_at[cand] <= jobs.close_s[job_of] + _HIRE_SLACK)
    demoted = cand[~keep]
    present[demoted, _E["offer"]] = present[demoted, _E["hired"]] = present[demoted, _E["no_show"]] = False
    present[demoted, _E["exit"]] = True
    target[demoted, _E["exit"]] = stages.index("talent pool")
    # A posting that closed without a hire still fills from its shortlist: its earliest furthest candidate.
    n_jobs = len(jobs.template)
    has_hire = np.zeros(n_jobs, dtype=bool)
    has_hire[job_of[keep]] = True
    wants = ~has_hire & ~jobs.hard & (jobs.close_s + _HIRE_SLACK < end_s)
    pool = (wants[job] & (far >= 2) & (created <= jobs.close_s[job]) & ~present[:, _E["hired"]]).nonzero()[0]
    pool = pool[np.lexsort((created[pool], -np.minimum(far[pool], 3), job[pool]))]
    promoted = pool[np.r_[True, np.diff(job[pool]) != 0]] if len(pool) else pool
    present[promoted, _E["offer"]] = present[promoted, _E["hired"]] = True
    present[promoted, _E["exit"]] = present[promoted, _E["no_show"]] = False
    rel = _offsets(present, target, dwell_class, z, stuck, stuck_col, pace)

    # A job with all openings filled gets no new applications after its last hire (bar a short tail): those that
    # would have come later go to another open job of the same category that day, else earlier into its posting.
    hire_at = created + rel[:, _E["hired"]]
    hires = present[:, _E["hired"]].nonzero()[0]
    last_hire_at = np.full(n_jobs, -1, dtype=np.int64)
    np.maximum.at(last_hire_at, job[hires], hire_at[hires])
    fill_s = np.where(np.bincount(job[hires], minlength=n_jobs) >= jobs.openings, last_hire_at, _NEVER)
    stop_day = np.minimum(fill_s // DAY + _TAIL_DAYS, jobs.open_hi)
    moved = (app_day >= stop_day[job]).nonzero()[0]
    n_cat = len(cat.CATEGORIES)
    alive = open_w * (days[:, None] < stop_day)
    by_cat = (alive[:, None, :] * (jobs.category == np.arange(n_cat)[:, None])).reshape(len(days) * n_cat, n_jobs)
    key = (app_day[moved] - start_day) * n_cat + category[moved]
    row_sum = by_cat.sum(axis=1)
    other = row_sum[key] > 0
    by_cat[row_sum == 0] = 1.0  # rows never drawn from; keeps the sampler's cumulative sums finite
    job[moved[other]] = _sample_rows(rng, by_cat, key[other])
    moved = moved[~other]
    span = np.maximum(stop_day[job[moved]] - jobs.open_lo[job[moved]], 1)
    app_day[moved] = jobs.open_lo[job[moved]] + (rng.random(len(moved)) * span).astype(np.int64)
    created = np.minimum(app_day * DAY + hour_s + late, end_s - 60)

    order = np.argsort(created, kind="stable")  # application ids grow with created_at
    app_day, job, category, chan, created = app_day[order], job[order], category[order], chan[order], created[order]
    present, target, rel = present[order], target[order], rel[order]
    own, recruiter = own[order], recruiter[order]
    at = created[:, None] + rel
    present &= at < end_s
    cols = np.arange(len(_EVENTS))

    last = np.maximum.accumulate(np.where(present, cols, -1), axis=1)
    current = target[np.arange(n), last[:, -1]]
    last_at = at[np.arange(n), last[:, -1]]
    updated = np.minimum(last_at + rng.integers(60, 7200, n), end_s - 1)

    types = np.asarray(stages.types)
    current_type = types[current]
    closed = np.isin(current_type, ("hired", "rejected", "withdrawn", "talent pool"))
    # A few hires without a recorded transition into hired.
    hired_last = (last[:, -1] == _E["hired"]).nonzero()[0]
    n_silent = min(len(hired_last), max(1, round(n * 0.0007))) if n >= 200 else 0
    silent = rng.choice(hired_last, size=n_silent, replace=False) if n_silent else np.array([], dtype=np.int64)
    emitted = present.copy()
    emitted[silent, _E["hired"]] = False

    # ~3% anonymised (old, closed, not hired): no candidate any more.
    eligible = (closed & (created < end_s - 180 * DAY) & (current_type != "hired")).nonzero()[0]
    n_anon = min(len(eligible), round(n * 0.03))
    anonymised = np.zeros(n, dtype=bool)
    anonymised[rng.choice(eligible, size=n_anon, replace=False) if n_anon else []] = True
    updated = np.where(anonymised, np.minimum(np.maximum(updated, created + 181 * DAY), end_s - 1), updated)

    applications, candidates, candidate_details = _people(rng, n, anonymised, created, updated, end_s)
    app_ids = _ids(_APP_ID_BASE, np.arange(n))
    stage_ids = pl.Series(stages.table_ids)
    stage_names = pl.Series(stages.names)
    stage_types = pl.Series(stages.types)
    chan_ids = pl.Series([c for c, _ in cat.CHANNELS] + [None], dtype=pl.String)
    chan_names = pl.Series([name for _, name in cat.CHANNELS] + [UNKNOWN])
    job_ids = _ids(_JOB_ID_BASE, np.arange(len(jobs.template)))
    apps = pl.DataFrame({
        "application_id": app_ids,
        "candidate_id": applications,
        "job_id": job_ids.gather(job),
        "application_date": pl.Series(app_day, dtype=pl.Int32).cast(pl.Date),
        "created_at": _ts(created),
        "updated_at": _ts(updated),
        "stage_id": stage_ids.gather(current),
        "stage_name": stage_names.gather(current),
        "stage_type": stage_types.gather(current),
        "channel_id": chan_ids.gather(chan),
        "channel_name": chan_names.gather(chan),
        "is_anonymized": pl.Series(anonymised),
    })

    # Transitions: one row per emitted event after `new`, from the previous present event's stage.
    rows, cols_e = emitted[:, 1:].nonzero()
    cols_e = cols_e + 1
    seq = (np.cumsum(emitted[:, 1:], axis=1) - 1)[rows, cols_e - 1]
    from_stage = target[rows, last[rows, cols_e - 1]]
    to_stage = target[rows, cols_e]
    transitions = pl.DataFrame({
        "application_id": app_ids.gather(rows),
        "seq": pl.Series(seq, dtype=pl.Int32),
        "from_stage_id": stage_ids.gather(from_stage),
        "from_stage_name": stage_names.gather(from_stage),
        "from_stage_type": stage_types.gather(from_stage),
        "to_stage_id": stage_ids.gather(to_stage),
        "to_stage_name": stage_names.gather(to_stage),
        "to_stage_type": stage_types.gather(to_stage),
        "transitioned_at": _ts(at[rows, cols_e]),
    })

    # Jobs: a few created after their last hire (a data-quality story for time to fill).
    hire_rows = emitted[:, _E["hired"]] & (current_type == "hired")
    last_hire = np.full(len(jobs.template), -1, dtype=np.int64)
    np.maximum.at(last_hire, job[hire_rows], at[hire_rows, _E["hired"]])
    filled = (last_hire >= 0).nonzero()[0]
    job_created = jobs.created_s.copy()
    if len(filled) >= 4:
        late_jobs = rng.choice(filled, size=max(2, len(filled) // 15), replace=False)
        job_created[late_jobs] = np.minimum(last_hire[late_jobs] + rng.integers(DAY, 10 * DAY, len(late_jobs)), end_s - 1)
    job_frame, job_details = _job_frames(rng, jobs, job_ids, job_created, end_s)
    hiring_team = _team_frame(teams, job_ids, app_ids, job, own, recruiter)

    return DemoCompany(
        applications=apps,
        transitions=transitions,
        jobs=job_frame,
        candidates=candidates,
        stages=_stages_frame(stages),
        candidate_details=candidate_details,
        job_details=job_details,
        channels=pl.DataFrame({"channel_id": [c for c, _ in cat.CHANNELS], "channel_name": [m for _, m in cat.CHANNELS]}),
        departments=pl.DataFrame({"department_id": [d for d, _ in cat.DEPARTMENTS],
                                  "department_name": [m for _, m in cat.DEPARTMENTS]}),
        categories=pl.DataFrame({"category_id": [c for c, _ in cat.CATEGORIES],
                                 "category_name": [m for _, m in cat.CATEGORIES]}),
        hiring_team=hiring_team,
        end=end_dt,
        seed=seed,
    )


def _people(rng: np.random.Generator, n: int, anonymised: np.ndarray, created: np.ndarray, updated: np.ndarray,
            end_s: int) -> tuple[pl.Series, pl.DataFrame, pl.DataFrame]:
    """Candidate id per application (null when anonymised), the candidates table and their fake details.

    About 15% of candidates apply more than once; candidate ids grow with their first application."""
    named = (~anonymised).nonzero()[0]
    m = len(named)
    counts = rng.choice([1, 2, 3, 4], p=[0.85, 0.11, 0.03, 0.01], size=m + 1)
    n_cand = int(np.searchsorted(np.cumsum(counts), m)) + 1 if m else 0
    owner = np.repeat(np.arange(n_cand), counts[:n_cand])[:m]
    owner = owner[rng.permutation(m)]
    # Rank candidates by their first application (rows are in created order).
    _, first = np.unique(owner, return_index=True)
    rank = np.empty(n_cand, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(n_cand)
    cand_of_app = np.full(n, -1, dtype=np.int64)
    cand_of_app[named] = rank[owner]
    app_candidate = _ids(_CANDIDATE_ID_BASE, cand_of_app)
    app_candidate = pl.select(pl.when(pl.lit(pl.Series(cand_of_app)) >= 0).then(pl.lit(app_candidate))).to_series()

    cand_rows = rank[owner]
    first_created = np.full(n_cand, np.iinfo(np.int64).max)
    np.minimum.at(first_created, cand_rows, created[named])
    last_updated = np.zeros(n_cand, dtype=np.int64)
    np.maximum.at(last_updated, cand_rows, created[named])
    cand_created = first_created - rng.integers(0, 300, n_cand)
    cand_updated = np.minimum(last_updated + rng.integers(60, 3 * DAY, n_cand), end_s - 1)
    cand_ids = _ids(_CANDIDATE_ID_BASE, np.arange(n_cand))
    candidates = pl.DataFrame({"candidate_id": cand_ids, "created_at": _ts(cand_created),
                               "updated_at": _ts(cand_updated)})

    first_i = rng.integers(0, len(cat.FIRST_NAMES), n_cand)
    last_i = rng.integers(0, len(cat.LAST_NAMES), n_cand)
    firsts = pl.Series([f for f, _ in cat.FIRST_NAMES])
    lasts = pl.Series(cat.LAST_NAMES)
    first_ascii = pl.Series([_ascii(f) for f, _ in cat.FIRST_NAMES])
    last_ascii = pl.Series([_ascii(x) for x in cat.LAST_NAMES])
    details = pl.DataFrame({
        "candidate_id": cand_ids,
        "first_name": firsts.gather(first_i),
        "last_name": lasts.gather(last_i),
        "email": first_ascii.gather(first_i) + "." + last_ascii.gather(last_i) + "." + cand_ids + "@example.com",
        "phone": "+4915" + pl.Series(rng.integers(10_000_000, 99_999_999, n_cand)).cast(pl.String),
        "gender": pl.Series([g for _, g in cat.FIRST_NAMES]).gather(first_i),
        "location": pl.Series(cat.CANDIDATE_CITIES).gather(rng.integers(0, len(cat.CANDIDATE_CITIES), n_cand)),
    })
    return app_candidate.alias("candidate_id"), candidates, details


def _job_frames(rng: np.random.Generator, jobs: _Jobs, job_ids: pl.Series, created_s: np.ndarray,
                end_s: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The jobs table and the job details the fake needs (feed attributes, published flag)."""
    n_jobs = len(jobs.template)
    tpl = [cat.JOB_TEMPLATES[i] for i in jobs.template]
    names = _job_names(tpl, jobs.kind, jobs.created_s)
    dept_names = dict(cat.DEPARTMENTS)
    cat_names = dict(cat.CATEGORIES)
    unpublished = np.zeros(n_jobs, dtype=bool)
    candidates = np.array([i for i, t in enumerate(tpl) if t.category_id != "9004"])
    unpublished[rng.choice(candidates, size=max(1, round(0.15 * n_jobs)), replace=False)] = True
    published = ~unpublished
    offices = [t.office for t in tpl]
    employment = [t.employment_type for t in tpl]
    updated_s = np.minimum(created_s + rng.integers(3600, 60 * DAY, n_jobs), end_s - 1)
    updated_s = np.maximum(updated_s, created_s)
    jobs_frame = pl.DataFrame({
        "job_id": job_ids,
        "job_name": names,
        "department_id": [t.department_id for t in tpl],
        "department_name": [dept_names.get(t.department_id, UNKNOWN) for t in tpl],
        "category_id": [t.category_id for t in tpl],
        "category_name": [cat_names[t.category_id] for t in tpl],
        "location": [o if p else UNKNOWN for o, p in zip(offices, published, strict=True)],
        "employment_type": [e if p else UNKNOWN for e, p in zip(employment, published, strict=True)],
        "created_at": _ts(created_s),
    }, schema=SCHEMAS["jobs"])
    details = pl.DataFrame({
        "job_id": job_ids,
        "office": offices,
        "employment_type": employment,
        "seniority": [t.seniority for t in tpl],
        "schedule": [t.schedule for t in tpl],
        "published": published,
        "updated_at": _ts(updated_s),
    })
    return jobs_frame, details


@dataclass(frozen=True)
class _Teams:
    """Per job: index into cat.RECRUITERS / cat.HIRING_MANAGERS (-1: the job has no team), interviewer or -1."""

    recruiter: np.ndarray
    manager: np.ndarray
    interviewer: np.ndarray


def _job_teams(rng: np.random.Generator, jobs: _Jobs) -> _Teams:
    """Each job's recruiter (by the recruiters' load), a hiring manager of its department and, on every third job,
    an interviewer; the latest recently opened job has no hiring team at all."""
    n_jobs = len(jobs.template)
    load = np.array([m.load for m in cat.RECRUITERS])
    recruiter = rng.choice(len(cat.RECRUITERS), size=n_jobs, p=load / load.sum())
    manager = np.empty(n_jobs, dtype=np.int64)
    for j, t in enumerate(jobs.template):
        dept = cat.JOB_TEMPLATES[t].department_id or ""
        fits = [i for i, m in enumerate(cat.HIRING_MANAGERS) if dept in m.departments]
        manager[j] = fits[rng.integers(len(fits))]
    interviewer = np.where(np.arange(n_jobs) % 3 == 0, rng.integers(0, len(cat.INTERVIEWERS), n_jobs), -1)
    loose = (jobs.kind == "recent").nonzero()[0][-1:]  # still open at the end, so it has applications
    recruiter[loose] = manager[loose] = interviewer[loose] = -1
    return _Teams(recruiter=recruiter, manager=manager, interviewer=interviewer)


def _trait(members: tuple[cat.TeamMember, ...], name: str, index: np.ndarray) -> np.ndarray:
    """`members[index].<name>` per entry (1.0 where index is -1: no such member)."""
    values = np.array([getattr(m, name) for m in members] + [1.0])
    return values[np.where(index >= 0, index, len(members))]


def _team_frame(teams: _Teams, job_ids: pl.Series, app_ids: pl.Series, job: np.ndarray, own: np.ndarray,
                recruiter: np.ndarray) -> pl.DataFrame:
    """The hiring teams: each job's (application_id null), then the own teams of applications handled by another
    recruiter (that recruiter and the job's hiring manager). Columns: application_id, job_id, person_id, role,
    position (order within the team)."""
    rows: list[tuple] = []
    job_ids, app_ids = job_ids.to_list(), app_ids.to_list()
    for j in range(len(job_ids)):
        members = [(cat.RECRUITERS, teams.recruiter[j]), (cat.HIRING_MANAGERS, teams.manager[j])]
        people = [(m[i].person_id, m[i].role) for m, i in members if i >= 0]
        if teams.interviewer[j] >= 0:
            people.append((cat.INTERVIEWERS[teams.interviewer[j]], cat.INTERVIEWER))
        rows += [(None, job_ids[j], p, r, k) for k, (p, r) in enumerate(people)]
    for a in own.nonzero()[0]:
        people = [cat.RECRUITERS[recruiter[a]]]
        if teams.manager[job[a]] >= 0:
            people.append(cat.HIRING_MANAGERS[teams.manager[job[a]]])
        rows += [(app_ids[a], job_ids[int(job[a])], m.person_id, m.role, k) for k, m in enumerate(people)]
    schema = {"application_id": pl.String, "job_id": pl.String, "person_id": pl.String, "role": pl.String,
              "position": pl.Int32}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _job_names(tpl: list[cat.JobTemplate], kinds: np.ndarray, created_s: np.ndarray) -> list[str]:
    """Job titles: a re-posted volume role carries its posting month ("… – Mar 2025"), other repeats "#2", "#3"."""
    months = pl.Series(created_s * 1_000_000, dtype=pl.Int64).cast(UTC_TS).dt.strftime("%b %Y").to_list()
    repeat = _repeat_no(np.array([cat.JOB_TEMPLATES.index(t) for t in tpl]))
    return [f"{t.name} – {m}" if k == "volume" else t.name if r == 0 else f"{t.name} #{r + 1}"
            for t, k, m, r in zip(tpl, kinds, months, repeat, strict=True)]


def _repeat_no(template: np.ndarray) -> np.ndarray:
    """For each job, how many earlier jobs share its template (0 for the first)."""
    order = np.argsort(template, kind="stable")
    sorted_t = template[order]
    starts = np.r_[0, (np.diff(sorted_t) != 0).nonzero()[0] + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(sorted_t)]))
    out = np.empty(len(template), dtype=np.int64)
    out[order] = np.arange(len(template)) - run_start
    return out


_PERSON_GENDER = {"UNDEFINED": "UNSPECIFIED"}  # the persons API's gender enum: UNSPECIFIED, MALE, FEMALE, DIVERSE


def team_people(seed: int = 7) -> pl.DataFrame:
    """Made-up people behind the catalogue's hiring-team ids, the same for the same seed (its own random stream,
    so the company's data does not change): person_id, first_name, last_name, preferred_name ("" when none),
    gender, email, created_days_ago (days before the company's end). Every member gets a distinct name."""
    rng = np.random.default_rng([seed, 5])
    ids = [m.person_id for m in cat.RECRUITERS + cat.HIRING_MANAGERS] + list(cat.INTERVIEWERS)
    pairs = rng.choice(len(cat.FIRST_NAMES) * len(cat.LAST_NAMES), size=len(ids), replace=False)
    first_i, last_i = pairs // len(cat.LAST_NAMES), pairs % len(cat.LAST_NAMES)
    firsts = [cat.FIRST_NAMES[i][0] for i in first_i]
    lasts = [cat.LAST_NAMES[i] for i in last_i]
    nick = rng.random(len(ids)) < 0.25  # a few go by a shorter name ("Bram C.")
    return pl.DataFrame({
        "person_id": ids,
        "first_name": firsts,
        "last_name": lasts,
        "preferred_name": [f"{f} {x[0]}." if n else "" for f, x, n in zip(firsts, lasts, nick, strict=True)],
        "gender": [_PERSON_GENDER.get(cat.FIRST_NAMES[i][1], cat.FIRST_NAMES[i][1]) for i in first_i],
        "email": [f"{_ascii(f)}.{_ascii(x)}@demo-company.example".lower().replace(" ", "").replace("'", "")
                  for f, x in zip(firsts, lasts, strict=True)],
        "created_days_ago": rng.integers(400, 2500, len(ids)),
    })
