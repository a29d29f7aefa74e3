"""Today's progress, for the queue's title: what the rep has got done today, what is still due
today, and the promises not kept yet that are due by today.

Read with every read of the queue (tui/widgets/queue_layout.py `read_queue`), so it follows every
save, undo and re-read of a live book; so each figure is a count over a range of an index, never
rows loaded: the queue index for the open steps (cut by the queue's own bounds, storage.reads.queue,
the one home of what "today" and "late" mean) and the follow-ups' (channel, done_at) index for the
steps done today (a range per channel: every follow-up's channel is one of CHANNELS, checks.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum

from storage.book.models import FollowUp, Prospect
from storage.book.vocabulary import CHANNELS
from storage.reads.queue import counted_at_once, days_span, section_bounds
from storage.rules.dates import zone

# how a follow-up ended that the rep got done: a touch logged on it, or its prospect closed (won,
# dropped); a snooze or a new date only moved it
DONE = ("done", "closed")


@dataclass(frozen=True)
class TodayProgress:
    done: int  # follow-ups done today (in the rep's zone): a touch logged on them, or closed
    due: int  # still due today: the Today section and today's promises not late yet
    left: int  # promises not kept yet, due today or before (late ones included)

    def words(self, room: int) -> str:
        """As the queue's title says it, in `room` columns: the longest form that fits, else the
        shortest (a narrow pane cuts it at its end)."""
        done, due, left = f"{self.done:,}", f"{self.due:,}", f"{self.left:,}"
        forms = (f"Today: {done} done · {due} due · {left} promised left", f"{done} done · {due} due · {left}★ left",
                 f"{done} done · {due} due · {left}★")
        return next((form for form in forms if len(form) <= room), forms[-1])


def _today(now: pendulum.DateTime, tz: str) -> dt.date:
    today = now.in_timezone(zone(tz)).date()
    return dt.date(today.year, today.month, today.day)


def today_progress(now: pendulum.DateTime, tz: str) -> TodayProgress:
    """The three figures at `now`, for the whole book (the rep's day, whatever the queue's filter)."""
    today = _today(now, tz)
    tomorrow = today + dt.timedelta(days=1)
    # due: promised or not (both runs of the queue index), in the Today section's bounds
    due = Prospect.select().where(
        Prospect.next_promised.in_([False, True]) & section_bounds(now, tz)["today"].condition()
    )
    left = Prospect.select().where(
        (Prospect.next_promised == True) & days_span(None, tomorrow, tz).condition()  # noqa: E712
    )
    day = days_span(today, tomorrow, tz)  # its moments: when a step was done is a UTC moment
    done = FollowUp.select().where(
        FollowUp.channel.in_(CHANNELS)
        & (FollowUp.done_at >= day.moments_from)
        & (FollowUp.done_at < day.moments_before)
        & FollowUp.resolution.in_(DONE)
    )
    due, left, done = counted_at_once([due, left, done])  # one statement (a server: one round trip)
    return TodayProgress(done=done, due=due, left=left)
