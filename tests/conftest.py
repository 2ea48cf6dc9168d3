"""Suite-wide: the app's access token is fixed, and every AppTest opens the app with it in the URL.

Tests of the access gate itself clear `at.query_params` (or use `tests.access_token.open_locked_app`).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests run the same examples on every machine and never fail on a slow, busy CI core:
# a shrunk counterexample is still found by hypothesis locally with `--hypothesis-profile=explore`.
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, max_examples=2_000)
settings.load_profile("ci")

TEST_TOKEN = "test-token-5f1c0d9b7a3e4c21"  # noqa: S105 - a fixed token for the test runs only


@pytest.fixture(autouse=True, scope="session")
def _dashboard_token() -> None:
    """DASHBOARD_TOKEN for the app under test, and AppTest.from_file / from_function carrying it as ?token=."""
    os.environ["DASHBOARD_TOKEN"] = TEST_TOKEN
    from streamlit.testing.v1 import AppTest

    if getattr(AppTest, "_with_token", False):
        return
    original_init = AppTest.__init__

    def init_with_token(self, *args, **kwargs) -> None:
        original_init(self, *args, **kwargs)
        self.query_params["token"] = TEST_TOKEN

    AppTest.__init__ = init_with_token
    AppTest._with_token = True
