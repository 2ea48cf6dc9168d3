"""Client-side request budget (token bucket) and backoff arithmetic, on injected clocks."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MAX_RETRY_AFTER = 900.0  # a Retry-After beyond 15 minutes is treated as 15 minutes


class TokenBucket:
    """`rate` requests a second on average, up to `burst` at once; rate 0/None means unlimited."""

    def __init__(self, rate: float | None, burst: int, now: Callable[[], float]) -> None:
        self.rate = float(rate) if rate else 0.0
        self.capacity = float(max(1, burst))
        self._now = now
        self._tokens = self.capacity
        self._last: float | None = None
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one request from the budget; returns how long the caller must wait before sending it."""
        if self.rate <= 0:
            return 0.0
        with self._lock:
            t = self._now()
            if self._last is not None:
                self._tokens = min(self.capacity, self._tokens + max(0.0, t - self._last) * self.rate)
            self._last = t
            self._tokens -= 1.0  # may go negative: a reservation queued behind earlier ones
            return -self._tokens / self.rate if self._tokens < 0 else 0.0


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base * 2**attempt)] (attempt from 0)."""
    return rng.uniform(0.0, backoff_ceiling(attempt, base, cap))


def backoff_ceiling(attempt: int, base: float, cap: float) -> float:
    """The upper bound of the jitter window for retry number `attempt` (from 0)."""
    return max(0.0, min(cap, base * (2.0 ** min(attempt, 62))))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None when absent/unreadable."""
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
    return min(max(0.0, seconds), MAX_RETRY_AFTER)
