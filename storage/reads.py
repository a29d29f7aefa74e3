"""What the detail and history panes read about one prospect."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import FollowUp, Prospect, Touch


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
    """Prospects whose name matches exactly (case-insensitive), for the referred-by field."""
    return list(Prospect.select(Prospect.id, Prospect.name, Prospect.company).where(
        Prospect.name ** name.strip()).limit(5))
