"""The queue: what is due, in sections, read a page at a time through the queue index.

Sections, in order: promised (every promised follow-up, whatever its date), overdue, today,
upcoming (the next 7 days), later, and "no next step" (active prospects that fell through the
cracks). Within a section: by due time, then by deal value, largest first. "Today" is today in the
rep's time zone; the book stores UTC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
import peewee as pw

from storage.rules.dates import zone
from storage.book.models import FollowUp, Prospect, Tag

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


def _day_start_utc(day: pendulum.Date, tz: str) -> dt.datetime:
    start = pendulum.datetime(day.year, day.month, day.day, tz=zone(tz)).in_timezone(pendulum.UTC)
    return dt.datetime(start.year, start.month, start.day, start.hour, start.minute, start.second)


def section_bounds(now: pendulum.DateTime, tz: str) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    """The UTC range [lo, hi) of due times in each dated, unpromised section."""
    today = now.in_timezone(zone(tz)).date()
    start = _day_start_utc(today, tz)
    tomorrow = _day_start_utc(today.add(days=1), tz)
    week_end = _day_start_utc(today.add(days=8), tz)
    return {
        "overdue": (None, start),
        "today": (start, tomorrow),
        "upcoming": (tomorrow, week_end),
        "later": (week_end, None),
    }


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

    def describe(self) -> str:
        parts = [p for p in (self.kind, self.channel, self.status) if p]
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

        if self.kind:
            both(Prospect.next_kind == self.kind)
        if self.channel:
            open_steps = FollowUp.select(FollowUp.prospect).where(
                FollowUp.done_at.is_null() & (FollowUp.channel == self.channel)
            )
            both(Prospect.id.in_(open_steps))
        if self.status:
            both(Prospect.status == self.status)
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
    lo, hi = bounds[section]
    cond = Prospect.next_promised == False  # noqa: E712
    cond &= Prospect.next_due_at.is_null(False) if lo is None else (Prospect.next_due_at >= lo)
    if hi is not None:
        cond &= Prospect.next_due_at < hi
    return cond


def _order(section: str) -> tuple:
    if section == "no_step":
        return (Prospect.deal_value.desc(), Prospect.id)
    return (Prospect.next_due_at, Prospect.deal_value.desc(), Prospect.id)


def counts(now: pendulum.DateTime, tz: str, narrow: Filter | None = None) -> dict[str, int]:
    bounds = section_bounds(now, tz)
    return {section: Prospect.select().where(_where(section, bounds, narrow)).count() for section in SECTIONS}


def page(
    section: str, offset: int, limit: int, now: pendulum.DateTime, tz: str, narrow: Filter | None = None
) -> list[QueueRow]:
    """Rows `offset`…`offset+limit` of one section."""
    bounds = section_bounds(now, tz)
    prospects = list(
        Prospect.select(
            Prospect.id,
            Prospect.name,
            Prospect.company,
            Prospect.status,
            Prospect.deal_value,
            Prospect.touch_count,
            Prospect.unanswered_streak,
            Prospect.next_due_at,
            Prospect.next_promised,
            Prospect.preferred_channel,
        )
        .where(_where(section, bounds, narrow))
        .order_by(*_order(section))
        .offset(offset)
        .limit(limit)
    )
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
                has_time=bool(step and step.has_time),
                promised=p.next_promised,
                channel=step.channel if step else (p.preferred_channel or ""),
                kind=step.kind if step else "",
            )
        )
    return rows


def locate(prospect_id: int, now: pendulum.DateTime, tz: str, narrow: Filter | None = None) -> tuple[str, int] | None:
    """The section and the offset in it where a prospect stands now, or None if not queued."""
    prospect = Prospect.get_or_none(Prospect.id == prospect_id)
    if prospect is None:
        return None
    bounds = section_bounds(now, tz)
    for section in SECTIONS:
        if Prospect.select().where(_where(section, bounds, narrow) & (Prospect.id == prospect_id)).exists():
            break
    else:
        return None
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
    return section, Prospect.select().where(_where(section, bounds, narrow) & before).count()
