"""How every action writes: one transaction (BEGIN IMMEDIATE on SQLite), one `Change` that every
row goes through and that becomes the journal entry, driver errors turned into BookErrors by the
engine, and the shared steps (the open follow-up, the derived fields, tags)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from storage.actions.checks import NextStep, check_step
from storage.actions.journal import Change, committing, settled
from storage.book.clock import utc_now
from storage.book.errors import BookError, NotFound
from storage.book.models import FollowUp, Prospect, Tag, Touch, database
from storage.engines import current
from storage.rules.derived import OpenStep, derived_fields
from storage.rules.promises import promise_deadline, promise_outcome
from storage.rules.tags import tags_in
from storage.rules.text import clean_line
from storage import search


@contextmanager
def transaction() -> Iterator[None]:
    """The outermost transaction of an action (BEGIN IMMEDIATE on SQLite, which waits for the
    lock where a plain BEGIN would fail at once); driver errors come out as BookErrors."""
    try:
        with database.atomic():
            yield
    except BookError:
        raise
    except Exception as exc:
        if database.obj is None:
            raise
        found = current().classify(exc)
        if found is None:
            raise
        raise found from None


@contextmanager
def recording(action: str, prospect_id: int | None = None, *, now: dt.datetime | None = None,
              tz: str | None = None) -> Iterator[Change]:
    """One action: its transaction and its journal entry, written together or not at all. `tz`:
    the rep's zone (tui/config.py), for the rules that need the rep's day."""
    entry = None
    committed = False
    try:
        with transaction():
            change = Change(action, prospect_id, now or utc_now())
            change.tz = tz
            yield change
            entry = change.write()
            committing(entry)
        committed = True
    finally:
        settled(entry, committed)  # a live desk of this process knows a committed entry for its own


def get(prospect_id: int) -> Prospect:
    """The prospect an action is about to change, read under its row's lock (the engine's
    `locked`): another desk changing them at the same moment waits for this action, or has
    committed already and its change is what is read. Every action reads its prospect here."""
    prospect = locked([prospect_id]).get(prospect_id)
    if prospect is None:
        raise NotFound("That prospect is no longer in the book.")
    return prospect


def locked(prospect_ids: list[int]) -> dict[int, Prospect]:
    """Prospects read to be changed, their rows locked until the action ends, in id order (two
    actions locking the same rows take them in the same order, so they wait, never deadlock). An
    action locking many a chunk at a time sorts every id first: the chunks follow one another in
    that order too (storage.actions.shifts, storage.exchange.imports)."""
    if not prospect_ids:
        return {}
    query = Prospect.select().where(Prospect.id.in_(prospect_ids)).order_by(Prospect.id)
    return {prospect.id: prospect for prospect in current().locked(query)}


def rows_are_locked() -> bool:
    """Whether `locked` locks rows (a server), or the action's transaction holds the whole book
    (a file's one writer): there, reading rows ahead only to lock them would lock nothing more."""
    return current().locks_rows


def open_step(prospect_id: int) -> FollowUp | None:
    return FollowUp.open_of([prospect_id]).get(prospect_id)


def close_open_step(change: Change, prospect: Prospect, resolution: str, step: FollowUp | None = None) -> FollowUp | None:
    """Mark the prospect's open follow-up as ended (done, snoozed, rescheduled, closed). `step`:
    that follow-up, when the caller has read it already (a move of many reads them together)."""
    step = step if step is not None else open_step(prospect.id)
    if step is not None:
        step.done_at = change.now
        step.resolution = resolution
        if step.promised:
            on_time = change.now <= promise_deadline(step.due_at, step.has_time, change.tz)
            step.kept = promise_outcome(on_time, resolution)
        change.save(step)
    return step


def schedule(change: Change, prospect: Prospect, step: NextStep) -> FollowUp:
    check_step(step)
    return change.create(
        FollowUp,
        prospect=prospect.id,
        due_at=naive_utc(step.due_at),
        has_time=step.has_time,
        channel=step.channel,
        what=clean_line(step.what),
        kind=step.kind,
        promised=step.promised,
        created_at=change.now,
    )


def add_touch(change: Change, prospect: Prospect, *, at: dt.datetime, channel: str, direction: str,
              outcome: str, note: str, followup: FollowUp | None) -> Touch:
    """A touch, its #tags and its place in the search index."""
    touch = change.create(
        Touch,
        prospect=prospect.id,
        at=naive_utc(at),
        channel=channel,
        direction=direction,
        outcome=outcome,
        note=note,
        followup=followup.id if followup else None,
        kind=followup.kind if followup else "",
    )
    rows = [{"prospect": prospect.id, "touch": touch.id, "name": name} for name in tags_in(note)]
    if rows:
        Tag.insert_many(rows).execute()
    search.index_touch(touch)
    return touch


def refresh_derived(change: Change, prospect: Prospect, *, unless_right: bool = False) -> None:
    """Recompute the prospect's derived fields (storage.rules.derived) and save the prospect.
    `unless_right`: leave a prospect whose fields are right already as it is (an undo puts rows
    back as they were, `updated_at` included)."""
    history = (
        Touch.select(Touch.at, Touch.outcome, Touch.direction)
        .where(Touch.prospect == prospect.id)
        .order_by(Touch.at, Touch.id)
        .tuples()
    )
    step = open_step(prospect.id)
    values = derived_fields(history, OpenStep(step.due_at, step.promised, step.kind, bool(step.has_time)) if step else None)
    if unless_right and all(getattr(prospect, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(prospect, name, value)
    prospect.updated_at = change.now
    change.save(prospect)


def naive_utc(moment: dt.datetime) -> dt.datetime:
    """A moment as the book stores it: naive UTC, whole seconds."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)
