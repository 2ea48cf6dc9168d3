"""Reusable page pieces: KPI tiles, charts with cohort note + downloads + drill-down, tables, empty states."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard.display import (  # noqa: F401 - the cohort texts are used by the pages as w.COHORT_*
    COHORT_APPLICATIONS,
    COHORT_CURRENT,
    COHORT_DECISIONS,
    COHORT_FILLS,
    COHORT_HIRES,
    COHORT_OFFERS,
    COHORT_STAGES,
    format_delta,
    format_value,
    is_no_change,
)
from dashboard.exports.csv import display_csv_bytes, safe_filename
from dashboard.figures import safe
from dashboard.figures.browser import for_browser
from dashboard.figures.guard import is_failed
from dashboard.ui import state
from dashboard.ui.formats import column_config
from dashboard.ui.isolate import figure_failed

NO_APPLICATIONS = "No applications in this range — widen the dates or clear filters."

TILE_HEIGHT = 196  # px: tiles with and without a sparkline line up
Drill = Callable[[list[list[str]]], pl.DataFrame]


@dataclass
class Pack:
    """Everything a page shows, collected while it renders, for its review pack download."""

    page: str
    title: str
    subtitle: str = ""
    as_of: datetime | None = None
    figures: list[tuple[str, go.Figure, str]] = field(default_factory=list)  # (name, figure, caption)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    context: Any = None  # dashboard.exports.context.ExportContext of the page's filter state
    tiles: list[Any] = field(default_factory=list)  # dashboard.exports.review.Tile, for the pack and the deck
    tile_table: pl.DataFrame | None = None  # the tiles' exact values, for the CSV zip

    def add_figure(self, name: str, fig: go.Figure, caption: str, data: pl.DataFrame | None) -> None:
        """Remember a chart and its data."""
        self.figures.append((name, fig, caption))
        if data is not None:
            self.tables[name] = data

    def add_table(self, name: str, df: pl.DataFrame) -> None:
        """Remember a table."""
        self.tables[name] = df


def explain(*terms: str) -> None:
    """One caption line per statistical term (display.GLOSSARY), where the term first appears on a page."""
    from dashboard.display import GLOSSARY

    lines = [f"**{t}**: {GLOSSARY[t]}" for t in terms if t in GLOSSARY]
    if lines:
        st.caption("  \n".join(lines) + "  \nAll terms: Admin › Glossary.")


def n_caption(cohort: str, n: int | None, unit: str = "applications") -> str:
    """'Application cohort: applications dated in range · n = 1,234 applications'."""
    return f"{cohort} · n = {n:,} {unit}" if n is not None else cohort


def empty_state(message: str = NO_APPLICATIONS, *, icon: str = ":material/info:") -> None:
    """An explained empty state: why there is nothing to show and what to change."""
    st.info(message, icon=icon)


def kpi_tile(label: str, value: float | int | None, *, unit: str = "count", previous: float | int | None = None,
             delta: float | None = None, n: int | None = None, n_unit: str = "", sparkline: Sequence[float] | None = None,
             better: str | None = "higher", help: str | None = None, key: str | None = None) -> None:
    """A bordered metric: the value, the change vs the previous period, a weekly sparkline and n.

    `better` is "higher", "lower" or None (neither: the change is shown grey). A change that rounds to
    zero at the shown precision is written "no change", grey and without an arrow."""
    text = format_value(value, unit)
    delta_text = format_delta(delta, unit) if delta is not None else None
    unchanged = delta_text is not None and is_no_change(delta_text)
    if unchanged:
        delta_text = "no change"
    color = "off" if unchanged or better is None else ("inverse" if better == "lower" else "normal")
    desc = f"vs {format_value(previous, unit)} previous period" if previous is not None else "no previous period"
    if n is not None:
        help = f"{help + ' ' if help else ''}n = {n:,} {n_unit}".strip()
    spark = [v for v in (sparkline or []) if v is not None]
    st.metric(label, text, delta_text, delta_color=color, help=help, border=True, height=TILE_HEIGHT,
              chart_data=spark if len(spark) > 1 else None, chart_type="line",
              delta_arrow="off" if unchanged else "auto",
              delta_description=desc if delta is not None else None)
    if n is not None:
        st.caption(f"n = {n:,} {n_unit}".strip())


def _stem(name: str) -> str:
    """File name stem saying what and when: 'funnel_2026-07-01_2026-09-30'."""
    from dashboard.ui.context import current

    ctx = current()
    if ctx.data is None:
        return safe_filename(name)
    from dashboard.exports.context import context_for

    company = ctx.source.label if ctx.source else ""
    return safe_filename(context_for(company, ctx.filters, ctx.data.as_of).file_stem(name))


def csv_button(df: pl.DataFrame, name: str, *, key: str, label: str = "CSV") -> None:
    """A download button for `df` as formula-safe CSV with human headers and rounded values, plus the exact
    values in machine-named columns (generated on click)."""
    st.download_button(label, data=lambda: display_csv_bytes(df), file_name=f"{_stem(name)}.csv", mime="text/csv",
                       on_click="ignore", key=key, icon=":material/download:",
                       help="Data behind this view, safe to open in a spreadsheet")


def _image_buttons(fig: go.Figure, name: str, n: str | None = None) -> None:
    """PNG and SVG downloads, rendered only when clicked (kaleido + Chromium run in the download thread).

    The image carries its context: title, company, date range, filters by name, n and data as of."""
    from dashboard.exports import images
    from dashboard.exports.context import context_for
    from dashboard.ui.context import current

    ctx = current()
    export_ctx = None
    if ctx.data is not None:
        export_ctx = context_for(ctx.source.label if ctx.source else "", ctx.filters, ctx.data.as_of,
                                 ctx.data.tables.jobs)
    ok, why = images.image_export_status()
    fname = _stem(name)
    st.download_button("PNG", data=lambda: images.to_png(images.decorate(fig, export_ctx, n)), file_name=f"{fname}.png",
                       mime="image/png", key=state.key(state.CHART_PNG, name=name), disabled=not ok,
                       help="Chart as PNG for slides" if ok else why, icon=":material/image:", on_click="ignore")
    st.download_button("SVG", data=lambda: images.to_svg(images.decorate(fig, export_ctx, n)), file_name=f"{fname}.svg",
                       mime="image/svg+xml",
                       key=state.key(state.CHART_SVG, name=name), disabled=not ok,
                       help="Chart as SVG (vector)" if ok else why, icon=":material/image:", on_click="ignore")


def selected_customdata(event: Any) -> list[list[str]]:
    """customdata rows of the selected points (never point indices); [] when nothing is selected."""
    try:
        points = event.selection.points if hasattr(event, "selection") else event["selection"]["points"]
    except (KeyError, TypeError, AttributeError):
        return []
    rows: list[list[str]] = []
    for p in points or []:
        cd = p.get("customdata") if isinstance(p, Mapping) else None
        if cd is None:
            continue
        # figures carry escaped strings (dashboard.figures.safe): drills look up the original values
        row = [safe.unescape(str(v)) for v in cd] if isinstance(cd, (list, tuple)) else [safe.unescape(str(cd))]
        if row not in rows:
            rows.append(row)
    return rows


def chart(fig: go.Figure, data: pl.DataFrame | None, name: str, *, cohort: str, n: int | None,
          unit: str = "applications", drill: Drill | None = None, pack: Pack | None = None,
          store: Any = None, height: int | None = None, empty: str | None = NO_APPLICATIONS) -> list[list[str]]:
    """A selectable plotly chart + cohort/n caption + CSV/PNG/SVG downloads + drill-down of the selection.

    With n == 0 it shows the `empty` explanation instead. Returns the customdata rows of the selection.
    Select with a click (points) or a box drag."""
    if n == 0 and empty:
        empty_state(empty)
        return []
    if is_failed(fig):  # its builder raised: a message here, the rest of the page goes on
        figure_failed(name, message=_failed_text(fig))
        return []
    try:
        return _chart(safe.figure(fig), data, name, cohort=cohort, n=n, unit=unit, drill=drill, pack=pack,
                      store=store, height=height)
    except Exception as exc:  # one chart's failure must not replace the page with the generic error box
        figure_failed(name, exc)
        return []


def _failed_text(fig: go.Figure) -> str | None:
    annotations = fig.layout.annotations
    return annotations[0].text if annotations else None


def _chart(fig: go.Figure, data: pl.DataFrame | None, name: str, *, cohort: str, n: int | None, unit: str,
           drill: Drill | None, pack: Pack | None, store: Any, height: int | None) -> list[list[str]]:
    chart_key = state.key(state.CHART, name=name)
    # theme=None and for_browser: plotly.js draws the chart once, not twice (dashboard/figures/browser.py)
    event = st.plotly_chart(for_browser(fig, selectable=drill is not None), key=chart_key, theme=None,
                            on_select="rerun" if drill else "ignore", selection_mode=("points", "box"),
                            width="stretch", height=height if height else "content",
                            config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d"]})
    caption = n_caption(cohort, n, unit)
    st.caption(caption + (" · click a bar or drag a box to list its applications" if drill else ""))
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key=f"chart_{name}_downloads"):
        if data is not None:
            csv_button(data, name, key=state.key(state.CHART_CSV, name=name))
        _image_buttons(fig, name, f"n = {n:,} {unit}" if n is not None else None)
    if pack is not None:
        pack.add_figure(name, fig, caption, data)
    rows = selected_customdata(event) if drill else []
    if drill and rows:
        drill_table(drill(rows), name, store=store, title=f"Applications behind the selection ({len(rows)} "
                    f"{'point' if len(rows) == 1 else 'points'})")
    return rows


def table(df: pl.DataFrame, name: str, *, caption: str | None = None, pack: Pack | None = None,
          height: int | str = "auto", column_order: Sequence[str] | None = None) -> None:
    """A formatted st.dataframe with a CSV download; added to the review pack."""
    st.dataframe(df, hide_index=True, width="stretch", height=height,
                 column_config=column_config(df.columns, df.dtypes), column_order=column_order,
                 key=state.key(state.TABLE, name=name))
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption(caption or f"{df.height:,} rows", width="stretch")
        csv_button(df, name, key=state.key(state.TABLE_CSV, name=name))
    if pack is not None:
        pack.add_table(name, df)


def with_candidate_names(df: pl.DataFrame, store: Any = None) -> tuple[pl.DataFrame, str | None]:
    """`df` plus candidate_name fetched live from the API for its candidates (memory only); else a note why not.

    `store` is accepted for callers that pass one; names are never cached, so they come from the client.
    """
    from dashboard.people import MAX_NAMES, candidate_names
    from dashboard.ui.context import current
    from dashboard.ui.loaders import client_for

    ctx = current()
    if ctx.source is None or "candidate_id" not in df.columns:
        return df, "Candidate names are not available for this data source."
    ids = df.get_column("candidate_id").drop_nulls().unique(maintain_order=True).to_list()
    try:
        client = client_for(ctx.source, st.session_state.get(state.CRED_REVISION, 0), ctx.settings.client_secret)
        names = candidate_names(client, ids, limit=MAX_NAMES)
    except Exception as exc:  # names are optional: never break the table
        return df, f"Candidate names could not be loaded ({type(exc).__name__}); the table is shown without them."
    lookup = pl.DataFrame({"candidate_id": list(names), "candidate_name": list(names.values())},
                          schema={"candidate_id": pl.String, "candidate_name": pl.String})
    out = df.join(lookup, on="candidate_id", how="left").select(["candidate_name", *df.columns])
    note = None
    if len(ids) > len(names):
        note = f"Names shown for the first {len(names):,} of {len(ids):,} candidates (one request each)."
    return out, note


def drill_table(df: pl.DataFrame, name: str, *, store: Any = None, title: str = "Applications") -> None:
    """The applications behind a selection: formatted table, optional candidate names, CSV export."""
    with st.container(border=True, key=state.key(state.DRILL, name=name)):
        head, toggle = st.columns([3, 1], vertical_alignment="center")
        head.markdown(f"**{title}** · {df.height:,} applications")
        show = toggle.toggle("Show candidate names", value=False, key=state.key(state.DRILL_NAMES, name=name),
                             help="Off by default: names are fetched only when you ask for them.")
        note = None
        if show:
            df, note = with_candidate_names(df, store)
        if note:
            st.caption(note)
        if df.height == 0:
            empty_state("No applications behind this selection.")
            return
        st.dataframe(df, hide_index=True, width="stretch", height=min(420, 38 + 35 * df.height),
                     column_config=column_config(df.columns, df.dtypes), key=state.key(state.DRILL_TABLE, name=name))
        csv_button(df, f"{name}_applications", key=state.key(state.DRILL_CSV, name=name),
                   label="Download these applications (CSV)")


def drill_union(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """One frame of the applications behind several selected points (each application once)."""
    frames = [f for f in frames if f is not None]
    if not frames:
        return pl.DataFrame()
    out = pl.concat(frames, how="diagonal_relaxed")
    if "application_id" in out.columns:
        out = out.unique("application_id", keep="first", maintain_order=True)
    return out


def page_header(title: str, ctx: Any, *, subtitle: str | None = None) -> None:
    """Page title plus one line: the company, the range, the data's age and the active filters by name."""
    from dashboard.ui.dates import describe_range
    from dashboard.ui.loaders import as_of_text

    st.title(title)
    f = ctx.filters
    bits = [ctx.source.label if ctx.source else "No company selected", describe_range(f.date_from, f.date_to)]
    if ctx.status is not None:
        bits.append(as_of_text(ctx.status.as_of))
    active = [lbl for lbl, vals in (("job", f.job_ids), ("department", f.departments), ("category", f.categories),
                                     ("location", f.locations), ("channel", f.channels)) if vals]
    if active:
        bits.append("filtered by " + ", ".join(active))
    st.caption(" · ".join(bits) + (f" — {subtitle}" if subtitle else ""))
    lines = _filter_lines(ctx)
    if lines:
        st.text("; ".join(lines))  # names from Personio: plain text, never markdown


