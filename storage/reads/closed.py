"""The closed book: won and dropped prospects, newest closed first, read a page at a time.

What the closed book screen shows (`c` on the desk): who, status, the day they closed, why (the
drop reason, or "won"), the deal value, the touches it took and the revisit date. Narrowed by
status, by a drop reason picked from the list, by a revisit coming up, and by words (the same
search as `/`, and the drop reason's words). Plain dataclasses out: no model row leaves storage.

Index: (status, closed_at DESC, id DESC) (migration 11). On the 100k bench book (28,426
closed), a page of one status takes ~0.2 ms at the top and ~1.2 ms 20,000 rows deep; both
statuses at once still merge two runs (~0.4 ms at the top, ~44 ms deep); without the index every
page sorted the closed rows (15-65 ms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import peewee as pw

from storage.book.models import DropReason, Prospect
from storage.reads.drop_reasons import drop_reasons
from storage.rules.text import searchable
from storage.search import search

CLOSED = ("won", "dropped")
REVISIT_SOON_DAYS = 30  # "revisit due": a revisit date within this many days (or past, not woken yet)
WORDS_LIMIT = 1000  # the best matches of the words that the closed book narrows to


@dataclass(frozen=True)
class ClosedFilter:
    """What the rep narrowed the closed book to; every part optional."""

    status: str | None = None  # "won", "dropped", None for both
    reason: str | None = None  # a drop reason of the list (its label)
    revisit_due: bool = False  # dropped, with a revisit date within REVISIT_SOON_DAYS
    words: str = ""  # what was typed after `/`
    # the prospects the words matched (found once by `resolve`, then every page reuses them)
    matched: tuple[int, ...] | None = None

    def describe(self) -> str:
        parts = [self.status or "won and dropped"]
        if self.reason:
            parts.append(f"reason: {self.reason}")
        if self.revisit_due:
            parts.append(f"revisit within {REVISIT_SOON_DAYS} days")
        if self.words.strip():
            parts.append(f"“{self.words.strip()}”")
        return " · ".join(parts)


@dataclass(frozen=True)
class ClosedRow:
    prospect_id: int
    name: str
    company: str
    status: str
    closed_at: dt.datetime | None  # naive UTC
    reason: str  # why it closed: the drop reason, or "won"
    deal_value: int
    touch_count: int
    revisit_on: dt.date | None


@dataclass(frozen=True)
class ClosedPage:
    """A first read: how many there are, the first page, and the filter with its words resolved."""

    narrow: ClosedFilter
    total: int
    rows: list[ClosedRow]
    won: int  # of all the closed book, unfiltered: said in its title
    dropped: int
    reasons: list[str]  # the drop reasons' list, for the filter


def resolve(narrow: ClosedFilter) -> ClosedFilter:
    """The filter with its words turned into the prospects they match (the search index), once."""
    words = narrow.words.strip()
    if not words:
        return replace(narrow, matched=None)
    found = [hit.prospect_id for hit in search(words, WORDS_LIMIT) if hit.status in CLOSED]
    # the rep's words for why it was dropped are not in the search index: read them here (among
    # the closed rows the status index finds; LIKE folds ASCII case only, as a rep types a reason)
    why = (Prospect.select(Prospect.id)
           .where(Prospect.status.in_(CLOSED) & Prospect.drop_reason.contains(searchable(words)))
           .limit(WORDS_LIMIT).tuples())
    found += [pid for (pid,) in why if pid not in set(found)]
    return replace(narrow, matched=tuple(found))


def _where(narrow: ClosedFilter, today: dt.date) -> pw.Expression:
    cond = Prospect.status == narrow.status if narrow.status in CLOSED else Prospect.status.in_(CLOSED)
    if narrow.reason:
        # an equality, so the planner reads the picked-reason index rather than the status one
        # (on the 100k bench book: 0.1 ms instead of 137 ms)
        picked = DropReason.select(DropReason.id).where(DropReason.label == narrow.reason)
        cond &= Prospect.picked_reason == picked
    if narrow.revisit_due:
        # a plain date: the driver binds no subclass of it (pendulum's)
        by = dt.date(today.year, today.month, today.day) + dt.timedelta(days=REVISIT_SOON_DAYS)
        cond &= (Prospect.status == "dropped") & (Prospect.revisit_on <= by)
    if narrow.matched is not None:
        cond &= Prospect.id.in_(list(narrow.matched))
    return cond


def count(narrow: ClosedFilter, today: dt.date) -> int:
    """How many the (resolved) filter holds."""
    return Prospect.select().where(_where(narrow, today)).count()


def page(narrow: ClosedFilter, offset: int, limit: int, today: dt.date) -> list[ClosedRow]:
    """Rows `offset`…`offset+limit`, newest closed first (a closing without a date last)."""
    query = (
        Prospect.select(
            Prospect.id,
            Prospect.name,
            Prospect.company,
            Prospect.status,
            Prospect.closed_at,
            Prospect.drop_reason,
            Prospect.deal_value,
            Prospect.touch_count,
            Prospect.revisit_on,
        )
        .where(_where(narrow, today))
        .order_by(Prospect.closed_at.desc(nulls="LAST"), Prospect.id.desc())
        .offset(offset)
        .limit(limit)
        .tuples()
    )
    rows = []
    for pid, name, company, status, closed_at, drop_reason, value, touches, revisit_on in query:
        reason = "won" if status == "won" else drop_reason
        rows.append(ClosedRow(pid, name, company, status, closed_at, reason, value, touches, revisit_on))
    return rows


def first_page(narrow: ClosedFilter, limit: int, today: dt.date) -> ClosedPage:
    """What the closed book shows first: its words resolved, the count, the first page, and the
    whole book's won and dropped counts (by index)."""
    narrow = resolve(narrow)
    totals = dict(
        Prospect.select(Prospect.status, pw.fn.COUNT(Prospect.id))
        .where(Prospect.status.in_(CLOSED))
        .group_by(Prospect.status)
        .tuples()
    )
    return ClosedPage(narrow, count(narrow, today), page(narrow, 0, limit, today), totals.get("won", 0),
                      totals.get("dropped", 0), drop_reasons())

