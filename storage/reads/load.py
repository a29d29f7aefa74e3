"""The rep's load by day: how many follow-ups fall due on each of their coming working days, and how
many of those are promised, against their daily capacity. What the week view shows (`w`eek at a
glance) and what the away and catch-up plans fill up to (storage.reads.plans)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.book.models import Prospect
from storage.reads.queue import days_span
from storage.rules.workdays import WorkWeek

WEEK_AHEAD = 14  # working days the week view shows


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    due: int
    promised: int


def count_on(day: dt.date, tz: str) -> DayCount:
    """What falls due on the rep's `day`: two counts through the queue index (promised or not)."""
    on_day = days_span(day, day + dt.timedelta(days=1), tz).condition()
    promised = Prospect.select().where((Prospect.next_promised == True) & on_day).count()  # noqa: E712
    others = Prospect.select().where((Prospect.next_promised == False) & on_day).count()  # noqa: E712
    return DayCount(day, promised + others, promised)


def week_ahead(today: dt.date, tz: str, week: WorkWeek, days: int = WEEK_AHEAD) -> list[DayCount]:
    """The next `days` working days from `today` (today included when the rep works today)."""
    return [count_on(day, tz) for day in week.next_days(today, days)]
