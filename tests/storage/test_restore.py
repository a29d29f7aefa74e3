"""Restoring a backup: checked read-only first, put in place through the backup API, the book as
it was kept beside it; a file that is not a whole book of ours changes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from storage import actions
from storage.book.opening import backup_file, check_backup, close_book, open_book, restore_file
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
