"""The `followup` command line: bad places fail in one line before any screen; `due` prints."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import subprocess
import sys
from pathlib import Path

import pytest

from storage import actions
from storage.book.opening import close_book, open_book
from storage.book.models import Prospect
from tests.tui.conftest import step
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_a_file_that_is_not_a_book_is_refused_and_left_untouched(tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_bytes(b"my shopping list\n")
    assert main(["--db", str(target), "due"]) == 2
    assert "not a Followup Desk book" in one_line_error(capsys)
    assert target.read_bytes() == b"my shopping list\n"


def test_a_folder_given_as_the_book_is_refused(tmp_path, capsys):
    assert main(["--db", str(tmp_path)]) == 2
    assert "is a folder" in one_line_error(capsys)


def test_a_book_under_a_file_cannot_be_created(tmp_path, capsys):
    (tmp_path / "plain").write_text("x")
    assert main(["--db", str(tmp_path / "plain" / "book.db")]) == 2
    assert "Can't create a book" in one_line_error(capsys)


def test_an_unknown_time_zone_is_refused(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "b.db"), "--tz", "Mars/Olympus", "due"]) == 2
    assert "unknown time zone" in one_line_error(capsys)


@pytest.fixture
def as_nobody(nobody):
    """File modes bind only a user who is not root: run the command as `nobody` (tests/conftest.py)."""
    home = Path(tempfile.mkdtemp(prefix="home-", dir=nobody.scratch))
    os.chmod(home, 0o777)  # nobody's own config and data folders

    def run(*args: str) -> subprocess.CompletedProcess:
        env = {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
        return nobody.run("-m", "tui.cli", *args, env=env)

    yield run
    shutil.rmtree(home, ignore_errors=True)


def test_a_read_only_folder_gives_one_line_and_a_non_zero_exit(nobody, as_nobody):
    # pytest's own folders are root-only; this one the other user can walk into
    top = Path(tempfile.mkdtemp(prefix="followup-ro-", dir=nobody.scratch))
    os.chmod(top, 0o755)
    folder = top / "locked"
    folder.mkdir(mode=0o555)
    proc = as_nobody("--db", str(folder / "book.db"))  # the desk makes a book (`due` would not try)
    assert proc.returncode == 2
    assert proc.stderr.startswith("followup: Can't create a book") and proc.stderr.count("\n") == 1, proc.stderr
    assert not (folder / "book.db").exists()
    shutil.rmtree(top)


def test_a_folder_that_cannot_be_entered_gives_one_line(tmp_path, as_nobody):
    proc = as_nobody("--db", str(tmp_path / "book.db"), "due")
    assert proc.returncode == 2
    assert proc.stderr.startswith("followup: Can't") and proc.stderr.count("\n") == 1, proc.stderr


def test_the_installed_command_reports_a_bad_book_without_a_traceback(tmp_path):
    target = tmp_path / "fake.db"
    target.write_text("not sqlite")
    proc = run_cli("--db", str(target))
    assert proc.returncode == 2
    assert proc.stderr.startswith("followup: ") and "Traceback" not in proc.stderr
    assert proc.stdout == ""  # no screen was opened


def test_due_prints_promised_overdue_and_today(book, frozen, capsys):
    actions.add_prospect({"name": "Pat Promise"}, step(-1, promised=True))
    actions.add_prospect({"name": "Olive Overdue"}, step(-2))
    actions.add_prospect({"name": "Tess Today"}, step(0, 14))
    actions.add_prospect({"name": "Uma Upcoming"}, step(3))
    actions.add_prospect({"name": "Pam Promised Later"}, step(5, promised=True))
    path = book.database
    close_book()
    assert main(["--db", path, "due"]) == 0
    out = capsys.readouterr().out
    assert "Promised (1)" in out and "★ 1d late" in out and "Pat Promise" in out
    assert "Overdue (1)" in out and "Olive Overdue" in out
    assert "Today (1)" in out and "today 14:00" in out
    assert "Uma" not in out and "Pam" not in out
    assert main(["--db", path, "due", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in data["promised"]] == ["Pat Promise"]
    assert data["today"][0]["due"] == "2026-11-23T14:00:00+01:00"


def test_due_shows_hostile_names_without_terminal_controls(book, frozen, capsys):
    pid = actions.add_prospect({"name": "Eve"}, step(0))
    Prospect.update(name="Eve\x1b]0;pwned\x07").where(Prospect.id == pid).execute()
    path = book.database
    close_book()
    assert main(["--db", path, "due"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Eve␛]0;pwned␇" in out


def test_the_demo_book_is_made_once_and_kept(tmp_path, frozen, capsys):
    path = str(tmp_path / "demo.db")
    assert main(["--demo", "--db", path, "due"]) == 0
    count = Prospect.select().count()
    assert count >= 200
    actions.add_prospect({"name": "Newcomer Test"})
    close_book()
    assert main(["--demo", "--db", path, "due"]) == 0
    assert Prospect.select().count() == count + 1
    assert Prospect.get_or_none(Prospect.name == "Newcomer Test") is not None
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


# --- a command line that forgives (issue 16, point 4) ------------------------------------------


@pytest.fixture
def due_book(book, frozen):
    """A closed book with one follow-up due today at 14:00 Paris and one overdue; its path."""
    actions.add_prospect({"name": "Tess Today"}, step(0, 14))
    actions.add_prospect({"name": "Olive Overdue"}, step(-2))
    path = book.database
    close_book()
    return path


def test_the_global_options_work_after_the_subcommand(due_book, tmp_path, capsys):
    """`followup due --db X` was refused with "unrecognized arguments"."""
    assert main(["due", "--db", due_book]) == 0
    assert "Tess Today" in capsys.readouterr().out
    assert main(["due", "--json", "--db", due_book, "--tz", "Asia/Tokyo"]) == 0  # 14:00 Paris is 22:00 in Tokyo
    assert json.loads(capsys.readouterr().out)["today"][0]["due"] == "2026-11-23T22:00:00+09:00"
    assert main(["--db", due_book, "due", "--tz", "Mars/Olympus"]) == 2  # after it, still checked
    assert "unknown time zone" in one_line_error(capsys)
    out = tmp_path / "out.csv"
    assert main(["export", "csv", "--out", str(out), "--db", due_book]) == 0
    assert "Tess Today" in out.read_text(encoding="utf-8-sig")
    assert main(["catch-up", "--yes", "--db", due_book]) == 0
    assert "Moved 1 follow-up" in capsys.readouterr().out
    assert main(["away", "dec 7", "dec 8", "--db", due_book, "--yes"]) == 0
    saved = tmp_path / "saved.db"
    assert main(["backup", "--out", str(saved), "--db", due_book]) == 0
    assert main(["restore", str(saved), "--yes", "--db", due_book]) == 0
    assert main(["import", str(out), "--dry-run", "--db", due_book]) == 0


def test_every_subcommand_takes_the_global_options():
    from tui.cli import parser

    subs = next(a for a in parser()._actions if a.dest == "command").choices
    assert {"due", "import", "export", "backup", "restore", "away", "catch-up"} <= set(subs)
    for name, sub in subs.items():
        assert {"--db", "--tz", "--demo"} <= set(sub._option_string_actions), name


READING_COMMANDS = {
    "due": ["due"],
    "due --json": ["due", "--json"],
    "export": ["export", "csv"],
    "backup": ["backup"],
    "catch-up": ["catch-up", "--yes"],
    "report": ["report"],
}


@pytest.mark.parametrize("command", READING_COMMANDS.values(), ids=READING_COMMANDS.keys())
def test_a_command_that_reads_says_how_to_start_when_there_is_no_book_and_makes_none(tmp_path, capsys, command):
    """`followup due` on a new machine silently created an empty book."""
    target = tmp_path / "new" / "book.db"
    assert main(["--db", str(target), *command]) == 2
    err = one_line_error(capsys)
    assert f"There is no book at {target} yet" in err
    assert "followup --demo" in err and f"followup --db {target} import FILE" in err and "then n" in err
    assert not (tmp_path / "new").exists()
    # the default book, in the data folder: neither the book nor its folder is made
    assert main(command) == 2
    assert "There is no book at" in one_line_error(capsys)
    assert not (tmp_path / "data").exists()


def test_demo_works_with_every_command(tmp_path, frozen, capsys):
    """`followup --demo export …` wrote an empty file: the demo book is filled first."""
    out = tmp_path / "demo.csv"
    assert main(["export", "csv", "--demo", "--out", str(out)]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) > 200 and f"prospects written to {out}" in capsys.readouterr().out
    assert main(["due", "--demo"]) == 0
    assert "Overdue (" in capsys.readouterr().out
    assert main(["--demo", "backup", "--out", str(tmp_path / "demo-copy.db")]) == 0


def test_a_pipe_closed_early_ends_the_command_quietly(due_book):
    """`followup due | head`: the reader went away; no BrokenPipeError traceback."""
    read, write = os.pipe()
    os.close(read)  # every write to the pipe fails, as after `head` has had its lines
    try:
        proc = subprocess.run([sys.executable, "-m", "tui.cli", "--db", due_book, "due"], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=60, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL)
    finally:
        os.close(write)
    assert proc.stderr == "" and proc.returncode == 141
    assert not [p for p in Path(due_book).parent.iterdir() if p.name.endswith(("-wal", "-shm"))]
