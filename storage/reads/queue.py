"""The queue: what is due, in sections, read a page at a time through the queue index.

Sections, in order: promised (every promised follow-up, whatever its date), overdue, today,
upcoming (the next 7 days), later, and "no next step" (active prospects that fell through the
cracks). Within a section: by due time, then by deal value, largest first; in promised, the late
ones first (`is_late`: a date-only step from the day after, a timed one once its time has passed),
and a timed step past its time today is overdue, not today. "Today" is today in the rep's time
zone: a date-only step is in the day of its date (the same date in every zone), a timed one in the
day its moment falls on there (the book stores it in UTC; storage.rules.dates.stored). Those days
and what is late are storage/reads/queue_days.py's, the one home of those rules (the queue pane
colours a row late by `is_late`); this module cuts the sections by them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
import peewee as pw

from storage.book.models import FollowUp, Prospect, Tag
from storage.reads.queue_days import Span, days_span, due_between, is_late, section_bounds

__all__ = ["SECTIONS", "SECTION_TITLES", "Filter", "QueueRow", "Span", "counted_at_once", "counts", "days_span",
           "is_late", "locate", "next_cut", "page", "section_bounds", "section_condition"]

SECTIONS = ("promised", "overdue", "today", "upcoming", "later", "no_step")
SECTION_TITLES = {
    "promised": "Promised",
    "overdue": "Overdue",
    "today": "Today",
    "upcoming": "Upcoming",
    "later": "Later",
    "no_step": "No next step",
}


@dataclass(frozen=True)
class QueueRow:
    prospect_id: int
    name: str
    company: str
    status: str
    deal_value: int
    touch_count: int
    unanswered_streak: int
    due_at: dt.datetime | None  # naive UTC
    has_time: bool
    promised: bool
    channel: str
    kind: str
    owner: str | None = None  # the rep whose prospect it is (a manager's queue shows it); None: shared


@dataclass(frozen=True)
class Filter:
    """What the rep narrowed the queue to (`f`); every part optional."""

    kind: str | None = None
    channel: str | None = None
    status: str | None = None
    tag: str | None = None
    promised_only: bool = False
    min_value: int | None = None
    max_value: int | None = None
    rep: str | None = None  # one rep's prospects (a manager's desk on a team's book: a rep's, or their own)
    shared: bool = False  # the team's (no owner): a manager's desk, to hand them out
    # one of the rep's days (the week view), `day` names it: `days` (days_span) holds its date-only
    # steps by their date and its timed ones by their moment
    day: str = ""
    days: Span | None = None

    def describe(self) -> str:
        parts = [f"due {self.day}"] if self.day else []
        parts += [p for p in (self.kind, self.channel, self.status) if p]
        if self.rep:
            parts.append(f"rep {self.rep}")
        if self.shared:
            parts.append("shared")
        if self.tag:
            parts.append(f"#{self.tag}")
        if self.promised_only:
            parts.append("promised")
        if self.min_value is not None or self.max_value is not None:
            low = f"{self.min_value:,}" if self.min_value is not None else "0"
            high = f"{self.max_value:,}" if self.max_value is not None else "…"
            parts.append(f"value {low}–{high}")
        return " · ".join(parts)

    def __bool__(self) -> bool:
        return bool(self.describe())

    def condition(self) -> pw.Expression | None:
        cond = None

        def both(extra: pw.Expression) -> None:
            nonlocal cond
            cond = extra if cond is None else cond & extra

        if self.days is not None:
            both(self.days.condition())
        if self.kind:
            both(Prospect.next_kind == self.kind)
        if self.channel:
            open_steps = FollowUp.select(FollowUp.prospect).where(
                FollowUp.done_at.is_null() & (FollowUp.channel == self.channel)
            )
            both(Prospect.id.in_(open_steps))
        if self.status:
            both(Prospect.status == self.status)
        if self.rep:
            both(Prospect.owner == self.rep)
        if self.shared:
            both(Prospect.owner.is_null())
        if self.tag:
            both(Prospect.id.in_(Tag.select(Tag.prospect).where(Tag.name == self.tag.lstrip("#").lower())))
        if self.promised_only:
            both(Prospect.next_promised == True)  # noqa: E712
        if self.min_value is not None:
            both(Prospect.deal_value >= self.min_value)
        if self.max_value is not None:
            both(Prospect.deal_value <= self.max_value)
        return cond


def _where(section: str, bounds: dict, narrow: Filter | None = None) -> pw.Expression:
    """Who stands in a section, narrowed by the rep's filter."""
    cond = narrow.condition() if narrow else None
    if cond is not None:
        return _where(section, bounds) & cond
    if section == "promised":
        return (Prospect.next_promised == True) & Prospect.next_due_at.is_null(False)  # noqa: E712
    if section == "no_step":
        return (Prospect.status == "active") & Prospect.next_due_at.is_null()
    return (Prospect.next_promised == False) & bounds[section].condition()  # noqa: E712


def section_condition(section: str, now: pendulum.DateTime, tz: str, narrow: Filter | None = None) -> pw.Expression:
    """Who stands in a section now: for reads that act on a section as a whole (catch-up)."""
    return _where(section, section_bounds(now, tz), narrow)


def _runs(section: str, bounds: dict, narrow: Filter | None = None) -> list[pw.Expression]:
    """A section as the runs it is read in, one after the other, each in the index's order (so a
    page never sorts): promised is its late steps (oldest first), then the rest (today's first)."""
    whole = _where(section, bounds, narrow)
    if section != "promised":
        return [whole]
    return [whole & bounds["late"].condition(), whole & bounds["not_late"].condition()]


