"""What may stop an undo or a redo (storage.actions.undo), checked before anything is written:
a row not as the entry left it, rows made since that hang off rows it would delete, ids to write
again that a later change was given. The refusal says, in words, which change stands in the way."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

import peewee as pw

from storage.actions.journal import NOT_UNDONE, changes_of, image_of, merged_ranges, plain_image
from storage.book.errors import InvalidInput
from storage.book.models import MODELS, Journal

PAGE = 200  # journal entries read at a time
TABLES = {model._meta.table_name: model for model in MODELS}  # in the order a new row may be written
# Tables that follow others and are never journalled: rows there never stop an undo (a tag goes
# with its touch; a draft with its prospect).
SIDE_TABLES = frozenset({"tag", "draft", "journal"})


def words(entry: Journal) -> str:
    """An entry as the rep would say it: its summary ("touch logged to Ana Nguyen")."""
    return entry.summary or entry.action.replace("_", " ")


def model_of(table: str) -> type[pw.Model]:
    if table not in TABLES:
        raise InvalidInput("undo", f"This change touched a table this desk does not know ({table}).")
    return TABLES[table]


def check(entry: Journal, verb: str, me: str, rows: list[dict[str, Any]], made: dict[str, list[list[int]]],
          gone: list[dict[str, Any]]) -> None:
    """InvalidInput, saying why, unless the entry's changes (`rows` put back, `made` bulk rows
    deleted, `gone` bulk rows written again) can all be undone as they stand."""
    for item in rows:  # each row as the entry left it
        if not same(plain_image(image_of(model_of(item["table"]), item["id"])), item["after"]):
            raise _refused(entry, verb, me, _later_change(entry, item["table"], item["id"]))
    _check_bulk_rows(entry, made, verb, me)
    deleted = {table: list(ranges) for table, ranges in made.items()}
    kept: dict[str, list[list[int]]] = {}  # rows the undo writes itself: what they point at is its business
    for item in rows:
        (deleted if item["before"] is None else kept).setdefault(item["table"], []).append([item["id"], item["id"]])
    _check_nothing_hangs(entry, {t: merged_ranges(r) for t, r in deleted.items()},
                         {t: merged_ranges(r) for t, r in kept.items()}, verb, me)
    _check_places_free(entry, gone, verb, me)


def same(now: dict[str, Any] | None, expected: dict[str, Any] | None) -> bool:
    """The row is as the entry left it (columns added to the book since are not compared)."""
    if now is None or expected is None:
        return now is expected
    return all(now[name] == value for name, value in expected.items() if name in now)


def within(ranges: list[list[int]], row_id: int) -> bool:
    """Whether the id is in one of the sorted, merged ranges."""
    at = bisect.bisect_right(ranges, [row_id, float("inf")]) - 1
    return at >= 0 and ranges[at][0] <= row_id <= ranges[at][1]


def _later(entry: Journal, *, newest_first: bool) -> Iterator[Journal]:
    """Every entry written after this one (any desk's), a page at a time."""
    edge = None
    while True:
        query = Journal.select().where(Journal.id > entry.id)
        if edge is not None:
            query = query.where(Journal.id < edge if newest_first else Journal.id > edge)
        query = query.order_by(Journal.id.desc() if newest_first else Journal.id).limit(PAGE)
        found = list(query)
        yield from found
        if len(found) < PAGE:
            return
        edge = found[-1].id


def _mentions(later: Journal, table: str, row_id: int) -> bool:
    for item in changes_of(later):
        if item["table"] != table:
            continue
        if item.get("id") == row_id or within(item.get("inserted", []), row_id):
            return True
        if "removed" in item:
            at = item["removed"]["columns"].index("id")
            if any(row[at] == row_id for row in item["removed"]["rows"]):
                return True
    return False


def _later_change(entry: Journal, table: str, row_id: int) -> Journal | None:
    """The newest change after the entry to that row: the one standing in the way."""
    return next((later for later in _later(entry, newest_first=True) if _mentions(later, table, row_id)), None)


def _check_bulk_rows(entry: Journal, made: dict[str, list[list[int]]], verb: str, me: str) -> None:
    """Rows a bulk load wrote are as it left them: a later change to one found it that way (its
    `before`), and the row must still be that."""
    if not made:
        return
    first_seen: dict[tuple[str, int], dict[str, Any] | None] = {}
    last_by: dict[tuple[str, int], Journal] = {}
    for later in _later(entry, newest_first=False):
        for item in changes_of(later):
            if "id" in item and within(made.get(item["table"], []), item["id"]):
                key = (item["table"], item["id"])
                first_seen.setdefault(key, item["before"])
                last_by[key] = later
    for (table, row_id), before in first_seen.items():
        if not same(plain_image(image_of(model_of(table), row_id)), before):
            raise _refused(entry, verb, me, last_by[(table, row_id)])


def _check_nothing_hangs(entry: Journal, deleted: dict[str, list[list[int]]], kept: dict[str, list[list[int]]],
                         verb: str, me: str) -> None:
    """No row made since points at a row the undo deletes (a touch logged to an imported
    prospect), but for rows the undo deletes or puts back itself."""
    for model in MODELS:
        table = model._meta.table_name
        if table in SIDE_TABLES:
            continue
        own = deleted.get(table, [])
        put_back = kept.get(table, [])
        for field in model._meta.sorted_fields:
            if not isinstance(field, pw.ForeignKeyField) or field.rel_model._meta.table_name not in deleted:
                continue
            targets = deleted[field.rel_model._meta.table_name]
            for start in range(0, len(targets), 100):
                pointing = None
                for first, last in targets[start : start + 100]:
                    between = field.between(first, last)
                    pointing = between if pointing is None else (pointing | between)
                query = model.select(model._meta.primary_key).where(pointing).tuples()
                for (row_id,) in query.iterator():
                    if not within(own, row_id) and not within(put_back, row_id):
                        raise _refused(entry, verb, me, _later_change(entry, table, row_id))


def _check_places_free(entry: Journal, gone: list[dict[str, Any]], verb: str, me: str) -> None:
    """Rows to write again find their ids free (a later change may have been given one)."""
    for item in gone:
        model = model_of(item["table"])
        at = item["removed"]["columns"].index(model._meta.primary_key.column_name)
        ids = [row[at] for row in item["removed"]["rows"]]
        for start in range(0, len(ids), 500):
            taken = model.select(model._meta.primary_key).where(model._meta.primary_key.in_(ids[start : start + 500])).first()
            if taken is not None:
                raise _refused(entry, verb, me, _later_change(entry, item["table"], taken.get_id()))


def _refused(entry: Journal, verb: str, me: str, later: Journal | None) -> InvalidInput:
    """The refusal, in words: what cannot be undone, and the change standing in the way."""
    head = f"Can't {verb} '{words(entry)}'"
    if later is None:
        return InvalidInput("undo", f"{head}: what it changed has been changed since, outside the desk.")
    named = {"undo": f"the undo of '{words(later)}'", "redo": f"the redo of '{words(later)}'"}.get(
        later.action, f"'{words(later)}'"
    )
    by = "" if later.who == me else f" by {later.who}"
    # only this desk's own changes are its to undo (not the revisits its upkeep woke)
    first = " — undo that first" if later.who == me and later.action not in NOT_UNDONE else ""
    return InvalidInput("undo", f"{head}: a later change{by}, {named}, depends on it{first}.")
