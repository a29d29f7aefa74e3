"""Fixtures every test shares: a real book file per test, frozen time, a fixed time zone."""

from __future__ import annotations

import pendulum
import pytest

from storage.reads.coaching import cadences
from storage.book.opening import close_book, open_book

TZ = "Europe/Paris"
# A Monday morning in the rep's zone: the moment every test and snapshot lives in.
FROZEN = pendulum.datetime(2026, 11, 23, 9, 30, tz=TZ)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Nothing a test does touches the developer's own book, folders or zone."""
    monkeypatch.setenv("FOLLOWUP_TZ", TZ)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("FOLLOWUP_DB", raising=False)
    cadences.cache_clear()  # each test reads the cadences of its own config folder
    yield
    close_book()


@pytest.fixture
def frozen():
    with pendulum.travel_to(FROZEN, freeze=True):
        yield FROZEN


@pytest.fixture
def book(tmp_path):
    """A new, empty book on disk."""
    path = tmp_path / "book.db"
    db = open_book(path)
    yield db
    db.close()
