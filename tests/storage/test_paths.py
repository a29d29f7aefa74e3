"""A book's path is a path, whatever it holds: `#`, `?`, `%`, spaces, non-ASCII. Every read-only
open (the checks at open, backup, restore) escapes it; before, the path went into a SQLite URI as
it was, `#` or `?` cut it short, and a backup of ANOTHER file was written and reported as done."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import actions
from storage.book.files import backup_file, check_backup, restore_file
from storage.book.opening import close_book, open_book
from tui.cli import main

ODD_FOLDER = "a#b ?%"
ODD_FILE = "book #1 ?x=%41 é.db"


def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:  # a plain path, no URI: the file itself
        return [row[0] for row in conn.execute("SELECT name FROM prospect ORDER BY id")]


@pytest.fixture
def odd_book(tmp_path) -> Path:
    """A book under a folder named `a#b ?%`, beside a decoy book at `a`: what the unescaped URI
    `file:…/a#b ?%/…?mode=ro` named."""
    open_book(tmp_path / "a")
    actions.add_prospect({"name": "Decoy"})
    close_book()
    folder = tmp_path / ODD_FOLDER
    folder.mkdir()
    path = folder / ODD_FILE
    open_book(path)
    actions.add_prospect({"name": "Ada Lovelace"})
    close_book()
    return path


def test_a_book_under_an_odd_path_opens_again_and_is_its_own(odd_book):
    open_book(odd_book)  # the checks at open read the file read-only first
    assert names(odd_book) == ["Ada Lovelace"]


def test_backup_and_restore_copy_the_book_at_an_odd_path(odd_book):
    copy = odd_book.with_name("copy #2 ?.db")
    backup_file(odd_book, copy)
    assert names(copy) == ["Ada Lovelace"]  # not the decoy at `a`
    assert check_backup(copy) >= 1
    open_book(odd_book)
    actions.add_prospect({"name": "Bob Later"})
    close_book()
    kept = restore_file(copy, odd_book)
    assert names(odd_book) == ["Ada Lovelace"]
    assert kept is not None and names(kept) == ["Ada Lovelace", "Bob Later"]
    assert names(odd_book.parent.parent / "a") == ["Decoy"]  # untouched


def test_the_backup_and_restore_commands_work_at_an_odd_path(odd_book, capsys):
    copy = odd_book.with_name("via cli #3.db")
    assert main(["--db", str(odd_book), "backup", "--out", str(copy)]) == 0
    assert names(copy) == ["Ada Lovelace"]
    assert main(["--db", str(odd_book), "restore", str(copy), "--yes"]) == 0
    assert names(odd_book) == ["Ada Lovelace"]


@pytest.mark.parametrize("command", [["backup"], ["restore", "somewhere.db", "--yes"]])
def test_file_commands_on_a_server_book_say_they_need_a_file(command, tmp_path, capsys, monkeypatch):
    url = "postgresql://rep:s3cret@localhost:1/book"  # never reached: refused before any connection
    monkeypatch.setenv("FOLLOWUP_DB", url)  # (on the command line, a password is refused outright)
    assert main([*command]) == 2
    err = capsys.readouterr().err
    run = {"backup": "pg_dump -Fc -d postgresql://rep@localhost:1/book -f team.dump",
           "restore": "pg_restore --clean --if-exists -d postgresql://rep@localhost:1/book team.dump"}[command[0]]
    assert err == f"followup: followup {command[0]} works on a book in a file; this book is on a server: run `{run}` " \
                  "as the team's administrator.\n"  # the password is never shown: ~/.pgpass gives it
    assert list(tmp_path.rglob("*.db*")) == []  # no book, no copy written anywhere
