"""The job health chart leaves job names to the one escaping pass of figures.safe (no double escaping)."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from dashboard.figures import safe
from dashboard.figures.job_health import job_health_chart
from metrics.job_health import job_health
from tests.metrics.test_team import JAN, team_tables


def test_a_job_name_with_markup_characters_is_escaped_exactly_once_where_shown():
    t = team_tables()
    t = replace(t, jobs=t.jobs.with_columns(pl.lit("R&D <b>Lab</b>").alias("job_name")))
    shown = safe.figure(job_health_chart(job_health(t, JAN, 14), 14))
    labels = [y for trace in shown.data for y in (trace.y or ())]
    assert labels and all("R&amp;D &lt;b&gt;Lab&lt;/b&gt;" in y for y in labels)  # plotly shows R&D <b>Lab</b>
    assert not any("&amp;amp;" in y or "&amp;lt;" in y for y in labels)
