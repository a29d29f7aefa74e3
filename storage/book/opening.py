"""Open a book: a SQLite file (or a database URL), with the pragmas, permissions and
migrations every book gets. Problems come out as one-line BookErrors, before any screen opens."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import peewee as pw

from storage.book import migrations
from storage.book.errors import BookUnavailable, NotABook
from storage.book.models import database
from storage.engines import sqlite as sqlite_files
from storage.engines.sqlite import SQLITE_HEADER, classify, read_only

# PRAGMA application_id marks a SQLite file as a Followup Desk book ("FUPD").
APPLICATION_ID = 0x46555044
BUSY_TIMEOUT_MS = 5000
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    # FULL costs ~0.25 ms a commit and survives a power cut, not only a crash.
    "synchronous": "full",
    # What a WAL is cut back to once a checkpoint has emptied it: a long reader elsewhere lets it
    # grow while it reads; afterwards it shrinks to this (see storage.book.upkeep too).
    "journal_size_limit": 8 * 2**20,
}


def open_book(target: str | os.PathLike[str], *, pragmas: dict | None = None) -> pw.Database:
    """Open (creating if need be) the book at `target` and bind the models to it.
    `pragmas` overrides ours for every connection (tests shorten the busy timeout)."""
    path = file_of(target)  # sqlite:///… is a file all the same: it gets every rule of a book path
    if path is None:
        return _open_url(str(target))
    _check_or_create_file(path)
    db = pw.SqliteDatabase(str(path), pragmas={**PRAGMAS, **(pragmas or {})}, lock_type="IMMEDIATE", check_same_thread=False)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        if db.execute_sql("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        migrations.migrate(db, on_before=lambda version: _backup_before_migration(path, version))
        # A real write, rolled back, proves the book can be written before the rep types anything
        # (BEGIN IMMEDIATE alone succeeds on a read-only WAL file).
        db.execute_sql("BEGIN IMMEDIATE")
        try:
            db.execute_sql("UPDATE schema_version SET version = version")
        finally:
            db.execute_sql("ROLLBACK")
    except (pw.OperationalError, pw.DatabaseError, sqlite3.Error) as exc:
        db.close()
        raise _unusable(path, exc) from None
    except RuntimeError as exc:
        db.close()
        raise NotABook(f"{path} was written by a newer Followup Desk ({exc}).") from None
    return db


def _open_url(url: str) -> pw.Database:
    from playhouse.db_url import connect

    try:
        db = connect(url)
        database.initialize(db)
        db.connect(reuse_if_open=True)
        migrations.migrate(db)
    except Exception as exc:  # the driver's own errors vary by server
        raise BookUnavailable(f"Can't open the book at {shown_url(url)}: {exc}".splitlines()[0]) from None
    return db


def shown_url(url: str) -> str:
    """A server URL as it may be shown or logged: never with its password."""
    import re

    return re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:…@", url)


def _check_or_create_file(path: Path) -> None:
    try:
        _check_or_create(path)
    except OSError as exc:  # a folder on the way we may not enter, and the like
        raise BookUnavailable(f"Can't reach the book at {path}: {exc.strerror}.") from None


def _check_or_create(path: Path) -> None:
    if path.is_dir():
        raise BookUnavailable(f"{path} is a folder, not a book file.")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise BookUnavailable(f"Can't read {path}: {exc.strerror}.") from None
        if header and header != SQLITE_HEADER:
            raise NotABook(f"{path} is not a Followup Desk book (it is not a SQLite file).")
        if header and _application_id(path) not in (0, APPLICATION_ID):
            raise NotABook(f"{path} is a SQLite file of another program, not a Followup Desk book.")
        if header and _application_id(path) == 0 and _has_foreign_tables(path):
            raise NotABook(f"{path} is a SQLite file of another program, not a Followup Desk book.")
        # ours (or empty): owner-only, whoever made it and however (-wal/-shm follow the book)
        sqlite_files.owner_only(path)
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Owner-only from the first byte: the book holds other people's contact details.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise BookUnavailable(f"Can't create a book at {path}: a file stands where its folder should be.") from None
    except OSError as exc:
        raise BookUnavailable(f"Can't create a book at {path}: {exc.strerror}.") from None


def _application_id(path: Path) -> int:
    with contextlib.closing(read_only(path)) as conn:
        try:
            return conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _unusable(path, exc) from None


def _has_foreign_tables(path: Path) -> bool:
    with contextlib.closing(read_only(path)) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return bool(names - {"schema_version", "prospect", "follow_up", "touch"})


def _unusable(path: Path, exc: Exception) -> Exception:
    """What a failure to open or first write means, by SQLite's error code."""
    from storage.book.errors import BookBusy, BookFull, BookReadOnly

    found = classify(exc)
    if isinstance(found, (BookReadOnly, BookUnavailable)):
        return BookUnavailable(f"Can't write the book at {path}: it is read-only or its folder is.")
    if isinstance(found, NotABook):
        return NotABook(f"{path} is damaged or not a Followup Desk book.")
    if isinstance(found, (BookBusy, BookFull)):
        return type(found)(f"Can't open the book at {path}: {str(found).split(';')[0]}.")
    return BookUnavailable(f"Can't open the book at {path}: {exc}.")


def file_of(target: str | os.PathLike[str]) -> Path | None:
    """The file a book target names, or None for a server URL."""
    text = str(target)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return None if "://" in text else Path(text).expanduser()


def server_refusal(target: str, command: str) -> BookUnavailable:
    return BookUnavailable(
        f"{command} works on a book in a file; this book is on a server ({shown_url(target)}): "
        "use the server's own backups (pg_dump)."
    )


def backup_file(source: Path, dest: Path) -> Path:
    """A consistent, checked, owner-only copy of the book file (see engines.sqlite.backup_file)."""
    return sqlite_files.backup_file(source, dest, busy_ms=BUSY_TIMEOUT_MS)


def check_backup(candidate: Path) -> int:
    """A file fit to restore (read only); its schema version, or NotABook saying why not."""
    return sqlite_files.check_backup(candidate, application_id=APPLICATION_ID, latest=migrations.LATEST)


def restore_file(candidate: Path, book: Path) -> Path | None:
    """Put a checked backup in place of the book, through SQLite's backup API (never a file copy
    over a live WAL book); the book as it was is kept beside it first. Returns that safety copy
    (None when there was no book yet)."""
    check_backup(candidate)
    kept = backup_file(book, book.with_name(f"{book.name}.before-restore-{sqlite_files.stamp()}.bak")) if book.exists() else None
    _check_or_create_file(book)
    try:
        sqlite_files.copy_into(candidate, book, busy_ms=BUSY_TIMEOUT_MS)
    except BookUnavailable:
        raise BookUnavailable(f"The restored book did not check out; the book as it was is in {kept}.") from None
    return kept


def _backup_before_migration(path: Path, version: int) -> None:
    if version == 0:
        return  # a new book: nothing to keep
    backup_file(path, path.with_name(f"{path.name}.v{version}-{sqlite_files.stamp()}.bak"))


@contextlib.contextmanager
def connection() -> Iterator[None]:
    """This thread's own connection to the open book for the length of a call (peewee keeps one
    per thread): what a worker thread of the desk runs its storage call in. A driver error of a
    read or a write comes out as the BookError it means (busy, full, read-only, damaged)."""
    from storage.book.errors import BookError
    from storage.engines import engine_for

    try:
        with database.connection_context():
            yield
    except BookError:
        raise
    except Exception as exc:
        found = engine_for(database.obj).classify(exc) if database.obj is not None else None
        if found is None:
            raise
        raise found from None


def close_book() -> None:
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()
