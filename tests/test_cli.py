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
    proc = as_nobody("--db", str(folder / "book.db"), "due")
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
