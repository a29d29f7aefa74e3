"""One prospect, as the desk shows it: who they are, the next step, promises, channels, tags,
referrals and the first page of their history, in ONE call that the desk makes off the UI thread
when the cursor lands on them. Plain dataclasses out: no model row leaves storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from peewee import SQL, fn

from storage.book.clock import utc_now
from storage.book.models import DropReason, FollowUp, Journal, Prospect, Tag, Touch
from storage.engines import current
from storage.book.vocabulary import REPLY_OUTCOMES
from storage.rules.reach import ChannelStat, answering_channel, channel_stats

HISTORY_PAGE = 15  # enough to fill the pane; wrapping every note costs each time the cursor moves
PROMISES_SHOWN = 4
REFERRALS_SHOWN = 8


@dataclass(frozen=True)
class Facts:
    """A prospect's row, as plain values."""

    id: int
    name: str
    company: str
    title: str
    email: str
    phone: str
    preferred_channel: str | None
    best_time: str
    timezone: str
    deal_value: int
    source: str
    referred_by: int | None
    cadence: str | None
    notes: str
    status: str
    drop_reason: str
    closing_note: str
    revisit_on: dt.date | None
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    touch_count: int
    last_touch_at: dt.datetime | None
    last_reply_at: dt.datetime | None
    unanswered_streak: int
    next_due_at: dt.datetime | None
    next_promised: bool
    next_kind: str | None
    owner: str | None = None  # the rep whose prospect it is; None: shared by the team (a file book: always)

    @classmethod
    def of(cls, row: Prospect) -> Facts:
        return cls(**{f.name: getattr(row, "referred_by_id" if f.name == "referred_by" else f.name) for f in fields(cls)})


@dataclass(frozen=True)
class Step:
    """A follow-up: the open one, or a promise of the past."""

    id: int
    due_at: dt.datetime  # naive UTC
    has_time: bool
    channel: str
    what: str
    kind: str
    promised: bool
    done_at: dt.datetime | None
    kept: bool | None

    @classmethod
    def of(cls, row: FollowUp) -> Step:
        return cls(row.id, row.due_at, bool(row.has_time), row.channel, row.what, row.kind, bool(row.promised),
                   row.done_at, row.kept)


@dataclass(frozen=True)
class TouchLine:
    id: int
    at: dt.datetime  # naive UTC
    channel: str
    direction: str
    outcome: str
    note: str


@dataclass(frozen=True)
class Referral:
    id: int
    name: str
    status: str


# A colleague's change to a prospect this recent is worth a word on screen: they may be on the phone
# with them, or have just logged the call this rep is about to make.
LATELY = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Colleague:
    """Another rep's newest change to the prospect, made within LATELY (a team's book)."""

    who: str
    summary: str  # the journal's words ("touch logged to Tyler Johnson")
    at: dt.datetime  # naive UTC


@dataclass(frozen=True)
class ProspectView:
    """Everything the desk shows and the dialogs start from about one prospect."""

    facts: Facts
    next_step: Step | None
    referred_by_name: str
    channels: list[ChannelStat]
    promises: list[Step]  # the latest PROMISES_SHOWN, newest first
    promise_record: dict[str, int]  # kept, late, open
    tags: list[tuple[str, int]]  # most used first
    referrals: list[Referral]
    last_unanswered_at: dt.datetime | None  # the last outgoing touch without a reply, since their last one
    history: list[TouchLine]  # the first page, newest first
    history_complete: bool
    referrer_status: str = ""  # active, won, dropped: a dropped referrer gets no thank-you (reopen first)
    picked_reason: str = ""  # the drop reason picked from the list, when dropped
    colleague: Colleague | None = None  # someone else on this prospect right now (a team's book)

    @property
    def id(self) -> int:
        return self.facts.id

    @property
    def answers_on(self) -> str | None:
        """The channel this prospect answers, from their history."""
        return answering_channel(self.channels)


def view(prospect_id: int) -> ProspectView | None:
    """The prospect on screen, or None when they are no longer in the book."""
    row = Prospect.get_or_none(Prospect.id == prospect_id)
    if row is None:
        return None
    step = FollowUp.open_of([prospect_id]).get(prospect_id)
    referrer = referrer_status = picked = ""
    if row.referred_by_id:
        found = Prospect.select(Prospect.name, Prospect.status).where(Prospect.id == row.referred_by_id).first()
        referrer, referrer_status = (found.name, found.status) if found else ("", "")
    if row.picked_reason_id:
        reason = DropReason.select(DropReason.label).where(DropReason.id == row.picked_reason_id).first()
        picked = reason.label if reason else ""
    history = history_page(prospect_id, 0, HISTORY_PAGE)
    promises, record = _promises(prospect_id, PROMISES_SHOWN)
    return ProspectView(
        facts=Facts.of(row),
        next_step=Step.of(step) if step else None,
        referred_by_name=referrer,
        channels=_channels(prospect_id),
        promises=promises,
        promise_record=record,
        tags=_tags(prospect_id),
        referrals=_referrals(prospect_id, REFERRALS_SHOWN),
        last_unanswered_at=_last_unanswered(prospect_id, row.last_reply_at, history),
        history=history,
        history_complete=len(history) < HISTORY_PAGE,
        referrer_status=referrer_status,
        picked_reason=picked,
        colleague=_colleague(prospect_id),
    )


