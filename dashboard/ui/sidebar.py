"""The shared sidebar: which company, the data's age, and the filters every page uses (mirrored to the URL)."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import polars as pl
import streamlit as st

from dashboard.config import ConfigError, Secret, Settings, insecure_base_url_warning, load_settings
from dashboard.source import DEMO_SIZE, Source, source_from_settings
from dashboard.store import CacheError
from dashboard.ui import connection, query, state
from dashboard.ui.access import url_params
from dashboard.ui.background import progress_panel
from dashboard.ui.context import AppContext
from dashboard.ui.dates import DEFAULT_PRESET, PRESETS, describe_range
from dashboard.ui.loaders import Data, as_of_text, open_data, store_for, today_utc
from dashboard.ui.plain import md
from dashboard.ui.syncing import show_stopped_notice, show_sync_error, sync_with_progress
from dashboard.ui.team import team_options

ENV_DEMO_SIZE = "RECRUITING_DASHBOARD_DEMO_SIZE"  # applications in the demo company (tests use a small one)
SOURCE_LABELS = {"demo": "Demo company — generated data", "personio": "Personio — your company"}
LIST_FILTERS: tuple[tuple[str, str, str], ...] = (
    # (widget key, Selection attribute, label)
    (state.JOBS, "jobs", "Job"),
    (state.DEPARTMENTS, "departments", "Department"),
    (state.CATEGORIES, "categories", "Category"),
    (state.LOCATIONS, "locations", "Location"),
    (state.CHANNELS, "channels", "Channel"),
    (state.ROLES, "roles", "Hiring-team role"),
    (state.MEMBERS, "members", "Hiring-team member"),
)


def _secrets() -> dict[str, Any]:
    """`.streamlit/secrets.toml` as a dict; {} when there is no secrets file (never an error)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return dict(st.secrets.to_dict())
    except Exception:  # a missing or broken secrets file must not stop the dashboard
        return {}


def _demo_size() -> int:
    try:
        return max(0, int(os.environ.get(ENV_DEMO_SIZE, DEMO_SIZE)))
    except ValueError:
        return DEMO_SIZE


def read_settings() -> tuple[Settings, str | None]:
    """Settings from env vars, secrets and the credentials typed in this session; plus a config error."""
    overrides: dict[str, Any] = {}
    if st.session_state.get(state.CRED_CLIENT_ID):
        overrides["client_id"] = st.session_state[state.CRED_CLIENT_ID]
    secret = st.session_state.get(state.CRED_SECRET)
    if secret:
        overrides["client_secret"] = secret
    try:
        return load_settings(os.environ, _secrets(), overrides), None
    except ConfigError as exc:
        return load_settings({}, None, None), str(exc)


def _store_credentials(where: str) -> None:
    """Form callback: keep the typed credentials in this session's memory only, then clear the inputs."""
    client_id = (st.session_state.get(state.key(state.CRED_FORM_ID, where=where)) or "").strip()
    secret = (st.session_state.get(state.key(state.CRED_FORM_SECRET, where=where)) or "").strip()
    if client_id:
        st.session_state[state.CRED_CLIENT_ID] = client_id
    if secret:
        st.session_state[state.CRED_SECRET] = Secret(secret)
        st.session_state[state.CRED_REVISION] = st.session_state.get(state.CRED_REVISION, 0) + 1
    st.session_state[state.key(state.CRED_FORM_SECRET, where=where)] = ""  # never keep the typed secret in a widget
    if client_id or secret:
        st.session_state[state.SOURCE_KIND] = "personio"
        st.session_state[state.SYNC_ERROR] = None
        connection.check_credentials(read_settings()[0])  # a token request now, not at the next sync


def _forget_credentials() -> None:
    for k in (state.CRED_CLIENT_ID, state.CRED_SECRET):
        st.session_state.pop(k, None)
    st.session_state[state.CRED_REVISION] = st.session_state.get(state.CRED_REVISION, 0) + 1
    connection.forget_check()


