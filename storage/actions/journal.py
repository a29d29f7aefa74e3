"""The change journal: every row an action writes goes through its `Change`, which remembers the
row as it was; when the action ends, the rows as they became are read back and the whole change
is written as one journal entry, in the action's own transaction (so a failed action leaves none).

Tags and the search index are not journalled: they are derived from the notes and the facts, and
follow the rows they come from.

An entry's changes are a list of:
  {"table", "id", "before", "after"}   a row as it was and as it became (null: it did not exist);
  {"table", "inserted": [[a, b], …]}   rows a bulk load wrote, as ranges of ids;
  {"table", "removed": {"columns": […], "rows": [[…], …]}}   rows an undo of a bulk load deleted,
                                        whole, so a redo can put them back.
An undo is an entry of its own (action "undo", `undoes` naming the entry it undid), and a redo is
the undo of an undo (action "redo"): storage.actions.undo."""

from __future__ import annotations

import datetime as dt
import json
import weakref
from collections import deque
from collections.abc import Iterable
from typing import Any

import peewee as pw

from storage.book.models import Journal, database
from storage.engines import current

# Entries no undo walks back over: the desk's own upkeep (revisits coming back on their day) and
# whole books written at once (the demo, the benchmark's big book). Undo passes them by; a change
# they built on is refused like any other's.
NOT_UNDONE = frozenset({"wake_revisits", "build_demo", "build_big_book"})


def desk_who() -> str:
    """The rep the journal names for this connection: whose changes ctrl+z undoes."""
    return current().who()[:200]


def plain_image(image: dict[str, Any] | None) -> dict[str, Any] | None:
    """A row image as the journal holds it once read back (dates as text)."""
    return None if image is None else json.loads(json.dumps(image, default=_plain, ensure_ascii=False))


def from_plain(field: pw.Field, value: Any) -> Any:
    """A journalled value as the model's field takes it (dates come back as text)."""
    if isinstance(value, str) and isinstance(field, pw.DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, str) and isinstance(field, pw.DateField):
        return dt.date.fromisoformat(value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot journal a {type(value).__name__}")


IMAGES_AT_ONCE = 500  # rows read back per query (SQLite's bound variables)


def image_of(model: type[pw.Model], row_id: int) -> dict[str, Any] | None:
    """A row as the table holds it: by column name (`prospect_id`, not `prospect`)."""
    return images_of(model, [row_id])[row_id]


def images_of(model: type[pw.Model], ids: Iterable[int]) -> dict[int, dict[str, Any] | None]:
    """Rows as the table holds them, read a page at a time (a move of a thousand follow-ups reads
    their images in a few queries, not a few thousand): None for a row that is not there."""
    ids, key = list(dict.fromkeys(ids)), model._meta.primary_key
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), IMAGES_AT_ONCE):
        for row in model.select().where(key.in_(ids[start : start + IMAGES_AT_ONCE])).dicts():
            found[row[key.name]] = {field.column_name: row[field.name] for field in model._meta.sorted_fields}
    return {row_id: found.get(row_id) for row_id in ids}


def merged_ranges(ranges: list[list[int]]) -> list[list[int]]:
    """[[first, last], …] sorted and joined where they touch (ids may come in any order)."""
    out: list[list[int]] = []
    for first, last in sorted(ranges):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return out


