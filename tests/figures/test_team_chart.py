"""The team chart's title counts the members it plots, so it never shows a second 'applications' n."""

from __future__ import annotations

import polars as pl

from dashboard.figures.team import team_chart


def test_title_counts_plotted_members_not_applications():
    # three members: two with a hire and a rate (plotted), Unassigned without a hire (no point)
    df = pl.DataFrame({
        "person_id": ["1", "2", None], "role": ["Recruiter", "Hiring manager", None],
        "applications": [30, 25, 7], "hires": [3, 2, 0],
        "time_to_hire_median_days": [20.0, 35.0, None],
        "to_interviews": [0.5, 0.4, 0.2], "to_interviews_lo": [0.3, 0.2, 0.05],
        "to_interviews_hi": [0.7, 0.6, 0.5], "to_interviews_n": [10, 10, 5],
        "too_few_to_judge": [False, False, True],
    })
    fig = team_chart(df, ["Recruiter · 1", "Hiring manager · 2", "Unassigned"])
    title = fig.layout.title.text
    assert "n = 2 members with a hire" in title
    assert "applications ·" not in title.split("<br>")[0]
    assert sum(len(t.x) for t in fig.data) == 2