def credentials_form(where: str, settings: Settings) -> None:
    """Client ID + secret inputs (password field); stored in session memory only, never echoed or logged."""
    with st.form(key=f"cred_form_{where}", clear_on_submit=True, border=False):
        st.text_input("Client ID", key=state.key(state.CRED_FORM_ID, where=where),
                      placeholder=settings.client_id or "papi-…")
        st.text_input("Client secret", type="password", key=state.key(state.CRED_FORM_SECRET, where=where),
                      placeholder="stored for this browser session only")
        st.form_submit_button("Use these credentials", key=state.key(state.CRED_FORM_SUBMIT, where=where),
                              on_click=_store_credentials, args=(where,))
    connection.show_credentials_result()
    if st.session_state.get(state.CRED_SECRET):
        st.button("Forget typed credentials", key=state.key(state.CRED_FORM_CLEAR, where=where),
                  on_click=_forget_credentials, type="tertiary")
    st.caption("Create credentials in Personio › Settings › Integrations › API credentials "
               "(scope `personio:recruiting:read`), or set PERSONIO_CLIENT_ID / PERSONIO_CLIENT_SECRET, "
               "or put them in `.streamlit/secrets.toml`.")


def _source_panel(settings: Settings) -> tuple[Source | None, Settings]:
    """The company radio; returns the chosen source (None: Personio without credentials)."""
    if state.SOURCE_KIND not in st.session_state:
        st.session_state[state.SOURCE_KIND] = "demo" if settings.is_demo else "personio"
    kind = st.radio("Company", list(SOURCE_LABELS), format_func=SOURCE_LABELS.get, key=state.SOURCE_KIND)
    if kind == "demo":
        demo = replace(settings, client_id="", client_secret=Secret())
        return source_from_settings(demo, demo_size=_demo_size()), settings
    chosen = None if settings.is_demo else source_from_settings(settings)
    with st.expander("Personio credentials", expanded=settings.is_demo):
        credentials_form("sidebar", settings)
        connection.check_button("sidebar", chosen, settings)
    return chosen, settings


def _options(data: Data | None) -> dict[str, dict[str, str]]:
    """Filter options {attribute: {value: label}} from the snapshot's jobs and applications."""
    empty: dict[str, dict[str, str]] = {attr: {} for _k, attr, _l in LIST_FILTERS}
    if data is None:
        return empty
    jobs = data.tables.jobs
    apps = data.tables.applications
    out = dict(empty)
    if jobs.height:
        named = jobs.select("job_id", pl.col("job_name").fill_null("(unnamed job)")).unique("job_id").sort("job_name")
        dup = set(named.filter(pl.col("job_name").is_duplicated())["job_name"].to_list())
        out["jobs"] = {jid: (f"{name} ({jid})" if name in dup else name)
                       for jid, name in named.iter_rows()}
        for attr, col in (("departments", "department_name"), ("categories", "category_name"),
                          ("locations", "location")):
            values = jobs.get_column(col).drop_nulls().unique().sort().to_list()
            out[attr] = {v: v for v in values}
    if apps.height:
        values = apps.get_column("channel_name").drop_nulls().unique().sort().to_list()
        out["channels"] = {v: v for v in values}
    out.update(team_options(data.tables))
    return out


def _pending_filters(today: Any) -> Any:
    """The Filters the sidebar widgets hold right now (before this run draws them)."""
    preset = st.session_state.get(state.PRESET, DEFAULT_PRESET)
    custom = st.session_state.get(state.CUSTOM_RANGE) or ()
    custom = tuple(custom) if isinstance(custom, (tuple, list)) else (custom,)
    sel = query.Selection(
        preset=preset if preset in PRESETS else DEFAULT_PRESET,
        custom_from=custom[0] if custom else None, custom_to=custom[-1] if custom else None,
        **{attr: tuple(st.session_state.get(k) or ()) for k, attr, _l in LIST_FILTERS},
    )
    return sel.to_filters(today)


