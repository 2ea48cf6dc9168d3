"""A review: the cover, the KPI tiles and every chart (with caption, n and data) of a page or the whole dashboard.

The HTML pack (`pack.review_html`) and the slide deck (`deck.review_deck`) both draw from one `Review`, so
the two say the same thing. `whole_dashboard` computes every page's charts for one filter state;
`from_page` turns what one page showed into a review.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard import display as d
from dashboard.exports.context import ExportContext, context_for
from dashboard.figures import safe
from dashboard.schema import Tables
from metrics.filters import Filters


@dataclass(frozen=True)
class Tile:
    """One KPI as shown: label, value text, change text, how the change reads (good / bad / neutral), n."""

    label: str
    value: str
    change: str | None = None
    tone: str = "neutral"  # good | bad | neutral
    previous: str | None = None
    n: str = ""


@dataclass(frozen=True)
class Chart:
    """One chart with its caption (cohort and n) and the data behind it."""

    name: str
    figure: go.Figure
    caption: str
    data: pl.DataFrame | None = None
    section: str = ""

    @property
    def title(self) -> str:
        """The chart's own title without n or markup: 'Recruiting funnel'."""
        text = re.sub(r"<[^>]+>", "", str(self.figure.layout.title.text or "").split("<br>")[0])
        return text.split(" · n = ")[0].strip() or d.label(self.name)


@dataclass
class Review:
    """Everything a pack or a deck shows."""

    title: str
    context: ExportContext
    tiles: list[Tile] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)  # tables that are not a chart's data
    notes: list[str] = field(default_factory=list)


def tiles_from(rows: Sequence[Mapping[str, Any]], better: Mapping[str, str | None],
               units: Mapping[str, str]) -> list[Tile]:
    """Tiles from `metrics.kpis.overview_tiles` rows, formatted as on the Overview page."""
    out = []
    for r in rows:
        unit, delta = r["unit"], r.get("delta")
        change = d.delta_text(delta, unit)
        tone = "neutral"
        if change not in (None, "no change") and better.get(r["key"]) is not None:
            up = delta > 0
            tone = "good" if up == (better[r["key"]] == "higher") else "bad"
        prev = d.format_value(r["previous"], unit) if r.get("previous") is not None else None
        n = f"n = {r['n']:,} {units.get(r['key'], '')}".strip() if r.get("n") is not None else ""
        out.append(Tile(r["label"], d.format_value(r["value"], unit), change, tone, prev, n))
    return out


def _caption(cohort: str, n: int | None, unit: str = "applications") -> str:
    return f"{cohort} · n = {int(n or 0):,} {unit}"


