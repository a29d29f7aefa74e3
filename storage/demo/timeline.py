"""When things happen in the demo: days counted from today in the rep's zone, as naive UTC."""

from __future__ import annotations

import datetime as dt
import random

import pendulum

from storage.demo.material import HOURS
from storage.rules.dates import When, stored


class Timeline:
    def __init__(self, rng: random.Random, now: dt.datetime, tz: str) -> None:
        self.rng = rng
        self.now = now
        self.zone = pendulum.timezone(tz)  # held: naming the zone on every call reloads it
        local = pendulum.instance(now, tz="UTC").in_timezone(self.zone)
        self.today = dt.date(local.year, local.month, local.day)
        self._utc_cache: dict[tuple[int, int, int], dt.datetime] = {}

    def at(self, offset: int, hour: int = 0, minute: int = 0) -> dt.datetime:
        """Naive UTC of hour:minute local (in the rep's zone) on today + offset days. At 0:00 this
        is the local midnight the queue uses as the start of that day."""
        key = (offset, hour, minute)
        cached = self._utc_cache.get(key)
        if cached is None:
            day = self.today + dt.timedelta(days=offset)
            moment = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=self.zone).in_timezone(pendulum.UTC)
            cached = dt.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
            self._utc_cache[key] = cached
        return cached

    def due(self, offset: int, hour: int | None = None, minute: int = 0) -> dt.datetime:
        """A follow-up's due on today + offset days as the book keeps it (dates.stored): at
        hour:minute local, or (hour None) that date alone."""
        if hour is not None:
            return self.at(offset, hour, minute)
        return stored(When(self.today + dt.timedelta(days=offset), None), self.zone)

    def work_time(self, offset: int) -> dt.datetime:
        """A moment in working hours on that day."""
        return self.at(offset, self.rng.choice(HOURS), self.rng.randrange(0, 60, 5))

    def days(self, start: int, end: int, k: int) -> list[int]:
        """k distinct day offsets in [start, end], weekdays preferred, ascending."""
        if k <= 0 or end < start:
            return []
        span = range(start, end + 1)
        monday = -self.today.weekday()  # an offset that falls on a Monday
        weekdays = [d for d in span if (d - monday) % 7 < 5]
        pool = weekdays if len(weekdays) >= k else list(span)
        return sorted(self.rng.sample(pool, min(k, len(pool))))
