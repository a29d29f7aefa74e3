"""The rep's load by day: how many follow-ups fall due on each of their coming working days, and how
many of those are promised, against their daily capacity. What the week view shows (`w`eek at a
glance) and what the away and catch-up plans fill up to (storage.reads.plans)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum

from storage.book.models import Prospect
from storage.reads.queue import days_span
from storage.rules.dates import zone
from storage.rules.workdays import WorkWeek

WEEK_AHEAD = 14  # working days the week view shows


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    due: int
    promised: int


def naive_utc(moment: pendulum.DateTime) -> dt.datetime:
    """As the book stores a moment: a plain naive-UTC datetime (the driver binds no pendulum type)."""
    utc = moment.in_timezone(pendulum.UTC)
    return dt.datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def day_range(first: dt.date, last: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """The naive-UTC moments [start of `first`, start of the day after `last`) in the rep's zone:
    the timed steps of those days (a date-only step is in it by its noon from UTC-12 to UTC+12;
    storage.reads.queue.days_span holds each by its own kind of bound)."""
    after = last + dt.timedelta(days=1)
    return (naive_utc(pendulum.datetime(first.year, first.month, first.day, tz=zone(tz))),
            naive_utc(pendulum.datetime(after.year, after.month, after.day, tz=zone(tz))))


def count_on(day: dt.date, tz: str) -> DayCount:
    """What falls due on the rep's `day`: two counts through the queue index (promised or not)."""
    on_day = days_span(day, day + dt.timedelta(days=1), tz).condition()
    promised = Prospect.select().where((Prospect.next_promised == True) & on_day).count()  # noqa: E712
    others = Prospect.select().where((Prospect.next_promised == False) & on_day).count()  # noqa: E712
    return DayCount(day, promised + others, promised)


def week_ahead(today: dt.date, tz: str, week: WorkWeek, days: int = WEEK_AHEAD) -> list[DayCount]:
    """The next `days` working days from `today` (today included when the rep works today)."""
    return [count_on(day, tz) for day in week.next_days(today, days)]
