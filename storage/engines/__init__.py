"""What differs between SQLite and a server database, behind one small interface (base.Engine):
error classification by driver code, ids, bulk writes, the search index, backups, who is writing.
A second engine is one new file here, not edits across the tree."""

from __future__ import annotations

import peewee as pw

from storage.book.errors import BookUnavailable
from storage.engines.base import Engine


def engine_for(db: pw.Database) -> Engine:
    """The engine of an open database, made once per database object."""
    found = getattr(db, "_followup_engine", None)
    if found is None:
        if isinstance(db, pw.SqliteDatabase):
            from storage.engines.sqlite import SqliteEngine

            found = SqliteEngine(db)
        elif isinstance(db, pw.PostgresqlDatabase):
            from storage.engines.postgres import PostgresEngine

            found = PostgresEngine(db)
        else:
            raise BookUnavailable(f"A book on {type(db).__name__} is not supported: use a SQLite file or PostgreSQL.")
        db._followup_engine = found
    return found


def current() -> Engine:
    """The engine of the book that is open now."""
    from storage.book.models import database

    if database.obj is None:
        raise BookUnavailable("No book is open.")
    return engine_for(database.obj)
