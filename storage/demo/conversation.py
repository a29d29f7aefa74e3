"""The rules of a generated conversation, shared by the demo and the big book for benchmarks:
how a touch goes (channel, direction, outcome), which notes fit it, what the next step is (its
kind, channel, text and day). Each takes the generator's `Draws` (storage.demo.draws), so the
two generators draw each their own way but follow one set of rules.

The unanswered streak that decides a "hard-to-reach" step is the book's own rule
(storage.rules.derived), never counted again here.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from storage.book.vocabulary import CHANNELS
from storage.demo.draws import Draws
from storage.demo.material import (
    COMPETITORS,
    IN_CHANNELS,
    IN_NOTES,
    IN_WEIGHTS,
    MONTHS,
    NOTES,
    PRODUCTS,
    REPLY_WEIGHTS,
    SHOWS,
    SILENT_WEIGHTS,
    TOUCH_CHANNELS,
    WEEKDAYS,
)
from storage.rules.derived import derived_fields

# Where a hard-to-reach prospect is tried next: any of these but the channel that went unanswered.
RETRY_CHANNELS = ("call", "email", "text", "social", "meeting", "letter")

# -- what was said ---------------------------------------------------------------------------------


def note_group(channel: str) -> str:
    """Which notes fit a channel: "call" (call, other), "post" (letter, card), "meeting" or
    "written"."""
    if channel in ("call", "other"):
        return "call"
    if channel in ("letter", "card"):
        return "post"
    return "meeting" if channel == "meeting" else "written"


def note_templates(direction: str, outcome: str, group: str) -> tuple[str, ...]:
    """The note templates for a touch (possibly none): the direction's notes for that outcome and
    channel group, else the outgoing ones."""
    table = (IN_NOTES if direction == "in" else NOTES).get(outcome, {})
    pool = table.get(group, ()) + table.get("any", ())
    if not pool:
        pool = NOTES[outcome].get(group, ()) + NOTES[outcome].get("any", ())
    return pool


def fill(rng: random.Random, template: str, *, first: str, ref: str, count: int | None = None) -> str:
    """A note or step template with its blanks drawn: a competitor, a month, a product… `count`:
    the tries so far (None: a plausible number, drawn)."""
    return template.format(
        first=first,
        competitor=rng.choice(COMPETITORS),
        pct=rng.choice((5, 8, 10, 12, 15, 20)),
        n=rng.choice((3, 5, 6, 10, 12, 20, 24, 40, 50)),
        month=rng.choice(MONTHS),
        weekday=rng.choice(WEEKDAYS),
        show=rng.choice(SHOWS),
        product=rng.choice(PRODUCTS),
        count=rng.randint(4, 9) if count is None else count,
        ref=ref,
    )


def inbound(draw: Draws) -> tuple[str, str]:
    """(channel, outcome) of a touch the prospect started; they never "reply" by voice."""
    channel = draw.weighted(IN_CHANNELS)
    outcome = draw.weighted(IN_WEIGHTS)
    if outcome == "replied" and note_group(channel) in ("call", "meeting"):
        outcome = "talked"
    return channel, outcome


def _answered_as(channel: str) -> str:
    """The group whose outcome weights fit a channel: a letter or a card is answered in writing."""
    group = note_group(channel)
    return "written" if group == "post" else group


_REPLIES = {channel: REPLY_WEIGHTS[_answered_as(channel)] for channel in CHANNELS}
_SILENCES = {channel: SILENT_WEIGHTS[_answered_as(channel)] for channel in CHANNELS}


def outgoing(draw: Draws, preferred: str | None, answer_rate: float, late: bool) -> tuple[str, str]:
    """(channel, outcome) of a touch the rep made: on the prospect's preferred channel about half
    the time; answered at `answer_rate`; nobody says "not interested" before the third touch
    (`late`). One function: the big book makes millions of these."""
    channel = preferred if preferred and draw.roll() < 0.45 else draw.weighted(TOUCH_CHANNELS)
    if draw.roll() < answer_rate:
        said = draw.weighted(_REPLIES[channel])
        return channel, "not now" if said == "not interested" and not late else said
    return channel, draw.weighted(_SILENCES[channel])


def forced_channel(channel: str, outcome: str) -> str:
    """The channel of an outgoing touch rewritten to this outcome: talking takes a call or a
    meeting, a message is left on a phone."""
    group = note_group(channel)
    if outcome == "talked" and group not in ("call", "meeting"):
        return "call"
    if outcome == "left message" and group != "call":
        return "call"
    return channel


def span_start(draw: Draws, touches: int, end: int, *, days_per_touch: int, history_days: int) -> int:
    """The day a history of `touches` ending on day `end` begins: spaced out, skewed recent."""
    low = max(touches * days_per_touch, 3)
    high = max(low, history_days + end)
    return end - (low + int((high - low) * draw.roll() ** 1.4))


# -- what comes next -------------------------------------------------------------------------------


def unanswered_streak(history: Iterable[tuple[Any, str]]) -> int:
    """Touches since the last reply, by the book's rule; `history` is (at, outcome) in order."""
    return derived_fields(history, None)["unanswered_streak"]


def open_step_kind(draw: Draws, *, referral: bool, touches: int, streak: int, upcoming: bool) -> str:
    """The kind of the step scheduled now, from where the prospect stands."""
    if referral and touches <= 2:
        return "referral"
    if touches == 0:
        return "new prospect"
    if streak >= 3:
        return "hard-to-reach"
    if upcoming and draw.roll() < 0.12:
        return "new offering"
    return "new prospect"


def what_kind(kind: str, touches: int) -> str:
    """Which step texts (material.WHAT) fit: once the conversation has started, a new
    prospect's or a referral's step is about the deal ("in progress")."""
    if kind in ("new prospect", "referral") and touches >= 2:
        return "in progress"
    return kind


def step_channel(draw: Draws, kind: str, preferred: str | None, last_channel: str | None, *,
                 others: int = len(RETRY_CHANNELS)) -> str:
    """The channel of a step: a card for most thank-yous, another channel than the last one for
    the hard to reach (one of the first `others` of RETRY_CHANNELS left), else the preferred."""
    if kind == "thank-you" and draw.roll() < 0.6:
        return "card"
    if kind == "hard-to-reach" and last_channel:
        return draw.pick([c for c in RETRY_CHANNELS if c != last_channel][:others])
    return preferred or draw.pick(("call", "email"))


def due_day(draw: Draws, section: str, *, overdue_days: int) -> tuple[int, bool]:
    """(day offset from today, whether it has a time) of an open step in a queue section; the
    promised are loud (often overdue or today), and a few steps are for a time of day."""
    timed = draw.roll()
    if section == "promised":
        roll = draw.roll()
        offset = -draw.between(1, 5) if roll < 0.35 else 0 if roll < 0.6 else draw.between(1, 7)
        timed *= 0.5
    elif section == "overdue":
        offset = -draw.between(1, overdue_days)
    elif section == "today":
        offset = 0
        timed *= 0.4
    elif section == "upcoming":
        offset = draw.between(1, 7)
    else:  # later
        offset = 8 + min(int(draw.expovariate(1 / 18)), 110)
    return offset, timed < 0.2
