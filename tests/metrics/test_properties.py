"""Hypothesis properties over random small companies."""

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.schema import KNOWN_STAGE_TYPES
from metrics.bundle import metric_tables
from metrics.channels import channel_conversion, channel_quality
from metrics.filters import Filters
from metrics.funnel import funnel
from metrics.volume import applications_by, volume_over_time

from .conftest import app, job, make_tables, tr

TYPES = list(KNOWN_STAGE_TYPES) + ["mystery"]
CHANNELS = ["LinkedIn", "Referral", None]
JOBS = ["j1", "j2", "gone"]


@st.composite
def companies(draw):
    n = draw(st.integers(0, 12))
    apps, transitions = [], []
    for i in range(n):
        applied = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 60)))
        path = draw(st.lists(st.sampled_from(TYPES), max_size=4))
        current = path[-1] if path else draw(st.sampled_from(TYPES))
        apps.append(app(f"a{i}", current, applied=applied.isoformat(), job=draw(st.sampled_from(JOBS)),
                        channel=draw(st.sampled_from(CHANNELS)), candidate=draw(st.sampled_from(["c1", "c2", None, "same-as-id"]))))
        prev, when = "new", applied
        for step in path:
            when += timedelta(days=draw(st.integers(0, 9)))
            transitions.append(tr(f"a{i}", prev, step, when.isoformat()))
            prev = step
    jobs = [job("j1", created="2023-12-01"), job("j2", department="Sales", category="Biz", created="2024-01-20")]
    return make_tables(apps, transitions, jobs)


filters_st = st.builds(
    Filters,
    date_from=st.one_of(st.none(), st.dates(date(2023, 12, 1), date(2024, 3, 31))),
    date_to=st.one_of(st.none(), st.dates(date(2023, 12, 1), date(2024, 3, 31))),
    channels=st.sampled_from([(), ("LinkedIn",), ("Unknown",)]),
    departments=st.sampled_from([(), ("Sales",), ("Unknown",)]),
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(companies())
def test_funnel_never_increases_and_intervals_contain_estimates(t):
    table = funnel(t, Filters())
    reached = table["reached"].to_list()
    assert all(a >= b for a, b in zip(reached, reached[1:], strict=False))
    for name in ("step_conversion", "pass_through"):
        for p, lo, hi in table.select(name, f"{name}_lo", f"{name}_hi").iter_rows():
            assert p is None or lo - 1e-12 <= p <= hi + 1e-12
    for p, lo, hi in channel_conversion(t, Filters()).select("hire_rate", "hire_rate_lo", "hire_rate_hi").iter_rows():
        assert lo - 1e-12 <= p <= hi + 1e-12


@SETTINGS
@given(companies())
def test_shares_sum_to_one(t):
    quality = channel_quality(t, Filters())
    for total in quality.group_by("channel_name").agg(pl.col("share").sum().alias("s"))["s"]:
        assert abs(total - 1) < 1e-9
    for dim in ("job", "channel", "department"):
        shares = applications_by(t, Filters(), dim)["share"]
        assert shares.is_empty() or abs(shares.sum() - 1) < 1e-9


@SETTINGS
@given(companies())
def test_counts_over_channel_partition_add_up(t):
    total = funnel(t, Filters())["reached"].to_list()
    channels = channel_conversion(t, Filters())["channel_name"].to_list()
    parts = [funnel(t, Filters(channels=(c,)))["reached"].to_list() for c in channels]
    assert [sum(col) for col in zip(*parts, strict=True)] == total if parts else total == [0] * 5
    weekly = volume_over_time(t, Filters(), "week", "channel")["applications"].sum()
    assert weekly == total[0]


@SETTINGS
@given(companies(), filters_st)
def test_filtering_never_raises(t, f):
    tables = metric_tables(t, f)
    assert tables["funnel"]["reached"][0] == tables["volume_by_day"]["applications"].sum()
