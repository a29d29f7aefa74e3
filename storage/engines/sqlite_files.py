"""Copies of a book file, through SQLite's own APIs: read-only opens, the integrity check, a
checkpoint, owner-only modes, backups, checks of a backup and restores. Every read-only open goes
through `read_only`: a path inside a SQLite URI must be escaped, or `#`, `?` and `%` in it open
another file, silently."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pendulum

from storage.book.errors import BookUnavailable, NotABook
from storage.engines.sqlite import _CORRUPT, _NOTADB, classify  # the result codes of damage

SQLITE_HEADER = b"SQLite format 3\x00"  # the first bytes of every SQLite file


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def reader(path: Path) -> sqlite3.Connection:
    """A connection that only reads a book file nobody may have open (a backup's source, a file to
    restore): read-write at the file level, so that as the last connection to close it takes away
    the -wal and -shm that reading a WAL book makes (a mode=ro one leaves them behind), and
    query_only, so that no statement writes. It never creates a missing file."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=rw", uri=True)
    conn.execute("PRAGMA query_only = 1")
    return conn


class DamagedFile(NotABook):
    """SQLite found this file malformed (a page it cannot read, or a failed integrity check): a
    book of ours that is damaged, not another kind of file. `path` names it."""

    def __init__(self, path: Path, found: str = "") -> None:
        super().__init__(f"{path} is damaged" + (f" ({found})" if found else "") + ".")
        self.path = Path(path)
        self.found = found


def _malformed(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_CORRUPT, _NOTADB)


def quick_check(path: Path, *, busy_ms: int = 5000, opened: Callable[[sqlite3.Connection], None] | None = None) -> None:
    """PRAGMA quick_check of the book at `path` on a read-only connection of its own (it sees
    what is committed in the WAL, and never writes, even as the last connection to close).
    Raises DamagedFile when the book is not whole; `opened` is told the connection (so that it
    can be interrupted from another thread)."""
    with contextlib.closing(read_only(path)) as conn:
        if opened is not None:
            opened(conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            found = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if _malformed(exc):
                raise DamagedFile(path, "its pages cannot be read") from None
            raise
    if found != "ok":
        raise DamagedFile(path, "its integrity check failed")


def checkpoint(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """Copy the WAL's pages into the book and cut the WAL to nothing, without waiting for anyone:
    with no busy handler, a reader still in the WAL or a writer at work makes it a passive
    checkpoint that goes as far as it can (busy, WAL frames, frames copied)."""
    busy = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        return tuple(conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone())
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(busy)}")


def owner_only(path: Path) -> None:
    """The book and its -wal/-shm readable by their owner only, when we own them and they are
    open to others (an empty file made by hand, a book made under a lax umask); SQLite gives new
    -wal/-shm files the book's mode."""
    for item in (path, *sidecars(path)):
        try:
            found = os.stat(item)
        except FileNotFoundError:
            continue
        if found.st_uid == os.geteuid() and found.st_mode & 0o077:
            os.chmod(item, stat.S_IMODE(found.st_mode) & 0o600)


def sidecars(path: Path) -> list[Path]:
    """The files SQLite keeps beside a book while it is open (or after a crash)."""
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def backup_file(source: Path, dest: Path, *, busy_ms: int = 5000, replace: bool = True) -> Path:
    """A consistent copy of a book, even while it is open elsewhere (SQLite's backup API).
    Written beside `dest` first, checked, then moved into place; owner-only. A damaged source
    raises DamagedFile, and nothing is left behind. `replace=False`: a file already at `dest` is
    never replaced (FileExistsError), in the same step that puts the copy there."""
    tmp = dest.with_name(dest.name + ".tmp")
    for leftover in (tmp, *sidecars(tmp)):
        leftover.unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        with contextlib.closing(reader(source)) as src, contextlib.closing(sqlite3.connect(tmp)) as out:
            try:
                src.execute(f"PRAGMA busy_timeout = {busy_ms}")
                src.backup(out, pages=-1)
                whole = out.execute("PRAGMA integrity_check(1)").fetchone()[0] == "ok"
            except sqlite3.DatabaseError as exc:
                if _malformed(exc):
                    raise DamagedFile(source, "its pages cannot be read") from None
                raise
            if not whole:  # the copy holds the source's pages as they are
                raise DamagedFile(source, "its integrity check failed")
        _move(tmp, dest, replace)
    finally:
        for leftover in (tmp, *sidecars(tmp)):
            leftover.unlink(missing_ok=True)
    return dest


def _move(tmp: Path, dest: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, dest)
        return
    try:
        os.link(tmp, dest)  # FileExistsError when a file is there: no window between look and write
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: look, then move
        if dest.exists():
            raise FileExistsError(dest) from None
        os.replace(tmp, dest)


def keep_as_it_is(book: Path, dest: Path) -> Path:
    """A byte copy of a book SQLite cannot copy (it is damaged), with its WAL, owner-only: what
    a restore keeps of the book it replaces, for whoever wants to salvage it. A file already at
    `dest` is never replaced (FileExistsError)."""
    for item, target in ((book, dest), (Path(f"{book}-wal"), Path(f"{dest}-wal"))):
        if not item.exists() or (item != book and item.stat().st_size == 0):
            continue
        fresh = os.O_EXCL if item == book else os.O_TRUNC  # the book's copy is new; a stale -wal goes
        fd = os.open(target, os.O_CREAT | fresh | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out, item.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
    return dest


def check_backup(candidate: Path, *, application_id: int, latest: int) -> int:
    """A file fit to restore: a SQLite file that is a Followup Desk book, whole, of a schema this
    program knows. Read only; returns its schema version, or raises NotABook saying why not."""
    if not candidate.is_file():
        raise BookUnavailable(f"There is no file at {candidate}.")
    with candidate.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise NotABook(f"{candidate} is not a Followup Desk backup (it is not a SQLite file).")
    try:
        with contextlib.closing(reader(candidate)) as conn:
            if conn.execute("PRAGMA application_id").fetchone()[0] != application_id:
                raise NotABook(f"{candidate} is a SQLite file, but not a Followup Desk book.")
            if conn.execute("PRAGMA integrity_check(1)").fetchone()[0] != "ok":
                raise DamagedFile(candidate, "its integrity check failed")
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if _malformed(exc):
            raise DamagedFile(candidate, "its pages cannot be read") from None
        raise NotABook(f"{candidate} cannot be read as a book: {exc}.") from None
    version = row[0] if row and row[0] is not None else 0
    if version > latest:
        raise NotABook(f"{candidate} was written by a newer Followup Desk (schema {version}); update first.")
    return version


def copy_into(candidate: Path, book: Path, *, busy_ms: int) -> None:
    """Put a checked file's pages into the book through the backup API (never a file copy over a
    live WAL book), then check the result."""
    try:
        with contextlib.closing(reader(candidate)) as src, contextlib.closing(
            sqlite3.connect(book, timeout=busy_ms / 1000)
        ) as out:
            src.backup(out, pages=-1)
            if out.execute("PRAGMA integrity_check(1)").fetchone()[0] != "ok":
                raise BookUnavailable("The restored book did not check out.")
    except sqlite3.Error as exc:
        raise classify(exc) or BookUnavailable(f"The restore could not be written ({exc}).") from None


def stamp() -> str:
    """The local time in a copy's name; pendulum's clock, so that a test freezes it (two copies
    in one second are two names all the same: storage.book.files numbers them)."""
    return pendulum.now().strftime("%Y%m%d-%H%M%S")
