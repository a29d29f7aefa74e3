"""The book as a file on disk: what makes a file a Followup Desk book (its first bytes, its
application id, owner-only modes), what a damaged one says, and its backups and restores, all
through engines.sqlite's file copies (never a file copy over a live WAL book)."""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import itertools
import os
import re
import shlex
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.book import migrations
from storage.book.errors import BookUnavailable, NotABook
from storage.engines import sqlite_files
from storage.engines.sqlite import classify
from storage.engines.sqlite_files import SQLITE_HEADER

# PRAGMA application_id marks a SQLite file as a Followup Desk book ("FUPD").
APPLICATION_ID = 0x46555044
BUSY_TIMEOUT_MS = 5000


def check_or_create_file(path: Path) -> None:
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


# Reads of a file not yet opened as a book go through engines.sqlite_files.reader: it writes nothing,
# and takes away the -wal and -shm its reading made when it is the last to close.


def _application_id(path: Path) -> int:
    try:
        with contextlib.closing(sqlite_files.reader(path)) as conn:
            return conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise unusable(path, exc) from None


def _has_foreign_tables(path: Path) -> bool:
    try:
        with contextlib.closing(sqlite_files.reader(path)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise unusable(path, exc) from None
    return bool(names - {"schema_version", "prospect", "follow_up", "touch"})


def unusable(path: Path, exc: Exception) -> Exception:
    """What a failure to open or first write means, by SQLite's error code."""
    from storage.book.errors import BookBusy, BookFull, BookReadOnly

    found = classify(exc)
    if isinstance(found, (BookReadOnly, BookUnavailable)):
        return BookUnavailable(f"Can't write the book at {path}: it is read-only or its folder is.")
    if isinstance(found, NotABook):  # the first bytes said SQLite: a page further on is damaged
        return damaged(path)
    if isinstance(found, (BookBusy, BookFull)):
        return type(found)(f"Can't open the book at {path}: {str(found).split(';')[0]}.")
    return BookUnavailable(f"Can't open the book at {path}: {exc}.")


# --- damage, and the backups that mend it ------------------------------------------------------


def damaged(path: Path, found: str = "") -> NotABook:
    """A damaged book, said as the rep needs it: where, that nothing was written, the newest
    backup and the command that puts it back."""
    because = found or "SQLite cannot read all of it"
    return NotABook(f"The book at {path} is damaged ({because}); nothing was written to it. {restore_advice(path)}")


def restore_advice(book: Path, other_than: Path | None = None) -> str:
    newest = newest_backup(book, other_than=other_than)
    if newest is None:
        return (
            "No backup of it was found (backups/ beside it, or a .bak file): keep the file as it is; "
            "the sqlite3 tool's .recover can save what is still readable."
        )
    when = dt.datetime.fromtimestamp(newest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return (
        f"The newest backup is {newest} ({when}); put it back with: "
        f"followup --db {shlex.quote(str(book))} restore {shlex.quote(str(newest))}"
    )


def backups_folder(book: Path) -> Path:
    """Where `followup backup` writes a book's backups by default: backups/ beside it."""
    return book.parent / "backups"


def backup_name(book: Path) -> Path:
    """A new backup's file in backups/ beside the book (made owner-only), named by the time."""
    folder = backups_folder(book)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"{book.stem}-{sqlite_files.stamp()}.db"


def newest_backup(book: Path, *, other_than: Path | None = None) -> Path | None:
    """The newest backup of the book we know of: backups/ beside it (`followup backup`) and the
    .bak files written beside it before a migration or a restore. Only their first bytes are
    read: `followup restore` checks the whole file before it puts it back."""
    pattern = re.compile(re.escape(book.stem) + r"-\d{8}-\d{6}(-\d+)?\.db")
    folder = backups_folder(book)
    found = [p for p in folder.glob("*.db") if pattern.fullmatch(p.name)] if folder.is_dir() else []
    found += book.parent.glob(f"{glob.escape(book.name)}.*.bak")
    skip = other_than.resolve() if other_than is not None else None
    dated = []
    for item in found:
        try:
            if skip is not None and item.resolve() == skip:
                continue
            with item.open("rb") as handle:
                if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    continue
            dated.append((item.stat().st_mtime, item.name, item))
        except OSError:
            continue
    return max(dated)[2] if dated else None


def backup_file(source: Path, dest: Path, *, replace: bool = True) -> Path:
    """A consistent, checked, owner-only copy of the book file (see engines.sqlite_files.backup_file).
    `replace=False`: a file already at `dest` stays as it is (FileExistsError)."""
    try:
        return sqlite_files.backup_file(source, dest, busy_ms=BUSY_TIMEOUT_MS, replace=replace)
    except sqlite_files.DamagedFile as exc:
        raise damaged(source, exc.found) from None


def new_backup(book: Path) -> Path:
    """A backup of the book in backups/ beside it, under a name no other copy has."""
    return _under_a_new_name(backup_name(book), lambda dest: backup_file(book, dest, replace=False))


def _numbered(first: Path) -> Iterator[Path]:
    """`first`, then the same name numbered (book-20261123-093000-2.db) for a second copy in the
    same second."""
    yield first
    stem, suffix = (first.stem, first.suffix) if first.suffix in (".db", ".bak") else (first.name, "")
    for number in itertools.count(2):
        yield first.with_name(f"{stem}-{number}{suffix}")


def _under_a_new_name(first: Path, copy: Callable[[Path], Path]) -> Path:
    """`copy` to `first`, or to the first numbered name free: a copy never replaces another (two
    restores in one second lost the book's first safety copy, and what only it held)."""
    for dest in _numbered(first):
        try:
            return copy(dest)
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def check_backup(candidate: Path, book: Path | None = None) -> int:
    """A file fit to restore (read only); its schema version, or NotABook saying why not (for a
    damaged one, with the newest other backup of `book`)."""
    try:
        return sqlite_files.check_backup(candidate, application_id=APPLICATION_ID, latest=migrations.LATEST)
    except sqlite_files.DamagedFile as exc:
        advice = f" {restore_advice(book, other_than=candidate)}" if book is not None else ""
        raise NotABook(f"The backup at {candidate} is damaged ({exc.found}); nothing was restored.{advice}") from None


@dataclass(frozen=True)
class Contents:
    """What a book file holds, as a restore shows it for the book and the backup before asking."""

    prospects: int
    touches: int
    newest_at: dt.datetime | None  # the newest touch (naive UTC, as the book keeps it)
    newest_with: str  # whom that touch was with
    touches_after: int  # touches after the moment `contents` was given: what a restore would take away


def contents(path: Path, *, after: dt.datetime | None = None) -> Contents | None:
    """Counts and the newest touch of the book file at `path`, read only (it may be open in a
    desk); None when there is no file or it cannot be read (a damaged book)."""
    if not path.is_file():
        return None
    try:
        with contextlib.closing(sqlite_files.reader(path)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            prospects = conn.execute("SELECT COUNT(*) FROM prospect").fetchone()[0]
            touches = conn.execute("SELECT COUNT(*) FROM touch").fetchone()[0]
            newest = conn.execute(
                "SELECT t.at, p.name FROM touch t JOIN prospect p ON p.id = t.prospect_id ORDER BY t.at DESC, t.id DESC LIMIT 1"
            ).fetchone()
            later = conn.execute("SELECT COUNT(*) FROM touch WHERE at > ?", (str(after),)).fetchone()[0] if after else 0
    except sqlite3.Error:
        return None
    at = dt.datetime.fromisoformat(newest[0]) if newest else None
    return Contents(prospects, touches, at, newest[1] if newest else "", later)


def restore_file(candidate: Path, book: Path) -> Path | None:
    """Put a checked backup in place of the book, through SQLite's backup API (never a file copy
    over a live WAL book); the book as it was is kept beside it first (byte for byte when it is
    damaged: SQLite cannot copy it). Returns that safety copy (None when there was no book yet)."""
    check_backup(candidate, book)
    kept = None
    if book.exists():
        try:
            kept = _under_a_new_name(
                book.with_name(f"{book.name}.before-restore-{sqlite_files.stamp()}.bak"),
                lambda dest: sqlite_files.backup_file(book, dest, busy_ms=BUSY_TIMEOUT_MS, replace=False),
            )
        except sqlite_files.DamagedFile:  # the very case a restore is for
            kept = _under_a_new_name(
                book.with_name(f"{book.name}.damaged-{sqlite_files.stamp()}"),
                lambda dest: sqlite_files.keep_as_it_is(book, dest),
            )
    check_or_create_file(book)
    try:
        sqlite_files.copy_into(candidate, book, busy_ms=BUSY_TIMEOUT_MS)
    except BookUnavailable:
        raise BookUnavailable(f"The restored book did not check out; the book as it was is in {kept}.") from None
    return kept


def backup_before_migration(path: Path, version: int) -> None:
    if version == 0:
        return  # a new book: nothing to keep
    _under_a_new_name(path.with_name(f"{path.name}.v{version}-{sqlite_files.stamp()}.bak"),
                      lambda dest: backup_file(path, dest, replace=False))
