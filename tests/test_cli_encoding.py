"""`followup import FILE`: an encoding guess that could garble is said in the dry run with a line
as read, and --encoding reads the file otherwise, an address book as a CSV (issue 16, point 2)."""

from __future__ import annotations

import sqlite3

from tui.cli import main

CARD = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Zoë Ünal\r\nEMAIL:zoe@kaffee.example\r\nEND:VCARD\r\n"


def names(book) -> list[str]:
    with sqlite3.connect(book) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM prospect ORDER BY id")]


def test_a_guessed_encoding_is_shown_with_a_sample_and_another_can_be_chosen(tmp_path, capsys, frozen):
    book, path = tmp_path / "book.db", tmp_path / "outlook.vcf"
    path.write_bytes(CARD.encode("cp1252"))
    assert main(["--db", str(book), "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "outlook.vcf: vCard address book, 1 person" in out
    assert "Read as cp1252 (a guess: it is not UTF-8); a line as read: FN:Zoë Ünal" in out
    assert "--encoding NAME" in out
    assert main(["--db", str(book), "import", str(path), "--encoding", "mac-roman", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Read as mac-roman (as chosen); a line as read: FN:ZoÎ ‹nal" in out
    assert names(book) == ["ZoÎ ‹nal"]  # the rep's choice, as read


def test_utf_8_says_nothing_of_its_encoding(tmp_path, capsys, frozen):
    book, path = tmp_path / "book.db", tmp_path / "contacts.vcf"
    path.write_bytes(CARD.encode("utf-8"))
    assert main(["--db", str(book), "import", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Read as" not in out and "--encoding" not in out
    assert names(book) == ["Zoë Ünal"]


def test_an_encoding_that_does_not_fit_is_one_line_and_writes_nothing(tmp_path, capsys, frozen):
    book, path = tmp_path / "book.db", tmp_path / "outlook.vcf"
    path.write_bytes(CARD.encode("cp1252"))
    assert main(["--db", str(book), "import", str(path), "--encoding", "utf-8", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "The file is not utf-8 (an unreadable byte on line 3); choose another encoding." in err
    assert names(book) == []
