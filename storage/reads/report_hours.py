"""When this rep's prospects answer (issue 17, "channels and hours"): touches out and replies per
weekday × hour of the REP'S zone, over a report's period, for the whole book or one kind of
prospect, and the best times said in words.

Touches are stored in naive UTC. The book is cut into the rep's own hours, each converted to its
UTC range exactly (so a DST week is right on both sides of the change: the hour after the clocks
go back is a second 02:00 and lands in 02h again; the skipped hour of spring simply has no touches),
and each hour is a few counts over ranges of the indexes of migration 14 — touch (direction, at)
and (direction, outcome, at) — in one statement: no touch is read into Python, no GROUP BY sorts
a year of touches. What a reply is stays storage.rules.derived.answered: the replies of a direction
are its touches less those of the outcomes answered() says are not answers (for "out": no answer,
left message; for "in": none, a touch they started is an answer; every touch's outcome is one of
OUTCOMES, storage.actions.checks). On the 100k bench book (1M touches) a year of the whole book is
≈ 0.12 s of SQLite's CPU, a fixed part of it the 8,784 hours' seeks (bench/report_timing.py).

A kind (the kind of the follow-up the touch was logged on; a touch on none is NO_KIND) is a join to
the follow-ups: read for one kind at a time, grouped by the UTC hour, the hours converted alike.
A small kind is quick; the book's biggest (new prospect: most steps) is a join and a sort of most
touches, seconds for a year on the 100k book: within 200 ms it would need the kind kept on the
touch itself (written with it, indexed like direction above).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import peewee as pw

from storage.book.errors import BookUnavailable
from storage.book.models import FollowUp, Touch, database
from storage.book.vocabulary import DIRECTIONS, KINDS, OUTCOMES
from storage.rules.derived import answered

if TYPE_CHECKING:
    from storage.reads.reports import Period

WEEKDAYS = 7
HOURS = 24
MIN_SAMPLE = 5  # touches out in a cell before its reply rate is worth saying
NO_KIND = "no step"  # a touch logged on no follow-up (a last note at a drop)
_FORMAT = "%Y-%m-%d %H:%M:%S"  # how the book's text keeps a moment (SQLite)
_NOT_ANSWERS = {d: tuple(o for o in OUTCOMES if not answered(o, d)) for d in DIRECTIONS}


@dataclass(frozen=True)
class HourCell:
    weekday: int  # 0 Monday … 6 Sunday, in the rep's zone
    hour: int  # 0 … 23 there
    out: int  # touches the rep made
    replies: int  # their answers (derived.answered), a touch they started included
    answered: int = 0  # the rep's touches out that got an answer (part of `replies`)

    @property
    def reply_rate(self) -> float | None:
        """The share of the rep's touches out that got an answer: at most 1."""
        return self.answered / self.out if self.out else None


@dataclass(frozen=True)
class HourGrid:
    """7 × 24 counts: `out[weekday][hour]`, `replies[weekday][hour]`, `answered[weekday][hour]`."""

    out: tuple[tuple[int, ...], ...]
    replies: tuple[tuple[int, ...], ...]
    answered: tuple[tuple[int, ...], ...]

    def cell(self, weekday: int, hour: int) -> HourCell:
        return HourCell(weekday, hour, self.out[weekday][hour], self.replies[weekday][hour],
                        self.answered[weekday][hour])

    def cells(self) -> list[HourCell]:
        """Every cell with a touch, Monday 0h first."""
        return [self.cell(w, h) for w in range(WEEKDAYS) for h in range(HOURS)
                if self.out[w][h] or self.replies[w][h]]

    @property
    def total_out(self) -> int:
        return sum(map(sum, self.out))

    @property
    def total_replies(self) -> int:
        return sum(map(sum, self.replies))

    def best(self, count: int = 3, min_out: int = MIN_SAMPLE) -> list[HourCell]:
        """The cells that answer best: the highest reply rates among cells with at least `min_out`
        touches out (fewer are luck), more answers first on a tie, then the earlier in the week."""
        sampled = [c for c in self.cells() if c.out >= min_out]
        return sorted(sampled, key=lambda c: (-(c.reply_rate or 0), -c.answered, c.weekday, c.hour))[:count]


