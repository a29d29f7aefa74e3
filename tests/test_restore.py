"""`followup backup` and `followup restore` never lose a day (issue 16, point 5): a restore with
nobody to ask refuses, shows the book and the backup side by side before asking, and keeps every
safety copy under its own name; a backup never replaces a file without --force. Real book files;
time frozen, so that two commands run "in the same second" as a quick rep's would."""

from __future__ import annotations

import sqlite3

import pendulum
import pytest

from storage import actions
from storage.book.opening import close_book, open_book
from tests.test_cli import run_cli
from tui.cli import main


def names(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM prospect ORDER BY id")]


@pytest.fixture
def shelf(tmp_path, frozen):
    """book.db with Ada (one touch at 09:30), saved.db its backup, then Bob and two touches added
    to the book at 10:30."""
    book, saved = tmp_path / "book.db", tmp_path / "saved.db"
    open_book(book)
    ada = actions.add_prospect({"name": "Ada Lovelace"})
    actions.log_touch(ada, channel="call", outcome="talked")
    close_book()
    assert main(["--db", str(book), "backup", "--out", str(saved)]) == 0
    pendulum.travel_to(frozen.add(hours=1), freeze=True)  # an hour's work after the backup
    open_book(book)
    bob = actions.add_prospect({"name": "Bob Babbage"})
    actions.log_touch(bob, channel="email", outcome="left message")
    actions.log_touch(bob, channel="call", outcome="talked")
    close_book()
    pendulum.travel_to(frozen, freeze=True)  # (a `with` would end the frozen clock on the way out)
    return book, saved


def test_a_prospect_added_after_the_backup_is_still_in_the_safety_copy_after_two_quick_restores(shelf, capsys):
    """Two restores in one second wrote the second safety copy over the first: Bob, who was only
    in the book and in that first copy, was lost from every file."""
    book, saved = shelf
    assert main(["--db", str(book), "restore", str(saved), "--yes"]) == 0
    assert main(["--db", str(book), "restore", str(saved), "--yes"]) == 0
    first = next(book.parent.glob("book.db.before-restore-*[0-9].bak"))  # the names of one (frozen) second
    kept = [first, first.with_name(first.name.replace(".bak", "-2.bak"))]
    assert sorted(book.parent.glob("book.db.before-restore-*")) == sorted(kept)
    assert names(kept[0]) == ["Ada Lovelace", "Bob Babbage"] and names(kept[1]) == ["Ada Lovelace"]
    out = capsys.readouterr().out
    assert f"kept in {kept[0]}." in out and f"kept in {kept[1]}." in out
    assert names(book) == ["Ada Lovelace"]


def test_a_restore_from_a_pipe_without_yes_refuses_and_changes_nothing(shelf):
    book, saved = shelf
    before, listing = book.read_bytes(), sorted(p.name for p in book.parent.iterdir())
    proc = run_cli("--db", str(book), "restore", str(saved))  # stdin is not a terminal
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and "no terminal to ask" in proc.stderr and "--yes" in proc.stderr
    assert "the book now: 2 prospects, 3 touches" in proc.stdout  # what it would have replaced, shown all the same
    assert book.read_bytes() == before and sorted(p.name for p in book.parent.iterdir()) == listing


def test_a_restore_shows_what_it_replaces_before_asking(shelf, capsys, monkeypatch):
    book, saved = shelf
    asked = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # a rep at a terminal
    monkeypatch.setattr("builtins.input", lambda question: asked.append((question, capsys.readouterr().out)) or "n")
    assert main(["--db", str(book), "restore", str(saved)]) == 1
    ((question, shown),) = asked
    assert question == f"Replace the book at {book} with it? [y/N] "
    assert f"It replaces the book at {book}:\n" in shown
    assert "  the book now: 2 prospects, 3 touches; the newest 2026-11-23 10:30 with Bob Babbage\n" in shown
    assert "  the backup:   1 prospect, 1 touch; the newest 2026-11-23 09:30 with Ada Lovelace\n" in shown
    assert "  2 touches in the book came after the backup's newest;" in shown
    assert "Nothing changed." in capsys.readouterr().out
    assert "Bob Babbage" in names(book)


def test_backup_onto_an_existing_file_refuses_without_force(shelf, capsys):
    """`backup --out` silently replaced an existing backup."""
    book, saved = shelf
    before = saved.read_bytes()
    assert main(["--db", str(book), "backup", "--out", str(saved)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{saved} already exists; nothing was written (add --force" in err
    assert saved.read_bytes() == before and names(saved) == ["Ada Lovelace"]
    assert main(["--db", str(book), "backup", "--out", str(saved), "--force"]) == 0
    assert names(saved) == ["Ada Lovelace", "Bob Babbage"]
    assert main(["--db", str(book), "backup", "--out", str(book), "--force"]) == 2  # never the book over itself
    assert "is the book itself" in capsys.readouterr().err


def test_two_backups_in_one_second_are_two_files(shelf, capsys):
    book, saved = shelf
    assert main(["--db", str(book), "backup"]) == 0
    assert main(["--db", str(book), "backup"]) == 0
    made = {p.name for p in (book.parent / "backups").iterdir()}
    second = pendulum.now().strftime("%Y%m%d-%H%M%S")  # FROZEN, on the machine's clock
    assert made == {f"book-{second}.db", f"book-{second}-2.db"}
    from storage.book.files import newest_backup

    assert newest_backup(book).name in made  # the numbered one is a backup like any other