def whole_dashboard(t: Tables, f: Filters, company: str) -> Review:
    """The review of every page for filter state `f`: KPI tiles, then each page's charts in page order."""
    from dashboard.figures.candidates import applications_per_candidate_chart
    from dashboard.figures.channels import channel_conversion_chart, channel_quality_chart
    from dashboard.figures.funnel import funnel_chart
    from dashboard.figures.job_health import job_health_chart
    from dashboard.figures.outcomes import offer_acceptance_chart, rejections_by_stage_chart
    from dashboard.figures.snapshot import stage_snapshot_chart
    from dashboard.figures.speed import (
        km_curve_chart,
        stays_caption_unit,
        time_in_stage_chart,
        time_to_fill_chart,
        time_to_hire_chart,
        time_to_offer_chart,
    )
    from dashboard.figures.team import team_chart
    from dashboard.figures.volume import applications_by_chart, volume_chart
    from metrics import candidates, channels, funnel, outcomes, snapshot, speed, team, volume
    from metrics.job_health import DEFAULT_STUCK_DAYS, job_health
    from metrics.kpis import BETTER, N_UNITS, overview_tiles
    from metrics.stages import application_facts

    facts = application_facts(t, f)
    kw = {"facts": facts}
    review = Review("Recruiting review", context_for(company, f, t.as_of, t.jobs))
    review.tiles = tiles_from(overview_tiles(t, f, **kw), BETTER, N_UNITS)
    charts = review.charts
    n_apps = int(funnel.overall_conversion(t, f, **kw)["reached_new"] or 0)

    weekly = volume.volume_over_time(t, f, "week", **kw)
    partial = weekly.filter(volume.partial_buckets(weekly["bucket_start"], f, "week", t.as_of))["bucket_start"]
    charts.append(Chart("volume_by_week", volume_chart(weekly, "week", partial=partial.to_list()),
                        _caption(d.COHORT_APPLICATIONS, n_apps), weekly, "Overview"))
    steps = funnel.funnel(t, f, **kw)
    charts.append(Chart("funnel", funnel_chart(steps), _caption(d.COHORT_APPLICATIONS, n_apps)
                        + " · pass-through = moved on / (moved on + closed at the step); bars show 95% intervals",
                        steps, "Funnel"))
    now = snapshot.applications_per_stage(t, f, **kw)
    charts.append(Chart("applications_per_stage", stage_snapshot_chart(now, "now"),
                        _caption(d.COHORT_CURRENT, int(now["count"].sum()) if now.height else 0), now, "Funnel"))

    hires = speed.time_to_hire(t, f, **kw)
    s_hire = speed.speed_summary(hires)
    charts.append(Chart("time_to_hire", time_to_hire_chart(hires, s_hire), _caption(d.COHORT_HIRES, s_hire["n"], "hires"),
                        hires, "Speed"))
    offers = speed.time_to_offer(t, f, **kw)
    s_offer = speed.speed_summary(offers)
    charts.append(Chart("time_to_offer", time_to_offer_chart(offers, s_offer),
                        _caption(d.COHORT_OFFERS, s_offer["n"], "offers"), offers, "Speed"))
    fill = speed.time_to_fill(t, f, **kw)
    fs = speed.time_to_fill_summary(t, f, **kw)
    n_jobs = fs["n_filled"] + fs["n_open"]
    charts.append(Chart("time_to_fill", time_to_fill_chart(fill, fs), _caption(d.COHORT_FILLS, n_jobs, "jobs"),
                        fill, "Speed"))
    curve = speed.time_to_fill_km_curve(t, f, **kw)
    charts.append(Chart("time_to_fill_km_curve", km_curve_chart(curve, fs["km_median"]),
                        _caption(d.COHORT_FILLS, n_jobs, "jobs") + " · Kaplan–Meier: open jobs count as censored "
                        "(still running, so we only know they took at least this long)", curve, "Speed"))
    tis = speed.time_in_stage(t, f, "stage_type", **kw)
    n_stays, stays_unit = stays_caption_unit(tis)
    charts.append(Chart("time_in_stage_type", time_in_stage_chart(tis), _caption(d.COHORT_STAGES, n_stays, stays_unit),
                        tis, "Speed"))

    members = team.team_table(t, f)
    if members.height:
        ids = [p or "Unassigned" for p in members["person_id"].to_list()]
        labels = [team.member_label(p, r) for p, r in members.select("person_id", "role").iter_rows()]
        # an application counts once per member it is attributed to: the sum is not the cohort's size
        charts.append(Chart("team", team_chart(members, labels, "to_interviews", ids),
                            _caption(d.COHORT_APPLICATIONS, int(members["applications"].sum()),
                                     "applications counted once per member"), members, "Team"))

    conv = channels.channel_conversion(t, f, **kw)
    charts.append(Chart("channel_conversion", channel_conversion_chart(conv), _caption(d.COHORT_APPLICATIONS, n_apps),
                        conv, "Channels"))
    quality = channels.channel_quality(t, f, **kw)
    charts.append(Chart("channel_quality", channel_quality_chart(quality), _caption(d.COHORT_APPLICATIONS, n_apps),
                        quality, "Channels"))
    health = job_health(t, f, float(DEFAULT_STUCK_DAYS))
    active_jobs = health.filter(pl.col("active") > 0)
    charts.append(Chart("job_health", job_health_chart(health, float(DEFAULT_STUCK_DAYS)),
                        _caption(d.COHORT_JOB_HEALTH, int(active_jobs["active"].sum()), "active applications")
                        + f" · stuck: no movement for more than {DEFAULT_STUCK_DAYS} days", health, "Jobs"))
    by_job = volume.applications_by(t, f, "job", **kw)
    charts.append(Chart("applications_by_job", applications_by_chart(by_job, "job"),
                        _caption(d.COHORT_APPLICATIONS, n_apps), by_job, "Jobs"))

    acc = outcomes.offer_acceptance(t, f, **kw)
    n_offers = sum(int(acc.get(k) or 0) for k in ("accepted", "declined", "withdrew", "pending", "other"))
    decided = sum(int(acc.get(k) or 0) for k in ("accepted", "declined", "withdrew"))
    acc_table = pl.DataFrame([{k: acc.get(k) for k in ("accepted", "declined", "withdrew", "pending", "rate")}],
                             schema_overrides={"rate": pl.Float64})
    charts.append(Chart("offer_acceptance", offer_acceptance_chart(acc), _caption(d.COHORT_DECISIONS, n_offers, f"offers ({decided:,} decided)"),
                        acc_table, "Outcomes"))
    rej = outcomes.rejections_by_stage(t, f, "rejected", **kw)
    charts.append(Chart("rejections_by_stage", rejections_by_stage_chart(rej, "rejected"),
                        _caption(d.COHORT_APPLICATIONS, int(rej["count"].sum()) if rej.height else 0, "rejections"),
                        rej, "Outcomes"))
    per_candidate = candidates.applications_per_candidate(t, f, **kw)
    summary = candidates.applications_per_candidate_summary(t, f, **kw)
    charts.append(Chart("applications_per_candidate", applications_per_candidate_chart(per_candidate, summary),
                        _caption(d.COHORT_APPLICATIONS, int(summary.get("candidates") or 0), "candidates"),
                        per_candidate, "Candidates"))
    # data strings as plain text, as every chart shown on a page (dashboard.ui.widgets.chart applies the same)
    review.charts[:] = [replace(c, figure=safe.figure(c.figure)) for c in charts]
    return review


def from_page(title: str, ctx: ExportContext, figures: Sequence[tuple[str, go.Figure, str]],
              tables: Mapping[str, pl.DataFrame], tiles: Sequence[Tile] = (), section: str = "") -> Review:
    """A review of one page: its tiles, its charts (with their data) and its other tables, in page order."""
    shown = {name for name, _fig, _cap in figures}
    charts = [Chart(name, fig, cap, tables.get(name), section) for name, fig, cap in figures]
    rest = {name: df for name, df in tables.items() if name not in shown}
    return Review(title, ctx, list(tiles), charts, rest)