def _filter_lines(ctx: Any) -> list[str]:
    """'Department: Sales' per active filter, job names instead of ids."""
    from dashboard.exports.context import describe_filters

    jobs = ctx.data.tables.jobs if getattr(ctx, "data", None) is not None else None
    return describe_filters(ctx.filters, jobs)


def start_page(title: str, page: str, *, subtitle: str | None = None) -> tuple[Any, Pack]:
    """The page's context and review pack; header first, then stop with an explanation when there is no data
    or when the filters leave no application in the range."""
    from dashboard.ui.context import current
    from dashboard.ui.dates import describe_range
    from metrics.options import cohort_size

    ctx = current()
    page_header(title, ctx, subtitle=subtitle)
    require_data(ctx)
    f = ctx.filters
    active = _filter_lines(ctx)
    if active and ctx.data.metric(cohort_size, f) == 0:
        empty_state(f"These filters leave no applications in {describe_range(f.date_from, f.date_to)}, so every "
                    "number would read zero. Clear a filter in the sidebar or widen the dates.",
                    icon=":material/filter_alt_off:")
        st.stop()
    from dashboard.exports.context import context_for

    sub = f"{ctx.source.label} · {describe_range(f.date_from, f.date_to)}" + (f" · {'; '.join(active)}" if active else "")
    export_ctx = context_for(ctx.source.label, f, ctx.data.as_of, ctx.data.tables.jobs)
    return ctx, Pack(page=page, title=f"{title} — recruiting review", subtitle=sub, as_of=ctx.data.as_of,
                     context=export_ctx)


def require_data(ctx: Any) -> None:
    """Stop the page with an explanation when there is no data to show yet."""
    if ctx.credentials_missing:
        empty_state("Enter your Personio API credentials in the sidebar (or switch to the demo company) "
                    "to see your recruiting data.", icon=":material/key:")
        st.stop()
    if ctx.data is None:
        empty_state("No data synced yet. Open the **Data** page and press **Sync now**.", icon=":material/sync:")
        st.page_link("pages/admin/data.py", label="Go to the Data page", icon=":material/database:")
        st.stop()
