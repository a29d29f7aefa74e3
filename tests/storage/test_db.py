"""storage/db.py and storage/migrations.py: opening, creating, migrating and backing up a book
(PRODUCT.md §8, LESSONS.md "The book"). Every assertion is about a real file on disk."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import threading
from pathlib import Path

import peewee as pw
import pytest
from playhouse.migrate import SqliteMigrator, migrate as run_migration

from storage import actions
from storage.book import migrations
from storage.book.files import APPLICATION_ID, BUSY_TIMEOUT_MS, backup_file
from storage.book.opening import close_book, open_book
from storage.book.errors import BookError, BookUnavailable, NotABook
from storage.book.models import Prospect
from tests.storage import on_disk

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC, as the book stores it


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the file through a connection of its own: what is on disk, not in a cache."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def _scalar(path: Path, sql: str):
    return _query(path, sql)[0][0]


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert text, "the error says nothing"
    assert "\n" not in text and "\r" not in text, f"not one line: {text!r}"
    assert "Traceback" not in text
    return text


def _backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".bak") or p.name.endswith(".tmp"))


# --- a new book -------------------------------------------------------------------------------


def test_a_new_book_file_is_created_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "book.db"
    db = open_book(path)
    actions.add_prospect({"name": "Ada"}, now=NOW)  # so -wal and -shm exist too
    assert _mode(path) == 0o600
    for sidecar in (tmp_path / "book.db-wal", tmp_path / "book.db-shm"):
        if sidecar.exists():
            assert _mode(sidecar) == 0o600, sidecar.name
    db.close()


def test_a_new_books_folder_is_created_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "fresh" / "book.db"
    open_book(path).close()
    assert path.exists()
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600


def test_a_new_book_connection_has_wal_foreign_keys_busy_timeout_and_full_sync(file_book):
    book = file_book  # SQLite's own: its pragmas
    assert book.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert book.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert book.execute_sql("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS > 0
    assert book.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_pragmas_given_to_open_book_override_only_those_named(tmp_path):
    db = open_book(tmp_path / "book.db", pragmas={"busy_timeout": 200})
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 200
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    db.close()


def test_a_new_book_file_is_in_wal_mode_and_marked_as_ours(file_book):
    book = file_book  # SQLite's own: the file's header
    path = Path(book.database)
    # journal_mode=wal and application_id live in the file itself: a fresh connection sees them
    assert _scalar(path, "PRAGMA journal_mode") == "wal"
    assert _scalar(path, "PRAGMA application_id") == APPLICATION_ID
    book.close()  # checkpoints the WAL into the file
    with open(path, "rb") as handle:
        header = handle.read(100)
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x02\x02"  # WAL read/write versions
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID


def test_a_new_book_records_the_latest_schema_version(book):
    assert migrations.current_version(book) == migrations.LATEST
    with on_disk.second(book) as conn:
        assert conn.tuples("SELECT version FROM schema_version") == [(migrations.LATEST,)]
        assert {"prospect", "follow_up", "touch", "schema_version"} <= set(conn.tables())


def test_a_new_book_enforces_foreign_keys(book):
    with pytest.raises(pw.IntegrityError):
        book.execute_sql(
            "INSERT INTO touch (prospect_id, at, channel, direction, outcome, note) "
            "VALUES (999, '2026-11-23 08:30:00', 'call', 'out', 'talked', '')"
        )
    assert on_disk.scalar(book, "SELECT COUNT(*) FROM touch") == 0


def test_a_new_book_writes_no_backup(tmp_path):
    open_book(tmp_path / "book.db").close()
    assert _backups(tmp_path) == []


# --- reopening and migrating ------------------------------------------------------------------


def test_reopening_a_book_keeps_its_data_and_runs_no_migration(tmp_path, monkeypatch):
    path = tmp_path / "book.db"
    open_book(path)
    prospect_id = actions.add_prospect({"name": "Ada Lovelace", "company": "Engines"}, now=NOW)
    close_book()

    ran = []
    monkeypatch.setattr(migrations, "STEPS", [lambda db: ran.append(db)] * migrations.LATEST)
    db = open_book(path)
    assert ran == []
    assert _backups(tmp_path) == []
    assert Prospect.get_by_id(prospect_id).name == "Ada Lovelace"
    assert migrations.current_version(db) == migrations.LATEST
    db.close()


def _add_linkedin_column(db: pw.Database) -> None:
    migrator = SqliteMigrator(db)
    with migrator.migration_context():
        run_migration(migrator.add_column("prospect", "linkedin", pw.CharField(default="")))


def test_a_migration_writes_a_checked_owner_only_backup_of_the_old_book_first(tmp_path, monkeypatch):
    path = tmp_path / "book.db"
    open_book(path)
    actions.add_prospect({"name": "Ada Lovelace"}, now=NOW)
    actions.add_prospect({"name": "Grace Hopper"}, now=NOW)
    close_book()
    before = migrations.LATEST

    backups_seen_by_step: list[list[Path]] = []

    def step(db: pw.Database) -> None:
        backups_seen_by_step.append(_backups(tmp_path))
        _add_linkedin_column(db)

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, step])
    monkeypatch.setattr(migrations, "LATEST", before + 1)
    db = open_book(path)

    # the backup was on disk before the step ran
    assert len(backups_seen_by_step) == 1 and len(backups_seen_by_step[0]) == 1
    backup = backups_seen_by_step[0][0]
    assert backup.parent == tmp_path
    assert backup.name.startswith(f"book.db.v{before}-") and backup.name.endswith(".bak")
    assert _backups(tmp_path) == [backup]  # no .tmp left behind
    assert _mode(backup) == 0o600
    assert _scalar(backup, "PRAGMA integrity_check") == "ok"
    assert _scalar(backup, "PRAGMA application_id") == APPLICATION_ID
    assert _query(backup, "SELECT version FROM schema_version") == [(before,)]
    assert _query(backup, "SELECT name FROM prospect ORDER BY id") == [("Ada Lovelace",), ("Grace Hopper",)]
    assert "linkedin" not in {row[1] for row in _query(backup, "PRAGMA table_info(prospect)")}

    # the book itself moved on, keeping its data
    assert migrations.current_version(db) == before + 1
    assert _query(path, "SELECT version FROM schema_version") == [(before + 1,)]
    assert _query(path, "SELECT name, linkedin FROM prospect ORDER BY id") == [("Ada Lovelace", ""), ("Grace Hopper", "")]
    db.close()


def test_a_migration_that_creates_a_table_is_recorded(tmp_path, monkeypatch):
    path = tmp_path / "book.db"
    open_book(path).close()
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, lambda db: db.execute_sql("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT)")])
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    db = open_book(path)
    assert migrations.current_version(db) == migrations.LATEST
    assert _query(path, "SELECT name FROM sqlite_master WHERE name = 'scratch'") == [("scratch",)]
    assert len([p for p in _backups(tmp_path) if p.name.endswith(".bak")]) == 1
    db.close()


def test_a_failing_migration_leaves_the_book_whole_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "book.db"
    open_book(path)
    actions.add_prospect({"name": "Ada Lovelace"}, now=NOW)
    close_book()
    before = migrations.LATEST

    def broken_step(db: pw.Database) -> None:
        _add_linkedin_column(db)
        db.execute_sql("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, broken_step])
    monkeypatch.setattr(migrations, "LATEST", before + 1)
    with pytest.raises(BookError) as caught:
        open_book(path)
    _one_line(caught.value)
    assert _query(path, "SELECT version FROM schema_version") == [(before,)]
    assert "linkedin" not in {row[1] for row in _query(path, "PRAGMA table_info(prospect)")}
    assert _query(path, "SELECT name FROM prospect") == [("Ada Lovelace",)]
    assert _scalar(path, "PRAGMA integrity_check") == "ok"


def test_a_book_written_by_a_newer_program_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "book.db"
    open_book(path).close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (migrations.LATEST + 1,))
        conn.commit()
    original = path.read_bytes()
    with pytest.raises(NotABook) as caught:
        open_book(path)
    assert "newer" in _one_line(caught.value)
    assert path.read_bytes() == original
    assert _backups(tmp_path) == []


# --- things that are not a usable book --------------------------------------------------------


def test_a_text_file_is_refused_as_not_a_book_and_left_unchanged(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Call Ada on Monday\nthen Grace\n")
    original = path.read_bytes()
    with pytest.raises(NotABook) as caught:
        open_book(path)
    assert str(path) in _one_line(caught.value)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_damaged_sqlite_file_is_refused_as_not_a_book_and_left_unchanged(tmp_path):
    path = tmp_path / "book.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    original = path.read_bytes()
    with pytest.raises(NotABook) as caught:
        open_book(path)
    _one_line(caught.value)
    assert path.read_bytes() == original


def test_another_programs_sqlite_file_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "crm.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('Ada')")
        conn.commit()
    original = path.read_bytes()
    with pytest.raises(NotABook) as caught:
        open_book(path)
    assert "another program" in _one_line(caught.value)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]


def test_a_sqlite_file_marked_by_another_program_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA application_id = 1234")
        conn.execute("CREATE TABLE prospect (id INTEGER PRIMARY KEY)")  # our table names, not ours
        conn.commit()
    original = path.read_bytes()
    with pytest.raises(NotABook) as caught:
        open_book(path)
    _one_line(caught.value)
    assert path.read_bytes() == original


def test_an_empty_folder_is_refused_as_a_book_path(tmp_path):
    folder = tmp_path / "books"
    folder.mkdir()
    with pytest.raises(BookUnavailable) as caught:
        open_book(folder)
    assert "folder" in _one_line(caught.value)
    assert list(folder.iterdir()) == []


def test_a_path_under_a_regular_file_is_refused_and_the_file_left_unchanged(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_bytes(b"just a file\n")
    with pytest.raises(BookUnavailable) as caught:
        open_book(blocker / "book.db")
    assert str(blocker / "book.db") in _one_line(caught.value)
    assert blocker.read_bytes() == b"just a file\n"
    assert blocker.is_file()


def test_an_empty_file_is_taken_as_a_new_book(tmp_path):
    path = tmp_path / "book.db"
    path.touch(mode=0o600)
    db = open_book(path)
    assert migrations.current_version(db) == migrations.LATEST
    assert _scalar(path, "PRAGMA application_id") == APPLICATION_ID
    db.close()


@pytest.mark.parametrize("mode", [0o644, 0o666, 0o640], ids=oct)
def test_an_empty_file_open_to_others_becomes_an_owner_only_book(tmp_path, mode):
    """Someone (a script, `touch`, another program) made the file under a lax umask."""
    path = tmp_path / "book.db"
    path.touch()
    os.chmod(path, mode)
    open_book(path)
    actions.add_prospect({"name": "Ada"}, now=NOW)  # so -wal and -shm exist too
    assert _mode(path) == 0o600
    for sidecar in (tmp_path / "book.db-wal", tmp_path / "book.db-shm"):
        assert _mode(sidecar) == 0o600, sidecar.name
    close_book()


def test_a_book_and_its_wal_open_to_others_are_made_owner_only_when_opened(tmp_path):
    path = tmp_path / "book.db"
    open_book(path)
    actions.add_prospect({"name": "Ada"}, now=NOW)
    close_book()
    holder = sqlite3.connect(path)  # keeps the book's -wal and -shm while it is opened again
    holder.execute("SELECT COUNT(*) FROM prospect").fetchone()
    try:
        files = [path, tmp_path / "book.db-wal", tmp_path / "book.db-shm"]
        for item in files:
            os.chmod(item, 0o664)
        open_book(path)
        assert {item.name: _mode(item) for item in files} == {item.name: 0o600 for item in files}
        assert Prospect.select().count() == 1
    finally:
        holder.close()


def test_a_book_kept_read_only_by_its_owner_stays_so(tmp_path):
    """Only the bits for others go: an owner's own choice (no write bit) is not undone."""
    path = tmp_path / "book.db"
    open_book(path).close()
    os.chmod(path, 0o444)
    with contextlib.suppress(BookError):  # root writes it all the same; another user is refused
        open_book(path)
    close_book()
    assert _mode(path) == 0o400