_NONE = ((0,) * HOURS,) * WEEKDAYS
EMPTY = HourGrid(_NONE, _NONE, _NONE)


def _grid(counts: dict[tuple[int, int], list[int]]) -> HourGrid:
    """`counts`: (weekday, hour) → [out, replies, answered]."""
    def plane(i: int) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(counts.get((w, h), (0, 0, 0))[i] for h in range(HOURS)) for w in range(WEEKDAYS))
    return HourGrid(plane(0), plane(1), plane(2))


def _first_hour(start: dt.datetime, place: ZoneInfo) -> dt.datetime:
    """The UTC start of the rep's hour holding `start` (naive UTC): on the hour in most zones, at
    :30 or :45 in a few."""
    local = start.replace(tzinfo=dt.timezone.utc).astimezone(place)
    top = local.replace(minute=0, second=0, microsecond=0)
    return top.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _cell(utc_text: str, place: ZoneInfo) -> tuple[int, int]:
    """The rep's (weekday, hour) of a UTC moment as the book's text keeps it."""
    local = dt.datetime.fromisoformat(utc_text[:19]).replace(tzinfo=dt.timezone.utc).astimezone(place)
    return local.weekday(), local.hour


def _span(period_start: dt.datetime | None) -> dt.datetime | None:
    """Where the hours start: the period's start, or for the whole book its first touch."""
    if period_start is not None:
        return period_start
    # the first of each direction: one seek of the (direction, at) index each
    firsts = [Touch.select(pw.fn.MIN(Touch.at)).where(Touch.direction == d).scalar() for d in DIRECTIONS]
    found = [f if isinstance(f, dt.datetime) else dt.datetime.fromisoformat(str(f)) for f in firsts if f is not None]
    return min(found, default=None)


def readable_here() -> None:
    """The reports read the book's moments as SQLite keeps them (text, strftime, julianday); on a
    server's book they say so in one line rather than fail in the server's words."""
    from storage.engines import current

    if not current().reports:
        raise BookUnavailable("The reports are not ready on a team's server book yet: they read a book in a file.")


def hours(period: Period, tz: str, kind: str | None = None) -> HourGrid:
    """Touches out and replies per weekday × hour of `tz` in `period` (storage.reads.reports.Period),
    of every touch, or of those logged on a follow-up of `kind` (NO_KIND: on none)."""
    readable_here()
    start = _span(period.start)
    if start is None or start > period.end:
        return EMPTY
    place = ZoneInfo(tz)
    if kind is not None:
        return _kind_hours(period, start, place, kind)
    first = _first_hour(start, place)
    touch = Touch._meta.table_name
    p = database.param
    # each hour: touches out, touches in, and each outcome that is no answer, by direction; hours
    # step one hour in UTC (a DST change moves the clock by one hour, so the rep's hours too; Lord
    # Howe's half-hour change is the one exception: after it, a step counts in the hour it starts in)
    counts = [f"(SELECT COUNT(*) FROM {touch} WHERE direction = {p} AND at >= h.s AND at < h.e AND at <= {p})"
              for _ in DIRECTIONS]
    end = period.end.strftime(_FORMAT)
    params: list = []
    for direction in DIRECTIONS:
        params += [direction, end]
    for direction in DIRECTIONS:
        for outcome in _NOT_ANSWERS[direction]:
            counts.append(f"(SELECT COUNT(*) FROM {touch} WHERE direction = {p} AND outcome = {p} "
                          f"AND at >= h.s AND at < h.e AND at <= {p})")
            params += [direction, outcome, end]
    sql = (f"WITH RECURSIVE h(s, e) AS (SELECT {p}, {p} UNION ALL "
           f"SELECT e, strftime('{_FORMAT}', e, '+1 hour') FROM h WHERE e <= {p}) "
           f"SELECT s, {', '.join(counts)} FROM h")
    first_text = first.strftime(_FORMAT)
    after = (first + dt.timedelta(hours=1)).strftime(_FORMAT)
    rows = database.execute_sql(sql, [first_text, after, end, *params]).fetchall()
    cells: dict[tuple[int, int], list[int]] = {}
    for s, *n in rows:
        by_direction = dict(zip(DIRECTIONS, n))
        if not any(by_direction.values()):
            continue
        rest = iter(n[len(DIRECTIONS):])
        answers = {d: by_direction[d] - sum(next(rest) for _ in _NOT_ANSWERS[d]) for d in DIRECTIONS}
        cell = cells.setdefault(_cell(s, place), [0, 0, 0])
        cell[0] += by_direction.get("out", 0)
        cell[1] += sum(answers.values())
        cell[2] += answers.get("out", 0)
    return _grid(cells)


