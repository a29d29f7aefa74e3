"""Moving many follow-ups at once, as the rep saw the plan (storage.reads.plans): one action, one
transaction, one journal entry, so one undo puts every one of them back."""

from __future__ import annotations

import datetime as dt

from storage.actions.checks import NextStep
from storage.actions.writing import close_open_step, locked, recording, schedule
from storage.book.models import FollowUp, Prospect
from storage.reads.plans import Plan, moved_due
from storage.rules.derived import OpenStep, step_fields

CHUNK = 500  # prospects read at a time (SQLite's bound variables, and memory)


def apply_plan(plan: Plan, *, now: dt.datetime | None = None, tz: str) -> int:
    """Write the plan; returns how many follow-ups moved. A prospect whose next follow-up changed
    since the plan was read (logged, snoozed, closed meanwhile) is left as it now is: the plan was
    about the step the rep saw."""
    moved = 0
    # taken in id order across the chunks, not the plan's: a chunk's rows locked after another's
    # would otherwise meet another desk's lock of the same rows the other way round (a deadlock)
    moves = sorted(plan.moves, key=lambda move: move.prospect_id)
    with recording(plan.what.replace(" ", "_"), None, now=now, tz=tz) as change:
        for start in range(0, len(moves), CHUNK):
            chunk = moves[start:start + CHUNK]
            ids = [move.prospect_id for move in chunk]
            people = locked(ids)  # before their steps are read: the steps the plan saw, or a change since
            steps = FollowUp.open_of(ids)
            change.remember_all(Prospect, ids)
            change.remember_all(FollowUp, [step.id for step in steps.values()])
            for move in chunk:
                step, prospect = steps.get(move.prospect_id), people.get(move.prospect_id)
                if step is None or prospect is None or step.due_at != move.due_at:
                    continue
                old = close_open_step(change, prospect, "snoozed", step)
                new = schedule(change, prospect, NextStep(due_at=moved_due(move, tz), has_time=move.has_time,
                                                          channel=old.channel, what=old.what, kind=old.kind,
                                                          promised=old.promised))
                # only the step moved: the columns that follow it, not the touches' (a history read each)
                change.update(Prospect, prospect.id, updated_at=change.now,
                              **step_fields(OpenStep(new.due_at, new.promised, new.kind, new.has_time)))
                moved += 1
        days = f"{plan.days[0].day:%a %-d %b}" if plan.days else ""
        if len(plan.days) > 1:
            days += f" to {plan.days[-1].day:%a %-d %b}"
        change.summary = f"{plan.what}: {moved} follow-up(s) moved to {days}" if moved else f"{plan.what}: nothing to move"
    return moved
