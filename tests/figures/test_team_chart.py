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


def test_labels_of_members_close_together_go_to_different_sides():
    # 1, 2 and 3 sit one day and one point apart (their markers overlap); 4 is far from all
    df = pl.DataFrame({
        "person_id": ["1", "2", "3", "4"], "role": ["Recruiter", "Recruiter", "Hiring manager", "Recruiter"],
        "applications": [30, 30, 30, 30], "hires": [3, 3, 3, 3],
        "time_to_hire_median_days": [20.0, 21.0, 22.0, 60.0],
        "to_interviews": [0.40, 0.41, 0.42, 0.80], "to_interviews_lo": [0.3] * 4,
        "to_interviews_hi": [0.9] * 4, "to_interviews_n": [20] * 4, "too_few_to_judge": [False] * 4,
    })
    fig = team_chart(df, ["R · 1", "R · 2", "HM · 3", "R · 4"])
    position = {t: p for trace in fig.data for t, p in zip(trace.text, trace.textposition, strict=True)}
    assert len({position["R · 1"], position["R · 2"], position["HM · 3"]}) == 3  # three different sides
    assert position["R · 4"] == "top center"  # alone: the usual place


def test_member_strings_are_left_for_the_one_escaping_pass_and_the_hover_carries_no_markup_of_its_own():
    from dashboard.figures import safe

    df = pl.DataFrame({
        "person_id": ["1"], "role": ["<i>Recruiter</i>"], "applications": [30], "hires": [3],
        "time_to_hire_median_days": [20.0], "to_interviews": [0.5], "to_interviews_lo": [0.3],
        "to_interviews_hi": [0.7], "to_interviews_n": [10], "too_few_to_judge": [False],
    })
    shown = safe.figure(team_chart(df, ["A&B · 1"], short=["A&B"]))
    trace = shown.data[0]
    assert trace.name == "&lt;i&gt;Recruiter&lt;/i&gt;" and list(trace.text) == ["A&amp;B"]
    assert trace.hovertext[0].startswith("A&amp;B · 1 — 30 applications")
    assert "&lt;br&gt;" not in trace.hovertext[0] and "&amp;amp;" not in trace.hovertext[0]
