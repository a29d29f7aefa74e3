"""A damaged book is named before anything writes to it (issue 12): every command says "The book at
PATH is damaged", names the newest backup and the restore command to run, exits 2, prints nothing
else and leaves nothing behind; `followup restore` puts a backup back over it. The book is a real
one (the demo book), damaged as a disk would: 8 KiB overwritten in the middle of the file, after a
checkpoint. Each command runs as the rep runs it, in a process of its own."""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from pathlib import Path

import pytest

from tests.test_cli import run_cli
from tui.cli import main

DAMAGE = 8192


def listing(folder: Path) -> dict[str, int]:
    """Every file under the folder, with its size."""
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


def quick_check(path: Path) -> str:
    """PRAGMA quick_check through a connection that writes nothing, and leaves no -wal/-shm behind
    (a mode=ro one would)."""
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)) as conn:
        conn.execute("PRAGMA query_only = 1")
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return str(exc)


def damage(path: Path) -> None:
    """Checkpoint (so every page is in the file), then overwrite 8 KiB in its middle."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    for sidecar in ("-wal", "-shm"):
        Path(f"{path}{sidecar}").unlink(missing_ok=True)
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2 // page * page)
        handle.write(bytes((n * 37 + 11) % 256 for n in range(DAMAGE)))
    assert quick_check(path) != "ok"  # a damage SQLite can see


@pytest.fixture
def shelf(demo_book, tmp_path, capsys):
    """books/book.db (the demo book) with one backup made by `followup backup` in books/backups/,
    then damaged; an empty out/ folder; a CSV to import. Returns (book, backup, out, csv)."""
    folder = tmp_path / "books"
    folder.mkdir()
    book = folder / "book.db"
    os.replace(demo_book, book)
    assert main(["--db", str(book), "backup"]) == 0
    (backup,) = (folder / "backups").glob("book-*.db")
    damage(book)
    out = tmp_path / "out"
    out.mkdir()
    csv = tmp_path / "people.csv"
    csv.write_text("Name,Email\nZed Zimmer,zed@example.com\n", encoding="utf-8")
    capsys.readouterr()
    return book, backup, out, csv


COMMANDS = {
    "the desk": [],
    "due": ["due"],
    "due --json": ["due", "--json"],
    "export to the terminal": ["export", "--format", "csv"],
    "export to a file": ["export", "--format", "json", "--out", "{out}/book.json"],
    "import, dry run": ["import", "{csv}", "--dry-run"],
    "import": ["import", "{csv}", "--yes"],
    "backup": ["backup"],
    "backup to a file": ["backup", "--out", "{out}/copy.db"],
    "report": ["report", "--period", "all"],
    "report --json": ["report", "--json"],
}


def said_damaged(stderr: str, book: Path, backup: Path) -> str:
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert stderr.startswith(f"followup: The book at {book} is damaged"), stderr
    assert "nothing was written to it" in stderr
    assert f"The newest backup is {backup}" in stderr, stderr
    assert stderr.rstrip().endswith(f"followup --db {shlex.quote(str(book))} restore {shlex.quote(str(backup))}"), stderr
    return stderr


@pytest.mark.timeout(120)
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_names_the_damaged_book_and_its_newest_backup_and_leaves_nothing_behind(shelf, command):
    book, backup, out, csv = shelf
    before, data = listing(book.parent.parent), book.read_bytes()
    args = [a.format(out=out, csv=csv) for a in command]
    proc = run_cli("--db", str(book), *args)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    said_damaged(proc.stderr, book, backup)
    assert proc.stdout == ""  # nothing printed as if the book were whole, no screen opened
    assert listing(book.parent.parent) == before  # no .tmp, no -wal/-shm, no backup, no export
    assert book.read_bytes() == data


@pytest.mark.timeout(120)
def test_restoring_a_damaged_backup_names_it_and_the_newest_whole_one_and_changes_nothing(shelf, tmp_path):
    book, backup, out, csv = shelf
    whole = tmp_path / "whole.db"
    os.replace(book, out / "damaged.db")  # the damaged file is now the one offered to restore…
    candidate = out / "damaged.db"
    with contextlib.closing(sqlite3.connect(backup)) as src, contextlib.closing(sqlite3.connect(whole)) as dst:
        src.backup(dst)
    os.replace(whole, book)  # …over a whole book
    before, data = listing(tmp_path), book.read_bytes()
    proc = run_cli("--db", str(book), "restore", str(candidate), "--yes")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.startswith(f"followup: The backup at {candidate} is damaged"), proc.stderr
    assert proc.stderr.count("\n") == 1 and "nothing was restored" in proc.stderr
    assert proc.stderr.rstrip().endswith(f"followup --db {book} restore {backup}"), proc.stderr
    assert listing(tmp_path) == before
    assert book.read_bytes() == data


@pytest.mark.timeout(120)
def test_the_restore_it_names_puts_the_backup_back_and_keeps_the_damaged_book(shelf):
    book, backup, out, csv = shelf
    damaged = book.read_bytes()
    proc = run_cli("--db", str(book), "due")
    command = shlex.split(proc.stderr.rstrip().rpartition("put it back with: ")[2])
    assert command[:3] == ["followup", "--db", str(book)]
    proc = run_cli(*command[1:], "--yes")
    assert proc.returncode == 0, proc.stderr
    assert quick_check(book) == "ok"
    (kept,) = book.parent.glob("book.db.damaged-*")
    assert kept.read_bytes() == damaged and oct(kept.stat().st_mode & 0o777) == "0o600"
    assert f"The book as it was is kept in {kept}" in proc.stdout
    proc = run_cli("--db", str(book), "due")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert not [p.name for p in book.parent.iterdir() if p.name.endswith((".tmp", "-wal", "-shm", "-journal"))]


def test_without_a_backup_the_message_says_so_and_how_to_save_what_is_readable(shelf, capsys):
    book, backup, out, csv = shelf
    backup.unlink()
    assert main(["--db", str(book), "due"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"followup: The book at {book} is damaged") and "No backup of it was found" in err
    assert ".recover" in err
