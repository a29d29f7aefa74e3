"""The rep's figures (issue 17): how long they persist, whether promises are kept, which channels
get answers, how deals close; and, in their own modules, when prospects answer (report_hours), whether
the rep keeps up (report_activity) and what is open (report_pipeline), all in `Report`. Read over a period (30d, 90d, 1y, all) measured back from now in
the rep's zone.

Every figure is a SQL aggregate (GROUP BY and COUNT through the book's indexes) whose result is a
handful of buckets (a touch count, a minute, a channel, a reason), folded into frozen dataclasses
here: no touch, follow-up or prospect is loaded into Python one by one. Plain dataclasses out:
no model row leaves storage. Indexes (migration 13): touches by (channel, direction, outcome, at),
promises by (promised, due_at, has_time, kept, done_at); the closings use (status, closed_at) and
each closing's touches (prospect, at). On the 100k bench book (1M touches) each figure takes 9-177
ms, any period (best of 3; the numbers in migrations_reports._v13_reports). What differs between a
file and a server (a moment as text or a timestamp, days between two) the engine writes
(storage.engines: minute_of, whole_days, report_moment, plus_hour).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import pendulum
import peewee as pw

from storage.book.models import DropReason, FollowUp, Prospect, Touch, database
from storage.engines import current
from storage.book.vocabulary import CHANNELS, DIRECTIONS, OUTCOMES
from storage.rules.dates import book_moment, due_day, zone
from storage.rules.derived import answered
# the later figures, each in its own module (they take a Period from here)
from storage.reads.report_activity import ActivityWeek, activity
from storage.reads.report_hours import HourGrid, hours
from storage.reads.report_pipeline import Pipeline, pipeline

PERIODS = {"30d": 30, "90d": 90, "1y": 365, "all": None}
GIVE_UP_TOUCH = 5  # "most sales need five or more follow-ups": a drop before it is a drop too early
NO_REASON = "no reason given"


@dataclass(frozen=True)
class Period:
    """From the start of the rep's day `days` days ago (None: the whole book) up to now."""

    name: str
    start: dt.datetime | None  # naive UTC
    end: dt.datetime  # naive UTC: now
    first_day: dt.date | None  # the rep's date of `start`

    @classmethod
    def back_from(cls, name: str, now: dt.datetime, tz: str) -> Period:
        """`now`: an aware moment (local_now); ValueError for a name not in PERIODS."""
        if name not in PERIODS:
            raise ValueError(f"Unknown period {name!r}: use one of {', '.join(PERIODS)}.")
        here = pendulum.instance(now).in_timezone(zone(tz))
        end = book_moment(here)
        days = PERIODS[name]
        if days is None:
            return cls(name, None, end, None)
        first = here.start_of("day").subtract(days=days)
        return cls(name, book_moment(first), end, dt.date(first.year, first.month, first.day))