def _narrow(data: Data | None, options: dict[str, dict[str, str]], today: Any) -> dict[str, dict[str, str]]:
    """Options that fit the other filters, labelled with the applications they keep ('Sales · 120').

    A value no application in range would keep is left out unless it is selected (then it shows 0), so
    an empty combination is not picked by accident; a value the other filters rule out is dropped."""
    if data is None:
        return options
    from metrics.options import DIMENSIONS, filter_options

    f = _pending_filters(today)
    out: dict[str, dict[str, str]] = {}
    for widget_key, attr, _label in LIST_FILTERS:
        if attr not in DIMENSIONS:
            out[attr] = options[attr]
            continue
        selected = set(st.session_state.get(widget_key) or ())
        fits = dict(data.metric(filter_options, f, attr).iter_rows())
        out[attr] = {value: f"{label} · {fits[value]:,}" for value, label in options[attr].items()  # labels' order
                     if value in fits and (fits[value] or value in selected)}
    return out


def _apply_selection(sel: query.Selection, today_range: tuple) -> None:
    st.session_state[state.PRESET] = sel.preset
    for widget_key, attr, _label in LIST_FILTERS:
        st.session_state[widget_key] = list(getattr(sel, attr))
    if sel.preset == "custom":
        lo, hi = sel.custom_from or today_range[0], sel.custom_to or today_range[1]
        st.session_state[state.CUSTOM_RANGE] = (lo, hi)


def _reset_filters() -> None:
    st.session_state[state.PRESET] = DEFAULT_PRESET
    st.session_state.pop(state.CUSTOM_RANGE, None)
    for widget_key, _attr, _label in LIST_FILTERS:
        st.session_state[widget_key] = []


def filter_panel(data: Data | None) -> query.Selection:
    """Date preset (+ custom range) and label multiselects; reads the URL once per session, writes it every run."""
    today = today_utc()
    options = _options(data)
    default_range = (today.replace(day=1), today)
    unknown: list[str] = []
    if not st.session_state.get(state.FILTERS_FROM_URL) and data is not None:
        asked = query.from_params(st.query_params.get_all)
        from_url = query.restrict(asked, {a: list(o) for a, o in options.items()})
        unknown = [f"{label}: {v}" for _k, attr, label in LIST_FILTERS
                   for v in getattr(asked, attr) if v not in getattr(from_url, attr)]
        _apply_selection(from_url, default_range)
        st.session_state[state.FILTERS_FROM_URL] = True
    every = options
    options = _narrow(data, options, today)
    # Values of another company (source switched), or ruled out by the other filters, are dropped before the
    # widgets see them; the sidebar says which, so a selection never vanishes unnoticed.
    dropped: list[str] = []
    for widget_key, attr, label in LIST_FILTERS:
        if widget_key in st.session_state:
            kept = [v for v in st.session_state[widget_key] if v in options[attr]]
            dropped += [f"{label}: {every[attr].get(v, v)}" for v in st.session_state[widget_key] if v not in kept]
            st.session_state[widget_key] = kept
    if st.session_state.get(state.PRESET) not in PRESETS:
        st.session_state[state.PRESET] = DEFAULT_PRESET

    st.subheader("Filters")
    disabled = data is None
    preset = st.selectbox("Date range", list(PRESETS), format_func=PRESETS.get, key=state.PRESET, disabled=disabled,
                          help="Applications dated in this range (application cohort); time metrics use "
                               "hires/offers/fills dated in it (completion cohort). Relative to today (UTC).")
    custom_from = custom_to = None
    if preset == "custom":
        if state.CUSTOM_RANGE not in st.session_state:
            st.session_state[state.CUSTOM_RANGE] = default_range
        picked = st.date_input("From – to (inclusive)", key=state.CUSTOM_RANGE, disabled=disabled,
                               format="YYYY-MM-DD")
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        if picked:
            custom_from, custom_to = picked[0], picked[-1]
    if unknown:
        st.caption(f"Not in this company's data, so not selected: {md('; '.join(unknown))}")
    if dropped:
        st.caption(f"Unselected, as nothing fits it with the other filters: {md('; '.join(dropped))}")
    for widget_key, attr, label in LIST_FILTERS:
        opts = options[attr]
        st.multiselect(label, list(opts), format_func=lambda v, o=opts: o.get(v, v), key=widget_key,
                       placeholder="All", disabled=disabled or not opts)
    sel = query.Selection(
        preset=preset, custom_from=custom_from, custom_to=custom_to,
        **{attr: tuple(st.session_state.get(k) or ()) for k, attr, _l in LIST_FILTERS},
    )
    date_from, date_to = sel.date_range(today)
    st.caption(f"Range: {describe_range(date_from, date_to)} · each option shows the applications in this range "
               "it would keep with the other filters")
    st.button("Reset filters", key=state.RESET, on_click=_reset_filters, disabled=disabled, icon=":material/restart_alt:")
    if data is not None:
        _write_url({**query.to_params(sel), **url_params()})  # the access token stays
    return sel


