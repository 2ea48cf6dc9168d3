"""Client-side request budget (token bucket) and backoff arithmetic, on injected clocks."""

from __future__ import annotations

import math
import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MAX_RETRY_AFTER = 900.0  # a Retry-After beyond 15 minutes is treated as 15 minutes
MAX_HOLD = 120.0  # the longest pause a "remaining: 0" rate-limit header can impose before the next request
# Rate-limit headers worth showing (doctor) and reading; values are numbers, never secrets.
RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "ratelimit-limit",
                      "ratelimit-remaining", "ratelimit-reset", "ratelimit", "ratelimit-policy", "retry-after")
_EPOCH_SECONDS = 1e9  # a reset value this large is a point in time (epoch seconds), not a delta
_NUMBER = r"(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"


class TokenBucket:
    """`rate` requests a second on average, up to `burst` at once; rate 0/None means unlimited."""

    def __init__(self, rate: float | None, burst: int, now: Callable[[], float]) -> None:
        self.rate = float(rate) if rate else 0.0
        self.capacity = float(max(1, burst))
        self._now = now
        self._tokens = self.capacity
        self._last: float | None = None
        self._hold_until = -math.inf
        self._lock = threading.Lock()

    def hold(self, seconds: float) -> None:
        """Send nothing for `seconds` from now (the server said its budget is used up)."""
        with self._lock:
            self._hold_until = max(self._hold_until, self._now() + max(0.0, seconds))

    def held_for(self) -> float:
        """Seconds left of the current hold (0 when none)."""
        with self._lock:
            return max(0.0, self._hold_until - self._now())

    def reserve(self) -> float:
        """Take one request from the budget; returns how long the caller must wait before sending it."""
        with self._lock:
            t = self._now()
            held = max(0.0, self._hold_until - t)
            if self.rate <= 0:
                return held
            if self._last is not None:
                self._tokens = min(self.capacity, self._tokens + max(0.0, t - self._last) * self.rate)
            self._last = t
            self._tokens -= 1.0  # may go negative: a reservation queued behind earlier ones
            return max(held, -self._tokens / self.rate if self._tokens < 0 else 0.0)


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base * 2**attempt)] (attempt from 0)."""
    return rng.uniform(0.0, backoff_ceiling(attempt, base, cap))


def backoff_ceiling(attempt: int, base: float, cap: float) -> float:
    """The upper bound of the jitter window for retry number `attempt` (from 0)."""
    return max(0.0, min(cap, base * (2.0 ** min(attempt, 62))))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), at most MAX_RETRY_AFTER."""
    seconds = retry_after_seconds(value, now)
    return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for, uncapped (delta-seconds or HTTP-date); None when absent/unreadable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


@dataclass(frozen=True)
class RateLimitState:
    """What a response's rate-limit headers say: budget size, what is left, seconds until it resets."""

    limit: float | None = None
    remaining: float | None = None
    reset_seconds: float | None = None

    @property
    def exhausted(self) -> bool:
        """True when the server says no request is left until the reset."""
        return self.remaining is not None and self.remaining <= 0


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    match = re.search(_NUMBER, text)
    if match is None:
        return None
    value = float(match.group(1))
    return value if math.isfinite(value) else None


def _reset_delta(value: float | None, now_epoch: float) -> float | None:
    """Seconds until a reset given as a delta, epoch seconds or epoch milliseconds."""
    if value is None:
        return None
    if value >= _EPOCH_SECONDS * 1000:
        value = value / 1000.0 - now_epoch
    elif value >= _EPOCH_SECONDS:
        value = value - now_epoch
    return max(0.0, value)


def parse_rate_limit(headers: Mapping[str, str], now_epoch: float) -> RateLimitState:
    """X-RateLimit-* / RateLimit-* headers, or the combined `RateLimit: limit=.., remaining=.., reset=..`
    (also the structured `r=..;t=..` form); anything unreadable counts as absent."""
    lower = {k.lower(): v for k, v in headers.items()}
    limit = _number(lower.get("x-ratelimit-limit") or lower.get("ratelimit-limit"))
    remaining = _number(lower.get("x-ratelimit-remaining") or lower.get("ratelimit-remaining"))
    reset = _number(lower.get("x-ratelimit-reset") or lower.get("ratelimit-reset"))
    combined = lower.get("ratelimit")
    if combined:
        fields = dict(re.findall(r"\b(limit|remaining|reset|r|t)\s*=\s*" + _NUMBER, combined))
        remaining = remaining if remaining is not None else _number(fields.get("remaining") or fields.get("r"))
        reset = reset if reset is not None else _number(fields.get("reset") or fields.get("t"))
        limit = limit if limit is not None else _number(fields.get("limit"))
    return RateLimitState(limit, remaining, _reset_delta(reset, now_epoch))


def rate_limit_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The rate-limit headers of a response (names lower case, values cut short) for a report."""
    lower = {k.lower(): v for k, v in headers.items()}
    return {name: lower[name][:80] for name in RATE_LIMIT_HEADERS if name in lower}
