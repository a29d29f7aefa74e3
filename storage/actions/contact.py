"""Logging a touch (`l`), and moving or replacing the next follow-up (`s`, a scheduled step)."""

from __future__ import annotations

import datetime as dt

from storage.actions.checks import NextStep, check_choice, check_note, check_step
from storage.actions.drafts import delete_draft
from storage.actions.writing import add_touch, close_open_step, get, naive_utc, recording, refresh_derived, schedule
from storage.book.errors import InvalidInput
from storage.book.vocabulary import CHANNELS, DIRECTIONS, OUTCOMES


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
    with recording("log_touch", prospect_id, now=now) as change:
        prospect = get(prospect_id)
        if next_step is not None and prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is dropped: reopen them first (o).")
        when = naive_utc(at if at is not None else change.now)
        if when > naive_utc(change.now):
            raise InvalidInput("when", "That's in the future — a touch is something that happened.")
        change.summary = f"Logged a touch for {prospect.name}"
        done = close_open_step(change, prospect, "done")
        touch = add_touch(change, prospect, at=when, channel=channel, direction=direction,
                          outcome=outcome, note=note, followup=done)
        if next_step is not None:
            schedule(change, prospect, next_step)
        refresh_derived(change, prospect)
        delete_draft(prospect_id, "log")  # a side table, not journalled (storage.actions.drafts)
    return touch.id


def set_next_step(prospect_id: int, step: NextStep, *, now: dt.datetime | None = None) -> None:
    """Replace the next follow-up (a service or new-offering call for a customer, say)."""
    with recording("set_next_step", prospect_id, now=now) as change:
        prospect = get(prospect_id)
        if prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is dropped: reopen them first (o).")
        change.summary = f"Scheduled a {step.kind} follow-up for {prospect.name}"
        close_open_step(change, prospect, "rescheduled")
        schedule(change, prospect, step)
        refresh_derived(change, prospect)


def snooze(prospect_id: int, due_at: dt.datetime, has_time: bool = False, *, now: dt.datetime | None = None) -> None:
    """Move the next follow-up to another moment, keeping what it is for."""
    with recording("snooze", prospect_id, now=now) as change:
        prospect = get(prospect_id)
        old = close_open_step(change, prospect, "snoozed")
        if old is None:
            raise InvalidInput("when", "This prospect has no next follow-up to snooze; log a touch or edit it instead.")
        change.summary = f"Snoozed {prospect.name}"
        moved = NextStep(due_at=due_at, has_time=has_time, channel=old.channel, what=old.what, kind=old.kind,
                         promised=old.promised)
        schedule(change, prospect, moved)
        refresh_derived(change, prospect)
