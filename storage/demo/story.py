"""Each demo prospect's history: who they are, the touches, the follow-ups each touch answered,
and how it ended (still active with a step in some queue section, won, or dropped), placed in
days around today. Kept in memory until storage.demo.writing writes it.

The rules of a conversation are shared with the big book (storage.demo.conversation); this is
the demo's telling of them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from storage.book.vocabulary import REPLY_OUTCOMES
from storage.demo import conversation
from storage.demo.conversation import note_group, unanswered_streak, what_kind
from storage.demo.draws import Draws
from storage.demo.material import (
    DROP_REASONS,
    FIRST_TOUCH,
    LAST_NOTES,
    POST_SALE,
    PROMISED_WHAT,
    STEP_HOURS,
    STEP_MINUTES,
    TOUCH_COUNTS,
    WHAT,
    WON_NOTES,
    WON_STEP_KINDS,
)
from storage.demo.people import Directory
from storage.demo.timeline import Timeline

MAX_TOUCHES = 14
HISTORY_DAYS = 185  # about six months
_COUNTS = {status: tuple(enumerate(weights)) for status, weights in TOUCH_COUNTS.items()}  # (count, weight)


@dataclass
class PlannedStep:
    due_at: dt.datetime
    has_time: bool
    channel: str
    what: str
    kind: str
    promised: bool
    created_at: dt.datetime
    done_at: dt.datetime | None = None
    resolution: str | None = None
    id: int = 0


@dataclass
class PlannedTouch:
    day: int  # day offset from today, in the rep's zone
    at: dt.datetime
    channel: str
    direction: str
    outcome: str
    note: str
    kind: str = ""  # for a touch after the sale: what kind of step it answered
    step: PlannedStep | None = None


@dataclass
class Person:
    index: int
    fields: dict[str, Any]
    first: str
    status: str
    created_at: dt.datetime = dt.datetime.min
    closed_at: dt.datetime | None = None
    drop_reason: str = ""
    revisit_on: dt.date | None = None
    touches: list[PlannedTouch] = field(default_factory=list)
    steps: list[PlannedStep] = field(default_factory=list)  # every follow-up, the open one last
    open_step: PlannedStep | None = None
    referrer: Person | None = None  # who in the book sent them
    id: int = 0


def history_of(touches: list[PlannedTouch]) -> list[tuple[dt.datetime, str]]:
    """(at, outcome) of touches, as the book's rules read a history."""
    return [(t.at, t.outcome) for t in touches]


