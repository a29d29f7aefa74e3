"""Restoring a backup: checked read-only first, put in place through the backup API, the book as
it was kept beside it; a file that is not a whole book of ours changes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from storage import actions
from storage.book.files import backup_file, check_backup, restore_file
from storage.book.opening import close_book, open_book
from storage.book.errors import BookUnavailable, NotABook
from storage.book.models import Prospect


def names(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM prospect ORDER BY id")]


def test_a_backup_is_restored_over_the_book_and_the_old_book_is_kept(tmp_path):
    book, saved = tmp_path / "book.db", tmp_path / "saved.db"
    open_book(book)
    actions.add_prospect({"name": "Ada"})
    backup_file(book, saved)
    actions.add_prospect({"name": "Bob"})
    close_book()
    kept = restore_file(saved, book)
    assert names(book) == ["Ada"]
    assert names(kept) == ["Ada", "Bob"]
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    open_book(book)
    assert [p.name for p in Prospect.select()] == ["Ada"]


def test_a_restore_reaches_a_desk_that_has_the_book_open(tmp_path):
    book, saved = tmp_path / "book.db", tmp_path / "saved.db"
    open_book(book)
    actions.add_prospect({"name": "Ada"})
    backup_file(book, saved)
    actions.add_prospect({"name": "Bob"})
    restore_file(saved, book)  # the desk's connection stays open meanwhile
    assert [p.name for p in Prospect.select()] == ["Ada"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_text("name,company\nAda,Engines\n"), "not a SQLite file"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(), "not a Followup Desk book"),
        (lambda p: None, "There is no file"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_and_the_book_untouched(tmp_path, make, message):
    book, candidate = tmp_path / "book.db", tmp_path / "candidate.db"
    open_book(book)
    actions.add_prospect({"name": "Ada"})
    close_book()
    make(candidate)
    before = book.read_bytes()
    with pytest.raises((NotABook, BookUnavailable), match=message):
        restore_file(candidate, book)
    assert book.read_bytes() == before
    assert list(tmp_path.glob("*.before-restore-*")) == []


def test_a_backup_from_a_newer_program_or_damaged_is_refused(tmp_path):
    saved = tmp_path / "saved.db"
    open_book(saved)
    close_book()
    with sqlite3.connect(saved) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(NotABook, match="newer"):
        check_backup(saved)
    damaged = tmp_path / "damaged.db"
    data = bytearray(saved.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of garbage
    damaged.write_bytes(bytes(data))
    with pytest.raises(NotABook):
        check_backup(damaged)


def _damage(path) -> None:
    """8 KiB of the middle of the file overwritten, after a checkpoint."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(b"\xa5" * 8192)


def test_a_restore_over_a_damaged_book_keeps_it_byte_for_byte_and_puts_the_backup_in(tmp_path):
    book, saved = tmp_path / "book.db", tmp_path / "saved.db"
    open_book(book)
    for n in range(300):
        actions.add_prospect({"name": f"Prospect {n}", "notes": "n" * 500})
    backup_file(book, saved)
    close_book()
    _damage(book)
    damaged = book.read_bytes()
    with pytest.raises(NotABook, match="is damaged"):
        open_book(book)
    kept = restore_file(saved, book)
    assert kept.name.startswith("book.db.damaged-") and kept.read_bytes() == damaged
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert len(names(book)) == 300
    open_book(book)  # whole again: its check passes
    assert Prospect.select().count() == 300


def test_the_newest_backup_is_the_latest_of_this_books_backups_and_bak_files(tmp_path):
    import os

    from storage.book.files import newest_backup

    book = tmp_path / "book.db"
    open_book(book)
    close_book()
    folder = tmp_path / "backups"
    folder.mkdir()
    made = {}
    for name, age in [
        ("backups/book-20261101-090000.db", 50),  # followup backup
        ("book.db.v5-20261110-090000.bak", 40),  # before a migration
        ("book.db.before-restore-20261120-090000.bak", 30),  # before a restore: the newest of this book's
        ("backups/demo-20261125-090000.db", 20),  # another book's
        ("backups/book-20261126-090000.db.tmp", 10),  # a backup being written
        ("book.db.damaged-20261127-090000", 5),  # a damaged book kept by a restore
    ]:
        path = tmp_path / name
        backup_file(book, path) if not name.endswith(".tmp") else path.write_bytes(b"SQLite format 3\x00")
        os.utime(path, (1_800_000_000 - age * 3600,) * 2)
        made[name] = path
    (folder / "book-20261128-090000.db").write_text("not a book at all")  # not SQLite: not offered
    assert newest_backup(book) == made["book.db.before-restore-20261120-090000.bak"]
    assert newest_backup(book, other_than=made["book.db.before-restore-20261120-090000.bak"]) == made["book.db.v5-20261110-090000.bak"]