def _kind_hours(period: Period, start: dt.datetime, place: ZoneInfo, kind: str) -> HourGrid:
    """Grouped by the UTC hour ("YYYY-MM-DD HH" of the text), direction and outcome, read from the
    smaller side (each a range count of an index to know): the kind's steps then the touches logged
    on each (follow_up (kind), touch (followup)), or the period's touches then each one's step
    (touch (direction, at), the step by its id). A CROSS JOIN keeps SQLite to the order chosen: on
    the 100k bench book a year of referrals is 0.06 s of CPU from the steps, 2.5 s from the touches;
    30 days of new prospects (660,000 steps) 0.15 s from the touches, 0.5 s from the steps."""
    touch, step, p = Touch._meta.table_name, FollowUp._meta.table_name, database.param
    window = [start.strftime(_FORMAT), period.end.strftime(_FORMAT)]
    in_period = sum(Touch.select().where((Touch.direction == d) & (Touch.at >= start) & (Touch.at <= period.end)).count()
                    for d in DIRECTIONS)
    of_kind = (Touch.select().where(Touch.followup.is_null()) if kind == NO_KIND
               else FollowUp.select().where(FollowUp.kind == kind)).count()
    head = f"SELECT substr(t.at, 1, 13), t.direction, t.outcome, COUNT(*) FROM"
    moments = f"t.at >= {p} AND t.at <= {p}"
    directions = ", ".join([p] * len(DIRECTIONS))  # so the (direction, at) index reads the period
    if kind == NO_KIND:  # on no step: the touches' own rows
        where = "t.followup_id IS NULL"
        sql = (f"{head} {touch} t WHERE {where} AND {moments} GROUP BY 1, 2, 3" if of_kind <= in_period else
               f"{head} {touch} t WHERE t.direction IN ({directions}) AND {moments} AND {where} GROUP BY 1, 2, 3")
        params = window if of_kind <= in_period else [*DIRECTIONS, *window]
    elif of_kind <= in_period:
        sql = f"{head} {step} f CROSS JOIN {touch} t ON t.followup_id = f.id WHERE f.kind = {p} AND {moments} GROUP BY 1, 2, 3"
        params = [kind, *window]
    else:
        sql = (f"{head} {touch} t CROSS JOIN {step} f ON f.id = t.followup_id WHERE t.direction IN ({directions}) "
               f"AND {moments} AND f.kind = {p} GROUP BY 1, 2, 3")
        params = [*DIRECTIONS, *window, kind]
    cells: dict[tuple[int, int], list[int]] = {}
    for text, direction, outcome, n in database.execute_sql(sql, params).fetchall():
        # a UTC hour is one hour of the rep's too, but for zones off the hour by 30 or 45 minutes,
        # where it is the rep's hour its start falls in
        cell = cells.setdefault(_cell(f"{text}:00:00", place), [0, 0, 0])
        reply = answered(outcome, direction)
        cell[0] += n if direction == "out" else 0
        cell[1] += n if reply else 0
        cell[2] += n if reply and direction == "out" else 0
    return _grid(cells)


def kinds_hours(period: Period, tz: str) -> dict[str, HourGrid]:
    """Each kind's hours (the book's kinds in order, then NO_KIND), the kinds without a touch in the
    period left out: one read per kind, for `followup report` (a screen reads the kind it shows)."""
    found = {kind: hours(period, tz, kind) for kind in (*KINDS, NO_KIND)}
    return {kind: grid for kind, grid in found.items() if grid != EMPTY}
