"""The sync benchmark's hybrid clock: virtual sleeps, real ones only while the background publisher works."""

from __future__ import annotations

import time

import pytest

from benchmarks.sync import HybridClock


def test_sleeps_advance_the_clock_without_waiting_when_no_publisher_runs(monkeypatch):
    real: list[float] = []
    monkeypatch.setattr(time, "sleep", real.append)
    clock = HybridClock(1000.0)
    clock.sleep(30.0, busy=lambda: False)
    assert real == []
    assert clock.slept == 30.0


def test_sleeps_are_real_in_short_steps_while_the_publisher_is_busy_and_virtual_after(monkeypatch):
    real: list[float] = []
    monkeypatch.setattr(time, "sleep", real.append)
    busy = iter([True, True, False])
    clock = HybridClock(1000.0)
    clock.sleep(0.1, busy=lambda: next(busy))
    assert real == [0.02, 0.02]  # two real steps while busy: the publisher's work overlaps the wait
    assert clock.slept == pytest.approx(0.06)  # the rest of the wait only on the clock
