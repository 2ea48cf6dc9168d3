"""Team chart: hiring-team members compared on speed (median time to hire) and conversion (pass-through)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.figures.common import base_layout, build, empty_figure, error_arrays, ids, title_with_n
from dashboard.figures.guard import guarded
from dashboard.figures.template import NEUTRAL, TEXT, series_colors

TITLE = "Speed and conversion by hiring-team member"
RATES = {"to_interviews": "pass-through to interviews", "to_offer": "pass-through to offer"}


@guarded
def team_chart(df: pl.DataFrame, labels: list[str], rate: str = "to_interviews",
               short: list[str] | None = None) -> go.Figure:
    """One marker per member: x = median time to hire (days), y = `rate` (%) with its 95% Wilson interval,
    size = applications, colour = role; members with too few applications are hollow.

    Input: `metrics.team.team_table` plus `labels` (one display label per row, e.g. "Recruiter · 56789") and
    `short` (the text beside each marker, e.g. the id or name; default the label).
    customdata: `[person_id, role]` ("" for Unassigned). Members without hires or without a rate are left out."""
    if df is None or df.height == 0:
        return empty_figure(TITLE)
    frame = df.with_columns(pl.Series("label", labels, dtype=pl.String),
                            pl.Series("short", short or labels, dtype=pl.String)).filter(
        pl.col("time_to_hire_median_days").is_not_null() & pl.col(rate).is_not_null()
    )
    if frame.height == 0:
        return empty_figure(TITLE, "No member has both a hire and a decided application in this range.")
    biggest = max(frame["applications"].max() or 1, 1)
    frame = frame.with_columns(
        (12 + 30 * (pl.col("applications") / biggest).sqrt()).alias("marker_px"))
    frame = frame.with_columns(pl.Series("text_position", _text_positions(
        frame["time_to_hire_median_days"].to_list(), [v * 100 for v in frame[rate].to_list()],
        100 * max(frame[f"{rate}_hi"].max() or 0.0, frame[rate].max() or 0.0), frame["marker_px"].to_list(), frame["short"].to_list()), dtype=pl.String))
    roles = [r or "Unassigned" for r in frame["role"].to_list()]
    colors = series_colors(roles)
    data = []
    for role in dict.fromkeys(roles):
        part = frame.filter(pl.col("role").fill_null("Unassigned") == role)
        rates = part[rate].to_list()
        plus, minus = error_arrays(rates, part[f"{rate}_lo"].to_list(), part[f"{rate}_hi"].to_list())
        few = part["too_few_to_judge"].to_list()
        color = colors.get(role, NEUTRAL)
        data.append({
            "type": "scatter", "mode": "markers+text", "name": role,
            "x": part["time_to_hire_median_days"].to_list(), "y": [r * 100 for r in rates],
            "text": part["short"].to_list(), "textposition": part["text_position"].to_list(), "textfont": {"size": 11},
            "marker": {"size": part["marker_px"].to_list(),
                       "color": ["rgba(0,0,0,0)" if f else color for f in few],
                       "line": {"width": 2, "color": color}, "opacity": 0.85},
            "error_y": {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, "color": TEXT,
                        "thickness": 1, "width": 4},
            "customdata": ids(part["person_id"], part["role"]),
            "hovertext": [
                f"{lbl} — {a:,} applications · {h:,} hires · {n:,} decided" + (" · too few to judge" if f else "")
                for lbl, a, h, n, f in zip(part["label"], part["applications"], part["hires"], part[f"{rate}_n"], few,
                                           strict=True)
            ],
            "hovertemplate": ("%{hovertext}<br>median time to hire: %{x:.1f} d<br>" + RATES[rate]
                              + ": %{y:.1f}%<extra></extra>"),
        })
    # n counts the plotted members, not applications: members without a hire have no point, and a member's
    # applications also count under every other member of the same team (the caption's sum)
    layout = {
        **base_layout(title_with_n(TITLE, frame.height, unit="member with a hire" if frame.height == 1 else "members with a hire", extra="bubble size = applications · hollow = under 20 applications · "
                                                   "bars = 95% interval"), height=520),
        "xaxis": {"title": {"text": "median time to hire (days) — faster to the left"}, "rangemode": "tozero"},
        "yaxis": {"title": {"text": f"{RATES[rate]} (%)"}, "ticksuffix": "%", "rangemode": "tozero"},
        "legend": {"title": {"text": "role"}},
    }
    return build(data, layout)


_SIDES = ("top center", "bottom center", "middle right", "middle left")
_PLOT_PX = (1000.0, 400.0)  # the plot area a label layout assumes (the chart is 520 px high, ~1,100 wide)
_CHAR_PX, _LINE_PX = 7.0, 14.0  # an 11 px label: width per character, height


def _text_positions(x: list[float], y: list[float], y_top: float, sizes: list[float],
                    texts: list[str]) -> list[str]:
    """A side per marker (top, bottom, right, left) whose label box overlaps no marker and no label placed
    before it.

    Greedy in approximate pixels over the axes' range (both start at zero; y up to `y_top`, the highest
    interval), big markers first; when every side is taken the label goes on top."""
    sx = _PLOT_PX[0] / (max(x) * 1.05 or 1.0)
    sy = _PLOT_PX[1] / (y_top * 1.05 or 1.0)
    # boxes as centre x, centre y, half width, half height: every marker, then each label as it is placed
    placed = [(xi * sx, yi * sy, size / 2, size / 2) for xi, yi, size in zip(x, y, sizes, strict=True)]
    sides: dict[int, str] = {}
    for i in sorted(range(len(x)), key=lambda k: -sizes[k]):
        px, py, r = x[i] * sx, y[i] * sy, sizes[i] / 2
        hw, hh = _CHAR_PX * len(texts[i]) / 2, _LINE_PX / 2
        boxes = {"top center": (px, py + r + hh + 2), "bottom center": (px, py - r - hh - 2),
                 "middle right": (px + r + hw + 4, py), "middle left": (px - r - hw - 4, py)}
        others = placed[:i] + placed[i + 1:]
        free = [side for side in _SIDES if not any(
            abs(boxes[side][0] - bx) < hw + bw and abs(boxes[side][1] - by) < hh + bh for bx, by, bw, bh in others)]
        sides[i] = free[0] if free else _SIDES[0]
        placed.append((*boxes[sides[i]], hw, hh))
    return [sides[i] for i in range(len(x))]
