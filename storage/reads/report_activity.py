"""Is the rep keeping up? (issue 17, "activity"): for each ISO week of a report's period, in the
rep's zone, the touches they made by channel against the follow-ups that were due that week.

Each week is cut at the rep's Monday midnight, converted to UTC exactly (a DST change inside a week
only moves where its end falls). A week's touches are range counts of the (channel, direction,
outcome, at) index, one per channel and outcome (its order, so no sort); its follow-ups due are
ranges of the (has_time, resolution, due_at) index (migration 14), read the way the queue reads a
day (a date-only step by its date, a timed one by its moment: storage.reads.queue_days.days_span,
the one home of it). All weeks are one statement.
A follow-up moved to another day (snoozed, rescheduled) is not counted as due: the step that took
its place is, on its own day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pendulum
import peewee as pw

from storage.book.models import FollowUp, Touch, database
from storage.engines import current
from storage.book.vocabulary import CHANNELS, OUTCOMES
from storage.reads.queue import days_span
from storage.reads.today import DONE
from storage.rules.dates import due_day

if TYPE_CHECKING:
    from storage.reads.reports import Period

WEEKS_A_READ = 1000


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
    mondays, spans = [], []
    monday = _monday(first)
    while monday <= last:
        start, after = max(monday, first), min(monday + dt.timedelta(days=7), last + dt.timedelta(days=1))
        mondays.append(monday)
        spans.append(days_span(start, after, tz))
        monday += dt.timedelta(days=7)
    # a statement holds so many bound values (SQLite: 32,766): the weeks in runs (a book whose first
    # step is a slip in 1900 has 6,622 of them)
    found = [row for at in range(0, len(spans), WEEKS_A_READ) for row in _counts(spans[at:at + WEEKS_A_READ], period.end)]
    weeks = []
    for monday, (*out, due) in zip(mondays, found):
        year, week, _ = monday.isocalendar()
        weeks.append(ActivityWeek(f"{year}-W{week:02d}", monday, {c: n for c, n in zip(CHANNELS, out) if n}, due))
    return weeks


def _counts(spans: list, end: dt.datetime) -> list[tuple[int, ...]]:
    """For each week's span, in one statement: the touches out on each channel (CHANNELS' order),
    then the follow-ups due. Every count is a range of an index, in its order (no row read, no
    sort): touch (channel, direction, outcome, at) for each outcome, follow_up (has_time,
    resolution, due_at) for a date-only step by its date and a timed one by its moment, for each
    way a step ends that is not a move (still open, or DONE: storage.reads.today's)."""
    p = database.param
    moment = current().report_moment  # a file's text, a server's timestamp
    touch, step = Touch._meta.table_name, FollowUp._meta.table_name
    outcomes = ", ".join([p] * len(OUTCOMES))
    done = ", ".join([p] * len(DONE))
    columns, params = [], []
    for channel in CHANNELS:
        columns.append(f"(SELECT COUNT(*) FROM {touch} WHERE channel = {p} AND direction = 'out' "
                       f"AND outcome IN ({outcomes}) AND at >= w.mf AND at < w.me)")
        params += [channel, *OUTCOMES]
    due = []
    for has_time, lo, hi in ((False, "df", "db"), (True, "mf", "mb")):
        due.append(f"(SELECT COUNT(*) FROM {step} WHERE has_time = {p} AND resolution IS NULL "
                   f"AND due_at >= w.{lo} AND due_at < w.{hi})")
        due.append(f"(SELECT COUNT(*) FROM {step} WHERE has_time = {p} AND resolution IN ({done}) "
                   f"AND due_at >= w.{lo} AND due_at < w.{hi})")
        params += [has_time, has_time, *DONE]
    columns.append(" + ".join(due))
    bounds = []
    for n, span in enumerate(spans):
        touched_before = min(span.moments_before, end + dt.timedelta(seconds=1))  # the week to now
        bounds += [n, moment(span.dates_from), moment(span.dates_before), moment(span.moments_from),
                   moment(span.moments_before), moment(touched_before)]
    weeks = ", ".join([f"({', '.join([p] * 6)})"] * len(spans))
    sql = f"WITH w(n, df, db, mf, mb, me) AS (VALUES {weeks}) SELECT {', '.join(columns)} FROM w ORDER BY n"
    return [tuple(row) for row in database.execute_sql(sql, [*bounds, *params]).fetchall()]
