from datetime import date

import pytest

from metrics.drilldown import DRILLDOWN_COLUMNS, drilldown
from metrics.filters import Filters


def ids(frame):
    return sorted(frame["application_id"])


def test_drilldown_selections(small):
    f = Filters()
    assert ids(drilldown(small, f, step="interviews")) == ["a1", "a3", "a4"]  # funnel reached[interviews] = 3
    assert ids(drilldown(small, f, channel_name="Referral")) == ["a3", "a4"]
    assert ids(drilldown(small, f, bucket_start=date(2024, 1, 1), bucket="week")) == ["a1", "a2", "a3"]
    assert ids(drilldown(small, f, bucket_start=date(2024, 1, 1), bucket="month")) == ["a1", "a2", "a3", "a4", "a5"]
    assert ids(drilldown(small, f, stage_type="rejected")) == ["a2", "a4"]
    assert ids(drilldown(small, f, from_stage_type="offer")) == ["a4"]
    assert ids(drilldown(small, f, from_stage_type="new", kind="withdrawn")) == ["a6"]
    assert ids(drilldown(small, f, hired=True, job_id="j1")) == ["a1"]
    assert drilldown(small, f).columns == list(DRILLDOWN_COLUMNS)


def test_drilldown_unknown_key(small):
    with pytest.raises(ValueError, match="unknown drilldown key"):
        drilldown(small, Filters(), colour="red")