def median(counts: Iterable[tuple[float, int]]) -> float | None:
    """The median of a distribution given as (value, how many); None when it is empty."""
    pairs = sorted((value, n) for value, n in counts if n)
    total = sum(n for _, n in pairs)
    if not total:
        return None
    wanted = ((total - 1) // 2, total // 2)  # the middle one, or the middle two
    middle, seen = [], 0
    for value, n in pairs:
        middle += [value for w in wanted if seen <= w < seen + n]
        seen += n
    return (middle[0] + middle[1]) / 2


def _closed_in(period: Period) -> pw.Expression:
    cond = Prospect.closed_at <= period.end
    return cond if period.start is None else cond & (Prospect.closed_at >= period.start)


# --- persistence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persistence:
    """Touches it took: for each prospect won in the period, the touches up to the win; for each
    dropped, the touch number at which they were dropped (the last note counts). `won` and
    `dropped` map a touch count to how many prospects."""

    won: dict[int, int]
    dropped: dict[int, int]
    won_median: float | None
    dropped_early: int  # dropped before the GIVE_UP_TOUCH-th touch
    dropped_total: int

    @property
    def dropped_early_share(self) -> float | None:
        return self.dropped_early / self.dropped_total if self.dropped_total else None


def persistence(period: Period) -> Persistence:
    # each closed prospect's touches up to its closing: a count on the (prospect, at) index
    inner = Touch.alias()
    upto = (inner.select(pw.fn.COUNT(inner.id))
            .where((inner.prospect == Prospect.id) & (inner.at <= Prospect.closed_at)))
    touches = upto.alias("touches")
    rows = (Prospect.select(Prospect.status, touches, pw.fn.COUNT(Prospect.id))
            .where(Prospect.status.in_(("won", "dropped")) & _closed_in(period))
            .group_by(Prospect.status, pw.SQL("2")).tuples())
    won: dict[int, int] = {}
    dropped: dict[int, int] = {}
    for status, count, n in rows:
        (won if status == "won" else dropped)[count] = n
    early = sum(n for count, n in dropped.items() if count < GIVE_UP_TOUCH)
    return Persistence(dict(sorted(won.items())), dict(sorted(dropped.items())),
                       median(won.items()), early, sum(dropped.values()))


# --- promises ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromiseWeek:
    week: str  # ISO week of the promised day in the rep's zone, "2026-W48"
    kept: int  # done by the deadline (storage.rules.promises)
    late: int  # ended after it
    open: int  # not done yet


def promises(period: Period, tz: str) -> list[PromiseWeek]:
    """Promises due in the period (and the open ones ahead), by the ISO week of their day. A promise
    moved before it was due is not counted: the new date carries it (promise_outcome's None)."""
    state = pw.Case(None, [(FollowUp.done_at.is_null(), "open"), (FollowUp.kept == True, "kept"),  # noqa: E712
                           (FollowUp.kept == False, "late")], None)  # noqa: E712
    # grouped by the minute (not read back by the column's own conversion), read as a day below
    minute = current().minute_of(FollowUp.due_at).coerce(False)
    cond = FollowUp.promised == True  # noqa: E712
    if period.start is not None:  # a day early in SQL (a date is kept at noon); exact below
        cond &= FollowUp.due_at >= period.start - dt.timedelta(days=1)
    rows = (FollowUp.select(minute, FollowUp.has_time, state, pw.fn.COUNT(FollowUp.id))
            .where(cond).group_by(pw.SQL("1"), pw.SQL("2"), pw.SQL("3")).tuples())
    weeks: dict[str, dict[str, int]] = {}
    for text, has_time, what, n in rows:
        if what is None:
            continue
        due = text if isinstance(text, dt.datetime) else dt.datetime.fromisoformat(text)
        day = due_day(due, bool(has_time), tz)
        if period.first_day is not None and day < period.first_day:
            continue
        year, week, _ = day.isocalendar()
        counts = weeks.setdefault(f"{year}-W{week:02d}", {"kept": 0, "late": 0, "open": 0})
        counts[what] += n
    return [PromiseWeek(week, **counts) for week, counts in sorted(weeks.items())]


# --- channels ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelFigure:
    channel: str
    out: int  # touches the rep made
    replies: int  # their answers: storage.rules.derived.answered (a touch they started is one)
    answered: int = 0  # the rep's touches out that got an answer (part of `replies`)

    @property
    def reply_rate(self) -> float | None:
        """The share of the rep's touches that got an answer: at most 1 (a touch they started is
        a reply, not an answer to one of the rep's)."""
        return self.answered / self.out if self.out else None


def channels(period: Period) -> list[ChannelFigure]:
    """Each channel used in the period, in the book's order of channels. Each (channel, direction,
    outcome) of the book's words (every touch's are: storage.actions.checks) is a range count of
    the index (channel, direction, outcome, at), all in one statement: a GROUP BY read the whole
    index instead, checking each touch's moment (a year of the 100k bench book: 180 ms, 60 so).
    What is a reply is decided by the one rule, answered(), on each count."""
    triples = list(itertools.product(CHANNELS, DIRECTIONS, OUTCOMES))
    p, moment = database.param, current().report_moment
    since = f" AND at >= {p}" if period.start is not None else ""
    bounds = [moment(period.start)] if period.start is not None else []
    count = (f"(SELECT COUNT(*) FROM {Touch._meta.table_name} WHERE channel = {p} AND direction = {p} "
             f"AND outcome = {p}{since} AND at <= {p})")
    params = [value for triple in triples for value in (*triple, *bounds, moment(period.end))]
    found = database.execute_sql("SELECT " + ", ".join([count] * len(triples)), params).fetchone()
    counts: dict[str, list[int]] = {}  # out, replies, answered
    for (channel, direction, outcome), n in zip(triples, found):
        if not n:
            continue
        figures = counts.setdefault(channel, [0, 0, 0])
        reply = answered(outcome, direction)
        figures[0] += n if direction == "out" else 0
        figures[1] += n if reply else 0
        figures[2] += n if reply and direction == "out" else 0
    return [ChannelFigure(c, *counts[c]) for c in CHANNELS if c in counts]


# --- outcomes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcomes:
    won: int  # closed as won in the period
    dropped: int
    value_won: int  # the won deals' values added up
    median_days_to_close: float | None  # from added to won, whole days
    reasons: dict[str, int]  # why they were dropped: the picked reason, else the rep's words

    @property
    def close_rate(self) -> float | None:
        closed = self.won + self.dropped
        return self.won / closed if closed else None


def outcomes(period: Period) -> Outcomes:
    closed = Prospect.status.in_(("won", "dropped")) & _closed_in(period)
    # a server adds up a BIGINT as a NUMERIC (a Decimal): an int, as a file gives it
    totals = {status: (n, int(value or 0)) for status, n, value in
              Prospect.select(Prospect.status, pw.fn.COUNT(Prospect.id), pw.fn.SUM(Prospect.deal_value))
              .where(closed).group_by(Prospect.status).tuples()}
    days = current().whole_days(Prospect.closed_at, Prospect.created_at)
    spans = (Prospect.select(days, pw.fn.COUNT(Prospect.id))
             .where(closed & (Prospect.status == "won")).group_by(pw.SQL("1")).tuples())
    label = pw.fn.COALESCE(DropReason.label, pw.fn.NULLIF(Prospect.drop_reason, ""), NO_REASON)
    why = (Prospect.select(label, pw.fn.COUNT(Prospect.id))
           .join(DropReason, pw.JOIN.LEFT_OUTER, on=Prospect.picked_reason == DropReason.id)
           .where(closed & (Prospect.status == "dropped")).group_by(pw.SQL("1")).tuples())
    reasons = dict(sorted(why, key=lambda pair: (-pair[1], pair[0])))
    return Outcomes(totals.get("won", (0, 0))[0], totals.get("dropped", (0, 0))[0],
                    totals.get("won", (0, 0))[1], median(spans), reasons)


# --- all of them ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    period: Period
    persistence: Persistence
    promises: list[PromiseWeek]
    channels: list[ChannelFigure]
    outcomes: Outcomes
    hours: HourGrid  # the whole book's; a kind's: report_hours.hours(period, tz, kind)
    activity: list[ActivityWeek]
    pipeline: Pipeline  # as the book is at the period's end (now)


def report(period: Period, tz: str) -> Report:
    now = pendulum.instance(period.end, tz="UTC")
    return Report(period, persistence(period), promises(period, tz), channels(period), outcomes(period),
                  hours(period, tz), activity(period, tz), pipeline(now, tz))