class Story:
    def __init__(self, rng: random.Random, now: dt.datetime, tz: str):
        self.rng = rng
        self.draw = Draws(rng)
        self.time = Timeline(rng, now, tz)
        self.today = self.time.today
        self.people = Directory(self.draw)

    def person(self, index: int, status: str, special: dict[str, Any] | None) -> Person:
        fields, first = self.people.person(special)
        return Person(index=index, fields=fields, first=first, status=status)

    def span_start(self, k: int, end: int) -> int:
        return conversation.span_start(self.draw, k, end, days_per_touch=4, history_days=HISTORY_DAYS)

    # -- what was said --------------------------------------------------------------------------

    def fill(self, template: str, person: Person) -> str:
        return conversation.fill(self.rng, template, first=person.first, ref="{ref}", count=len(person.touches))

    def note(self, person: Person, direction: str, channel: str, outcome: str) -> str:
        pool = conversation.note_templates(direction, outcome, note_group(channel))
        if not pool or self.rng.random() < 0.08:
            return ""
        return self.fill(self.rng.choice(pool), person)

    def touch(self, person: Person, offset: int, answer_rate: float, late: bool) -> PlannedTouch:
        rng = self.rng
        at = self.time.work_time(offset)
        if not person.touches and person.fields["source"] in FIRST_TOUCH and rng.random() < 0.7:
            channel, direction, outcome, note = FIRST_TOUCH[person.fields["source"]]
            return PlannedTouch(offset, at, channel, direction, outcome, self.fill(note, person))
        if rng.random() < 0.12:  # they got in touch
            direction = "in"
            channel, outcome = conversation.inbound(self.draw)
        else:
            direction = "out"
            channel, outcome = conversation.outgoing(self.draw, person.fields["preferred_channel"], answer_rate, late)
        return PlannedTouch(offset, at, channel, direction, outcome, self.note(person, direction, channel, outcome))

    def history(self, person: Person, days: list[int], answer_rate: float) -> None:
        for offset in days:
            person.touches.append(self.touch(person, offset, answer_rate, late=len(person.touches) >= 3))

    # -- follow-ups -----------------------------------------------------------------------------

    def what_for(self, kind: str, person: Person, promised: bool, touches: int | None = None) -> str:
        kind = what_kind(kind, len(person.touches) if touches is None else touches)
        return self.fill(self.rng.choice(PROMISED_WHAT if promised else WHAT[kind]), person)

    def step_channel(self, person: Person, kind: str) -> str:
        last = person.touches[-1].channel if person.touches else None
        return conversation.step_channel(self.draw, kind, person.fields["preferred_channel"], last, others=5)

    def link_done_steps(self, person: Person, post_sale_from: int | None = None) -> None:
        """Most outgoing touches answered a scheduled step: record it, done by that touch."""
        rng = self.rng
        previous = person.created_at
        for number, touch in enumerate(person.touches):
            if post_sale_from is not None and number == post_sale_from:
                previous = person.closed_at  # the first check-in was scheduled when the sale closed
            if touch.direction == "out" and rng.random() < 0.8:
                post_sale = post_sale_from is not None and number >= post_sale_from
                if post_sale:
                    kind = touch.kind or "check-in"
                elif number == 0:
                    kind = "referral" if person.fields["source"] == "referral" else "new prospect"
                elif unanswered_streak(history_of(person.touches[:number])) >= 3:
                    kind = "hard-to-reach"
                else:
                    kind = "new prospect" if rng.random() < 0.9 else "new offering"
                touch_day = touch.day
                due_day = touch_day - rng.choice((0, 0, 0, 1, 2))
                due_at = self.time.due(due_day)
                if due_at <= previous:
                    due_at = self.time.due(touch_day)
                promised = rng.random() < 0.08
                step = PlannedStep(
                    due_at=due_at,
                    has_time=False,
                    channel=touch.channel if rng.random() < 0.85 else self.step_channel(person, kind),
                    what=self.what_for(kind, person, promised, touches=number),
                    kind=kind,
                    promised=promised,
                    created_at=previous,
                    done_at=touch.at,
                    resolution="done",
                )
                touch.step = step
                person.steps.append(step)
            previous = touch.at

    def open_step(self, person: Person, due: dt.datetime, has_time: bool, kind: str, promised: bool) -> None:
        created = max([person.created_at, person.closed_at or person.created_at] + [t.at for t in person.touches])
        step = PlannedStep(
            due_at=due,
            has_time=has_time,
            channel=self.step_channel(person, kind),
            what=self.what_for(kind, person, promised),
            kind=kind,
            promised=promised,
            created_at=created,
        )
        person.steps.append(step)
        person.open_step = step

    def due(self, section: str) -> tuple[int, int | None, int]:
        """(day offset, hour or None for a date-only step, minute) for a step in `section`."""
        offset, timed = conversation.due_day(self.draw, section, overdue_days=20)
        if timed:
            return offset, self.rng.choice(STEP_HOURS), self.rng.choice(STEP_MINUTES)
        return offset, None, 0

    # -- one prospect's whole story --------------------------------------------------------------

    def created(self, person: Person, first_day: int) -> None:
        offset = first_day - self.rng.randint(1, 4)
        person.created_at = self.time.at(offset, self.rng.choice((8, 9, 10, 11, 14, 15, 16)), self.rng.randrange(0, 60, 5))

    def active(self, person: Person, section: str) -> None:
        rng = self.rng
        count = self.draw.weighted(_COUNTS["active"])
        answer_rate = 0.12 if rng.random() < 0.2 else rng.uniform(0.3, 0.8)
        if section == "no_step":
            end = -rng.randint(3, 45)
            due = None
        else:
            offset, hour, minute = self.due(section)
            due = (offset, hour, minute)
            end = min(-1, offset - 1)
        if count == 0:
            self.created(person, min(end, -1) - rng.randint(0, 6) + 1)
        else:
            start = self.span_start(count, end)
            days = self.time.days(start, end, count)
            self.created(person, days[0])
            self.history(person, days, answer_rate)
        self.link_done_steps(person)
        if due is not None:
            offset, hour, minute = due
            moment = self.time.due(offset, hour, minute)
            kind = conversation.open_step_kind(
                self.draw,
                referral=person.fields["source"] == "referral",
                touches=len(person.touches),
                streak=unanswered_streak(history_of(person.touches)),
                upcoming=offset > 0,
            )
            self.open_step(person, moment, hour is not None, kind, section == "promised")

    def won(self, person: Person) -> None:
        rng = self.rng
        closed = -rng.randint(3, 120)
        post = rng.randint(1, 2) if closed + 7 <= -1 and rng.random() < 0.4 else 0
        count = max(1, min(self.draw.weighted(_COUNTS["won"]), MAX_TOUCHES - post))
        answer_rate = rng.uniform(0.4, 0.85)
        start = self.span_start(count, closed)
        days = self.time.days(start, closed - 1, count - 1) + [closed]
        self.created(person, days[0])
        self.history(person, days[:-1], answer_rate)
        final_at = self.time.at(closed, rng.choice((9, 10, 11, 14, 15, 16)), rng.randrange(0, 60, 5))
        channel = rng.choice(("meeting", "call", "call", "email"))
        outcome = "replied" if channel == "email" else "talked"
        note = self.fill(rng.choice(WON_NOTES), person)
        person.touches.append(PlannedTouch(closed, final_at, channel, "out", outcome, note))
        person.closed_at = final_at + dt.timedelta(minutes=rng.randint(5, 90))
        pre_sale = len(person.touches)
        for offset in self.time.days(closed + 7, -1, post):
            kind, channel, outcome, note = rng.choice(POST_SALE)
            person.touches.append(PlannedTouch(offset, self.time.work_time(offset), channel, "out", outcome, note, kind=kind))
        self.link_done_steps(person, post_sale_from=pre_sale)
        if rng.random() < 0.65:
            kind = self.draw.weighted(WON_STEP_KINDS)
            offset = rng.randint(1, 90) if rng.random() < 0.85 else rng.randint(1, 7)
            hour = rng.choice(STEP_HOURS) if rng.random() < 0.15 else None
            self.open_step(person, self.time.due(offset, hour), hour is not None, kind, False)

    def force(self, person: Person, touch: PlannedTouch, outcome: str) -> None:
        """Rewrite a touch as an outgoing one with this outcome, on a channel where it makes sense."""
        touch.channel = conversation.forced_channel(touch.channel, outcome)
        touch.direction, touch.outcome = "out", outcome
        touch.note = self.note(person, "out", touch.channel, outcome)

    def dropped(self, person: Person) -> None:
        rng = self.rng
        reason, last_outcome, revisit_chance = rng.choice(DROP_REASONS)
        silent = last_outcome is None
        drop_day = -rng.randint(2, 120)
        last_note = rng.random() < 0.5
        count = self.draw.weighted(_COUNTS["dropped"])
        if silent:
            count = max(count, 4)
        count = min(count, MAX_TOUCHES - last_note)
        start = self.span_start(count, drop_day - 1)
        days = self.time.days(start, drop_day - 1, count)
        self.created(person, days[0])
        self.history(person, days, 0.0 if silent else rng.uniform(0.3, 0.7))
        if silent:  # they never answered
            for touch in person.touches:
                if touch.outcome in REPLY_OUTCOMES:
                    self.force(person, touch, "left message" if note_group(touch.channel) == "call" else "no answer")
        else:
            self.force(person, person.touches[-1], last_outcome)
        self.link_done_steps(person)
        person.closed_at = self.time.work_time(drop_day)
        # the step that was open when the rep dropped them: closed by the drop
        kind = "hard-to-reach" if unanswered_streak(history_of(person.touches)) >= 3 else "new prospect"
        step = PlannedStep(
            due_at=self.time.due(drop_day - rng.choice((0, 1, 2))),
            has_time=False,
            channel=self.step_channel(person, kind),
            what=self.what_for(kind, person, False),
            kind=kind,
            promised=False,
            created_at=person.touches[-1].at,
            done_at=person.closed_at,
            resolution="closed",
        )
        if step.due_at <= step.created_at:
            step.due_at = self.time.due(drop_day)
        person.steps.append(step)
        person.drop_reason = self.fill(reason, person)
        if last_note:
            channel = step.channel or person.fields["preferred_channel"] or "email"
            last = PlannedTouch(drop_day, person.closed_at, channel, "out", "left message", rng.choice(LAST_NOTES))
            person.touches.append(last)  # as drop() logs it: at the moment of the drop, answering no step
        if rng.random() < revisit_chance:
            person.revisit_on = self.today + dt.timedelta(days=rng.randint(20, 200))
