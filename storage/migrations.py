"""Ordered schema steps. The book records the last step it has run; opening a book runs the
rest, each in its own transaction, after a backup of the file (see db.open_book)."""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from storage.models import MODELS


def _v1_create_tables(db: pw.Database) -> None:
    db.create_tables(MODELS)


# Append only: a released step never changes, a new need is a new step.
STEPS: list[Callable[[pw.Database], None]] = [_v1_create_tables]
LATEST = len(STEPS)


class SchemaVersion(pw.Model):
    version = pw.IntegerField()

    class Meta:
        table_name = "schema_version"


def current_version(db: pw.Database) -> int:
    if not db.table_exists("schema_version"):
        return 0
    with SchemaVersion.bind_ctx(db):
        row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate(db: pw.Database, on_before: Callable[[int], None] | None = None) -> int:
    """Run the steps the book has not run yet; return the version it had before."""
    before = current_version(db)
    if before > LATEST:
        raise RuntimeError(f"schema {before} is newer than this program knows ({LATEST})")
    if before < LATEST and on_before is not None:
        on_before(before)
    with SchemaVersion.bind_ctx(db):
        if before == 0:
            db.create_tables([SchemaVersion])
        for number in range(before + 1, LATEST + 1):
            with db.atomic():
                STEPS[number - 1](db)
                SchemaVersion.delete().execute()
                SchemaVersion.create(version=number)
    return before
