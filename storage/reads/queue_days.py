"""The rep's days as spans of the queue index: what "today", "late", "upcoming" and "later" are,
for date-only steps (the same date in every zone) and timed ones (a moment, stored in UTC), seen
from the rep's zone. The one home of those rules: the queue's sections (storage/reads/queue.py),
today's figures and the reports cut by them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
import peewee as pw

from storage.book.models import Prospect
from storage.rules.dates import book_moment, zone


@dataclass(frozen=True)
class Span:
    """Some of the rep's days as the book holds them: date-only steps by their date, stored at noon
    (storage.rules.dates.stored: [first day 00:00, day after the last 00:00) holds them), timed
    steps by their moment, naive UTC [moments_from, moments_before). None: no bound on that side."""

    dates_from: dt.datetime | None
    dates_before: dt.datetime | None
    moments_from: dt.datetime | None
    moments_before: dt.datetime | None

    def condition(self) -> pw.Expression:
        """Steps in the span: one range on the due column from the earlier bound to the later (a
        read stays one range scan of the queue index, in its order), in which each step is
        kept by its own kind of bound (has_time is in that index too)."""
        lo = _earlier(self.dates_from, self.moments_from)
        hi = _later(self.dates_before, self.moments_before)
        return self._within(lo, hi)

    def _within(self, lo: dt.datetime | None, hi: dt.datetime | None) -> pw.Expression:
        """The span's steps due in [lo, hi): the range is the one the index is searched by."""
        dated = (Prospect.next_has_time == False) & due_between(self.dates_from, self.dates_before)  # noqa: E712
        timed = (Prospect.next_has_time == True) & due_between(self.moments_from, self.moments_before)  # noqa: E712
        return due_between(lo, hi) & (dated | timed)

    def counted_in_parts(self) -> list[pw.Expression]:
        """The span as conditions whose counts add up to its own, for counting fast: between the
        later of the two first bounds and the earlier of the two last, every step is in the span
        whatever its kind, so that middle is a bare range of the queue index (counted without
        reading one entry's has_time). Only the edges, less than a day and a half wide at each
        end (the rep's zone against UTC), are tested step by step, as `condition` does."""
        lo = _earlier(self.dates_from, self.moments_from)
        hi = _later(self.dates_before, self.moments_before)
        inner_lo = _later_start(self.dates_from, self.moments_from)
        inner_hi = _earlier_end(self.dates_before, self.moments_before)
        if inner_lo is not None and inner_hi is not None and inner_lo >= inner_hi:
            return [self.condition()]
        parts = [due_between(inner_lo, inner_hi)]
        if inner_lo is not None and inner_lo != lo:
            parts.append(self._within(lo, inner_lo))
        if inner_hi is not None and inner_hi != hi:
            parts.append(self._within(inner_hi, hi))
        return parts


def due_between(lo: dt.datetime | None, hi: dt.datetime | None) -> pw.Expression:
    cond = Prospect.next_due_at.is_null(False)
    if lo is not None:
        cond &= Prospect.next_due_at >= lo
    if hi is not None:
        cond &= Prospect.next_due_at < hi
    return cond


def _earlier(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return None if a is None or b is None else min(a, b)


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return None if a is None or b is None else max(a, b)


def _later_start(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    """The later of two first bounds (None: no bound, earlier than any)."""
    return b if a is None else a if b is None else max(a, b)


def _earlier_end(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    """The earlier of two last bounds (None: no bound, later than any)."""
    return b if a is None else a if b is None else min(a, b)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _day_start_utc(day: dt.date, tz: str) -> dt.datetime:
    return book_moment(pendulum.datetime(day.year, day.month, day.day, tz=zone(tz)))


def days_span(first: dt.date | None, after: dt.date | None, tz: str) -> Span:
    """The rep's days from `first` up to `after` (not included; None: no bound) in their zone."""
    return Span(
        _midnight(first) if first is not None else None,
        _midnight(after) if after is not None else None,
        _day_start_utc(first, tz) if first is not None else None,
        _day_start_utc(after, tz) if after is not None else None,
    )


def _utc_now(now: pendulum.DateTime) -> dt.datetime:
    return book_moment(now)  # to the book's second


def section_bounds(now: pendulum.DateTime, tz: str) -> dict[str, Span]:
    """The span of each dated, unpromised section; "late" is what is late now (`is_late`) and
    "not_late" the rest (promised is read in those two runs)."""
    today = now.in_timezone(zone(tz)).date()
    today = dt.date(today.year, today.month, today.day)
    tomorrow, week_end = today + dt.timedelta(days=1), today + dt.timedelta(days=8)
    moment = _utc_now(now)
    late = Span(None, _midnight(today), None, moment)
    rest = days_span(today, None, tz)
    return {
        "overdue": late,
        # a timed step of today is today until its time, overdue after it
        "today": Span(_midnight(today), _midnight(tomorrow), moment, _day_start_utc(tomorrow, tz)),
        "upcoming": days_span(tomorrow, week_end, tz),
        "later": days_span(week_end, None, tz),
        "late": late,
        "not_late": Span(rest.dates_from, None, moment, None),
    }


def is_late(due_at: dt.datetime, has_time: bool, now: pendulum.DateTime, tz: str) -> bool:
    """The rule the sections are cut by, for one step: a date-only step is due all its date and
    late from the next (in the rep's zone: the same date in any); a timed one (naive UTC `due_at`)
    is late once its time has passed, to the book's second."""
    if not has_time:
        today = now.in_timezone(zone(tz)).date()
        return due_at.date() < dt.date(today.year, today.month, today.day)
    return due_at < _utc_now(now)
