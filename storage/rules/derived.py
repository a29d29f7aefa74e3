"""The prospect's derived fields, from its history and its open follow-up: the one rule.

The queue and the detail pane read one prospect row instead of aggregating the history, so every
writer (the actions, the imports, the demo, the big book) leaves these columns exactly as this
function computes them. Pure: no I/O; the caller hands over the history in the book's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from storage.book.vocabulary import REPLY_OUTCOMES

DERIVED_FIELDS = (
    "touch_count",
    "last_touch_at",
    "last_reply_at",
    "unanswered_streak",
    "next_due_at",
    "next_promised",
    "next_kind",
    "next_has_time",
)


class OpenStep(NamedTuple):
    """What the derived fields keep of the open follow-up."""

    due_at: Any  # as the caller stores it (storage.rules.dates.stored: a naive datetime, or its text)
    promised: bool
    kind: str
    has_time: bool  # a time of day (due_at a UTC moment), or a date alone (due_at its date at noon)


def answered(outcome: str, direction: str = "out") -> bool:
    """Whether a touch is their answer: an answering outcome, or a touch they started (they
    called, they wrote: "in"), whatever its outcome."""
    return outcome in REPLY_OUTCOMES or direction == "in"


def derived_fields(history: Iterable[tuple[Any, ...]], open_step: OpenStep | None) -> dict[str, Any]:
    """The derived columns of a prospect. `history` is its touches as (at, outcome) or
    (at, outcome, direction) (without one, a touch is outgoing), in the history's order: by `at`,
    then by id (so what came after the last reply is well defined)."""
    count = streak = 0
    last_at = last_reply = None
    for at, outcome, *direction in history:
        count += 1
        if last_at is None or at > last_at:
            last_at = at
        if answered(outcome, *direction):
            last_reply, streak = at, 0
        else:
            streak += 1
    return {
        "touch_count": count,
        "last_touch_at": last_at,
        "last_reply_at": last_reply,
        "unanswered_streak": streak,
        **step_fields(open_step),
    }


def step_fields(open_step: OpenStep | None) -> dict[str, Any]:
    """The derived columns that follow the open follow-up alone (a move of the step changes only
    these: the touches' columns stay as they are)."""
    return {
        "next_due_at": open_step.due_at if open_step else None,
        "next_promised": bool(open_step and open_step.promised),
        "next_kind": open_step.kind if open_step else None,
        # the queue cuts its days by it: a date-only step by its date, a timed one by its moment
        "next_has_time": bool(open_step and open_step.has_time),
    }
