"""Undo (ctrl+z) and redo (ctrl+y), read from the change journal, so they survive a restart.

Undo walks back over this desk's entries (the journal's `who`: this connection's rep), newest
first, passing those already undone, and puts back what the entry changed: each row as it was
(`before`), rows it made deleted, rows it wrote in bulk (`inserted` ranges) deleted. The undo is an
entry of its own, action "undo", in one transaction, naming the entry it undid (`undoes`). A redo
is the undo of an undo (action "redo"), possible while nothing new was done since: like an editor.

Never half-applied: when a row is not as the entry left it (a later change, of this desk or
another, built on it) or rows made since hang off rows it would delete, the undo is refused whole
with the reason in words, and nothing is written. Tags and the search index follow the rows put
back; the prospects' derived fields are checked by their one rule (refresh_derived)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import peewee as pw

from storage import search
from storage.actions.journal import NOT_UNDONE, Change, changes_of, desk_who, from_plain
from storage.actions.owners import Given, given_away
from storage.actions.undo_checks import PAGE, check, model_of, within, words
from storage.actions.writing import locked, recording, refresh_derived
from storage.book.models import MODELS, FollowUp, Journal, Prospect, Tag, Touch, database
from storage.engines import current
from storage.rules.tags import tags_in

CHUNK = 5_000  # rows deleted or written back at a time (an import of 50,000 is paged)


@dataclass(frozen=True)
class Undone:
    """What an undo or a redo did, for the desk."""

    message: str  # the toast: "Undone: touch logged to Ana Nguyen"; "Nothing to undo."
    prospect_id: int | None = None  # who the change was about (when still in the book): shown after it
    done: bool = True  # False: there was nothing to undo (or redo)


def undo(*, now: dt.datetime | None = None) -> Undone:
    """Undo this desk's last change not undone yet; InvalidInput (with the reason) when refused."""
    return _reverse("undo", now)


def redo(*, now: dt.datetime | None = None) -> Undone:
    """Redo the last undo, while nothing new was done since it; InvalidInput when refused."""
    return _reverse("redo", now)


def _reverse(action: str, now: dt.datetime | None) -> Undone:
    with recording(action, now=now) as change:  # the walk is read under the write lock too
        me = desk_who()
        walk = _to_undo(me) if action == "undo" else _Walk(_to_redo(me))
        if walk.target is None:
            if walk.passed:  # nothing older: the giving itself is what the rep would undo
                raise walk.passed[0].refusal()
            return Undone(f"Nothing to {action}.", done=False)
        entry = Journal.get_by_id(walk.target)
        change.prospect_id, change.summary, change.undoes = entry.prospect, entry.summary, entry.id
        _put_back(change, entry, action, me, walk.passed)
    shown = entry.prospect if entry.prospect and Prospect.get_or_none(Prospect.id == entry.prospect) else None
    told = f" ({'; '.join(given.passed() for given in walk.to_say)})" if walk.to_say else ""
    return Undone(f"{'Undone' if action == 'undo' else 'Redone'}: {words(entry)}{told}", shown)


# -- which entry ---------------------------------------------------------------------------------


def _mine(me: str) -> Iterator[tuple[int, str, int | None]]:
    """This desk's entries, newest first: (id, action, undoes), a page at a time."""
    below = None
    while True:
        query = Journal.select(Journal.id, Journal.action, Journal.undoes).where(Journal.who == me)
        if below is not None:
            query = query.where(Journal.id < below)
        rows = list(query.order_by(Journal.id.desc()).limit(PAGE).tuples())
        yield from rows
        if len(rows) < PAGE:
            return
        below = rows[-1][0]


@dataclass(frozen=True)
class _Walk:
    target: int | None  # the entry to undo or redo
    passed: tuple[Given, ...] = ()  # prospects this rep gave away since it, newest first
    to_say: tuple[Given, ...] = ()  # of those, the ones no earlier undo went past (said once)


