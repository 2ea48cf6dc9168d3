"""Every st.session_state key and URL query parameter the app uses, in one module.

Widget keys double as stable handles for tests (`at.sidebar.multiselect(key=state.JOBS)`) and for
browser tests (Streamlit adds the CSS class `st-key-<key>` to keyed widgets).
"""

from __future__ import annotations

# ---- access -----------------------------------------------------------------------------------------
ACCESS_TOKEN = "access_token"  # str: the launch token this session presented (dashboard.ui.access)

# ---- source / credentials ---------------------------------------------------------------------------
SOURCE_KIND = "source_kind"  # radio: "demo" | "personio"
CRED_CLIENT_ID = "cred_client_id"  # stored value (not a widget): client id typed in a credentials form
CRED_SECRET = "cred_secret"  # stored value (not a widget): the client secret typed in a form; memory only
CRED_REVISION = "cred_revision"  # int bumped on every submitted form: new client without hashing the secret
CRED_FORM_ID = "cred_form_{where}_id"  # widget keys of a credentials form (where = sidebar | data)
CRED_FORM_SECRET = "cred_form_{where}_secret"
CRED_FORM_SUBMIT = "cred_form_{where}_submit"
CRED_FORM_CLEAR = "cred_form_{where}_clear"
CRED_CHECK = "cred_check"  # stored value: (accepted, message) of the token request made when credentials are typed
CONN_CHECK = "conn_check_{where}"  # button "Check connection" (where = sidebar | data)
CONN_REPORT = "conn_report"  # stored value: (ok, report text) of the last connection check

# ---- shared filters (sidebar widgets) ---------------------------------------------------------------
PRESET = "flt_preset"  # selectbox: a key of dashboard.ui.dates.PRESETS
CUSTOM_RANGE = "flt_custom_range"  # date_input (tuple of two dates), shown for the "custom" preset
JOBS = "flt_jobs"  # multiselect of job ids
DEPARTMENTS = "flt_departments"  # multiselect of department names
CATEGORIES = "flt_categories"  # multiselect of category names
LOCATIONS = "flt_locations"  # multiselect of locations
CHANNELS = "flt_channels"  # multiselect of channel names
ROLES = "flt_roles"  # multiselect of hiring-team role names
MEMBERS = "flt_members"  # multiselect of hiring-team person ids
RESET = "flt_reset"  # button: clear every filter
FILTERS_FROM_URL = "flt_from_url_done"  # bool: query params were read into the widgets this session

FILTER_WIDGET_KEYS: tuple[str, ...] = (PRESET, CUSTOM_RANGE, JOBS, DEPARTMENTS, CATEGORIES, LOCATIONS, CHANNELS,
                                       ROLES, MEMBERS)

# ---- sync -------------------------------------------------------------------------------------------
SYNC_NOW = "sync_now"  # button on the Overview / Data page: incremental sync
SYNC_FULL = "sync_full"  # button on the Data page: full resync
SYNC_ERROR = "sync_error"  # str | None: message of the last failed sync in this session
SYNC_TRIED = "sync_tried"  # set of source keys an automatic first sync was attempted for this session
SYNC_CANCEL = "sync_cancel"  # button shown while a sync runs: stop it (pressing it reruns the script)
SYNC_CANCEL_BACKGROUND = "sync_cancel_background"  # button in the sidebar panel of a background sync
SYNC_STOPPED = "sync_stopped"  # bool: a sync was stopped before it finished (Cancel or leaving the page)

# ---- data page --------------------------------------------------------------------------------------
PURGE_ASK = "purge_ask"  # button: "Delete cached data…"
PURGE_CONFIRM = "purge_confirm"  # button: "Yes, delete"
PURGE_CANCEL = "purge_cancel"
PURGE_PENDING = "purge_pending"  # bool: confirmation is showing

# ---- charts and drill-down --------------------------------------------------------------------------
SHOW_NAMES = "show_candidate_names"  # toggle: show candidate names in drill-down tables (default off)
CHART = "chart_{name}"  # plotly_chart selection state of chart `name`
CHART_CSV = "chart_{name}_csv"
CHART_PNG = "chart_{name}_png"
CHART_SVG = "chart_{name}_svg"
DRILL = "drill_{name}"  # bordered container of a chart's drill-down (CSS class st-key-drill_<name>)
DRILL_TABLE = "drill_{name}_table"
DRILL_NAMES = "drill_{name}_names"  # toggle: show candidate names (default off)
TABLE = "table_{name}"
DRILL_CSV = "drill_{name}_csv"
TABLE_CSV = "table_{name}_csv"
PACK_HTML = "pack_{page}_html"
PACK_ZIP = "pack_{page}_zip"
PACK_PPTX = "pack_{page}_pptx"

# ---- page controls ----------------------------------------------------------------------------------
VOLUME_BUCKET = "volume_bucket"  # segmented control: day | week | month
VOLUME_SPLIT = "volume_split"  # selectbox: none | channel | ...
SNAPSHOT_AT = "snapshot_at"  # date_input: applications per stage as of this date
JOBS_DIMENSION = "jobs_dimension"  # segmented control: job | category | department | location
STAGE_VIEW = "stage_view"  # segmented control: stage type | named stage
DECLINED_BY = "declined_by"  # segmented control: month | job | channel
SPEED_TAB = "speed_tab"  # tabs of the Speed page
# The page controls above are bound to URL query parameters of the same name (bind="query-params"), so a
# copied link keeps the bucket, split, tab and as-of date.
TEAM_FOCUS = "team_focus"  # selectbox on the Team page: the member whose funnel, jobs and stuck list are shown
TEAM_NAMES = "team_show_names"  # toggle on the Team page: show member names (default off, fetched on request)
TEAM_METRIC = "team_metric"  # segmented control on the Team page: the conversion compared in the chart
JOB_STUCK_DAYS = "job_stuck_days"  # number input on the Jobs page: no stage movement for this long = stuck job

# ---- URL query parameters (strings; lists are repeated parameters) ----------------------------------
QP_RANGE = "range"  # preset key, e.g. last_90_days | custom
QP_FROM = "from"  # YYYY-MM-DD, only with range=custom
QP_TO = "to"  # YYYY-MM-DD (inclusive), only with range=custom
QP_JOB = "job"  # job id, repeated
QP_DEPARTMENT = "department"  # department name, repeated
QP_CATEGORY = "category"  # category name, repeated
QP_LOCATION = "location"  # location, repeated
QP_CHANNEL = "channel"  # channel name, repeated
QP_ROLE = "role"  # hiring-team role name, repeated
QP_MEMBER = "member"  # hiring-team person id, repeated
QP_TOKEN = "token"  # the launch's access token (dashboard.access.QUERY_PARAM), kept on every page
QUERY_PARAMS: tuple[str, ...] = (QP_RANGE, QP_FROM, QP_TO, QP_JOB, QP_DEPARTMENT, QP_CATEGORY, QP_LOCATION,
                                 QP_CHANNEL, QP_ROLE, QP_MEMBER)


def key(template: str, **parts: str) -> str:
    """A per-chart / per-page key from a template above, e.g. key(CHART, name="funnel")."""
    return template.format(**parts)

# ---- per-run context --------------------------------------------------------------------------------
CONTEXT = "app_context"  # the AppContext app.py builds on every run, read by the pages
