"""What the search index holds, on either engine, read through the test's own connection (the
index follows the rows in the writer's own transaction): SQLite's FTS5 tables, checked by FTS5's
own integrity check against the notes they index; on a server, whatever index tables its engine
keeps (search_*), row for row."""

from __future__ import annotations

from typing import Any

import peewee as pw

from storage import search
from storage.book.models import database


def indexed() -> Any:
    if isinstance(database.obj, pw.SqliteDatabase):
        database.execute_sql("INSERT INTO search_note (search_note) VALUES ('integrity-check')")
        return database.execute_sql("SELECT rowid, * FROM search_prospect ORDER BY rowid").fetchall()
    tables = database.execute_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_name LIKE 'search%%' ORDER BY 1"
    ).fetchall()
    return {table: database.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall() for (table,) in tables}


def index_is_a_rebuild() -> None:
    """The search index holds exactly what a rebuild from the rows holds."""
    kept = indexed()
    search.reindex()
    assert indexed() == kept
