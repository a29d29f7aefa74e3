"""Adding a prospect (`n`) and changing their facts (`e`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from storage.actions.checks import NextStep, check_prospect_fields, check_step
from storage.actions.prospects_meanwhile import to_write
from storage.actions.writing import close_open_step, get, recording, refresh_derived, schedule
from storage.book.errors import InvalidInput
from storage.book.models import Prospect
from storage import search


def add_prospect(fields: dict[str, Any], next_step: NextStep | None = None, *, now: dt.datetime | None = None) -> int:
    clean = check_prospect_fields(fields)
    if "name" not in clean:
        raise InvalidInput("name", "A prospect needs a name.")
    if next_step is not None:
        check_step(next_step)
    with recording("add_prospect", now=now) as change:
        prospect = change.create(Prospect, created_at=change.now, updated_at=change.now, **clean)
        change.prospect_id, change.summary = prospect.id, f"{prospect.name} added"
        search.index_prospect(prospect)
        if next_step is not None:
            schedule(change, prospect, next_step)
        refresh_derived(change, prospect)
    return prospect.id


def edit_prospect(
    prospect_id: int, fields: dict[str, Any], next_step: NextStep | None = None, *, seen: dict[str, Any] | None = None,
    now: dt.datetime | None = None, tz: str | None = None,
) -> None:
    """Change the prospect's facts and, when given, replace the next follow-up. `seen`: the
    fields as the rep's form showed them when it opened (as stored): only what the rep changed
    is written, and a field another desk changed meanwhile too is a Conflict
    (storage/actions/prospects_meanwhile.py)."""
    clean = check_prospect_fields(fields)
    if clean.get("referred_by") == prospect_id:
        raise InvalidInput("referred_by", "A prospect cannot refer themselves.")
    with recording("edit_prospect", prospect_id, now=now, tz=tz) as change:
        prospect = get(prospect_id)
        if next_step is not None and prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is dropped: reopen them first (o).")
        change.remember(Prospect, prospect_id)
        for key, value in to_write(prospect, clean, seen).items():
            setattr(prospect, key, value)
        change.summary = f"edit of {prospect.name}"
        search.index_prospect(prospect)
        if next_step is not None:
            close_open_step(change, prospect, "rescheduled")
            schedule(change, prospect, next_step)
        refresh_derived(change, prospect)
