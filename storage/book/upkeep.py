"""The open book's upkeep while the desk is idle: the WAL folded back into the book and cut to
nothing (a long reader elsewhere, an export or a backup, lets it grow while it reads; the
journal_size_limit of storage.book.opening bounds it once writes go on), and what the book's
check found (storage.book.opening.BookCheck) said once, through the desk's one way to the book."""

from __future__ import annotations

import peewee as pw

from storage.book.models import database
from storage.engines import sqlite_files


def checkpoint_when_idle() -> tuple[int, int, int] | None:
    """One checkpoint that waits for nobody (storage.engines.sqlite_files.checkpoint): (busy, WAL frames,
    frames copied), or None when there is nothing to do now: a book with no WAL (a server), or a
    book whose check has not passed (a checkpoint writes to the file). What the check found wrong
    is raised the first time only."""
    db = database.obj
    if not isinstance(db, pw.SqliteDatabase):
        return None
    check = getattr(db, "check", None)
    if check is not None:
        if not check.done:
            return None  # the next idle moment will do
        check.tell_once()
        if check.problem is not None:
            return None
    return sqlite_files.checkpoint(db.connection())
