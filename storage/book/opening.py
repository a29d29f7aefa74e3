"""Open a book: a SQLite file (or a database URL), with the pragmas, permissions, check and
migrations every book gets. Problems come out as one-line BookErrors, before any screen opens.

A book file is checked (PRAGMA quick_check) before anything writes to it: at open, or, for the
desk and `followup due` on a big book, on a thread of its own while they start; until it has
passed, a write transaction waits for it, and a damaged book refuses every write, naming the
newest backup and the command that puts it back."""

from __future__ import annotations

import contextlib
import os
import re
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
from storage.book.stopping import Call
from storage.engines import sqlite_files
from storage.rules.text import visible
from storage.book.files import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    backup_before_migration,
    check_or_create_file,
    damaged,
    unusable,
)

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
    target: str | os.PathLike[str], *, pragmas: dict | None = None, check_aside: bool = False, gently: bool = False,
    tz: str | None = None,
) -> pw.Database:
    """Open (creating if need be) the book at `target` and bind the models to it.
    `pragmas` overrides ours for every connection (tests shorten the busy timeout).
    The file is checked before anything writes to it; `check_aside`: on a thread of its own when
    nothing needs writing at open (no migration), while the caller goes on — writes wait for it;
    `gently`: that thread at the lowest priority, for a caller that does not wait for it (the desk).
    `tz`: the rep's zone, for a migration that reads the book's dates in it (an older book's
    date-only follow-ups); without it, such a book is refused rather than its dates guessed."""
    path = file_of(target)  # sqlite:///… is a file all the same: it gets every rule of a book path
    if path is None:
        return _open_url(str(target), tz)
    check_or_create_file(path)
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
        migrations.migrate(db, on_before=lambda version: backup_before_migration(path, version), tz=tz)
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
        raise unusable(path, exc) from None
    except migrations.NeedsZone as exc:
        _close(db)
        raise BookUnavailable(f"{path} is an older book: {exc}") from None
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
                self.problem = unusable(self.path, exc)
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
    close_all = getattr(db, "close_all", None)  # a server book's pool: its kept connections too
    if close_all is not None:
        close_all()


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


def _open_url(url: str, tz: str | None = None) -> pw.Database:
    try:
        db = server_database(url)
        database.initialize(db)
        db.connect(reuse_if_open=True)
        migrations.migrate(db, tz=tz)
    except BookError:
        raise
    except Exception as exc:  # the driver's own errors vary by server
        raise BookUnavailable(f"Can't open the book at {shown_url(url)}: {exc}".splitlines()[0]) from None
    return db


def server_database(url: str) -> pw.Database:
    """A server book's database from a libpq URL: postgresql://alice@host:5432/team?sslmode=require,
    or postgresql:///?service=team (a service file names the server). libpq reads it, so every
    standard place works: ~/.pgpass or PGPASSFILE for the password, PGSERVICEFILE, PGSSLMODE
    (libpq's default, prefer, is TLS whenever the server offers it)...
    A pool: each call of the desk runs on its thread's connection for the call's length
    (connection() below), and a new server connection costs a handshake, a sign-in and a
    server process each time (the live desk's looks, once a second, never caught up without)."""
    from psycopg.conninfo import conninfo_to_dict

    from storage.book.server_driver import ServerDatabase

    scheme, _, rest = url.partition("://")
    if scheme not in ("postgresql", "postgres"):
        raise BookUnavailable(f"A book on {visible(scheme, one_line=True)}:// is not supported: use a SQLite file or "
                              "a PostgreSQL server (postgresql://…).")
    url = f"postgresql://{rest}"
    params = conninfo_to_dict(url)
    name = params.pop("dbname", None)
    if name is None:  # named elsewhere (a service): the URL itself is the connection string
        return ServerDatabase(url, max_connections=16, stale_timeout=600)
    return ServerDatabase(name, max_connections=16, stale_timeout=600, **params)


def password_in(url: str) -> bool:
    """A server URL that carries a password (anyone who lists processes sees a command line)."""
    if "://" not in url:
        return False
    from psycopg.conninfo import conninfo_to_dict

    try:
        return bool(conninfo_to_dict(url).get("password"))  # libpq reads postgres:// and postgresql:// alike
    except Exception:
        return False


def shown_url(url: str) -> str:
    """A server URL as it may be shown or logged: never with its password."""
    return re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:…@", url)


def file_of(target: str | os.PathLike[str]) -> Path | None:
    """The file a book target names, or None for a server URL."""
    text = str(target)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return None if "://" in text else Path(text).expanduser()


def server_refusal(target: str, command: str) -> BookUnavailable:
    """What backup and restore say of a server book: the server's own tools, the line to run (as
    the tables' owner: a rep's dump would stop at the row-level security). The URL without its
    password: libpq reads that from ~/.pgpass, and a command line is seen by every user."""
    import shlex

    url = shlex.quote(re.sub(r"(://[^/@:]*):[^/@]*@", r"\1@", target))
    run = (f"pg_restore --clean --if-exists -d {url} team.dump" if command.endswith("restore")
           else f"pg_dump -Fc -d {url} -f team.dump")
    return BookUnavailable(f"{command} works on a book in a file; this book is on a server: "
                           f"run `{run}` as the team's administrator.")


@contextlib.contextmanager
def connection(call: Call | None = None) -> Iterator[None]:
    """This thread's own connection to the open book for the length of a call (peewee keeps one
    per thread): what a worker thread of the desk runs its storage call in. A driver error of a
    read or a write comes out as the BookError it means (busy, full, read-only, damaged).
    `call`: held for the length of the connection, so that another thread may stop it (Call)."""
    from storage.book.errors import BookError
    from storage.engines import engine_for

    try:
        with database.connection_context():
            if call is None:
                yield
            else:
                call.hold(database.obj.connection())
                try:
                    yield
                finally:
                    if call.let_go():
                        engine_for(database.obj).drop_connection()
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
