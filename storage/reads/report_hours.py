"""When this rep's prospects answer (issue 17, "channels and hours"): touches out and replies per
weekday × hour of the REP'S zone, over a report's period, for the whole book or one kind of
prospect, and the best times said in words.

Touches are stored in naive UTC. The book is cut into the rep's own hours, each converted to its
UTC range exactly (so a DST week is right on both sides of the change: the hour after the clocks
go back is a second 02:00 and lands in 02h again; the skipped hour of spring simply has no touches;
a zone off the hour by 30 or 45 minutes has its own hours), and each hour is a few counts over
ranges of the indexes of migration 14 — touch (direction, at) and (direction, outcome, at) — in
one statement: no touch is read into Python, no GROUP BY sorts a year of touches. What a reply is
stays storage.rules.derived.answered: the replies of a direction are its touches less those of the
outcomes answered() says are not answers (for "out": no answer, left message; for "in": none, a
touch they started is an answer; every touch's outcome is one of OUTCOMES, storage.actions.checks).
On the 100k bench book (1M touches) a year of the whole book takes 132 ms, the whole book (11,235
hours) 151 ms, a fixed part of it the hours' seeks (python -m bench.report_timing).

A kind (the kind of the follow-up the touch was logged on, kept on the touch: models.Touch.kind;
a touch on none is NO_KIND) is the same counts with the kind in front, through the indexes
(kind, direction, at) and (kind, direction, outcome, at) of migration 20.

The hours are stepped in SQL, an hour at a time from the first (a recursive WITH): the engine says
how an hour is added to a moment and how a moment is bound (storage.engines: report_moment,
plus_hour), so a file and a team's server count alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import peewee as pw

from storage.book.models import Touch, database
from storage.book.vocabulary import DIRECTIONS, KINDS, OUTCOMES
from storage.engines import current
from storage.rules.derived import answered

if TYPE_CHECKING:
    from storage.reads.reports import Period

WEEKDAYS = 7
HOURS = 24
MIN_SAMPLE = 5  # touches out in a cell before its reply rate is worth saying
NO_KIND = "no step"  # a touch logged on no follow-up (a last note at a drop)
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


def _cell(moment: dt.datetime | str, place: ZoneInfo) -> tuple[int, int]:
    """The rep's (weekday, hour) of a UTC moment as the engine gives it back (text in a file)."""
    utc = moment if isinstance(moment, dt.datetime) else dt.datetime.fromisoformat(moment[:19])
    local = utc.replace(tzinfo=dt.timezone.utc).astimezone(place)
    return local.weekday(), local.hour


def _span(period_start: dt.datetime | None, kind: str | None) -> dt.datetime | None:
    """Where the hours start: the period's start, or for the whole book its first touch (of the kind)."""
    if period_start is not None:
        return period_start
    # the first of each direction: one seek of the (direction, at) or (kind, direction, at) index each
    firsts = [Touch.select(pw.fn.MIN(Touch.at)).where(_of_kind(kind) & (Touch.direction == d)).scalar()
              for d in DIRECTIONS]
    found = [f if isinstance(f, dt.datetime) else dt.datetime.fromisoformat(str(f)) for f in firsts if f is not None]
    return min(found, default=None)


def _stored(kind: str) -> str:
    """A kind as a touch keeps it: NO_KIND is none ("")."""
    return "" if kind == NO_KIND else kind


def _of_kind(kind: str | None) -> pw.Expression:
    return pw.SQL("1 = 1") if kind is None else Touch.kind == _stored(kind)


def hours(period: Period, tz: str, kind: str | None = None) -> HourGrid:
    """Touches out and replies per weekday × hour of `tz` in `period` (storage.reads.reports.Period),
    of every touch, or of those logged on a follow-up of `kind` (NO_KIND: on none)."""
    start = _span(period.start, kind)
    if start is None or start > period.end:
        return EMPTY
    place = ZoneInfo(tz)
    first = _first_hour(start, place)
    engine = current()
    touch = Touch._meta.table_name
    p = database.param
    moment = engine.report_moment
    # the hours end where the period does, the last one cut short: each count then has one upper
    # bound, the hour's end (a second bound, `at <= end`, was checked on every row: 40% of the time).
    # A touch is never later than now, so the period's last second is whole
    last = period.end.replace(microsecond=0) + dt.timedelta(seconds=1)
    end = moment(last)
    # the kind first, so each count is a range of the (kind, direction, …) index
    of_kind, kind_params = (f"kind = {p} AND ", [_stored(kind)]) if kind is not None else ("", [])
    # each hour: touches out, touches in, and each outcome that is no answer, by direction; hours
    # step one hour in UTC (a DST change moves the clock by one hour, so the rep's hours too; Lord
    # Howe's half-hour change is the one exception: after it, a step counts in the hour it starts in)
    counts = [f"(SELECT COUNT(*) FROM {touch} WHERE {of_kind}direction = {p} AND at >= h.s AND at < h.e)"
              for _ in DIRECTIONS]
    params: list = []
    for direction in DIRECTIONS:
        params += [*kind_params, direction]
    for direction in DIRECTIONS:
        for outcome in _NOT_ANSWERS[direction]:
            counts.append(f"(SELECT COUNT(*) FROM {touch} WHERE {of_kind}direction = {p} AND outcome = {p} "
                          f"AND at >= h.s AND at < h.e)")
            params += [*kind_params, direction, outcome]
    later = engine.plus_hour("e")
    sql = (f"WITH RECURSIVE h(s, e) AS (SELECT {p}, {p} UNION ALL "
           f"SELECT e, CASE WHEN {later} < {p} THEN {later} ELSE {p} END FROM h WHERE e < {p}) "
           f"SELECT s, {', '.join(counts)} FROM h")
    after = moment(min(first + dt.timedelta(hours=1), last))
    rows = database.execute_sql(sql, [moment(first), after, end, end, end, *params]).fetchall()
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


def kinds_hours(period: Period, tz: str) -> dict[str, HourGrid]:
    """Each kind's hours (the book's kinds in order, then NO_KIND), the kinds without a touch in the
    period left out: one read per kind, for `followup report` (a screen reads the kind it shows)."""
    found = {kind: hours(period, tz, kind) for kind in (*KINDS, NO_KIND)}
    return {kind: grid for kind, grid in found.items() if grid != EMPTY}
