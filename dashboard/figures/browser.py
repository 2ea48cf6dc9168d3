"""The form of a figure the dashboard sends to the browser, so that plotly.js draws it once per change.

Streamlit's chart element hands every figure to `Plotly.react` twice: when it mounts, and right after with a
JSON copy of the same figure (its theme step). plotly.js compares the copy with what it drew and redraws the
whole chart when the layout holds a template (any template object, even an empty one, counts as changed) or
when data arrays are new objects and `layout.datarevision` does not say they are the same data. That second
full draw costs about half of the first. So the figure sent to the browser:

- carries its template's values in its own layout and traces, and no template (`inline_template`);
- names its data with `layout.datarevision` (a hash of the traces), which changes whenever the data does;
- is shown with `theme=None` (Streamlit's theme would add a template back);
- states the click and drag modes Streamlit sets on a selectable chart, so its selection step changes nothing.

What a chart shows is unchanged: the same traces, titles, labels and numbers, in our template's look.
Review packs and image exports keep the figure with its template.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import plotly.graph_objects as go

_AXIS = re.compile(r"^([xy])axis(\d*)$")


def _merge(base: dict, top: dict) -> dict:
    """`top` over `base`: nested dicts merged, every other value of `top` wins (as a figure wins over a template)."""
    out = dict(base)
    for key, value in top.items():
        old = out.get(key)
        out[key] = _merge(old, value) if isinstance(value, dict) and isinstance(old, dict) else value
    return out


def _axis_names(fig: go.Figure, layout: dict) -> set[str]:
    """Layout keys of every cartesian axis the figure draws: those in its layout and those its traces use."""
    names = {key for key in layout if _AXIS.match(key)}
    for trace in fig.data:
        for letter in ("x", "y"):
            if f"{letter}axis" in trace:  # a cartesian trace
                ref = trace[f"{letter}axis"] or letter
                names.add(f"{letter}axis{ref[1:]}")
    return names


def inline_template(fig: go.Figure) -> dict[str, Any]:
    """The figure as a dict with its template's layout and trace defaults written in, and no template.

    plotly.js semantics: the template's `xaxis` / `yaxis` apply to every x / y axis, its `data.<type>` entries to
    the traces of that type in turn; whatever the figure sets itself wins."""
    spec = fig.to_plotly_json()
    layout = dict(spec["layout"])
    template = layout.pop("template", None) or {}
    defaults = template.get("layout", {})
    for key, value in defaults.items():
        if _AXIS.match(key):
            continue
        if key not in layout:
            layout[key] = value
        elif isinstance(value, dict) and isinstance(layout[key], dict):
            layout[key] = _merge(value, layout[key])
    for name in _axis_names(fig, layout):
        layout[name] = _merge(defaults.get(f"{name[0]}axis", {}), layout.get(name) or {})
    by_type = template.get("data", {})
    seen: dict[str, int] = {}
    data = []
    for trace in spec["data"]:
        kind = trace.get("type", "scatter")
        choices = by_type.get(kind) or []
        i = seen[kind] = seen.get(kind, -1) + 1
        data.append(_merge(choices[i % len(choices)], trace) if choices else trace)
    return {"data": data, "layout": layout}


def data_revision(fig: go.Figure) -> str:
    """A short hash of the figure's traces: equal for equal data, different when any value changes."""
    traces = json.dumps([t.to_plotly_json() for t in fig.data], sort_keys=True, default=str)
    return hashlib.blake2b(traces.encode(), digest_size=8).hexdigest()


def for_browser(fig: go.Figure, *, selectable: bool = False) -> go.Figure:
    """The figure as sent to the browser (template inlined, data revision, selection modes); see the module doc.

    `selectable`: the chart is shown with `on_select="rerun"` and points + box selection."""
    spec = inline_template(fig)
    layout = spec["layout"]
    layout["datarevision"] = data_revision(fig)
    if selectable:  # what Streamlit's chart element would set (it sets a mode only where the figure has none)
        layout.setdefault("clickmode", "event+select")
        layout.setdefault("hovermode", "closest")
        layout.setdefault("dragmode", "pan")
    out = go.Figure(spec, _validate=False)  # the values of a validated figure: not checked again
    out.layout.template = None  # no default template either (sent as null, which plotly.js reads as none)
    return out
