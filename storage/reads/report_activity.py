"""Is the rep keeping up? (issue 17, "activity"): for each ISO week of a report's period, in the
rep's zone, the touches they made by channel against the follow-ups that were due that week.

Each week is cut at the rep's Monday midnight, converted to UTC exactly (a DST change inside a week
only moves where its end falls). A week's touches are range counts of the (channel, direction,
outcome, at) index, one per channel and outcome (its order, so no sort); its follow-ups due are one
range of the (due_at, has_time, resolution) index, read the way the queue reads a day (a date-only
step by its date, a timed one by its moment: storage.reads.queue.days_span, the one home of it).
A follow-up moved to another day (snoozed, rescheduled) is not counted as due: the step that took
its place is, on its own day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pendulum
import peewee as pw

from storage.book.models import FollowUp, Touch
from storage.book.vocabulary import CHANNELS, OUTCOMES
from storage.reads.queue import days_span
from storage.rules.dates import due_day

if TYPE_CHECKING:
    from storage.reads.reports import Period

MOVED = ("snoozed", "rescheduled")  # how a follow-up ends that was only put off (storage.actions)


@dataclass(frozen=True)
class ActivityWeek:
    week: str  # ISO week in the rep's zone, "2026-W48"
    first_day: dt.date  # its Monday
    out: dict[str, int] = field(default_factory=dict)  # touches the rep made, by channel (book's order)
    due: int = 0  # follow-ups due that week (done, closed or still open; not the ones moved)

    @property
    def total_out(self) -> int:
        return sum(self.out.values())


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _first_day(period: Period, tz: str) -> dt.date | None:
    """The period's first day, or for the whole book the day of its first touch or due."""
    if period.first_day is not None:
        return period.first_day
    days = []
    touch = Touch.select(pw.fn.MIN(Touch.at)).where(Touch.direction == "out").scalar()
    if touch is not None:
        days.append(pendulum.instance(_moment(touch), tz="UTC").in_timezone(tz).date())
    step = FollowUp.select(FollowUp.due_at, FollowUp.has_time).order_by(FollowUp.due_at).first()
    if step is not None:  # a day early at most (a date is kept at noon, a moment in UTC): fine for a start
        days.append(due_day(step.due_at, bool(step.has_time), tz))
    return min((dt.date(d.year, d.month, d.day) for d in days), default=None)


def _moment(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def activity(period: Period, tz: str) -> list[ActivityWeek]:
    """Every week from the period's first to the one of its end, oldest first (weeks without a
    touch or a due included: a gap is what the rep should see)."""
    first = _first_day(period, tz)
    if first is None:
        return []
    last = pendulum.instance(period.end, tz="UTC").in_timezone(tz).date()
    last = dt.date(last.year, last.month, last.day)
    weeks = []
    monday = _monday(first)
    while monday <= last:
        start, after = max(monday, first), min(monday + dt.timedelta(days=7), last + dt.timedelta(days=1))
        weeks.append(_week(monday, days_span(start, after, tz), period.end))
        monday += dt.timedelta(days=7)
    return weeks


def _week(monday: dt.date, span, end: dt.datetime) -> ActivityWeek:
    lo, hi = span.moments_from, min(span.moments_before, end + dt.timedelta(seconds=1))
    counts = (Touch.select(Touch.channel, pw.fn.COUNT(Touch.id))
              .where((Touch.channel.in_(CHANNELS)) & (Touch.direction == "out") & Touch.outcome.in_(OUTCOMES)
                     & (Touch.at >= lo) & (Touch.at < hi))
              .group_by(Touch.channel).tuples())
    found = dict(counts)
    out = {c: found[c] for c in CHANNELS if found.get(c)}
    due = FollowUp.select().where(
        _due_in(span) & (FollowUp.resolution.is_null() | FollowUp.resolution.not_in(MOVED))
    ).count()
    year, week, _ = monday.isocalendar()
    return ActivityWeek(f"{year}-W{week:02d}", monday, out, due)


def _due_in(span) -> pw.Expression:
    """The follow-ups whose due falls in the span: Span.condition's rule on FollowUp's columns."""
    lo = min(span.dates_from, span.moments_from)
    hi = max(span.dates_before, span.moments_before)
    dated = (FollowUp.has_time == False) & (FollowUp.due_at >= span.dates_from) & (FollowUp.due_at < span.dates_before)  # noqa: E712
    timed = (FollowUp.has_time == True) & (FollowUp.due_at >= span.moments_from) & (FollowUp.due_at < span.moments_before)  # noqa: E712
    return (FollowUp.due_at >= lo) & (FollowUp.due_at < hi) & (dated | timed)
