"""The idle collector: no full collection while keys come in (young ones go on, so memory stays);
a full one once the rep pauses, or after many young ones when they never do; everything given
back at the end."""

from __future__ import annotations

import gc
import weakref

import pytest

from tui import idle_gc
from tui.idle_gc import IdleCollector


class Timers:
    """What the collector asks of the app: a timer (the test calls tick itself)."""

    def set_interval(self, interval, callback, name=None):
        pass


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector():
    found = IdleCollector()
    found.start(Timers())
    yield found
    found.stop()


@pytest.fixture
def full_collections():
    """Every full collection from here on (generation 2), as the collector reports it."""
    seen: list[int] = []

    def heard(phase, info):
        if phase == "start" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(heard)
    yield seen
    gc.callbacks.remove(heard)


def churn(n: int) -> None:
    for _ in range(n):
        Cycle()  # garbage only a collection frees: young collections run as it piles up


def test_while_keys_come_python_runs_no_full_collection(collector, full_collections):
    assert gc.isenabled() and gc.get_freeze_count() > 0 and gc.get_threshold()[2] == idle_gc.NEVER
    collector.heard()
    churn(40_000)
    collector.tick()
    assert full_collections == []
    assert 0 < gc.get_count()[2] < idle_gc.FORCED_AFTER  # young collections went on: the cycles were freed


def test_a_pause_runs_the_full_collection(collector, full_collections, monkeypatch):
    monkeypatch.setattr(idle_gc, "QUIET", 0.0)
    churn(50_000)
    collector.tick()
    assert full_collections == [1] and gc.get_count()[2] == 0


def test_a_rep_who_never_pauses_still_gets_one(collector, full_collections, monkeypatch):
    monkeypatch.setattr(idle_gc, "FORCED_AFTER", 2)
    collector.heard()
    kept = [Cycle() for _ in range(1000)]
    churn(200_000)
    frozen = gc.get_freeze_count()
    collector.tick()
    assert full_collections == [1]
    assert gc.get_freeze_count() >= frozen + len(kept)  # the next forced one skips what survived this one


def test_what_survives_a_pause_is_frozen(collector, monkeypatch):
    monkeypatch.setattr(idle_gc, "QUIET", 0.0)
    kept = [Cycle() for _ in range(1000)]
    churn(10_000)
    frozen = gc.get_freeze_count()
    collector.tick()
    assert gc.get_freeze_count() >= frozen + len(kept)  # the next forced collections skip them


def test_a_cycle_that_dies_once_frozen_is_freed_by_the_sweep(collector, monkeypatch):
    monkeypatch.setattr(idle_gc, "QUIET", 0.0)
    monkeypatch.setattr(idle_gc, "SWEEP_AFTER", 3600.0)
    kept = Cycle()
    alive = weakref.ref(kept)
    churn(10_000)
    collector.tick()  # a pause: `kept` is frozen with the rest
    del kept
    churn(10_000)
    collector.tick()  # another pause, no sweep yet: a frozen cycle is out of the collector's sight
    assert alive() is not None
    monkeypatch.setattr(idle_gc, "SWEEP_AFTER", 0.0)
    churn(10_000)
    collector.tick()
    assert alive() is None


def test_stopping_gives_the_collector_back():
    before = gc.get_threshold()
    found = IdleCollector()
    found.start(Timers())
    found.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
