"""What is on disk: the book read through a SECOND connection of its own engine, which sees only
what has been committed (never the test's own open transaction).

- a SQLite book: a read-only sqlite3 connection to the file (a writable one for `writer`);
- a server book: a psycopg connection to the same database, with the same connection parameters
  the book was opened with (`book.database` is the database's name there, not a file).

The SQL is written once, with SQLite's `?` placeholder; for the server it is given the driver's
own (`%s`). Values come back as the book writes them on SQLite (a moment as
'YYYY-MM-DD HH:MM:SS', a day as 'YYYY-MM-DD', a flag as 0/1), so one expected value holds on both
engines: a server's TIMESTAMP and BOOLEAN columns are read back into those forms here."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from typing import Any

import peewee as pw


def is_server(book: pw.Database) -> bool:
    return not isinstance(book, pw.SqliteDatabase)


def as_written(value: Any) -> Any:
    """A value in the form SQLite holds it (see the module's docstring)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Second:
    """One second connection: `rows` (dicts), `tuples`, `scalar`; `run` for a writer (committed
    when the `writer` block ends)."""

    def __init__(self, conn: Any, server: bool) -> None:
        self.conn = conn
        self.server = server

    def _execute(self, sql: str, params: tuple | list = ()) -> Any:
        if self.server:
            sql = sql.replace("%", "%%").replace("?", "%s")
        return self.conn.execute(sql, tuple(params))

    def tuples(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        cursor = self._execute(sql, params)
        return [tuple(as_written(v) for v in row) for row in cursor.fetchall()] if cursor.description else []

    def rows(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
        cursor = self._execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, (as_written(v) for v in row))) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: tuple | list = ()) -> Any:
        found = self.tuples(sql, params)
        return found[0][0] if found else None

    def run(self, sql: str, params: tuple | list = ()) -> None:
        self._execute(sql, params)

    def tables(self) -> list[str]:
        """The book's tables, by name."""
        if self.server:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        return [row[0] for row in self.tuples(sql)]

    def columns(self, table: str) -> list[str]:
        cursor = self._execute(f'SELECT * FROM "{table}" LIMIT 0')
        return [column[0] for column in cursor.description]

    def table_rows(self, table: str) -> list[tuple]:
        """Every row of a table in a fixed order: by id where it has one, else by every column."""
        columns = self.columns(table)
        if "id" in columns:
            order = '"id"'
        elif not self.server and self._has_rowid(table):
            order = "rowid"
        else:
            order = ", ".join(str(n) for n in range(1, len(columns) + 1))
        return self.tuples(f'SELECT * FROM "{table}" ORDER BY {order}')

    def _has_rowid(self, table: str) -> bool:
        # FTS5 keeps some shadow tables WITHOUT ROWID (search_*_idx, *_config)
        try:
            self.conn.execute(f'SELECT rowid FROM "{table}" LIMIT 0')
        except sqlite3.OperationalError:
            return False
        return True


@contextlib.contextmanager
def second(book: pw.Database, *, write: bool = False) -> Iterator[Second]:
    """A second connection to the book, closed after; a writer's changes committed at the end."""
    if is_server(book):
        import psycopg

        with psycopg.connect(dbname=book.database, **book.connect_params, autocommit=not write) as conn:
            yield Second(conn, server=True)  # psycopg's `with` commits a writer's transaction
        return
    if write:
        conn = sqlite3.connect(book.database, timeout=5)
    else:
        conn = sqlite3.connect(f"file:{book.database}?mode=ro", uri=True)
    with contextlib.closing(conn):
        yield Second(conn, server=False)
        if write:
            conn.commit()


def rows(book: pw.Database, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
    with second(book) as conn:
        return conn.rows(sql, params)


def tuples(book: pw.Database, sql: str, params: tuple | list = ()) -> list[tuple]:
    with second(book) as conn:
        return conn.tuples(sql, params)


def scalar(book: pw.Database, sql: str, params: tuple | list = ()) -> Any:
    with second(book) as conn:
        return conn.scalar(sql, params)


def dump(book: pw.Database) -> dict[str, list[tuple]]:
    """Every row of every table, as committed (on SQLite the search index's tables included)."""
    with second(book) as conn:
        return {table: conn.table_rows(table) for table in conn.tables()}
