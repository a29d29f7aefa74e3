"""Moving a whole book between a file and a server (issue 18, point 8): `followup copy`.

Every row of every table of the book, ids kept, so the journal's row images and undo still line
up on the copy; written in ONE transaction of the target (all or nothing), through the target
engine's insert_rows a batch at a time; then the target's ids are advanced past the rows
(Engine.ids_follow_rows: a server's sequences) and its search index rebuilt. No journal entry:
a move is not a change to the book, and the copy's journal is the source's.

What changes on the way, and why:
- a prospect's owner: on a server, the rep the copy is for (or none: shared); in a file, none (a
  file has one rep). The journal's images of prospect rows say the same owner, or undo would find
  every copied prospect changed since;
- the journal's `who`: the copy's rep, the name its desk will undo as (the OS account for a file,
  the server role for a server). A book moves from one rep's hands to another's whole;
- a referral to a prospect the source let us read no further (a rep's copy of a team's server:
  row-level security shows their own and the shared prospects only) is left out.
The source is read through its own database object, not the models (they are bound to the
target): plain SQL a batch at a time, values made Python by the models' fields."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from storage.book.errors import BookError, BookReadOnly, BookUnavailable
from storage.book.models import MODELS, DropReason, Journal, Prospect
from storage.engines import engine_for

BATCH = 1_000  # rows read and written at a time
# How each table is said in the summary, singular and plural.
WORDS = {
    "prospect": ("prospect", "prospects"),
    "follow_up": ("follow-up", "follow-ups"),
    "touch": ("touch", "touches"),
    "tag": ("tag", "tags"),
    "journal": ("journal entry", "journal entries"),
    "draft": ("draft", "drafts"),
    "drop_reason": ("drop reason", "drop reasons"),
}
SAID_FIRST = ("prospect", "follow_up", "touch", "tag", "journal", "draft", "drop_reason")
SHARED = object()  # owner=SHARED: the copied prospects belong to nobody (the team shares them)

Progress = Callable[[str, int], None]  # (table, rows of it copied so far)


class CopyRefused(BookUnavailable):
    """A copy that cannot be made as asked: nothing was written."""


class TargetNotEmpty(CopyRefused):
    """The target already holds a book: a copy never mixes two books."""


class CopyStopped(BookUnavailable):
    """The target refused a row (or the connection went): nothing of the copy was kept."""


@dataclass
class Copied:
    counts: dict[str, int] = field(default_factory=dict)  # rows by table
    owner: str | None = None  # whose the copied prospects are (None: shared, or a file's)

    def said(self) -> str:
        """'1,234 prospects, 9,876 touches, … and 7 drop reasons'."""
        parts = [rows_of(table, self.counts.get(table, 0)) for table in SAID_FIRST]
        return ", ".join(parts[:-1]) + " and " + parts[-1]


def rows_of(table: str, count: int) -> str:
    """'1 touch', '9,876 touches'."""
    return f"{count:,} {WORDS[table][count != 1]}"


def book_rows(db: pw.Database) -> dict[str, int]:
    """How many rows of a rep's own each table holds (the seeded drop reasons are not counted:
    every new book has them)."""
    return {
        model._meta.table_name: db.execute_sql(f'SELECT COUNT(*) FROM "{model._meta.table_name}"').fetchone()[0]
        for model in MODELS
        if model is not DropReason
    }


def copy_book(source: pw.Database, target: pw.Database, *, target_name: str, owner: Any = None,
              progress: Progress | None = None, every: int = 10_000, batch: int = BATCH) -> Copied:
    """Every row of the open book `source` into the open, empty book `target` (TargetNotEmpty,
    nothing written, when it is not). `owner`: a server role, SHARED, or None for the target's own
    rep (the connected role on a server; none in a file). `progress` is told every `every` rows
    of a table, and at its end when it was told before (a small table is said in the summary only)."""
    engine = engine_for(target)
    rep = engine.who()[:200]
    if not engine.owners or owner is SHARED:
        owner = None
    elif owner is None:
        owner = rep
    else:
        team = dict(engine.team())
        if owner not in team:
            raise CopyRefused(f"{owner!r} is not a rep of the team at {target_name} ({', '.join(sorted(team)) or 'none yet'}); "
                              "nothing was written.")
        rep = owner  # the copy is theirs: the desk they open undoes as them
    try:
        return _copy(source, target, target_name, engine, rep, owner, progress, every, batch)
    except BookError:
        raise
    except Exception as exc:  # a driver's refusal half-way: the transaction is rolled back whole
        said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        # a rep may write rows but not set where the ids go on (a sequence is its owner's to set)
        who = (": a server book is filled by the team's administrator, the role that owns its tables"
               if isinstance(engine.classify(exc), BookReadOnly) else "")
        raise CopyStopped(f"The copy stopped ({said}){who}; nothing was written to {target_name}.") from None


def _copy(source: pw.Database, target: pw.Database, target_name: str, engine: Any, rep: str, owner: str | None,
          progress: Progress | None, every: int, batch: int) -> Copied:
    copied = Copied(owner=owner)
    with target.atomic():  # the check too: on a file, nobody writes between it and the copy
        held = [rows_of(table, n) for table, n in book_rows(target).items() if n]
        if held:
            raise TargetNotEmpty(f"The book at {target_name} is not empty ({', '.join(held)}): "
                                 "copy into a new, empty book; nothing was written.")
        target.execute_sql('DELETE FROM "drop_reason"')  # the new book's seeded list: the source's replaces it
        prospects: set[int] = set()
        referrals: list[tuple[int, int]] = []
        for model in MODELS:
            table = model._meta.table_name
            columns = [f.column_name for f in model._meta.sorted_fields]
            written, told = 0, 0
            for rows in _batches(source, model, columns, batch):
                if model is Prospect:
                    rows = [_prospect_row(row, columns, owner, referrals) for row in rows]
                    prospects.update(row[0] for row in rows)
                elif model is Journal:
                    rows = [_journal_row(row, columns, rep, owner) for row in rows]
                engine.insert_rows(table, columns, rows)
                written += len(rows)
                if progress is not None and written - told >= every:
                    progress(table, written)
                    told = written
            if progress is not None and told and written != told:  # a big table's last rows
                progress(table, written)
            copied.counts[table] = written
            engine.ids_follow_rows(table)
        mark = target.param
        target.cursor().executemany(
            f'UPDATE "prospect" SET "referred_by_id" = {mark} WHERE "id" = {mark}',
            [(referrer, prospect) for prospect, referrer in referrals if referrer in prospects],
        )
        engine.reindex()
    return copied


def _batches(source: pw.Database, model: type[pw.Model], columns: list[str], size: int) -> Iterator[list[list[Any]]]:
    """The table's rows in id order, a batch at a time, as the models' Python values (the
    target's driver writes those in its own forms: a file's text dates, a server's TIMESTAMP)."""
    fields = [model._meta.columns[name] for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    table, after = model._meta.table_name, 0
    while True:
        rows = source.execute_sql(
            f'SELECT {names} FROM "{table}" WHERE "id" > {source.param} ORDER BY "id" LIMIT {size}', (after,)
        ).fetchall()
        if not rows:
            return
        yield [[None if value is None else f.python_value(value) for f, value in zip(fields, row)] for row in rows]
        after = rows[-1][0]


def _prospect_row(row: list[Any], columns: list[str], owner: str | None, referrals: list[tuple[int, int]]) -> list[Any]:
    """The row with the copy's owner, its referral put aside (written once every prospect is:
    a referrer may come later in id order, or not at all)."""
    at = columns.index("referred_by_id")
    if row[at] is not None:
        referrals.append((row[0], row[at]))
        row[at] = None
    row[columns.index("owner")] = owner
    return row


def _journal_row(row: list[Any], columns: list[str], rep: str, owner: str | None) -> list[Any]:
    row[columns.index("who")] = rep
    at = columns.index("changes")
    items = json.loads(row[at])
    if _owned_by(items, owner):  # its text kept as it was when nothing in it changes
        row[at] = json.dumps(items, ensure_ascii=False)
    return row


def _owned_by(items: list[dict[str, Any]], owner: str | None) -> bool:
    """The prospect images of an entry's changes given the copy's owner; whether any changed."""
    changed = False
    for item in items:
        if item.get("table") != "prospect":
            continue
        for image in (item.get("before"), item.get("after")):
            if image is not None and "owner" in image and image["owner"] != owner:
                image["owner"] = owner
                changed = True
        block = item.get("removed")
        if block and "owner" in block.get("columns", []):
            at = block["columns"].index("owner")
            for values in block["rows"]:
                if values[at] != owner:
                    values[at] = owner
                    changed = True
    return changed
