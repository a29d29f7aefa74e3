"""Open a book: a SQLite file (or a database URL), with the pragmas, permissions, check and
migrations every book gets. Problems come out as one-line BookErrors, before any screen opens.

A book file is checked (PRAGMA quick_check) before anything writes to it: at open, or, for the
desk and `followup due` on a big book, on a thread of its own while they start; until it has
passed, a write transaction waits for it, and a damaged book refuses every write, naming the
newest backup and the command that puts it back."""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import shlex
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import peewee as pw

from storage.book import migrations
from storage.book.errors import BookError, BookUnavailable, NotABook
from storage.book.models import database
from storage.engines import sqlite as sqlite_files
from storage.engines.sqlite import SQLITE_HEADER, classify

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
# A book up to this size is checked before the desk starts (quick_check reads ~700 MB/s from the
# file cache: ~20 ms; the 1 MB demo book, ~3 ms); a bigger one while the desk starts.
CHECKED_BEFORE_THE_DESK = 16 * 2**20


def open_book(
    target: str | os.PathLike[str], *, pragmas: dict | None = None, check_aside: bool = False, gently: bool = False
) -> pw.Database:
    """Open (creating if need be) the book at `target` and bind the models to it.
    `pragmas` overrides ours for every connection (tests shorten the busy timeout).
    The file is checked before anything writes to it; `check_aside`: on a thread of its own when
    nothing needs writing at open (no migration), while the caller goes on — writes wait for it;
    `gently`: that thread at the lowest priority, for a caller that does not wait for it (the desk)."""
    path = file_of(target)  # sqlite:///… is a file all the same: it gets every rule of a book path
    if path is None:
        return _open_url(str(target))
    _check_or_create_file(path)
    db = _CheckedBook(str(path), pragmas={**PRAGMAS, **(pragmas or {})}, lock_type="IMMEDIATE", check_same_thread=False)
    db.check = BookCheck(path)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        ours = db.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        if check_aside and ours and migrations.current_version(db) == migrations.LATEST:
            db.check.start(gently=gently)
        else:
            db.check.run()  # before the mark or a migration is written
            db.check.require()
        if not ours:
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        migrations.migrate(db, on_before=lambda version: _backup_before_migration(path, version))
        # A real write, rolled back, proves the book can be written before the rep types anything
        # (BEGIN IMMEDIATE alone succeeds on a read-only WAL file).
        db.execute_sql("BEGIN IMMEDIATE")
        try:
            db.execute_sql("UPDATE schema_version SET version = version")
        finally:
            db.execute_sql("ROLLBACK")
    except BookError:
        _close(db)
        raise
    except (pw.OperationalError, pw.DatabaseError, sqlite3.Error) as exc:
        _close(db)
        raise _unusable(path, exc) from None
    except RuntimeError as exc:
        _close(db)
        raise NotABook(f"{path} was written by a newer Followup Desk ({exc}).") from None
    return db


