"""When a touch happened, as typed in the log form (storage.rules.happened): looking back from
now, to the minute, never in the future."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from storage.rules.dates import DateError, When
from storage.rules.happened import is_now, parse_happened

NOW = pendulum.datetime(2026, 11, 23, 9, 30, tz="Europe/Paris")  # a Monday morning


def day(d: int, h: int, m: int = 0, month: int = 11, year: int = 2026) -> When:
    return When(dt.date(year, month, d), dt.time(h, m))


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("now", day(23, 9, 30)),
        ("Just  now", day(23, 9, 30)),
        ("yesterday 3pm", day(22, 15)),
        ("yesterday", day(22, 9, 30)),  # a day alone keeps now's time of day
        ("9:15", day(23, 9, 15)),
        ("2h ago", day(23, 7, 30)),
        ("45 min ago", day(23, 8, 45)),
        ("3d ago", day(20, 9, 30)),
        ("1 week ago", day(16, 9, 30)),
        ("mon", day(23, 9, 30)),  # today is Monday
        ("mon 9:00", day(23, 9)),
        ("mon 10:00", day(16, 10)),  # later today: last Monday's
        ("last fri 4pm", day(20, 16)),
        ("sun", day(22, 9, 30)),
        ("nov 20 8am", day(20, 8)),
        ("dec 1", day(1, 9, 30, month=12, year=2025)),  # the last 1 December
        ("feb 29", day(29, 9, 30, month=2, year=2024)),
        ("2026-11-01 8am", day(1, 8)),
    ],
)
def test_what_a_rep_types_means_a_moment_looking_back(typed, meant):
    assert parse_happened(typed, NOW) == meant


@pytest.mark.parametrize("typed", ["tomorrow", "14:00", "+3d", "in 2 days", "2026-12-01", "1 min ago later"])
def test_the_future_or_nonsense_is_refused_in_words(typed):
    with pytest.raises(DateError) as caught:
        parse_happened(typed, NOW)
    message = str(caught.value)
    assert "future — a touch is something that happened" in message or "Can't read" in message


def test_the_future_is_named_as_such():
    with pytest.raises(DateError, match="That's in the future — a touch is something that happened"):
        parse_happened("tomorrow 9am", NOW)


@pytest.mark.parametrize("typed", ["", "   ", "frib", "5 parsecs ago", "mon frib", "\x1b[31m"])
def test_unreadable_text_says_what_to_try_looking_back(typed):
    with pytest.raises(DateError) as caught:
        parse_happened(typed, NOW)
    assert "2h ago" in str(caught.value) and "\x1b" not in str(caught.value)


def test_too_far_back_is_refused_not_an_overflow():
    with pytest.raises(DateError, match="too far back"):
        parse_happened("9999 weeks ago", NOW)


def test_now_is_the_moment_of_the_save():
    assert is_now(" NOW ") and not is_now("2h ago")