def _write_url(params: dict[str, Any]) -> None:
    """Put the filters (and token) in the URL, leaving other parameters alone: the page controls bound to
    the URL (bucket, split, tab, as-of date) keep theirs. Parameters of ours that are no longer wanted go."""
    ours = set(state.QUERY_PARAMS) | set(params) | {state.QP_TOKEN}
    for name in [k for k in st.query_params if k in ours and k not in params]:
        del st.query_params[name]
    for name, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        if st.query_params.get_all(name) != values:
            st.query_params[name] = value


def render_sidebar() -> AppContext:
    """Build this run's context: company, cached store + snapshot (first demo sync with progress), filters."""
    settings, config_error = read_settings()
    with st.sidebar:
        source, settings = _source_panel(settings)
        if config_error:
            st.error(md(config_error))
        insecure = insecure_base_url_warning(settings.base_url) if source is not None and not source.is_demo else None
        if insecure:
            st.warning(insecure, icon=":material/lock_open:")
    try:
        store = store_for(source, str(settings.cache_root)) if source is not None else None
    except CacheError as exc:  # no cache yet and none can be created: nothing to show, say what to do
        st.error("The local cache cannot be created.", icon=":material/error:")
        st.text(str(exc))
        st.stop()
    status = store.status() if store is not None else None
    if store is not None and source is not None and status.snapshot_id is None:
        tried = st.session_state.setdefault(state.SYNC_TRIED, set())
        if source.key not in tried and source.is_demo:
            tried.add(source.key)
            if sync_with_progress(source, store, settings.client_secret, st.session_state.get(state.CRED_REVISION, 0)):
                status = store.status()
    data = open_data(store) if store is not None else None
    with st.sidebar:
        if store is not None:
            progress_panel(store, data.snapshot_id if data is not None else None)
        show_stopped_notice()
        if store is not None and store.warning:
            st.warning("The local cache needed attention: see the Data page.", icon=":material/warning:")
        if status is not None:
            st.caption(f"{source.label} · {as_of_text(status.as_of)}")
        error = st.session_state.get(state.SYNC_ERROR) or (status.last_error if status else None)
        if error and status is not None and status.snapshot_id is not None:
            st.warning(f"Last sync failed: {md(error)}. Showing the last good data.", icon="⚠️")  # server text: plain
        sel = filter_panel(data)
    if store is not None and status is not None and status.snapshot_id is None and not source.is_demo:
        err = st.session_state.get(state.SYNC_ERROR)
        if err:
            show_sync_error(err, None, False)
    return AppContext(settings=settings, source=source, store=store, status=status, data=data, selection=sel,
                      filters=sel.to_filters(today_utc()), today=today_utc(),
                      credentials_missing=source is None)
