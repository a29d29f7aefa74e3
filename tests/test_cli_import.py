"""`followup import` lists every record it could not read and every cell it left empty on a dry run
(issue 16, point 1), and the first 20 of each after a real import, saying how many more."""

from __future__ import annotations

from tui.cli import main


def test_a_dry_run_lists_every_cell_left_empty_and_an_import_the_first_twenty(tmp_path, capsys, frozen):
    rows = "".join(f"Person {i},p{i}@x.example,lots\n" for i in range(25))
    path = tmp_path / "crm.csv"
    path.write_text("Name,Email,Amount\n" + rows, encoding="utf-8")
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("  imported without a cell: line ") == 25 and "more cells left empty" not in out
    assert "line 26: Amount 'lots' is not an amount" in out
    assert main(["--db", str(book), "import", str(path), "--yes"]) == 0
    out = capsys.readouterr().out.split("Imported:")[1]
    assert out.count("  imported without a cell: line ") == 20
    assert "  … and 5 more cells left empty (--dry-run lists them all)" in out