def _to_undo(me: str) -> _Walk:
    """The newest of this desk's changes still in force. An undo takes its entry out of force;
    a redo takes its undo out, so the entry is in force again. The giving of a prospect to a
    colleague, now out of this rep's sight, is passed by (storage.actions.owners.given_away)."""
    cancelled: set[int] = set()
    passed: list[Given] = []
    reached: int | None = None  # the oldest entry an undo newer than this point undid
    for entry_id, action, undoes in _mine(me):
        if action == "undo":
            reached = undoes if reached is None else min(reached, undoes)
        if entry_id in cancelled or action in NOT_UNDONE:
            continue
        if action in ("undo", "redo"):
            cancelled.add(undoes)
            continue
        if action == "assign" and (given := given_away(Journal.get_by_id(entry_id), me)) is not None:
            passed.append(given)
            continue
        break
    else:
        entry_id = None
    to_say = tuple(given for given in passed if reached is None or reached > given.entry.id)
    return _Walk(entry_id, tuple(passed), to_say)


def _to_redo(me: str) -> int | None:
    """The newest undo still in force, unless this desk changed something since."""
    cancelled: set[int] = set()
    for entry_id, action, undoes in _mine(me):
        if entry_id in cancelled or action in NOT_UNDONE:
            continue
        if action == "redo":
            cancelled.add(undoes)
        elif action == "undo":
            return entry_id
        else:
            return None  # a new change since the last undo: the redo chain is gone
    return None


# -- putting back --------------------------------------------------------------------------------


def _put_back(change: Change, entry: Journal, verb: str, me: str, passed: tuple[Given, ...] = ()) -> None:
    """Every change of the entry undone, or a refusal before anything is written. `passed`: the
    prospects this rep gave away since the entry, none of which it may touch."""
    items = changes_of(entry)
    rows = [item for item in items if "id" in item]
    made = {item["table"]: item["inserted"] for item in items if "inserted" in item}  # bulk rows to delete
    gone = [item for item in items if "removed" in item]  # bulk rows to write back
    for given in passed:
        if _touches(given.entry.prospect, rows, made):
            raise given.refusal()
    locked(sorted(_prospects_of(rows)))  # as every action: another desk's change to them waits, or is seen
    check(entry, verb, me, rows, made, gone)
    # rows a bulk load wrote go whole, whatever single changes of theirs the entry holds
    rows = [item for item in rows if not within(made.get(item["table"], []), item["id"])]
    for table in dict.fromkeys(item["table"] for item in rows):  # as they are now, before a deletion's ON DELETE reaches one
        change.remember_all(model_of(table), [item["id"] for item in rows if item["table"] == table])
    for model in reversed(MODELS):  # deletions: rows that hang off others first
        table = model._meta.table_name
        for item in rows:
            if item["table"] == table and item["before"] is None:
                _restore(change, model, item["id"], None)
        if table in made:
            _delete_ranges(change, model, made[table])
    changed = [item for item in rows if item["before"] is not None and item["after"] is not None]
    # the follow-ups changed come first, those they close before those they open: a prospect's
    # open step ends before the one it replaced is open again (one open a prospect: a unique index)
    steps = sorted((item for item in changed if item["table"] == FollowUp._meta.table_name),
                   key=lambda item: item["before"].get("done_at") is None)
    for item in steps:
        _restore(change, FollowUp, item["id"], item["before"])
    for model in MODELS:  # rows written again: those others hang off first (a listed drop reason)
        table = model._meta.table_name
        for item in gone:
            if item["table"] == table:
                _write_back(change, model, item["removed"])
        for item in rows:
            if item["table"] == table and item["after"] is None:
                _restore(change, model, item["id"], item["before"])
    for item in changed:  # then the rows that point at them
        if item["table"] != FollowUp._meta.table_name:
            _restore(change, model_of(item["table"]), item["id"], item["before"])
    for prospect_id in sorted(_prospects_of(rows)):
        prospect = Prospect.get_or_none(Prospect.id == prospect_id)
        if prospect is not None:
            refresh_derived(change, prospect, unless_right=True)


