"""What the detail and history panes read about one prospect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from storage.book.models import REPLY_OUTCOMES, FollowUp, Prospect, Tag, Touch


@dataclass(frozen=True)
class Detail:
    prospect: Prospect
    next_step: FollowUp | None
    referred_by_name: str


def detail(prospect_id: int) -> Detail | None:
    prospect = Prospect.get_or_none(Prospect.id == prospect_id)
    if prospect is None:
        return None
    step = (
        FollowUp.select()
        .where((FollowUp.prospect == prospect_id) & FollowUp.done_at.is_null())
        .order_by(FollowUp.id.desc())
        .first()
    )
    referrer = ""
    if prospect.referred_by_id:
        ref = Prospect.select(Prospect.name).where(Prospect.id == prospect.referred_by_id).first()
        referrer = ref.name if ref else ""
    return Detail(prospect=prospect, next_step=step, referred_by_name=referrer)


def history_page(prospect_id: int, offset: int = 0, limit: int = 50) -> list[Touch]:
    """A page of touches, newest first."""
    return list(
        Touch.select()
        .where(Touch.prospect == prospect_id)
        .order_by(Touch.at.desc(), Touch.id.desc())
        .offset(offset)
        .limit(limit)
    )


def prospect_count() -> int:
    return Prospect.select().count()


def find_referrer(name: str) -> list[Prospect]:
    """Prospects with exactly this name (spacing aside), for the referred-by field; by index."""
    return list(
        Prospect.select(Prospect.id, Prospect.name, Prospect.company).where(Prospect.name == " ".join(name.split())).limit(5)
    )


def channel_touches(prospect_id: int) -> list[tuple[str, str, str, int]]:
    """(channel, direction, outcome, how many) for one prospect: what reach.channel_stats counts."""
    query = (
        Touch.select(Touch.channel, Touch.direction, Touch.outcome, fn.COUNT(Touch.id).alias("n"))
        .where(Touch.prospect == prospect_id)
        .group_by(Touch.channel, Touch.direction, Touch.outcome)
        .tuples()
    )
    return list(query)


def promises(prospect_id: int, limit: int = 5) -> list[FollowUp]:
    """This prospect's promised follow-ups, newest first."""
    return list(
        FollowUp.select()
        .where((FollowUp.prospect == prospect_id) & (FollowUp.promised == True))  # noqa: E712
        .order_by(FollowUp.due_at.desc(), FollowUp.id.desc())
        .limit(limit)
    )


def promise_record(prospect_id: int) -> dict[str, int]:
    """How many of this prospect's promises were kept, late or are still open."""
    rows = (
        FollowUp.select(FollowUp.kept, FollowUp.done_at.is_null().alias("open"), fn.COUNT(FollowUp.id).alias("n"))
        .where((FollowUp.prospect == prospect_id) & (FollowUp.promised == True))  # noqa: E712
        .group_by(FollowUp.kept, FollowUp.done_at.is_null())
        .tuples()
    )
    record = {"kept": 0, "late": 0, "open": 0}
    for kept, is_open, n in rows:
        if is_open:
            record["open"] += n
        elif kept is True or kept == 1:
            record["kept"] += n
        elif kept is False or kept == 0:
            record["late"] += n
    return record


def tags_of(prospect_id: int) -> list[tuple[str, int]]:
    """This prospect's note tags with how often each was used, most used first."""
    query = (
        Tag.select(Tag.name, fn.COUNT(Tag.id).alias("n"))
        .where(Tag.prospect == prospect_id)
        .group_by(Tag.name)
        .order_by(fn.COUNT(Tag.id).desc(), Tag.name)
        .tuples()
    )
    return list(query)


def referrals_of(prospect_id: int, limit: int = 8) -> list[Prospect]:
    """The people this prospect referred to us."""
    return list(
        Prospect.select(Prospect.id, Prospect.name, Prospect.status)
        .where(Prospect.referred_by == prospect_id)
        .order_by(Prospect.id)
        .limit(limit)
    )


def last_unanswered_day(prospect_id: int) -> dt.datetime | None:
    """When the last touch without a reply was, for the two-day rule."""
    touch = (
        Touch.select(Touch.at)
        .where((Touch.prospect == prospect_id) & Touch.outcome.not_in(sorted(REPLY_OUTCOMES)) & (Touch.direction == "out"))
        .order_by(Touch.at.desc())
        .first()
    )
    return touch.at if touch else None