def _colleague(prospect_id: int) -> Colleague | None:
    """On a team's book, another rep's newest change to the prospect within LATELY: one statement
    through the journal's (prospect, id) index, the newest first (a book in a file has one rep)."""
    if not current().owners:
        return None
    row = (Journal.select(Journal.who, Journal.summary, Journal.at)
           .where((Journal.prospect == prospect_id) & (Journal.who != SQL("current_user"))
                  & (Journal.at >= utc_now() - LATELY))
           .order_by(Journal.id.desc()).limit(1).tuples().first())
    return Colleague(*row) if row else None


def history_page(prospect_id: int, offset: int = 0, limit: int = HISTORY_PAGE) -> list[TouchLine]:
    """A page of touches, newest first."""
    query = (
        Touch.select(Touch.id, Touch.at, Touch.channel, Touch.direction, Touch.outcome, Touch.note)
        .where(Touch.prospect == prospect_id)
        .order_by(Touch.at.desc(), Touch.id.desc())
        .offset(offset)
        .limit(limit)
        .tuples()
    )
    return [TouchLine(*row) for row in query]


def prospect_count() -> int:
    return Prospect.select().count()


def find_by_name(name: str, *, besides: int | None = None) -> int | None:
    """The prospect with exactly this name (spacing aside), for the referred-by field; by index."""
    query = Prospect.select(Prospect.id).where(Prospect.name == " ".join(name.split())).order_by(Prospect.id)
    if besides is not None:
        query = query.where(Prospect.id != besides)
    found = query.first()
    return found.id if found else None


def _channels(prospect_id: int) -> list[ChannelStat]:
    query = (
        Touch.select(Touch.channel, Touch.direction, Touch.outcome, fn.COUNT(Touch.id))
        .where(Touch.prospect == prospect_id)
        .group_by(Touch.channel, Touch.direction, Touch.outcome)
        .tuples()
    )
    return channel_stats((c, d, o) for c, d, o, n in query for _ in range(n))


def _promises(prospect_id: int, limit: int) -> tuple[list[Step], dict[str, int]]:
    """The latest promises, and how many of all of them were kept, late or are still open, in one
    statement (on a server, one round trip): each row carries the three counts; no row, no promise."""
    # promised through an expression, so no index on it is used: SQLite took the reports' (promised,
    # due_at, …) index for the order and walked every promise of the book (45-100 ms on the 100k
    # bench book, each cursor move); the prospect's own few steps are sorted instead
    theirs = (FollowUp.prospect == prospect_id) & (fn.COALESCE(FollowUp.promised, False) == True)  # noqa: E712
    every = FollowUp.alias()

    def counted(cond):
        mine = (every.prospect == prospect_id) & (every.promised == True)  # noqa: E712
        return every.select(fn.COUNT(SQL("*"))).where(mine & cond)

    ended = every.done_at.is_null(False)
    query = (
        FollowUp.select(
            FollowUp,
            counted(ended & (every.kept == True)).alias("n_kept"),  # noqa: E712
            counted(ended & (every.kept == False)).alias("n_late"),  # noqa: E712
            counted(every.done_at.is_null()).alias("n_open"),
        )
        .where(theirs)
        .order_by(FollowUp.due_at.desc(), FollowUp.id.desc())
        .limit(limit)
    )
    rows = list(query)
    record = {"kept": rows[0].n_kept, "late": rows[0].n_late, "open": rows[0].n_open} if rows else \
        {"kept": 0, "late": 0, "open": 0}
    return [Step.of(row) for row in rows], record


def _tags(prospect_id: int) -> list[tuple[str, int]]:
    query = (
        Tag.select(Tag.name, fn.COUNT(Tag.id).alias("n"))
        .where(Tag.prospect == prospect_id)
        .group_by(Tag.name)
        .order_by(fn.COUNT(Tag.id).desc(), Tag.name)
        .tuples()
    )
    return list(query)


def _referrals(prospect_id: int, limit: int) -> list[Referral]:
    query = (
        Prospect.select(Prospect.id, Prospect.name, Prospect.status)
        .where(Prospect.referred_by == prospect_id)
        .order_by(Prospect.id)
        .limit(limit)
        .tuples()
    )
    return [Referral(*row) for row in query]


def _last_unanswered(prospect_id: int, last_reply_at: dt.datetime | None,
                     history: list[TouchLine]) -> dt.datetime | None:
    """The last outgoing touch without a reply, in the run since their last answer: a reply
    resets the run, and the two-day rule (storage.reads.coaching) is about that run only.
    The first page of `history` (newest first) mostly holds the answer: then no statement of its own."""
    for touch in history:
        if last_reply_at is not None and touch.at <= last_reply_at:
            return None  # the run ended before any unanswered touch out
        if touch.direction == "out" and touch.outcome not in REPLY_OUTCOMES:
            return touch.at
    if len(history) < HISTORY_PAGE:
        return None  # the whole history was on the page
    unanswered = (Touch.prospect == prospect_id) & Touch.outcome.not_in(sorted(REPLY_OUTCOMES)) & (Touch.direction == "out")
    if last_reply_at is not None:
        unanswered &= Touch.at > last_reply_at
    touch = (
        Touch.select(Touch.at)
        .where(unanswered)
        .order_by(Touch.at.desc())
        .first()
    )
    return touch.at if touch else None
