"""Token bucket and Retry-After arithmetic on a fake clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from dashboard.personio.ratelimit import (
    MAX_RETRY_AFTER,
    RateLimitState,
    TokenBucket,
    backoff,
    backoff_ceiling,
    parse_rate_limit,
    parse_retry_after,
    rate_limit_headers,
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


# ---- server rate-limit headers ----------------------------------------------------------------------------

NOW = 1_750_000_000.0


@pytest.mark.parametrize(("headers", "expected"), [
    ({"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "12"}, (60, 0, 12)),
    ({"x-ratelimit-remaining": "5", "x-ratelimit-reset": str(int(NOW) + 30)}, (None, 5, 30)),  # epoch seconds
    ({"X-RateLimit-Reset": str(int(NOW * 1000) + 4000), "X-RateLimit-Remaining": "0"}, (None, 0, 4)),  # epoch ms
    ({"RateLimit-Limit": "100", "RateLimit-Remaining": "1", "RateLimit-Reset": "7"}, (100, 1, 7)),
    ({"RateLimit": "limit=100, remaining=0, reset=25"}, (100, 0, 25)),
    ({"RateLimit": '"default";r=0;t=8'}, (None, 0, 8)),
    ({"X-RateLimit-Remaining": "lots", "X-RateLimit-Reset": "soon"}, (None, None, None)),
    ({"X-RateLimit-Reset": "1e400"}, (None, None, None)),
    ({"X-RateLimit-Reset": str(int(NOW) - 50), "X-RateLimit-Remaining": "0"}, (None, 0, 0)),  # in the past
    ({}, (None, None, None)),
])
def test_rate_limit_headers_in_their_common_spellings(headers, expected):
    state = parse_rate_limit(headers, NOW)
    assert (state.limit, state.remaining, state.reset_seconds) == expected


def test_exhausted_means_nothing_left():
    assert RateLimitState(remaining=0).exhausted
    assert not RateLimitState(remaining=1).exhausted
    assert not RateLimitState().exhausted


def test_rate_limit_headers_for_a_report_are_only_the_rate_limit_ones():
    got = rate_limit_headers({"X-RateLimit-Remaining": "3", "Set-Cookie": "sid=secret", "Retry-After": "2"})
    assert got == {"x-ratelimit-remaining": "3", "retry-after": "2"}


def test_a_hold_delays_the_next_reservation_even_without_a_budget():
    t = [0.0]
    bucket = TokenBucket(None, 1, lambda: t[0])
    bucket.hold(10.0)
    t[0] = 4.0
    assert bucket.held_for() == 6.0
    assert bucket.reserve() == 6.0
    t[0] = 11.0
    assert bucket.reserve() == 0.0
