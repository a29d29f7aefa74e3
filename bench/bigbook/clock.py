"""Time in the big book: day offsets from today in the rep's zone, moments as epoch seconds (a
table of each day's local midnight and noon, made once), written as the book stores them."""

from __future__ import annotations

import datetime as dt
import random
import time

import pendulum

from storage.demo.conversation import span_start
from storage.demo.draws import Draws
from storage.demo.material import HOURS

HISTORY_DAYS = 420  # how far back a typical history reaches
DAY_LO, DAY_HI = -900, 400  # the day offsets the clock covers


class Clock:
    def __init__(self, rng: random.Random, draw: Draws, now: dt.datetime, tz: str):
        self.rng = rng
        self.draw = draw
        zone = pendulum.timezone(tz)
        local = pendulum.instance(now, tz="UTC").in_timezone(zone)
        self.today = dt.date(local.year, local.month, local.day)
        self.now = int(now.replace(tzinfo=dt.timezone.utc).timestamp())
        # index = offset - DAY_LO: the UTC epoch of local midnight and of local noon that day
        self.midnights: list[int] = []
        self.noons: list[int] = []
        # a date-only step's due as the book keeps it (storage.rules.dates.stored): the date at
        # 12:00 with no zone, written as the epoch of that noon in UTC (`text` prints it back)
        self.dates: list[int] = []
        self.weekend: list[bool] = []
        for offset in range(DAY_LO, DAY_HI + 2):
            day = self.today + dt.timedelta(days=offset)
            self.midnights.append(pendulum.datetime(day.year, day.month, day.day, tz=zone).int_timestamp)
            self.noons.append(pendulum.datetime(day.year, day.month, day.day, 12, tz=zone).int_timestamp)
            self.dates.append(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()))
            self.weekend.append(day.weekday() >= 5)
        # working moments as seconds from noon: every 5 minutes of the demo's working hours
        self.work = tuple((h - 12) * 3600 + m * 60 for h in HOURS for m in range(0, 60, 5))
        self._text: dict[int, str] = {}

    # -- as the book stores them ------------------------------------------------------------------

    def text(self, epoch: int) -> str:
        """'YYYY-MM-DD HH:MM:SS' (naive UTC), as the book stores a DateTimeField."""
        cached = self._text.get(epoch)
        if cached is None:
            cached = self._text[epoch] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
        return cached

    def date_text(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()

    # -- days and moments -------------------------------------------------------------------------

    def midnight(self, day: int) -> int:
        return self.midnights[day - DAY_LO]

    def date_only(self, day: int) -> int:
        return self.dates[day - DAY_LO]

    def noon(self, day: int) -> int:
        return self.noons[day - DAY_LO]

    def work_time(self, day: int) -> int:
        return self.noons[day - DAY_LO] + self.work[int(self.rng.random() * len(self.work))]

    def created(self, first_day: int) -> int:
        """When a prospect whose first touch is on `first_day` was added: a few days before."""
        day = first_day - 1 - int(self.rng.random() * 4)
        return self.noons[day - DAY_LO] + self.work[int(self.rng.random() * len(self.work))]

    def days(self, start: int, end: int, k: int) -> list[int]:
        """k day offsets in [start, end], ascending, weekdays preferred (repeats allowed)."""
        if k <= 0:
            return []
        rnd = self.rng.random
        weekend = self.weekend
        width = end - start + 1
        out = []
        for _ in range(k):
            d = start + int(rnd() * width)
            if weekend[d - DAY_LO]:
                d = start + int(rnd() * width)
            out.append(d)
        out.sort()
        return out

    def span_start(self, k: int, end: int) -> int:
        """Where a history of k touches ending on day `end` begins (never before the clock)."""
        return max(DAY_LO + 10, span_start(self.draw, k, end, days_per_touch=3, history_days=HISTORY_DAYS))