class Change:
    """What one action changes. Write every row through `create`, `save` or `update`."""

    def __init__(self, action: str, prospect_id: int | None, now: dt.datetime) -> None:
        self.action, self.prospect_id, self.now = action, prospect_id, now
        self.tz: str | None = None  # the rep's zone, when the caller gave it: a promised day ends at its midnight
        self.summary = ""
        self.undoes: int | None = None  # an undo's (or a redo's) entry: the entry it undoes
        self._before: dict[tuple[type[pw.Model], int], dict[str, Any] | None] = {}
        self._inserted: dict[str, list[list[int]]] = {}
        self._removed: dict[str, dict[str, list]] = {}
        self._unseen: dict[tuple[type[pw.Model], int], dict[str, Any]] = {}  # rows written out of sight

    # -- writing rows ----------------------------------------------------------------------------

    def remember(self, model: type[pw.Model], row_id: int) -> None:
        """Keep the row as it is now (once: the first image is the one before the action)."""
        key = (model, row_id)
        if key not in self._before:
            self._before[key] = image_of(model, row_id)

    def remember_all(self, model: type[pw.Model], ids: Iterable[int]) -> None:
        """`remember` for many rows at once, in a few queries: before an action changes them."""
        new = [row_id for row_id in ids if (model, row_id) not in self._before]
        for row_id, image in images_of(model, new).items():
            self._before[(model, row_id)] = image

    def create(self, model: type[pw.Model], **fields: Any) -> pw.Model:
        row = model.create(**fields)
        self._before.setdefault((model, row.get_id()), None)
        return row

    def save(self, row: pw.Model) -> None:
        self.remember(type(row), row.get_id())
        row.save()

    def update(self, model: type[pw.Model], row_id: int, **values: Any) -> None:
        self.remember(model, row_id)
        model.update(**values).where(model._meta.primary_key == row_id).execute()

    def written_out_of_sight(self, model: type[pw.Model], row_id: int, **values: Any) -> None:
        """A row this action wrote and can no longer read (a prospect a rep gave a colleague:
        storage.actions.owners): as it became, it is the row as it was with `values` (by column)."""
        self.remember(model, row_id)
        self._unseen[(model, row_id)] = {**(self._before[(model, row_id)] or {}), **values}

    def restore(self, model: type[pw.Model], row_id: int, image: dict[str, Any] | None) -> None:
        """Make the row what a journal image says (by column name, dates as text): deleted for
        None, else updated or inserted with its id; columns the image lacks keep theirs (the
        model's default for a new row)."""
        self.remember(model, row_id)
        key = model._meta.primary_key
        if image is None:
            model.delete().where(key == row_id).execute()
            return
        columns = model._meta.columns
        values = {columns[name]: from_plain(columns[name], value) for name, value in image.items() if name in columns}
        values.pop(key, None)
        if not model.select().where(key == row_id).exists():
            model.insert({key: row_id, **values}).execute()
        elif values:
            model.update(values).where(key == row_id).execute()

    def removed(self, model: type[pw.Model], columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
        """Rows deleted in bulk (an undo of a bulk load): journalled whole, column by column, so a
        redo can write them again."""
        block = self._removed.setdefault(model._meta.table_name, {"columns": columns, "rows": []})
        block["rows"].extend(list(row) for row in rows)

    def inserted(self, model: type[pw.Model], ids: Iterable[int]) -> None:
        """Rows a bulk load wrote: journalled as id ranges, kept as ranges while they come (a
        million new touches are a handful of numbers, not a million)."""
        ranges = self._inserted.setdefault(model._meta.table_name, [])
        for row_id in ids:
            if ranges and row_id == ranges[-1][1] + 1:
                ranges[-1][1] = row_id
            else:
                ranges.append([row_id, row_id])

    # -- the entry --------------------------------------------------------------------------------

    def entries(self) -> list[dict[str, Any]]:
        rows, by_model = [], {}
        for model, row_id in self._before:
            by_model.setdefault(model, []).append(row_id)
        afters = {model: images_of(model, ids) for model, ids in by_model.items()}
        for (model, row_id), before in self._before.items():
            after = self._unseen.get((model, row_id), afters[model][row_id])
            if before != after:
                rows.append({"table": model._meta.table_name, "id": row_id, "before": before, "after": after})
        rows += [{"table": table, "inserted": merged_ranges(ranges)} for table, ranges in self._inserted.items() if ranges]
        rows += [{"table": table, "removed": block} for table, block in self._removed.items() if block["rows"]]
        return rows

    def write(self) -> Journal | None:
        """The journal entry, unless the action changed nothing."""
        entries = self.entries()
        if not entries and self.undoes is None:  # an undo is written all the same: its entry is undone
            return None
        return Journal.create(
            at=self.now,
            who=desk_who(),
            action=self.action,
            prospect=self.prospect_id,
            summary=self.summary[:500],
            changes=json.dumps(entries, default=_plain, ensure_ascii=False),
            undoes=self.undoes,
        )


def changes_of(entry: Journal) -> list[dict[str, Any]]:
    return json.loads(entry.changes)


# The journal entries this process committed to each open book, newest last: what a live desk
# tells from another desk's (storage.reads.changes). Appended once the action's transaction has
# committed, so an id a failed action gave back, and another writer took, is never taken for
# ours; kept per book (the database object), so ids of a book closed before mean nothing for the
# next one. A few hundred is far more than a desk commits between two looks (one a second).
_WRITTEN_HERE: weakref.WeakKeyDictionary[pw.Database, deque[int]] = weakref.WeakKeyDictionary()
# The entries this process is committing right now: between the commit and their place in
# _WRITTEN_HERE a look on another thread sees them in the book and in neither list; it waits for
# the next look to judge them (storage.reads.changes) instead of taking our own save for news.
_IN_FLIGHT: weakref.WeakKeyDictionary[pw.Database, set[int]] = weakref.WeakKeyDictionary()


def committing(entry: Journal | None) -> None:
    """Before the commit: the entry is ours, whether it lands is not known yet."""
    if entry is not None and database.obj is not None:
        _IN_FLIGHT.setdefault(database.obj, set()).add(entry.get_id())


def settled(entry: Journal | None, committed: bool) -> None:
    """After the commit (or its failure). Known as ours first, then no longer in flight: a look
    reads in flight first, written after, so it never finds a committed entry of ours in neither."""
    if entry is None or database.obj is None:
        return
    if committed:
        _WRITTEN_HERE.setdefault(database.obj, deque(maxlen=512)).append(entry.get_id())
    _IN_FLIGHT.get(database.obj, set()).discard(entry.get_id())


def in_flight_here() -> frozenset[int]:
    return frozenset(_IN_FLIGHT.get(database.obj, ())) if database.obj is not None else frozenset()


def written_here() -> frozenset[int]:
    return frozenset(_WRITTEN_HERE.get(database.obj, ())) if database.obj is not None else frozenset()
