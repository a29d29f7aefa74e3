"""Writing the demo book: the planned stories as rows, in one bulk load (one transaction, one
journal entry), with ids from the load, the derived fields by the book's rule, text cleaned as a
form cleans it, tags and the search index made from the rows just written."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from storage import search
from storage.actions.bulk import BulkLoad, bulk_load
from storage.actions.writing import naive_utc
from storage.book.clock import utc_now
from storage.book.models import FollowUp, Prospect, Tag, Touch
from storage.demo.plan import plan_book
from storage.demo.story import Person, history_of
from storage.rules.derived import OpenStep, derived_fields
from storage.rules.tags import tags_in
from storage.rules.text import clean_line, clean_text

DEMO_SEED = 7
_AS_IS = ("preferred_channel", "deal_value", "referred_by")  # not text a form cleans


def _derived(person: Person, now: dt.datetime) -> dict[str, Any]:
    step = person.open_step
    open_step = OpenStep(step.due_at, step.promised, step.kind, step.has_time) if step else None
    return {**derived_fields(history_of(person.touches), open_step), "updated_at": now}


def _prospect_rows(load: BulkLoad, people: list[Person], now: dt.datetime) -> list[dict]:
    for person, prospect_id in zip(people, load.ids(Prospect, len(people))):
        person.id = prospect_id
    rows = []
    for person in people:
        fields = {**person.fields, "referred_by": person.referrer.id if person.referrer else None}
        rows.append(
            {
                "id": person.id,
                **{key: value if key in _AS_IS else clean_line(value) for key, value in fields.items()},
                "status": person.status,
                "drop_reason": clean_line(person.drop_reason),
                "revisit_on": person.revisit_on,
                "closed_at": person.closed_at,
                "created_at": person.created_at,
                **_derived(person, now),
            }
        )
    return rows


def _followup_rows(load: BulkLoad, people: list[Person]) -> list[dict]:
    """Follow-ups in the order they were made (ids follow time, as in a book that grew by use)."""
    planned = [(step.created_at, at, n, person, step) for at, person in enumerate(people) for n, step in enumerate(person.steps)]
    planned.sort(key=lambda item: item[:3])
    rows = []
    for (_, _, _, person, step), step_id in zip(planned, load.ids(FollowUp, len(planned))):
        step.id = step_id
        rows.append(
            {
                "id": step_id,
                "prospect": person.id,
                "due_at": step.due_at,
                "has_time": step.has_time,
                "channel": step.channel,
                "what": clean_line(step.what),
                "kind": step.kind,
                "promised": step.promised,
                "created_at": step.created_at,
                "done_at": step.done_at,
                "resolution": step.resolution,
            }
        )
    return rows


def _touch_rows(load: BulkLoad, people: list[Person]) -> list[dict]:
    """Touches in time order (after the follow-ups: a touch names the one it answered)."""
    planned = [(touch.at, at, n, person, touch) for at, person in enumerate(people) for n, touch in enumerate(person.touches)]
    planned.sort(key=lambda item: item[:3])
    return [
        {
            "id": touch_id,
            "prospect": person.id,
            "at": touch.at,
            "channel": touch.channel,
            "direction": touch.direction,
            "outcome": touch.outcome,
            "note": clean_text(touch.note),
            "followup": touch.step.id if touch.step else None,
            "kind": touch.step.kind if touch.step else "",
        }
        for (_, _, _, person, touch), touch_id in zip(planned, load.ids(Touch, len(planned)))
    ]


def _is_empty() -> bool:
    return not (Prospect.select().exists() or FollowUp.select().exists() or Touch.select().exists())


def build_demo(
    *, seed: int = DEMO_SEED, now: dt.datetime | None = None, prospects: int = 300, tz: str = "Europe/Paris"
) -> int:
    """Fill the open, empty book with a demo book placed around `now` (naive UTC; default: now).
    Returns the number of prospects written. Raises ValueError on a book that has prospects."""
    if prospects < 0:
        raise ValueError("The number of demo prospects cannot be negative.")
    now = naive_utc(now or utc_now())
    if not _is_empty():
        raise ValueError("This book already has prospects; the demo is only written into an empty book.")
    people = plan_book(random.Random(seed), now, tz, prospects)
    with bulk_load("build_demo", f"The demo book: {len(people)} prospects", now=now) as load:
        if not _is_empty():  # checked again under the write lock
            raise ValueError("This book already has prospects; the demo is only written into an empty book.")
        prospect_rows = _prospect_rows(load, people, now)
        followup_rows = _followup_rows(load, people)
        touch_rows = _touch_rows(load, people)
        for model, rows in ((Prospect, prospect_rows), (FollowUp, followup_rows), (Touch, touch_rows)):
            load.insert_dicts(model, rows)
        tags = [(t["prospect"], t["id"], name) for t in touch_rows for name in tags_in(t["note"])]
        load.insert(Tag, ("prospect", "touch", "name"), tags, journal=False)
        search.reindex()  # the index of the rows just written, in the same transaction
    return len(prospect_rows)
