"""The idle collector: no automatic collection while keys come in; young cycles collected once the
rep pauses, or after many allocations when they never do; everything given back at the end."""

from __future__ import annotations

import gc

import pytest

from tui import idle_gc
from tui.idle_gc import IdleCollector


class Timers:
    """What the collector asks of the app: a timer (the test calls tick itself)."""

    def __init__(self) -> None:
        self.intervals: list[float] = []

    def set_interval(self, interval, callback, name=None):
        self.intervals.append(interval)


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector():
    found = IdleCollector()
    found.start(Timers())
    yield found
    found.stop()


def cycles(n: int) -> None:
    for _ in range(n):
        Cycle()  # garbage only a collection frees


def test_while_keys_come_no_collection_runs(collector):
    assert not gc.isenabled() and gc.get_freeze_count() > 0
    collector.heard()
    cycles(1_000)
    pending = gc.get_count()[0]
    collector.tick()
    assert gc.get_count()[0] >= pending  # nothing collected under the rep's fingers


def test_a_pause_collects_the_young_cycles(collector, monkeypatch):
    monkeypatch.setattr(idle_gc, "QUIET", 0.0)
    cycles(1_000)
    collector.tick()
    assert gc.get_count()[0] < 50


def test_a_key_held_down_still_collects_past_the_limit(collector, monkeypatch):
    monkeypatch.setattr(idle_gc, "MAX_PENDING", 500)
    collector.heard()
    cycles(1_000)
    collector.tick()
    assert gc.get_count()[0] < 50


def test_stopping_gives_the_collector_back():
    found = IdleCollector()
    found.start(Timers())
    found.stop()
    assert gc.isenabled() and gc.get_freeze_count() == 0
