"""Promises: the deadline that keeps one, and whether each was kept on time."""

from datetime import date, datetime, time, timedelta

import pytest

from storage.rules.dates import When, stored, to_utc
from storage.rules.promises import TIMED_GRACE, promise_deadline, promise_kept, promise_state

PARIS = "Europe/Paris"


def local(day, at=None, tz=PARIS):
    """A due as the book keeps it: a date alone (the same in any zone), or the naive UTC moment of
    a local date and time."""
    return stored(When(day, at), tz)


# --- deadlines ------------------------------------------------------------------------------------


def test_a_date_only_promise_runs_to_the_next_local_midnight():
    due = local(date(2026, 11, 23))  # Monday, whatever the zone
    assert due == datetime(2026, 11, 23, 12, 0)
    assert promise_deadline(due, False, PARIS) == datetime(2026, 11, 23, 23, 0)  # Tue 00:00 in Paris
    # the end of that Monday where the rep is: in Honolulu (UTC-10), in Kiritimati (UTC+14)
    assert promise_deadline(due, False, "Pacific/Honolulu") == datetime(2026, 11, 24, 10, 0)
    assert promise_deadline(due, False, "Pacific/Kiritimati") == datetime(2026, 11, 23, 10, 0)
    assert promise_deadline(due, False, None) == datetime(2026, 11, 24, 0, 0)  # no zone: UTC's


def test_a_date_only_promise_over_a_dst_change_is_one_local_day():
    # Europe leaves summer time on Sunday 25 Oct 2026: that day lasts 25 hours…
    autumn = local(date(2026, 10, 25))
    start = to_utc(When(date(2026, 10, 25), None), PARIS)  # the instant that day starts in Paris
    assert promise_deadline(autumn, False, PARIS) - start == timedelta(hours=25)
    assert promise_deadline(autumn, False, PARIS) == to_utc(When(date(2026, 10, 26), None), PARIS)
    # …and enters it on Sunday 29 Mar 2026: 23 hours.
    spring = local(date(2026, 3, 29))
    start = to_utc(When(date(2026, 3, 29), None), PARIS)
    assert promise_deadline(spring, False, PARIS) - start == timedelta(hours=23)


def test_a_date_only_promise_where_midnight_is_skipped():
    # Chile moves its clocks from 00:00 to 01:00 on Sunday 6 Sep 2026: the Saturday ends at 01:00.
    due = local(date(2026, 9, 5), tz="America/Santiago")
    assert promise_deadline(due, False, "America/Santiago") == datetime(2026, 9, 6, 4, 0)
    sunday = local(date(2026, 9, 6), tz="America/Santiago")
    assert promise_deadline(sunday, False, "America/Santiago") == datetime(2026, 9, 7, 3, 0)


def test_a_timed_promise_has_two_hours_of_grace():
    due = local(date(2026, 11, 24), time(10, 0))  # "Tuesday at 10"
    assert TIMED_GRACE == timedelta(hours=2)
    assert promise_deadline(due, True, PARIS) == datetime(2026, 11, 24, 11, 0)  # 12:00 in Paris


def test_a_timed_promise_late_in_the_day_runs_past_local_midnight():
    due = local(date(2026, 11, 24), time(23, 30))
    assert promise_deadline(due, True, PARIS) == datetime(2026, 11, 25, 0, 30)  # 01:30 Wed


def test_a_timed_promise_over_a_dst_change_is_two_real_hours():
    due = local(date(2026, 10, 25), time(1, 30))  # 01:30 CEST, an hour before the clocks go back
    assert promise_deadline(due, True, PARIS) == due + timedelta(hours=2)


# --- kept or not -----------------------------------------------------------------------------------


def test_promise_kept_at_the_local_midnight_boundary():
    due = local(date(2026, 11, 23))
    assert promise_kept(due, False, datetime(2026, 11, 22, 23, 0), PARIS)  # 00:00 Monday
    assert promise_kept(due, False, datetime(2026, 11, 23, 22, 59), PARIS)  # 23:59 Monday
    assert promise_kept(due, False, datetime(2026, 11, 23, 23, 0), PARIS)  # the deadline itself
    assert not promise_kept(due, False, datetime(2026, 11, 23, 23, 1), PARIS)  # 00:01 Tuesday


def test_promise_kept_early_counts_as_kept():
    due = local(date(2026, 11, 24), time(10, 0))
    assert promise_kept(due, True, datetime(2026, 11, 20, 9, 0), PARIS)


def test_promise_kept_for_a_timed_promise():
    due = local(date(2026, 11, 24), time(10, 0))
    assert promise_kept(due, True, datetime(2026, 11, 24, 10, 59), PARIS)  # 11:59 in Paris
    assert not promise_kept(due, True, datetime(2026, 11, 24, 13, 0), PARIS)  # the 14:00 call


@pytest.mark.parametrize(
    ("done", "now", "state"),
    [
        (datetime(2026, 11, 24, 9, 15), datetime(2026, 11, 25, 8, 0), "kept"),
        (datetime(2026, 11, 24, 11, 0), datetime(2026, 11, 24, 11, 0), "kept"),
        (datetime(2026, 11, 24, 11, 1), datetime(2026, 11, 24, 12, 0), "late"),
        # done late, looked at before the deadline (a clock set back): done decides
        (datetime(2026, 11, 24, 12, 0), datetime(2026, 11, 24, 10, 0), "late"),
        (None, datetime(2026, 11, 20, 8, 0), "open"),
        (None, datetime(2026, 11, 24, 11, 0), "open"),
        (None, datetime(2026, 11, 24, 11, 1), "overdue"),
    ],
)
def test_promise_state_timed(done, now, state):
    due = local(date(2026, 11, 24), time(10, 0))  # 09:00 UTC, deadline 11:00 UTC
    assert promise_state(due, True, done, now, PARIS) == state


@pytest.mark.parametrize(
    ("done", "now", "state"),
    [
        (datetime(2026, 10, 25, 22, 59), datetime(2026, 10, 26, 9, 0), "kept"),  # 23:59 CET
        (datetime(2026, 10, 25, 23, 0), datetime(2026, 10, 26, 9, 0), "kept"),
        (datetime(2026, 10, 25, 23, 30), datetime(2026, 10, 26, 9, 0), "late"),  # 00:30 Monday
        (None, datetime(2026, 10, 25, 22, 30), "open"),  # 23:30 CET: still Sunday there
        (None, datetime(2026, 10, 25, 23, 0, 1), "overdue"),
    ],
)
def test_promise_state_date_only_across_the_dst_change(done, now, state):
    due = local(date(2026, 10, 25))  # Sunday, the 25-hour day
    assert promise_state(due, False, done, now, PARIS) == state
