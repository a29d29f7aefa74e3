"""`followup import / export / backup / restore` from the command line, on real files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import icalendar
import pytest

from storage import actions
from storage.book.opening import close_book, open_book
from storage.book.models import Prospect
from tests.tui.conftest import step
from tui.cli import main

CRM = (
    "First Name,Last Name,Company Name,Email Address,Phone Number,Amount,Due Date,Notes\r\n"
    'Ada,Lovelace,Engines,ada@engines.example,+1 555 0101,"$12,000",2026-12-01,"Met at the fair\nwants a quote"\r\n'
    "Bob,Babbage,,bob@diff.example,,abc,,\r\n"
    "Cleo,Ptolemy,Nile Ltd,cleo@nile.example,,500,,\r\n"
)


@pytest.fixture
def crm_file(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(CRM, encoding="utf-8")
    return path


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT name, company, email, deal_value, notes FROM prospect ORDER BY id").fetchall()


def test_a_dry_run_shows_the_mapping_and_the_bad_row_and_writes_nothing(tmp_path, crm_file, capsys, frozen):
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "import", str(crm_file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "crm.csv: CSV, utf-8, comma-separated, 3 people" in out
    assert "Company Name                 → Company" in out
    assert "Dry run, nothing written: 3 added" in out and "1 unreadable cell left empty" in out
    assert "imported without a cell: line 4: Amount 'abc' is not an amount" in out
    assert rows(book) == []


def test_an_import_writes_the_good_rows_and_names_the_skipped_one(tmp_path, crm_file, capsys, frozen):
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "import", str(crm_file)]) == 0
    out = capsys.readouterr().out
    assert "Imported: 3 added" in out and "line 4" in out  # the quoted newline makes Bob's row start on line 4
    assert rows(book) == [
        ("Ada Lovelace", "Engines", "ada@engines.example", 12000, "Met at the fair\nwants a quote"),
        ("Bob Babbage", "", "bob@diff.example", 0, ""),  # his amount "abc" is left empty, not him
        ("Cleo Ptolemy", "Nile Ltd", "cleo@nile.example", 500, ""),
    ]
    # the same file again: everyone is already in the book and skipped, nobody doubled
    assert main(["--db", str(book), "import", str(crm_file)]) == 0
    assert "3 duplicates skipped" in capsys.readouterr().out
    assert len(rows(book)) == 3


def test_a_column_can_be_read_as_another_field(tmp_path, crm_file, capsys, frozen):
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "import", str(crm_file), "--map", "Notes=ignore", "--map", "company name=source"]) == 0
    assert [(r[1], r[4]) for r in rows(book)] == [("", ""), ("", ""), ("", "")]
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT source FROM prospect ORDER BY id").fetchall() == [("Engines",), ("",), ("Nile Ltd",)]


def test_map_takes_the_label_the_dry_run_prints(tmp_path, crm_file, capsys, frozen):
    """Issue 16, point 3: the dry run prints "Company"; --map "Notes=Company" was refused."""
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "import", str(crm_file), "--dry-run", "--map", "Company Name=Job title"]) == 0
    assert "Company Name                 → Job title" in capsys.readouterr().out
    assert main(["--db", str(book), "import", str(crm_file), "--map", "company name=(IGNORE)", "--map", "Notes=Company"]) == 0
    assert rows(book)[0][1] == "Met at the fair wants a quote"  # a company is one line


def test_a_mapping_to_an_unknown_column_or_field_is_one_line(tmp_path, crm_file, capsys):
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "import", str(crm_file), "--map", "Fax=phone"]) == 2
    assert "no column 'Fax'" in capsys.readouterr().err
    assert main(["--db", str(book), "import", str(crm_file), "--map", "Notes=shoe size"]) == 2
    assert "'shoe size' is not a field" in capsys.readouterr().err


def test_merge_fills_what_the_book_lacks(tmp_path, crm_file, capsys, frozen):
    book = tmp_path / "book.db"
    open_book(book)
    actions.add_prospect({"name": "Ada Lovelace", "email": "ADA@engines.example", "title": "Countess"})
    close_book()
    assert main(["--db", str(book), "import", str(crm_file), "--on-duplicate", "merge"]) == 0
    assert "1 merged" in capsys.readouterr().out
    open_book(book)
    ada = Prospect.get(Prospect.email == "ADA@engines.example")
    assert (ada.title, ada.company, ada.deal_value) == ("Countess", "Engines", 12000)
    assert Prospect.select().count() == 3


@pytest.fixture
def small_book(tmp_path, frozen):
    book = tmp_path / "book.db"
    open_book(book)
    ada = actions.add_prospect({"name": "=HYPERLINK(\"http://x\")", "phone": "+1 555 0101"}, step(2, promised=True))
    actions.log_touch(ada, channel="call", outcome="talked", note="@SUM(1)", next_step=step(3, 10))
    won = actions.add_prospect({"name": "Wendy Won", "deal_value": 9000}, step(1))
    actions.close_won(won)
    close_book()
    return book


def test_exports_write_owner_only_files_of_each_format(small_book, tmp_path, capsys):
    for kind in ("csv", "json", "ics", "deals"):
        out = tmp_path / f"out.{kind}"
        assert main(["--db", str(small_book), "export", "--format", kind, "--out", str(out)]) == 0
        assert oct(out.stat().st_mode & 0o777) == "0o600"
    said = capsys.readouterr().out
    assert "2 prospects written to" in said and "1 follow-up written to" in said and "1 closed deal written to" in said
    table = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert table[1][0] == "'=HYPERLINK(\"http://x\")" and table[1][4] == "'+1 555 0101"
    assert json.loads((tmp_path / "out.json").read_text())["format"] == "followup-desk"
    events = icalendar.Calendar.from_ical((tmp_path / "out.ics").read_bytes()).walk("VEVENT")
    assert len(events) == 1
    deals = list(csv.reader(io.StringIO((tmp_path / "out.deals").read_text(encoding="utf-8-sig"))))
    assert deals[1][0] == "Wendy Won"


def test_an_export_to_the_terminal_goes_to_stdout(small_book, capsys):
    assert main(["--db", str(small_book), "export", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["version"] == 2
    assert captured.err == "2 prospects written.\n"


def test_backup_then_restore_puts_the_book_back(small_book, tmp_path, capsys):
    saved = tmp_path / "saved.db"
    assert main(["--db", str(small_book), "backup", "--out", str(saved)]) == 0
    open_book(small_book)
    actions.add_prospect({"name": "Added after the backup"})
    close_book()
    assert main(["--db", str(small_book), "restore", str(saved), "--yes"]) == 0  # no terminal here to ask
    out = capsys.readouterr().out
    assert "is a whole Followup Desk book" in out and "The book as it was is kept in" in out
    assert "Added after the backup" not in [r[0] for r in rows(small_book)]


def test_backup_without_out_goes_to_a_backups_folder_beside_the_book(small_book, capsys):
    assert main(["--db", str(small_book), "backup"]) == 0
    made = list((small_book.parent / "backups").glob("book-*.db"))
    assert len(made) == 1 and oct(made[0].stat().st_mode & 0o777) == "0o600"
    assert rows(made[0]) == rows(small_book)


def test_restoring_something_else_is_one_line_and_changes_nothing(small_book, crm_file, capsys):
    before = rows(small_book)
    assert main(["--db", str(small_book), "restore", str(crm_file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a Followup Desk backup" in err
    assert rows(small_book) == before


def test_backup_and_restore_leave_no_wal_or_shm_beside_the_book_or_the_backup(small_book, capsys):
    """Reading a closed WAL book makes its -wal and -shm; the copies' readers take them away."""
    assert main(["--db", str(small_book), "backup"]) == 0
    (made,) = (small_book.parent / "backups").glob("book-*.db")
    assert main(["--db", str(small_book), "restore", str(made), "--yes"]) == 0
    leftovers = [p.name for p in small_book.parent.rglob("*") if p.name.endswith(("-wal", "-shm", "-journal", ".tmp"))]
    assert leftovers == []
