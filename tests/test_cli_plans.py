"""`followup away D1 D2` and `followup catch-up` on a real book file: the plan printed, asked,
applied as one action (the desk's ctrl+z undoes it), or nothing moved when the rep says no."""

from __future__ import annotations



from storage import actions
from storage.book.models import Journal, Prospect
from storage.book.opening import close_book, open_book
from storage.rules.dates import from_utc
from tests.conftest import TZ
from tests.tui.conftest import step
from tui.cli import main


def booked(tmp_path, frozen):
    """Monday 23 Nov: Uma due Thu 26 (promised), Vic Wed 25, Otto overdue since Sat 21."""
    path = tmp_path / "book.db"
    open_book(path)
    ids = {
        "Uma": actions.add_prospect({"name": "Uma"}, step(3, promised=True)),
        "Vic": actions.add_prospect({"name": "Vic"}, step(2)),
        "Otto": actions.add_prospect({"name": "Otto"}, step(-2)),
    }
    close_book()
    return path, ids


def day_of(path, prospect_id: int) -> str:
    open_book(path)
    try:
        return from_utc(Prospect.get_by_id(prospect_id).next_due_at, TZ).format("ddd D MMM")
    finally:
        close_book()


def test_away_prints_the_plan_asks_and_moves_in_one_action(tmp_path, frozen, monkeypatch, capsys):
    path, ids = booked(tmp_path, frozen)
    monkeypatch.setattr("builtins.input", lambda question: "y")
    assert main(["--db", str(path), "--tz", TZ, "away", "wed", "fri"]) == 0
    out = capsys.readouterr().out
    assert "2 follow-up(s) move, 1 promised (first, in their order):" in out
    assert "Mon 30 Nov: +2, 1 promised → 2 of 25" in out
    assert "Moved 2 follow-up(s)" in out
    assert day_of(path, ids["Uma"]) == day_of(path, ids["Vic"]) == "Mon 30 Nov"
    open_book(path)
    assert Journal.select().order_by(Journal.id.desc()).get().action == "away"
    close_book()


def test_no_to_the_question_moves_nothing(tmp_path, frozen, monkeypatch, capsys):
    path, ids = booked(tmp_path, frozen)
    monkeypatch.setattr("builtins.input", lambda question: "")
    assert main(["--db", str(path), "--tz", TZ, "catch-up"]) == 0
    out = capsys.readouterr().out
    assert "Mon 23 Nov: +1 → 1 of 25" in out and "Nothing moved." in out
    assert day_of(path, ids["Otto"]) == "Sat 21 Nov"


def test_a_date_that_is_none_is_one_line_and_exit_2(tmp_path, frozen, capsys):
    path, _ = booked(tmp_path, frozen)
    assert main(["--db", str(path), "--tz", TZ, "away", "someday", "fri", "--yes"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("followup: ") and err.count("\n") == 1
    assert main(["--db", str(path), "--tz", TZ, "away", "fri", "wed", "--yes"]) == 2
    assert "comes before the first" in capsys.readouterr().err