def _restore(change: Change, model: type[pw.Model], row_id: int, image: dict[str, Any] | None) -> None:
    """One row as the image says, its tags and search entry following it."""
    if model is Touch:
        search.forget_touch(row_id)  # told the note it indexed: before the row changes
        Tag.delete().where(Tag.touch == row_id).execute()
    elif model is Prospect and image is None:
        search.forget_prospect(row_id)  # their touches are gone already (deleted first)
    change.restore(model, row_id, image)
    if image is not None and model is Touch:
        _index_touches([Touch.get_by_id(row_id)])
    elif image is not None and model is Prospect:
        search.index_prospect(Prospect.get_by_id(row_id))


def _index_touches(touches: list[Touch]) -> None:
    """The touches' notes in the search index and their #tags, as logging them made them."""
    tags = []
    for touch in touches:
        search.index_touch(touch)
        tags += [{"prospect": touch.prospect_id, "touch": touch.id, "name": name} for name in tags_in(touch.note)]
    for start in range(0, len(tags), 500):
        Tag.insert_many(tags[start : start + 500]).execute()


def _delete_ranges(change: Change, model: type[pw.Model], ranges: list[list[int]]) -> None:
    """Rows a bulk load wrote, deleted a page at a time; journalled whole, for a redo."""
    key, fields = model._meta.primary_key, model._meta.sorted_fields
    columns = [field.column_name for field in fields]
    for first, last in ranges:
        for low in range(first, last + 1, CHUNK):
            window = key.between(low, min(low + CHUNK - 1, last))
            # as the driver gives them (a third of the time goes in converting 50,000 rows otherwise):
            # the journal writes dates as text either way, and a redo reads them back by field
            found = database.execute_sql(*model.select(*fields).where(window).order_by(key).sql()).fetchall()
            if not found:
                continue
            at = fields.index(key)
            if model is Touch:
                for row in found:
                    search.forget_touch(row[at])
                Tag.delete().where(Tag.touch.in_([row[at] for row in found])).execute()
            elif model is Prospect:
                for row in found:
                    search.forget_prospect(row[at])
            change.removed(model, columns, found)
            model.delete().where(window).execute()


def _write_back(change: Change, model: type[pw.Model], block: dict[str, list]) -> None:
    """Rows an undo deleted in bulk, written again as they were (ids and all), a page at a time.
    A row pointing at another of its own table (a referrer) is pointed once both are written."""
    known = [i for i, name in enumerate(block["columns"]) if name in model._meta.columns]
    columns = [block["columns"][i] for i in known]
    fields = [model._meta.columns[name] for name in columns]
    at = columns.index(model._meta.primary_key.column_name)
    own = [j for j, field in enumerate(fields) if isinstance(field, pw.ForeignKeyField) and field.rel_model is model]
    engine, table = current(), model._meta.table_name
    rows, later = block["rows"], []
    for start in range(0, len(rows), CHUNK):
        page = [[from_plain(fields[j], row[i]) for j, i in enumerate(known)] for row in rows[start : start + CHUNK]]
        for row in page:
            later += [(row[at], fields[j], row[j]) for j in own if row[j] is not None]
            for j in own:
                row[j] = None
        engine.insert_rows(table, columns, page)
        ids = [row[at] for row in page]
        change.inserted(model, ids)
        if model is Prospect:
            search.reindex(ids)
        elif model is Touch:
            _index_touches(list(Touch.select().where(Touch.id.in_(ids))))
    for row_id, field, value in later:
        model.update({field: value}).where(model._meta.primary_key == row_id).execute()


def _touches(prospect_id: int, rows: list[dict[str, Any]], made: dict[str, list[list[int]]]) -> bool:
    """Whether an entry's changes reach the prospect: its row or rows of theirs (a touch, a
    follow-up) one by one, or the prospect written in bulk. (Rows an import adds in bulk to a
    prospect already in the book come with the prospect's own row: its derived fields change.)"""
    return prospect_id in _prospects_of(rows) or within(made.get("prospect", []), prospect_id)


def _prospects_of(rows: list[dict[str, Any]]) -> set[int]:
    """The prospects whose derived fields the rows put back feed."""
    found = set()
    for item in rows:
        if item["table"] == "prospect":
            found.add(item["id"])
        for image in (item["before"], item["after"]):
            if image and image.get("prospect_id"):
                found.add(image["prospect_id"])
    return found
