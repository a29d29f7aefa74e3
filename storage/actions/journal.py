"""The change journal: every row an action writes goes through its `Change`, which remembers the
row as it was; when the action ends, the rows as they became are read back and the whole change
is written as one journal entry, in the action's own transaction (so a failed action leaves none).

Tags and the search index are not journalled: they are derived from the notes and the facts, and
follow the rows they come from."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import peewee as pw

from storage.book.models import Journal
from storage.engines import current


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot journal a {type(value).__name__}")


def _image(model: type[pw.Model], row_id: int) -> dict[str, Any] | None:
    """A row as the table holds it: by column name (`prospect_id`, not `prospect`)."""
    row = model.select().where(model._meta.primary_key == row_id).dicts().first()
    if row is None:
        return None
    return {field.column_name: row[field.name] for field in model._meta.sorted_fields}


def _merged(ranges: list[list[int]]) -> list[list[int]]:
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
        self.summary = ""
        self._before: dict[tuple[type[pw.Model], int], dict[str, Any] | None] = {}
        self._inserted: dict[str, list[list[int]]] = {}

    # -- writing rows ----------------------------------------------------------------------------

    def remember(self, model: type[pw.Model], row_id: int) -> None:
        """Keep the row as it is now (once: the first image is the one before the action)."""
        key = (model, row_id)
        if key not in self._before:
            self._before[key] = _image(model, row_id)

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
        rows = []
        for (model, row_id), before in self._before.items():
            after = _image(model, row_id)
            if before != after:
                rows.append({"table": model._meta.table_name, "id": row_id, "before": before, "after": after})
        rows += [{"table": table, "inserted": _merged(ranges)} for table, ranges in self._inserted.items() if ranges]
        return rows

    def write(self) -> Journal | None:
        """The journal entry, unless the action changed nothing."""
        entries = self.entries()
        if not entries:
            return None
        return Journal.create(
            at=self.now,
            who=current().who()[:200],
            action=self.action,
            prospect=self.prospect_id,
            summary=self.summary[:500],
            changes=json.dumps(entries, default=_plain, ensure_ascii=False),
        )


def changes_of(entry: Journal) -> list[dict[str, Any]]:
    return json.loads(entry.changes)
