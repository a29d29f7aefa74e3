"""Logging a touch (`l`), and moving or replacing the next follow-up (`s`, a scheduled step)."""

from __future__ import annotations

import datetime as dt

from storage.actions.checks import NextStep, check_choice, check_note, check_step
from storage.actions.drafts import delete_draft
from storage.actions.writing import add_touch, close_open_step, get, naive_utc, recording, refresh_derived, schedule
from storage.book.errors import InvalidInput
from storage.book.vocabulary import CHANNELS, DIRECTIONS, OUTCOMES
# the next step set, changed or promised without a touch (set_next_step, promise)
from storage.actions.journal import Change
from storage.actions.writing import open_step
from storage.book.models import FollowUp, Prospect
from storage.rules.promises import promise_deadline
from storage.rules.text import clean_line


def log_touch(
    prospect_id: int,
    *,
    channel: str,
    outcome: str,
    note: str = "",
    direction: str = "out",
    next_step: NextStep | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    tz: str | None = None,
) -> int:
    """Record a contact, mark the open follow-up done, and schedule the next one. `at`: when it
    happened (default now; never later than now); `direction` "in": they called or wrote, which
    is their answer (storage.rules.derived.answered). The quick-log's draft goes in the same
    transaction: what it kept is saved now."""
    check_choice("channel", channel, CHANNELS)
    check_choice("outcome", outcome, OUTCOMES)
    check_choice("direction", direction, DIRECTIONS)
    note = check_note(note)
    if next_step is not None:
        check_step(next_step)
    with recording("log_touch", prospect_id, now=now, tz=tz) as change:
        prospect = get(prospect_id)
        if next_step is not None and prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is dropped: reopen them first (o).")
        when = naive_utc(at if at is not None else change.now)
        if when > naive_utc(change.now):
            raise InvalidInput("when", "That's in the future — a touch is something that happened.")
        change.summary = f"touch logged to {prospect.name}"
        done = close_open_step(change, prospect, "done")
        touch = add_touch(change, prospect, at=when, channel=channel, direction=direction,
                          outcome=outcome, note=note, followup=done)
        if next_step is not None:
            schedule(change, prospect, next_step)
        refresh_derived(change, prospect)
        delete_draft(prospect_id, "log")  # a side table, not journalled (storage.actions.drafts)
    return touch.id


def set_next_step(prospect_id: int, step: NextStep, *, now: dt.datetime | None = None, tz: str | None = None) -> bool:
    """Set or change the next follow-up without a touch (`d`; a service or new-offering call for a
    customer, say). At the same moment, the open follow-up is changed where it stands (`_amend`);
    at another, it ends as "rescheduled" (moving a promise is not keeping it:
    storage.rules.promises) and the new one is made. False, and nothing written, when the step
    is the open one already."""
    check_step(step)
    with recording("set_next_step", prospect_id, now=now, tz=tz) as change:
        prospect = get(prospect_id)
        if prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is dropped: reopen them first (o).")
        change.summary = f"next step set for {prospect.name}"
        old = open_step(prospect.id)
        if old is not None and (naive_utc(step.due_at), step.has_time) == (old.due_at, bool(old.has_time)):
            if not _amend(change, prospect, old, step):
                return False
        else:
            close_open_step(change, prospect, "rescheduled")
            schedule(change, prospect, step)
        refresh_derived(change, prospect)
    return True


# what a promise is of, by channel: "promised the call to Ana Nguyen"
_PROMISED = {"social": "message", "card": "greeting card", "other": "follow-up"}


def promise(prospect_id: int, promised: bool, *, now: dt.datetime | None = None, tz: str | None = None) -> str:
    """Promise the open follow-up to the customer, or take the promise back (`p`): the same
    follow-up, changed where it stands (`_amend`). Returns what was done, as the journal says it."""
    with recording("promise", prospect_id, now=now, tz=tz) as change:
        prospect = get(prospect_id)
        old = open_step(prospect.id)
        if old is None:
            raise InvalidInput("promised", f"{prospect.name} has no next step to promise: set one first.")
        what = f"the {_PROMISED.get(old.channel, old.channel)} to {prospect.name}"
        change.summary = f"promised {what}" if promised else f"{what} no longer promised"
        step = NextStep(due_at=old.due_at, has_time=bool(old.has_time), channel=old.channel, what=old.what,
                        kind=old.kind, promised=promised)
        if _amend(change, prospect, old, step):
            refresh_derived(change, prospect)
    return change.summary


def _amend(change: Change, prospect: Prospect, old: FollowUp, step: NextStep) -> bool:
    """The open follow-up `old` made into `step`, due at the same moment: the same follow-up, so a
    promise made for it stays that one promise. But a promise taken back once its deadline has
    passed was broken: it ends as it stands (kept: False) and the same step, unpromised, is made,
    so the book never forgets a broken promise. False when nothing differs."""
    fields = {"channel": step.channel, "what": clean_line(step.what), "kind": step.kind, "promised": step.promised}
    if all(getattr(old, name) == value for name, value in fields.items()):
        return False
    if old.promised and not step.promised and change.now > promise_deadline(old.due_at, old.has_time, change.tz):
        close_open_step(change, prospect, "rescheduled")
        schedule(change, prospect, step)
    else:
        change.update(FollowUp, old.id, **fields)
    return True


def snooze(prospect_id: int, due_at: dt.datetime, has_time: bool = False, *, now: dt.datetime | None = None,
           tz: str | None = None) -> None:
    """Move the next follow-up to another moment, keeping what it is for."""
    with recording("snooze", prospect_id, now=now, tz=tz) as change:
        prospect = get(prospect_id)
        old = close_open_step(change, prospect, "snoozed")
        if old is None:
            raise InvalidInput("when", "This prospect has no next follow-up to snooze; log a touch or edit it instead.")
        change.summary = f"{prospect.name} snoozed"
        if old.promised:  # said by the snooze dialog first; the old step ends not kept (promise_outcome)
            change.summary += f" (a promised {_PROMISED.get(old.channel, old.channel)} moved)"
        moved = NextStep(due_at=due_at, has_time=has_time, channel=old.channel, what=old.what, kind=old.kind,
                         promised=old.promised)
        schedule(change, prospect, moved)
        refresh_derived(change, prospect)