def test_a_book_of_another_user_keeps_its_modes(tmp_path):
    """A file we do not own (root opening a rep's book) is theirs to set."""
    if os.geteuid() != 0:
        pytest.skip("needs root to hand the file to another user")
    import pwd

    path = tmp_path / "book.db"
    open_book(path).close()
    os.chmod(path, 0o644)
    os.chown(path, pwd.getpwnam("nobody").pw_uid, -1)
    open_book(path).close()
    assert _mode(path) == 0o644


def test_a_sqlite_url_book_gets_the_same_rules_as_a_path(tmp_path):
    """`--db sqlite:///…` (or FOLLOWUP_DB) is still a file of contact details on this machine."""
    path = tmp_path / "book.db"
    db = open_book(f"sqlite:///{path}")
    actions.add_prospect({"name": "Ada"}, now=NOW)
    assert _mode(path) == 0o600
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] > 0
    db.close()


# --- read-only books, as a user the file modes apply to ---------------------------------------

_OPEN_AS_OTHER_USER = """
import sys
from storage.book.opening import open_book
from storage.book.errors import BookError
try:
    open_book(sys.argv[1])
except BookError as exc:
    print(type(exc).__name__ + "|" + str(exc))
    sys.exit(3)
print("OPENED|")
"""


@pytest.fixture
def shared_dir(nobody):
    """A folder the unprivileged user can reach (pytest's own tmp folder is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="followup-ro-", dir=nobody.scratch))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _open_as_nobody(nobody, path: Path) -> subprocess.CompletedProcess:
    return nobody.run("-c", _OPEN_AS_OTHER_USER, str(path), env={"HOME": str(path.parent)})


def _make_book(path: Path) -> None:
    open_book(path)
    actions.add_prospect({"name": "Ada Lovelace"}, now=NOW)
    close_book()


def _assert_refused_cleanly(result: subprocess.CompletedProcess, path: Path) -> str:
    assert result.stderr == "", result.stderr  # no traceback, no warning
    assert result.returncode == 3, (result.returncode, result.stdout)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    kind, message = lines[0].split("|", 1)
    assert kind in ("BookUnavailable", "BookReadOnly"), lines[0]
    assert str(path) in message
    return message


@pytest.mark.timeout(60)
def test_a_read_only_book_file_is_refused_with_one_line_and_left_unchanged(shared_dir, nobody):
    uid, gid = nobody.uid, nobody.gid
    folder = shared_dir / "books"
    folder.mkdir()
    path = folder / "book.db"
    _make_book(path)
    os.chown(folder, uid, gid)
    os.chown(path, uid, gid)
    os.chmod(path, 0o400)  # the owner may read, not write
    original = path.read_bytes()

    _assert_refused_cleanly(_open_as_nobody(nobody, path), path)
    assert path.read_bytes() == original


@pytest.mark.timeout(60)
def test_a_book_in_a_read_only_folder_is_refused_with_one_line_and_left_unchanged(shared_dir, nobody):
    uid, gid = nobody.uid, nobody.gid
    folder = shared_dir / "books"
    folder.mkdir()
    path = folder / "book.db"
    _make_book(path)
    os.chown(path, uid, gid)  # the file is theirs and writable; the folder (root's, 0755) is not
    os.chmod(folder, 0o755)
    original = path.read_bytes()

    _assert_refused_cleanly(_open_as_nobody(nobody, path), path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in folder.iterdir()) == ["book.db"]


@pytest.mark.timeout(60)
def test_a_new_book_in_a_read_only_folder_is_refused_with_one_line(shared_dir, nobody):
    folder = shared_dir / "books"
    folder.mkdir()
    os.chmod(folder, 0o755)  # root's
    path = folder / "book.db"

    _assert_refused_cleanly(_open_as_nobody(nobody, path), path)
    assert list(folder.iterdir()) == []


# --- backups ----------------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_backup_file_copies_committed_rows_while_another_connection_is_writing(file_book, tmp_path):
    book = file_book  # a copy of a file (a server's backups: pg_dump)
    path = Path(book.database)
    for number in range(20):
        actions.add_prospect({"name": f"Prospect {number}"}, now=NOW)
    committed = _query(path, "SELECT id, name FROM prospect ORDER BY id")

    writer = sqlite3.connect(path, isolation_level=None, timeout=5)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE prospect SET name = 'uncommitted' WHERE id = 1")
        writer.execute(
            "INSERT INTO touch (prospect_id, at, channel, direction, outcome, note) "
            "VALUES (2, '2026-11-23 08:31:00', 'call', 'out', 'talked', 'uncommitted')"
        )
        dest = backup_file(path, tmp_path / "copy.db")
        writer.execute("COMMIT")
    finally:
        writer.close()

    assert dest == tmp_path / "copy.db"
    assert _mode(dest) == 0o600
    assert not (tmp_path / "copy.db.tmp").exists()
    assert _scalar(dest, "PRAGMA integrity_check") == "ok"
    assert _scalar(dest, "PRAGMA application_id") == APPLICATION_ID
    assert _query(dest, "SELECT id, name FROM prospect ORDER BY id") == committed
    assert _scalar(dest, "SELECT COUNT(*) FROM touch") == 0
    # the live book went on and has the writer's rows
    assert _scalar(path, "SELECT name FROM prospect WHERE id = 1") == "uncommitted"


@pytest.mark.timeout(30)
def test_backup_file_is_consistent_while_another_connection_commits_in_a_loop(file_book, tmp_path):
    book = file_book  # a copy of a file (a server's backups: pg_dump)
    path = Path(book.database)
    prospect_id = actions.add_prospect({"name": "Ada"}, now=NOW)
    stop = threading.Event()
    committed = threading.Event()  # the writer committed since the last copy was taken
    written = []

    def keep_writing() -> None:
        with contextlib.closing(sqlite3.connect(path, isolation_level=None, timeout=5)) as conn:
            while not stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO touch (prospect_id, at, channel, direction, outcome, note) "
                    "VALUES (?, '2026-11-23 08:31:00', 'call', 'out', 'talked', ?)",
                    (prospect_id, "x" * 3000),
                )
                conn.execute("UPDATE prospect SET touch_count = touch_count + 1 WHERE id = ?", (prospect_id,))
                conn.execute("COMMIT")
                written.append(1)
                committed.set()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        copies = []
        for number in range(8):
            # each copy waits for a commit made after the copy before it: the writer is still
            # writing while it is taken, and it holds a later moment
            assert committed.wait(10), "the writer stopped committing"
            copies.append(backup_file(path, tmp_path / f"copy{number}.db"))
            committed.clear()
    finally:
        stop.set()
        thread.join()

    assert len(written) >= len(copies)
    counts = set()
    for copy in copies:
        assert _mode(copy) == 0o600
        assert _scalar(copy, "PRAGMA integrity_check") == "ok"
        # each copy is one moment: the derived count matches the touches it holds
        touches = _scalar(copy, "SELECT COUNT(*) FROM touch")
        assert _query(copy, "SELECT touch_count FROM prospect") == [(touches,)]
        counts.add(touches)
    assert len(counts) == len(copies), "a copy did not hold a later moment than the one before"


def test_backup_file_replaces_an_older_backup_at_the_same_name(file_book, tmp_path):
    book = file_book  # a copy of a file (a server's backups: pg_dump)
    path = Path(book.database)
    dest = tmp_path / "copy.db"
    backup_file(path, dest)
    actions.add_prospect({"name": "Ada"}, now=NOW)
    backup_file(path, dest)
    assert _query(dest, "SELECT name FROM prospect") == [("Ada",)]
    assert _mode(dest) == 0o600
