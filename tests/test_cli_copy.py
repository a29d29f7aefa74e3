"""`followup copy --from SOURCE --to TARGET [--owner ROLE | --shared]` (tui/cli_copy.py): what it
says and its exit codes; the copying itself is tests/storage/test_copy.py's."""

from __future__ import annotations

import json
import sqlite3
import uuid

import psycopg
import pytest

import tui.cli_copy
from tests.conftest import TZ
from tests.server_books import admin, server_book_url, server_template  # noqa: F401  (fixtures)
from tui.cli import main
from tests.team_books import SERVER_ROLES

pytestmark = SERVER_ROLES

SUMMARY = ("Copied 300 prospects, 1,420 follow-ups, 1,689 touches, 418 tags, 1 journal entry, 0 drafts and "
           "7 drop reasons to {}")


def prospects_on(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM prospect").fetchone()[0]


def test_a_file_book_goes_to_a_server_and_back(demo_book, server_book_url, tmp_path, capsys):
    assert main(["copy", "--from", str(demo_book), "--to", server_book_url]) == 0
    out, err = capsys.readouterr()
    role = server_book_url.partition("://")[2].partition("@")[0]
    assert out == SUMMARY.format(server_book_url) + f", owned by {role}.\n" and err == ""

    back = tmp_path / "back.db"
    assert main(["copy", "--from", server_book_url, "--to", str(back)]) == 0
    out, err = capsys.readouterr()
    assert out == SUMMARY.format(back) + ".\n" and err == ""
    with sqlite3.connect(back) as conn:
        assert conn.execute("SELECT count(*) FROM prospect").fetchone()[0] == 300


@pytest.mark.parametrize("whose", ["a rep", "the team"])
def test_the_owner_is_said(whose, demo_book, server_book_url, capsys):
    alice = f"alice_{uuid.uuid4().hex[:6]}"
    admin(f"CREATE ROLE {alice} LOGIN IN ROLE followup_rep")
    try:
        options, said = (["--owner", alice], f", owned by {alice}.") if whose == "a rep" else (["--shared"], ", shared by the team.")
        assert main(["copy", "--from", str(demo_book), "--to", server_book_url, *options]) == 0
        assert capsys.readouterr().out.endswith(said + "\n")
    finally:
        admin(f"DROP ROLE {alice}")


def test_a_big_book_says_how_far_it_got_on_stderr(demo_book, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tui.cli_copy, "EVERY", 1_000)
    assert main(["copy", "--from", str(demo_book), "--to", str(tmp_path / "copy.db")]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == ["followup copy: 1,000 follow-ups…", "followup copy: 1,420 follow-ups…",
                                "followup copy: 1,000 touches…", "followup copy: 1,689 touches…"]
    assert out.count("\n") == 1 and out.startswith("Copied 300 prospects")


def test_a_book_that_is_not_empty_is_refused_in_one_line(demo_book, server_book_url, capsys):
    assert main(["copy", "--from", str(demo_book), "--to", server_book_url]) == 0
    capsys.readouterr()
    assert main(["copy", "--from", str(demo_book), "--to", server_book_url]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"followup: The book at {server_book_url} is not empty (300 prospects, ")
    assert err.endswith("copy into a new, empty book; nothing was written.\n")
    assert prospects_on(server_book_url) == 300


@pytest.mark.parametrize("side", ["--from", "--to"])
def test_a_password_in_a_url_is_refused_and_never_shown(side, demo_book, tmp_path, capsys):
    url, copy = "postgresql://rep:s3cret@localhost:1/team", str(tmp_path / "copy.db")
    ends = {"--from": url, "--to": copy} if side == "--from" else {"--from": str(demo_book), "--to": url}
    assert main(["copy", *(item for pair in ends.items() for item in pair)]) == 2  # before any connection
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "~/.pgpass" in err and "s3cret" not in err
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("args, said", [
    (["--from", "{tmp}/none.db", "--to", "{tmp}/copy.db"], "followup: There is no book at {tmp}/none.db; nothing was copied.\n"),
    (["--from", "{demo}", "--to", "{tmp}/copy.db", "--owner", "alice"],
     "followup: --owner and --shared are for a book on a server: a book in a file has one rep.\n"),
    (["--from", "{demo}", "--to", "{demo}"], "followup: --from and --to name the same book.\n"),
])
def test_what_cannot_be_copied_is_one_line_and_exit_2(args, said, demo_book, tmp_path, capsys):
    filled = [a.format(tmp=tmp_path, demo=demo_book) for a in args]
    assert main(["copy", *filled]) == 2
    assert capsys.readouterr() == ("", said.format(tmp=tmp_path))
    assert not (tmp_path / "copy.db").exists()


def test_a_rep_is_told_who_fills_a_server_book(demo_book, server_book_url, capsys):
    alice = f"alice_{uuid.uuid4().hex[:6]}"
    admin(f"CREATE ROLE {alice} LOGIN IN ROLE followup_rep")
    try:
        as_alice = server_book_url.replace("//" + server_book_url.partition("://")[2].partition("@")[0] + "@", f"//{alice}@")
        assert main(["copy", "--from", str(demo_book), "--to", as_alice]) == 2
    finally:
        admin(f"DROP ROLE {alice}")
    out, err = capsys.readouterr()
    assert out == "" and err == (
        "followup: The copy stopped (permission denied for sequence drop_reason_id_seq): a server book is filled by "
        f"the team's administrator, the role that owns its tables; nothing was written to {as_alice}.\n")
    assert prospects_on(server_book_url) == 0


@pytest.mark.parametrize("period", ["30d", "all"])
def test_a_book_copied_to_a_server_reports_what_the_file_does(demo_book, server_book_url, frozen, period, capsys):
    """Every figure of the reports (issue 17) on a team's server (issue 18): the demo book's, figure
    for figure, as JSON and as the text a rep reads (hours by kind, activity by week included)."""
    assert main(["copy", "--from", str(demo_book), "--to", server_book_url]) == 0
    capsys.readouterr()
    said = {}
    for book in (str(demo_book), server_book_url):
        for form in (["--json"], []):
            assert main(["--db", book, "--tz", TZ, "report", "--period", period, *form]) == 0
            said[book, bool(form)] = capsys.readouterr().out
    assert json.loads(said[server_book_url, True]) == json.loads(said[str(demo_book), True])
    assert said[server_book_url, False] == said[str(demo_book), False]
    got = json.loads(said[server_book_url, True])
    assert got["channels"] and got["hours"]["cells"] and got["hours_by_kind"] and got["activity"]