def _order(section: str) -> tuple:
    if section == "no_step":
        return (Prospect.deal_value.desc(), Prospect.id)
    return (Prospect.next_due_at, Prospect.deal_value.desc(), Prospect.id)


def _count_parts(section: str, bounds: dict, narrow: Filter | None) -> list[pw.Expression]:
    """A section as conditions whose counts add up to its own (Span.counted_in_parts)."""
    if section in ("promised", "no_step"):
        return [_where(section, bounds, narrow)]
    cond = narrow.condition() if narrow else None
    parts = [(Prospect.next_promised == False) & part for part in bounds[section].counted_in_parts()]  # noqa: E712
    return parts if cond is None else [part & cond for part in parts]


def counts(now: pendulum.DateTime, tz: str, narrow: Filter | None = None) -> dict[str, int]:
    bounds = section_bounds(now, tz)
    parts = {section: _count_parts(section, bounds, narrow) for section in SECTIONS}
    found = iter(counted_at_once([Prospect.select().where(part) for section in SECTIONS for part in parts[section]]))
    return {section: sum(next(found) for _ in parts[section]) for section in SECTIONS}


def counted_at_once(queries: list[pw.SelectQuery]) -> list[int]:
    """How many rows each query finds, in ONE statement: each its own scalar subquery (through its
    own index, as when counted alone), so a book on a server is asked once, not once a query."""
    wrapped = [query.select(pw.fn.COUNT(pw.SQL("*"))).order_by() for query in queries]
    return list(Prospect._meta.database.execute(pw.Select(columns=wrapped)).fetchone())


def page(
    section: str, offset: int, limit: int, now: pendulum.DateTime, tz: str, narrow: Filter | None = None
) -> list[QueueRow]:
    """Rows `offset`…`offset+limit` of one section."""
    bounds = section_bounds(now, tz)
    runs = _runs(section, bounds, narrow)
    prospects: list[Prospect] = []
    for number, run in enumerate(runs):
        if number < len(runs) - 1:  # the page may start past this run: count it (by index)
            held = Prospect.select().where(run).count()
            if offset >= held:
                offset -= held
                continue
        prospects.extend(Prospect.select(
            Prospect.id,
            Prospect.name,
            Prospect.company,
            Prospect.status,
            Prospect.deal_value,
            Prospect.touch_count,
            Prospect.unanswered_streak,
            Prospect.next_due_at,
            Prospect.next_promised,
            Prospect.next_has_time,
            Prospect.preferred_channel,
            Prospect.owner,
        ).where(run).order_by(*_order(section)).offset(offset).limit(limit - len(prospects)))
        offset = 0
        if len(prospects) >= limit:
            break
    steps = FollowUp.open_of([p.id for p in prospects])
    rows = []
    for p in prospects:
        step = steps.get(p.id)
        rows.append(
            QueueRow(
                prospect_id=p.id,
                name=p.name,
                company=p.company,
                status=p.status,
                deal_value=p.deal_value,
                touch_count=p.touch_count,
                unanswered_streak=p.unanswered_streak,
                due_at=p.next_due_at,
                has_time=bool(p.next_has_time),
                promised=p.next_promised,
                channel=step.channel if step else (p.preferred_channel or ""),
                kind=step.kind if step else "",
                owner=p.owner,
            )
        )
    return rows


def locate(prospect_id: int, now: pendulum.DateTime, tz: str, narrow: Filter | None = None) -> tuple[str, int] | None:
    """The section and the offset in it where a prospect stands now, or None if not queued."""
    bounds = section_bounds(now, tz)
    # their row and the section they stand in, in one statement: each section's rule tried on it
    standing = pw.Case(None, [(_where(section, bounds, narrow), section) for section in SECTIONS], None)
    prospect = Prospect.select(Prospect, standing.alias("section")).where(Prospect.id == prospect_id).first()
    if prospect is None or prospect.section is None:
        return None
    section = prospect.section
    if section == "no_step":
        before = (Prospect.deal_value > prospect.deal_value) | (
            (Prospect.deal_value == prospect.deal_value) & (Prospect.id < prospect.id)
        )
    else:
        due, value = prospect.next_due_at, prospect.deal_value
        before = (Prospect.next_due_at < due) | (
            (Prospect.next_due_at == due)
            & ((Prospect.deal_value > value) | ((Prospect.deal_value == value) & (Prospect.id < prospect.id)))
        )
    runs = _runs(section, bounds, narrow)
    if len(runs) == 1:  # the section is one run, and they are in it
        return section, Prospect.select().where(runs[0] & before).count()
    offset = 0
    for run in runs:  # the runs before theirs, whole; then who is before them in it
        if Prospect.select().where(run & (Prospect.id == prospect_id)).exists():
            return section, offset + Prospect.select().where(run & before).count()
        offset += Prospect.select().where(run).count()
    return None  # not reached: the runs make up the section


def next_cut(now: pendulum.DateTime, tz: str) -> dt.datetime | None:
    """The first moment (naive UTC) after `now` at which the sections cut at `now` are wrong: a
    timed step of today passes its time (Today → Overdue; among the late in Promised). None when
    none is left today: midnight is the desk's own timer. One index seek per promised or not."""
    bounds = section_bounds(now, tz)
    today = bounds["today"]
    found = []
    for promised in (True, False):
        row = (
            Prospect.select(Prospect.next_due_at)
            .where((Prospect.next_promised == promised) & (Prospect.next_has_time == True)  # noqa: E712
                   & due_between(today.moments_from, today.moments_before))
            .order_by(Prospect.next_due_at)
            .first()
        )
        if row is not None:
            found.append(row.next_due_at)
    # late once its time has passed (`due < now`, to the book's second): one second after it
    return min(found) + dt.timedelta(seconds=1) if found else None
