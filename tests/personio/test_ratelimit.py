"""Token bucket and Retry-After arithmetic on a fake clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from dashboard.personio.ratelimit import (
    MAX_RETRY_AFTER,
    TokenBucket,
    backoff,
    backoff_ceiling,
    parse_retry_after,
)


def test_bucket_allows_the_burst_then_spaces_requests():
    t = [0.0]
    bucket = TokenBucket(2.0, 3, lambda: t[0])
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    # queued reservations at an unmoving clock: 1, 2, 3 tokens short at 2/s
    assert [bucket.reserve() for _ in range(3)] == [0.5, 1.0, 1.5]


def test_bucket_refills_at_the_rate_up_to_the_burst():
    t = [0.0]
    bucket = TokenBucket(1.0, 2, lambda: t[0])
    bucket.reserve()
    bucket.reserve()
    t[0] = 100.0
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("rate", [0, None, 0.0])
def test_zero_or_none_rate_is_unlimited(rate):
    bucket = TokenBucket(rate, 1, lambda: 0.0)
    assert all(bucket.reserve() == 0.0 for _ in range(100))


def test_backoff_ceiling_doubles_up_to_the_cap():
    assert [backoff_ceiling(i, 1.0, 20.0) for i in range(7)] == [1, 2, 4, 8, 16, 20, 20]
    assert backoff_ceiling(10_000, 1.0, 60.0) == 60.0


def test_backoff_is_full_jitter():
    rng = random.Random(1)
    draws = [backoff(3, 1.0, 60.0, rng) for _ in range(200)]
    assert all(0.0 <= d <= 8.0 for d in draws)
    assert min(draws) < 2.0 and max(draws) > 6.0  # spread over the window, not clustered at the top


@pytest.mark.parametrize(("header", "expected"), [
    ("7", 7.0), (" 2.5 ", 2.5), ("-3", 0.0), ("Sat, 01 Mar 2025 12:00:45 GMT", 45.0),
    ("Sat, 01 Mar 2025 11:00:00 GMT", 0.0), ("99999", MAX_RETRY_AFTER), (None, None), ("", None),
    ("soon", None), ("nan", None),
])
def test_retry_after_values(header, expected):
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(header, now) == expected
