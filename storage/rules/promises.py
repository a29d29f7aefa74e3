"""Promised follow-ups: by when a promise must be kept, and whether it was.

The customer's first concern is receiving the call the rep promised (PRODUCT §1), so the book
keeps, for each promise, whether it was kept on time. Pure: stdlib and pendulum only.
"""

from __future__ import annotations

import datetime

from storage.rules.dates import When, due_day, to_utc

# A promise made for a time ("Tuesday at 10") is kept if the rep follows up within this grace.
# Not the end of the day: a customer told "10" who is called at 14:00 got a late call. Two hours
# cover a meeting that ran over, not a forgotten morning.
TIMED_GRACE = datetime.timedelta(hours=2)


def promise_deadline(due_at: datetime.datetime, has_time: bool, tz: str | None) -> datetime.datetime:
    """The last moment (naive UTC) that still keeps a promise due at `due_at` (as the book keeps
    it: storage.rules.dates.stored).

    A date-only promise ("I'll call you Tuesday") is kept all its date: until the end of that date
    in `tz`, the rep's zone (the same date in every zone; its end is where the rep is). That day
    may be 23 or 25 hours long across a DST change. Without a zone (None: a caller that does not
    know the rep's), the date ends as it does in UTC.
    """
    if has_time:
        return due_at + TIMED_GRACE
    next_day = due_day(due_at, False, tz or "UTC") + datetime.timedelta(days=1)
    if tz is None:
        return datetime.datetime(next_day.year, next_day.month, next_day.day)
    return to_utc(When(next_day, None), tz)


def promise_outcome(on_time: bool, resolution: str) -> bool | None:
    """What the book keeps of a promised follow-up as it ends: a touch (resolution "done") by the
    deadline kept it; moving or closing it before the deadline is neither (the new date carries the
    promise: None); ending it any way after the deadline broke it."""
    if resolution == "done":
        return on_time
    return None if on_time else False


def promise_kept(
    due_at: datetime.datetime, has_time: bool, done_at: datetime.datetime, tz: str | None
) -> bool:
    """Was the promise kept on time: done (naive UTC) no later than its deadline?"""
    return done_at <= promise_deadline(due_at, has_time, tz)


def promise_state(
    due_at: datetime.datetime,
    has_time: bool,
    done_at: datetime.datetime | None,
    now_utc: datetime.datetime,
    tz: str | None,
) -> str:
    """"kept" or "late" once done; "open" while there is still time, "overdue" after."""
    deadline = promise_deadline(due_at, has_time, tz)
    if done_at is not None:
        return "kept" if done_at <= deadline else "late"
    return "open" if now_utc <= deadline else "overdue"