class BookCheck:
    """PRAGMA quick_check of a book file, now or on a thread of its own. Until it has passed, a
    write transaction of the book waits for it; once it has found the book damaged, every write
    is refused with what it found (see _CheckedBook)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: BookError | None = None
        self.seconds: float | None = None  # how long it took
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._stopped = False
        self._told = False
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        started = time.perf_counter()
        try:
            sqlite_files.quick_check(self.path, busy_ms=BUSY_TIMEOUT_MS, opened=self._opened)
        except sqlite_files.DamagedFile as exc:
            self.problem = damaged(self.path, exc.found)
        except sqlite3.Error as exc:
            if self._stopped:  # interrupted: the book is closing
                self.problem = BookUnavailable(f"The book at {self.path} was closed before its check ended.")
            else:
                self.problem = _unusable(self.path, exc)
        finally:
            with self._lock:
                self._conn = None
            self.seconds = time.perf_counter() - started
            self._done.set()

    def _opened(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._conn = conn
            if self._stopped:
                conn.interrupt()

    def start(self, *, gently: bool = False) -> None:
        self._thread = threading.Thread(target=self._run_aside, args=(gently,), name="book check", daemon=True)
        self._thread.start()

    def _run_aside(self, gently: bool) -> None:
        # Gently: the processor goes to the desk's start and its first read first (Linux gives each
        # thread its own nice value). On the 100k book, 2 shared cores, median first frame: 524 ms
        # with no check, 575 ms with it niced, 728 ms at normal priority, 1,647 ms checked at open.
        # Not for a caller that waits for the check (`followup due`): on a busy machine the
        # lowest priority made it wait longer.
        if gently and sys.platform.startswith("linux"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        self.run()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def require(self) -> None:
        """Wait for the check; raise what it found wrong."""
        self._done.wait()
        if self.problem is not None:
            raise type(self.problem)(str(self.problem))

    def tell_once(self) -> None:
        """As require, but a problem is raised the first time only (the desk's idle call says it)."""
        self._done.wait()
        if self.problem is not None and not self._told:
            self._told = True
            self.require()

    def stop(self) -> None:
        """The book is closing: interrupt a check that is still running, and wait for it."""
        with self._lock:
            self._stopped = True
        # an interrupt reaches only a statement already running: until the thread has ended
        while self._thread is not None and self._thread.is_alive():
            with self._lock:
                if self._conn is not None:
                    self._conn.interrupt()
            self._thread.join(0.05)


class _CheckedBook(pw.SqliteDatabase):
    """A book file whose write transactions (every action's BEGIN IMMEDIATE, each migration's)
    wait for its check and are refused when the check found it damaged."""

    check: BookCheck | None = None

    def begin(self, lock_type=None):
        if self.check is not None:
            self.check.require()
        return super().begin(lock_type)


def _close(db: pw.Database) -> None:
    check = getattr(db, "check", None)
    if check is not None:
        check.stop()
    engine = getattr(db, "_followup_engine", None)
    if engine is not None:
        engine.release()  # its own connection (a live desk's watch) goes before the book's last
    if not db.is_closed():
        db.close()


def _open_check() -> BookCheck | None:
    return getattr(database.obj, "check", None) if database.obj is not None else None


def check_before_the_desk() -> None:
    """Before the desk starts: a small book's check (CHECKED_BEFORE_THE_DESK) is waited for, so
    that a damaged book is said now, before any screen and before any other thread reads it. A
    bigger book's check goes on while the desk starts, and its writes wait for it."""
    check = _open_check()
    if check is None:
        return
    size = sum(item.stat().st_size for item in (check.path, Path(f"{check.path}-wal")) if item.exists())
    if size <= CHECKED_BEFORE_THE_DESK or check.done:
        check.require()


def found_damaged() -> BookError | None:
    """What the open book's check found wrong, once it has ended (None while it runs)."""
    check = _open_check()
    return check.problem if check is not None and check.done else None


@contextlib.contextmanager
def checked_reads() -> Iterator[None]:
    """Reads made while the book's check runs aside (`followup due`): what they found stands only
    once it has passed, and a read that fails on a damaged book raises the damage, not the fault
    it met on the way."""
    from storage.engines import engine_for

    check = _open_check()
    try:
        yield
    except BookError:
        if check is not None:
            check.require()
        raise
    except Exception as exc:
        if check is not None:
            check.require()
        found = engine_for(database.obj).classify(exc) if database.obj is not None else None
        if found is None:
            raise
        raise found from None
    if check is not None:
        check.require()


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


# Reads of a file not yet opened as a book go through engines.sqlite.reader: it writes nothing,
# and takes away the -wal and -shm its reading made when it is the last to close.


def _application_id(path: Path) -> int:
    try:
        with contextlib.closing(sqlite_files.reader(path)) as conn:
            return conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None


def _has_foreign_tables(path: Path) -> bool:
    try:
        with contextlib.closing(sqlite_files.reader(path)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None
    return bool(names - {"schema_version", "prospect", "follow_up", "touch"})


def _unusable(path: Path, exc: Exception) -> Exception:
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
    pattern = re.compile(re.escape(book.stem) + r"-\d{8}-\d{6}\.db")
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


def backup_file(source: Path, dest: Path) -> Path:
    """A consistent, checked, owner-only copy of the book file (see engines.sqlite.backup_file)."""
    try:
        return sqlite_files.backup_file(source, dest, busy_ms=BUSY_TIMEOUT_MS)
    except sqlite_files.DamagedFile as exc:
        raise damaged(source, exc.found) from None


def check_backup(candidate: Path, book: Path | None = None) -> int:
    """A file fit to restore (read only); its schema version, or NotABook saying why not (for a
    damaged one, with the newest other backup of `book`)."""
    try:
        return sqlite_files.check_backup(candidate, application_id=APPLICATION_ID, latest=migrations.LATEST)
    except sqlite_files.DamagedFile as exc:
        advice = f" {restore_advice(book, other_than=candidate)}" if book is not None else ""
        raise NotABook(f"The backup at {candidate} is damaged ({exc.found}); nothing was restored.{advice}") from None


def restore_file(candidate: Path, book: Path) -> Path | None:
    """Put a checked backup in place of the book, through SQLite's backup API (never a file copy
    over a live WAL book); the book as it was is kept beside it first (byte for byte when it is
    damaged: SQLite cannot copy it). Returns that safety copy (None when there was no book yet)."""
    check_backup(candidate, book)
    kept = None
    if book.exists():
        try:
            kept = sqlite_files.backup_file(
                book, book.with_name(f"{book.name}.before-restore-{sqlite_files.stamp()}.bak"), busy_ms=BUSY_TIMEOUT_MS
            )
        except sqlite_files.DamagedFile:  # the very case a restore is for
            kept = sqlite_files.keep_as_it_is(book, book.with_name(f"{book.name}.damaged-{sqlite_files.stamp()}"))
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
    if database.obj is not None:
        _close(database.obj)
