"""Plans that move many follow-ups at once, shown before anything is written: "I'm away from D1 to
D2" (every open follow-up in the window goes to the working days after it) and "catch up" (the
overdue, not the promised, spread over the next working days). Both fill a day only up to the
rep's capacity, what is already due that day included, so nothing piles up on the day of return.
The plan is read here; storage.actions.shifts writes it as one action (one undo)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pendulum

from storage.book.models import FollowUp, Prospect
from storage.reads.load import count_on
from storage.reads.queue import days_span, section_condition
from storage.rules.dates import When, local_due, stored, zone
from storage.rules.workdays import WorkWeek

DEFAULT_CAPACITY = 25  # follow-ups a rep can do in a day, unless their settings say otherwise


@dataclass(frozen=True)
class Move:
    prospect_id: int
    name: str
    promised: bool
    due_at: dt.datetime  # naive UTC, as it stands
    has_time: bool
    day: dt.date  # the rep's day it moves to (a timed step keeps its time of day)


@dataclass(frozen=True)
class DayLoad:
    day: dt.date
    already: int  # due that day before the plan
    moved: int  # brought by the plan
    promised: int  # of those moved, the promised

    @property
    def total(self) -> int:
        return self.already + self.moved


@dataclass(frozen=True)
class Plan:
    what: str  # "away" or "catch up"
    moves: tuple[Move, ...]
    days: tuple[DayLoad, ...]  # the days that receive moves, in order
    capacity: int

    def lines(self) -> list[str]:
        """The plan as the rep reads it before applying: a line per day."""
        out = []
        for load in self.days:
            promised = f", {load.promised} promised" if load.promised else ""
            out.append(f"{load.day:%a %-d %b}: +{load.moved}{promised} → {load.total} of {self.capacity}")
        return out


def _moves_of(query, tz: str) -> list[tuple[Prospect, bool]]:
    rows = list(query)
    steps = FollowUp.open_of([p.id for p in rows])
    return [(p, bool(steps.get(p.id) and steps[p.id].has_time)) for p in rows]


def _fill(what: str, found: list[tuple[Prospect, bool]], first_day: dt.date, week: WorkWeek, capacity: int,
          tz: str, keep_time: bool = True) -> Plan:
    """Give each follow-up, in the order found, the first working day from `first_day` that has
    room under `capacity`. `keep_time`: a timed step keeps its time of day (else it becomes a
    date-only step: a call once set for 14:00 weeks ago is due that day, not late at 14:00)."""
    if capacity < 1:
        raise ValueError("A day's capacity is at least one follow-up.")
    moves: list[Move] = []
    moved, promised = Counter(), Counter()
    already: dict[dt.date, int] = {}
    day = week.on_or_after(first_day)
    for prospect, has_time in found:
        while True:
            if day not in already:
                already[day] = count_on(day, tz).due
            if already[day] + moved[day] < capacity:
                break
            day = week.after(day)
        moved[day] += 1
        promised[day] += prospect.next_promised
        moves.append(Move(prospect.id, prospect.name, prospect.next_promised, prospect.next_due_at, has_time and keep_time, day))
    days = tuple(DayLoad(d, already[d], moved[d], promised[d]) for d in sorted(moved))
    return Plan(what, tuple(moves), days, capacity)


def plan_away(first: dt.date, last: dt.date, tz: str, week: WorkWeek, capacity: int = DEFAULT_CAPACITY) -> Plan:
    """Every open follow-up due from `first` to `last` (the rep's days, both included), promised
    ones first, each group in the queue's order, to the working days after `last`."""
    if last < first:
        raise ValueError("The last day away comes before the first.")
    query = (
        Prospect.select(Prospect.id, Prospect.name, Prospect.next_due_at, Prospect.next_promised)
        .where(days_span(first, last + dt.timedelta(days=1), tz).condition())
        .order_by(Prospect.next_promised.desc(), Prospect.next_due_at, Prospect.deal_value.desc(), Prospect.id)
    )
    return _fill("away", _moves_of(query, tz), last + dt.timedelta(days=1), week, capacity, tz)


def plan_catch_up(now: pendulum.DateTime, tz: str, week: WorkWeek, capacity: int = DEFAULT_CAPACITY) -> Plan:
    """The overdue (never the promised: those are the rep's word, kept where they are), oldest and
    highest value first, spread from today over the working days by capacity."""
    query = (
        Prospect.select(Prospect.id, Prospect.name, Prospect.next_due_at, Prospect.next_promised)
        .where(section_condition("overdue", now, tz))  # the late, unpromised (promised is a section of its own)
        .order_by(Prospect.next_due_at, Prospect.deal_value.desc(), Prospect.id)
    )
    today = now.in_timezone(zone(tz)).date()
    return _fill("catch up", _moves_of(query, tz), dt.date(today.year, today.month, today.day), week, capacity, tz,
                 keep_time=False)


def moved_due(move: Move, tz: str) -> dt.datetime:
    """Where a move puts the step, as the book keeps it (dates.stored): the same time of day on its
    new day, or the new date alone for a date-only step."""
    if not move.has_time:
        return stored(When(move.day, None), tz)
    local = local_due(move.due_at, True, tz)
    return stored(When(move.day, dt.time(local.hour, local.minute)), tz)

