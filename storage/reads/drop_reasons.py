"""The drop reasons a rep picks from (storage.book.models.DropReason), in the list's order, and
how many dropped prospects each one counts: what "why we lose" reports read."""

from __future__ import annotations

from peewee import fn

from storage.book.models import DropReason, Prospect


def drop_reasons() -> list[str]:
    """The list, as the drop dialog offers it."""
    query = DropReason.select(DropReason.label).order_by(DropReason.position, DropReason.id).tuples()
    return [label for (label,) in query]


def drop_reason_counts() -> list[tuple[str, int]]:
    """(reason, dropped prospects) in the list's order, the reasons nobody picked included; those
    dropped without a reason from the list (an old book's own words) count as ""."""
    counted = dict(
        Prospect.select(Prospect.picked_reason, fn.COUNT(Prospect.id))
        .where(Prospect.status == "dropped")
        .group_by(Prospect.picked_reason)
        .tuples()
    )
    query = DropReason.select(DropReason.id, DropReason.label).order_by(DropReason.position, DropReason.id).tuples()
    found = [(label, counted.pop(reason_id, 0)) for reason_id, label in query]
    unlisted = sum(counted.values())
    return found + ([("", unlisted)] if unlisted else [])
