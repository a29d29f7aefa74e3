"""Each big-book prospect's story: who they are, their touches (each answering a follow-up most
of the time, some follow-ups moved once before), and how it stands now (active with a step in
some queue section, won with check-ins, dropped), by the rules the demo follows too
(storage.demo.conversation), drawn the fast way. Moments are epoch seconds; the derived fields
are the book's rule (storage.rules.derived)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from bench.bigbook.clock import Clock
from bench.bigbook.notes import POOL, Entry, Pools
from bench.bigbook.people import People, touch_counts
from bench.bigbook.steps import FollowUps
from storage.book.vocabulary import CHANNELS
from storage.demo import conversation
from storage.demo.conversation import note_group, unanswered_streak
from storage.demo.draws import FastDraws
from storage.demo.material import DROP_REASONS, FIRST_TOUCH, STEP_HOURS, STEP_MINUTES, WON_STEP_KINDS
from storage.rules.derived import OpenStep, derived_fields
from storage.rules.text import clean_line

SECTIONS = (("promised", 7), ("overdue", 15), ("today", 10), ("upcoming", 25), ("no_step", 6), ("later", 37))
STATUSES = (("active", 70), ("won", 18), ("dropped", 12))
RESCHEDULES = (("snoozed", 7), ("rescheduled", 3))

# A touch: (prospect index, at, channel, direction, outcome, note entry, follow-up index or -1).
TouchRow = tuple[int, int, str, str, str, Entry, int]


@dataclass(slots=True)
class Story:
    created: int
    index: int
    first: str
    fields: dict[str, Any]
    status: str
    drop_reason: str
    revisit_on: str | None
    closed_at: int | None
    derived: dict[str, Any]  # storage.rules.derived, moments as epoch seconds
    open_step: int | None  # its place in FollowUps.rows


def said(touches: list[TouchRow]) -> list[tuple[int, str]]:
    """(at, outcome) of touches, as the book's rules read a history."""
    return [(t[1], t[4]) for t in touches]


