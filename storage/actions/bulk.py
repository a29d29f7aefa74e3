"""Bulk writes: a whole file (an import) or a generated book (the demo, the big book) in ONE
transaction, with ONE journal entry. The one home of ids for new rows (from the engine: never
MAX(id)+1 outside the write lock, and sequences on a server) and of multi-row inserts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from itertools import islice
from typing import Any

import peewee as pw

from storage.actions.journal import Change
from storage.actions.writing import recording
from storage.book.models import Prospect
from storage.engines import current

CHUNK = 5_000  # rows per executemany: large enough to amortise, small enough to stream


class BulkLoad:
    """Rows written in bulk inside one action. Ids come from `ids`; rows are plain values in the
    order of the field names given (field names as the models name them: `prospect`, not
    `prospect_id`)."""

    def __init__(self, change: Change) -> None:
        self.change = change
        self.engine = current()
        self._handed: dict[str, int] = {}  # table -> the largest id handed out in this load

    def ids(self, model: type[pw.Model], count: int) -> list[int]:
        """`count` new ids for `model`'s table, never the same twice in a load or across writers."""
        table = model._meta.table_name
        fresh = self.engine.allocate_ids(table, count)
        top = self._handed.get(table, 0)
        if fresh and fresh[0] <= top:  # SQLite counts from the rows written; some are not written yet
            fresh = [top + 1 + i for i in range(count)]
        if fresh:
            self._handed[table] = max(top, fresh[-1])
        return fresh

    def insert(self, model: type[pw.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *,
               journal: bool = True) -> int:
        """Insert rows (ids among the fields, from `ids`); returns how many. The journal records
        their ids, unless the table is derived from others (tags)."""
        columns = [model._meta.fields[name].column_name for name in fields]
        id_at = list(fields).index("id") if "id" in fields else None
        if journal and id_at is None:
            raise ValueError("rows written in bulk carry their ids (from BulkLoad.ids), so the journal can name them")
        table, written = model._meta.table_name, 0
        iterator = iter(rows)
        while batch := list(islice(iterator, CHUNK)):
            self.engine.insert_rows(table, columns, batch)
            if journal and id_at is not None:
                self.change.inserted(model, (row[id_at] for row in batch))
            written += len(batch)
        return written


    def insert_dicts(self, model: type[pw.Model], rows: Iterable[dict[str, Any]], *, journal: bool = True) -> int:
        """Rows as dicts by field name, every field of the model written (one a row lacks gets the
        model's default: the tables hold no SQL defaults)."""
        fields = [field.name for field in model._meta.sorted_fields]
        if model is Prospect and self.engine.owners:
            # a new prospect is the loading rep's, as one added by hand is (the server's default,
            # which a row written whole would otherwise override with "shared")
            me = self.engine.who()
            rows = ({"owner": me, **row} for row in rows)
        return self.insert(model, fields, (values(model, fields, row) for row in rows), journal=journal)


@contextmanager
def bulk_load(action: str, summary: str = "", *, fast: bool = False, now: dt.datetime | None = None) -> Iterator[BulkLoad]:
    """One transaction and one journal entry around a bulk load. `fast` asks the engine for
    whatever makes a load of a whole book faster (the big book for benchmarks)."""
    engine = current()
    with engine.fast_connection() if fast else nullcontext():
        with recording(action, now=now) as change:
            engine.lock_for_bulk_load()  # before the load reads who is in the book
            change.summary = summary
            with engine.indexes_dropped() if fast else nullcontext():
                yield BulkLoad(change)


def values(model: type[pw.Model], fields: Sequence[str], row: dict[str, Any]) -> tuple:
    """A row dict as the tuple `insert` takes; a field the row lacks gets the model's default."""
    out = []
    for name in fields:
        if name in row:
            out.append(row[name])
        else:
            default = model._meta.fields[name].default
            out.append(default() if callable(default) else default)
    return tuple(out)