class Stories:
    def __init__(self, rng: random.Random, now: dt.datetime, tz: str):
        self.rng = rng
        self.draw = FastDraws(rng)
        self.clock = Clock(rng, self.draw, now, tz)
        self.pools = Pools(rng)
        self.people = People(self.draw)
        self.steps = FollowUps(self.draw, self.clock, self.pools, tz)
        self.first_notes = {
            source: [self.pools.entry(self.pools.fill(note)) for _ in range(POOL // 4)]
            for source, (_c, _d, _o, note) in FIRST_TOUCH.items()
        }
        # (direction, outcome, channel) -> the pool of its channel's group
        self.notes = {(d, o, c): pool for (d, o, g), pool in self.pools.notes.items() for c in CHANNELS if note_group(c) == g}
        self.step_times = tuple((h - 12) * 3600 + m * 60 for h in STEP_HOURS for m in STEP_MINUTES)
        self.prospects: list[Story] = []  # in the order they were made
        self.touches: list[TouchRow] = []

    def pick_note(self, direction: str, outcome: str, channel: str) -> Entry:
        return self.draw.pick(self.notes[(direction, outcome, channel)])

    def due(self, section: str) -> tuple[int, int, bool]:
        """(day offset, due epoch, has_time) of an open step in `section`, as the queue sorts it."""
        offset, timed = conversation.due_day(self.draw, section, overdue_days=30)
        if timed:
            return offset, self.clock.noon(offset) + self.draw.pick(self.step_times), True
        return offset, self.clock.date_only(offset), False

    def history(self, p: int, fields: dict, days: list[int], answer_rate: float, *, inbound: float = 0.12,
                created: int, forced_last: str | None = None) -> tuple[list[TouchRow], int]:
        """Touches on `days` (ascending), each answering a scheduled step most of the time.
        Returns the touches (before they are kept) and the time the last step was made."""
        draw, rnd, clock, steps = self.draw, self.draw.roll, self.clock, self.steps
        preferred = fields["preferred_channel"]
        source = fields["source"]
        pairs = sorted((clock.work_time(d), d) for d in days)
        out: list[TouchRow] = []
        so_far: list[tuple[int, str]] = []  # (at, outcome) of the touches before this one
        previous = created
        last_number = len(pairs) - 1
        for number, (at, day) in enumerate(pairs):
            if number == 0 and source in ("website", "trade show") and rnd() < 0.6:
                channel, direction, outcome, _template = FIRST_TOUCH[source]
                entry = draw.pick(self.first_notes[source]) if rnd() < 0.5 else self.pick_note(direction, outcome, channel)
            elif rnd() < inbound:
                direction = "in"
                channel, outcome = conversation.inbound(draw)
                entry = self.pick_note(direction, outcome, channel)
            else:
                direction = "out"
                channel, outcome = conversation.outgoing(draw, preferred, answer_rate, number >= 3)
                entry = self.pick_note(direction, outcome, channel)
            if forced_last is not None and number == last_number:
                direction, outcome = "out", forced_last
                channel = conversation.forced_channel(channel, outcome)
                entry = self.pick_note("out", outcome, channel)
            followup = -1
            if direction == "out" and rnd() < 0.8:
                # a streak of 3 is the last three unanswered: the rule reads only those, so a
                # long history is not read again at every touch
                if number >= 3 and unanswered_streak(so_far[-3:]) >= 3:
                    kind = "hard-to-reach"
                elif number == 0 and source == "referral":
                    kind = "referral"
                else:
                    kind = "new prospect" if rnd() < 0.92 else "new offering"
                promised = rnd() < 0.06
                step_channel = channel if rnd() < 0.85 else steps.channel(kind, preferred, None)
                what = steps.what(kind, promised, number)
                due_day = day - (0, 0, 0, 1, 2)[int(rnd() * 5)]
                due = clock.date_only(due_day)
                if due <= previous:
                    due_day, due = day, clock.date_only(day)
                if rnd() < 0.1 and at - previous > 7200:  # moved once before it was done
                    moved_at = previous + int((at - previous) * rnd()) // 300 * 300
                    moved_at = max(moved_at, previous + 60)
                    early = clock.date_only(due_day - 1 - int(rnd() * 3))
                    steps.add(p, early, False, step_channel, what, kind, promised, previous, moved_at, draw.weighted(RESCHEDULES))
                    previous = moved_at
                followup = steps.add(p, due, False, step_channel, what, kind, promised, previous, at, "done")
            out.append((p, at, channel, direction, outcome, entry, followup))
            so_far.append((at, outcome))
            previous = at
        return out, previous

    # -- one prospect ----------------------------------------------------------------------------

    def build(self, prospects: int, touches: int) -> None:
        """Every prospect's story, exactly `touches` touches in all."""
        for p, count in enumerate(touch_counts(self.rng, prospects, touches)):
            self.prospect(p, count)

    def prospect(self, p: int, count: int) -> None:
        first, _zone, fields = self.people.person()
        status = self.draw.weighted(STATUSES) if count else "active"
        if status == "active":
            created, touches, open_step, ended = self.active(p, fields, count)
        elif status == "won":
            created, touches, open_step, ended = self.won(p, fields, count)
        else:
            created, touches, open_step, ended = self.dropped(p, fields, count)
        self.touches.extend(touches)
        step = self.steps.rows[open_step] if open_step is not None else None
        derived = derived_fields(said(touches), OpenStep(step[1], bool(step[6]), step[5], bool(step[2])) if step else None)
        assert derived["touch_count"] == count, (derived["touch_count"], count, status)
        self.prospects.append(Story(created, p, first, fields, status, *ended, derived, open_step))

    def active(self, p: int, fields: dict, count: int) -> tuple[int, list[TouchRow], int | None, tuple]:
        rnd, clock, steps = self.draw.roll, self.clock, self.steps
        section = self.draw.weighted(SECTIONS)
        answer_rate = 0.12 if rnd() < 0.2 else 0.3 + 0.5 * rnd()
        if section == "no_step":
            end, due = -(3 + int(rnd() * 43)), None
        else:
            due = self.due(section)
            end = min(-1, due[0] - 1)
        touches: list[TouchRow] = []
        if count:
            days = clock.days(clock.span_start(count, end), end, count)
            created = clock.created(days[0])
            touches, last = self.history(p, fields, days, answer_rate, created=created)
        else:
            created = clock.created(end - int(rnd() * 20) + 1)
            last = created
        open_step = None
        if due is not None:
            offset, moment, has_time = due
            kind = conversation.open_step_kind(
                self.draw, referral=fields["source"] == "referral", touches=count,
                streak=unanswered_streak(said(touches)), upcoming=offset > 0,
            )
            promised = section == "promised"
            last_channel = touches[-1][2] if touches else None
            open_step = steps.add(p, moment, has_time, steps.channel(kind, fields["preferred_channel"], last_channel),
                                  steps.what(kind, promised, count), kind, promised, last)
        return created, touches, open_step, ("", None, None)

    def won(self, p: int, fields: dict, count: int) -> tuple[int, list[TouchRow], int | None, tuple]:
        draw, rnd, clock, steps = self.draw, self.draw.roll, self.clock, self.steps
        closed = -(3 + int(rnd() * 300))
        post = 0
        if count >= 3 and closed + 7 <= -1 and rnd() < 0.45:
            post = min(count - 2, 1 + int(rnd() * 3))
        pre = count - post
        days = clock.days(clock.span_start(pre, closed), closed - 1, pre - 1)
        created = clock.created(days[0] if days else closed)
        touches, last = self.history(p, fields, days, 0.4 + 0.45 * rnd(), created=created)
        final_at = max(clock.work_time(closed), last + 300)
        channel = draw.pick(("meeting", "call", "call", "email"))
        outcome = "replied" if channel == "email" else "talked"
        fu = -1
        if rnd() < 0.7:
            due = clock.date_only(closed) if clock.date_only(closed) > last else final_at
            fu = steps.add(p, due, False, channel, steps.what("new prospect", False, len(touches)), "new prospect",
                           False, last, final_at, "done")
        touches.append((p, final_at, channel, "out", outcome, draw.pick(self.pools.won), fu))
        closed_at = final_at + 300 * (1 + int(rnd() * 18))
        if rnd() < 0.3:  # the step that was open at the sale, closed by it
            due_day = closed + 1 + int(rnd() * 7)
            steps.add(p, clock.date_only(due_day), False, channel, steps.what("new prospect", False, len(touches)),
                      "new prospect", False, final_at, closed_at, "closed")
        previous = closed_at
        for day in clock.days(closed + 7, -1, post):
            kind, channel, outcome, entry = draw.pick(self.pools.post_sale)
            at = max(clock.work_time(day), previous + 60)
            due = clock.date_only(day) if clock.date_only(day) > previous else at
            fu = steps.add(p, due, False, channel, steps.what(kind, False, 9), kind, False, previous, at, "done")
            touches.append((p, at, channel, "out", outcome, entry, fu))
            previous = at
        open_step = None
        if rnd() < 0.65:  # the customer's next step: a check-in, a thank-you, a service call...
            kind = draw.weighted(WON_STEP_KINDS)
            offset = 1 + int(rnd() * 90) if rnd() < 0.85 else 1 + int(rnd() * 7)
            if rnd() < 0.15:
                moment, has_time = clock.noon(offset) + draw.pick(self.step_times), True
            else:
                moment, has_time = clock.date_only(offset), False
            open_step = steps.add(p, moment, has_time, steps.channel(kind, fields["preferred_channel"], None),
                                  steps.what(kind, False, count), kind, False, previous)
        return created, touches, open_step, ("", None, closed_at)

    def dropped(self, p: int, fields: dict, count: int) -> tuple[int, list[TouchRow], int | None, tuple]:
        draw, rnd, clock, steps = self.draw, self.draw.roll, self.clock, self.steps
        reason, forced, revisit_chance = draw.pick(DROP_REASONS)
        silent = forced is None
        drop_day = -(2 + int(rnd() * 300))
        last_note = rnd() < 0.5
        k = count - last_note
        days = clock.days(clock.span_start(max(k, 1), drop_day - 1), drop_day - 1, k)
        created = clock.created(days[0] if days else drop_day)
        touches: list[TouchRow] = []
        if k:
            touches, last = self.history(p, fields, days, 0.0 if silent else 0.3 + 0.4 * rnd(),
                                         inbound=0.0 if silent else 0.12, created=created, forced_last=forced)
        else:
            last = created
        closed_at = max(clock.work_time(drop_day), last + 300)
        # the step that was open when the rep dropped them: closed by the drop
        kind = "hard-to-reach" if unanswered_streak(said(touches)) >= 3 else "new prospect"
        due_day = drop_day - draw.pick((0, 1, 2))
        due = clock.date_only(due_day)
        if due <= last:
            due = clock.date_only(drop_day)
        last_channel = touches[-1][2] if touches else None
        channel = steps.channel(kind, fields["preferred_channel"], last_channel)
        steps.add(p, due, False, channel, steps.what(kind, False, len(touches)), kind, False, last, closed_at, "closed")
        if last_note:  # as drop() logs it: at the moment of the drop, answering no step
            touches.append((p, closed_at, channel, "out", "left message", draw.pick(self.pools.last), -1))
        drop_reason = clean_line(self.pools.fill(reason.replace("{count}", str(len(touches)))))
        revisit_on = clock.date_text(20 + int(rnd() * 181)) if rnd() < revisit_chance else None
        return created, touches, None, (drop_reason, revisit_on, closed_at)
