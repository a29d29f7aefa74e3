"""Nothing typed is lost (issue 13, point 6): escape asks before it throws a typed note away, and
while the rep types the log form keeps a draft in the book (a side table: no journal entry, no
`updated_at`), offered back on the next `l` for that prospect — after the desk was torn down
unsaved, or killed with SIGKILL on a real terminal."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest
from textual.widgets import Input, Select, TextArea

import tui.screens.log_draft as log_draft
from storage import actions
from storage.book.models import Journal, Prospect, Touch
from storage.book.opening import close_book, open_book
from storage.reads.drafts import draft_for
from tests.tui.conftest import desk_app, screen_text, settle, step
from tests.tui.real_terminal import Terminal
from tui.screens.confirm import ConfirmScreen
from tui.screens.desk import DeskScreen
from tui.screens.log_touch import LogTouchScreen


@pytest.fixture
def at_once(monkeypatch):
    """A draft is kept a millisecond after the last key rather than a second (Textual's timer
    cannot wait 0: it divides by its interval)."""
    monkeypatch.setattr(log_draft, "DRAFT_AFTER", 0.001)


async def draft_kept(app, pilot, prospect_id: int, note: str) -> None:
    """Until the book holds the draft with `note` (its write goes through a worker)."""
    for _ in range(100):
        await settle(app, pilot)
        found = draft_for(prospect_id, "log")
        if found is not None and found.fields.get("note") == note:
            return
    raise AssertionError(f"no draft with {note!r}: {draft_for(prospect_id, 'log')}")


async def test_escape_with_nothing_typed_closes_the_form_at_once(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)


async def test_escape_after_typing_a_note_asks_first_and_no_keeps_it(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"Long talk about the budget", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard the note you typed?" in screen_text(app) and "y discard · n or enter no" in screen_text(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        assert app.screen.query_one("#note", TextArea).text == "Long talk about the budget"
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen) and Touch.select().count() == 0


async def test_a_draft_is_kept_as_the_rep_types_and_is_no_change_of_the_book(seeded, at_once):
    pat = seeded["Pat"]
    entries, updated = Journal.select().count(), Prospect.get_by_id(pat).updated_at
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"Called about the price", "f3")
        await draft_kept(app, pilot, pat, "Called about the price")
        assert draft_for(pat, "log").fields["outcome"] == "replied"
    assert Journal.select().count() == entries
    assert Prospect.get_by_id(pat).updated_at == updated


async def test_no_draft_before_the_pause_after_the_last_key(seeded, monkeypatch):
    monkeypatch.setattr(log_draft, "DRAFT_AFTER", 3600)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"typing on")
        await settle(app, pilot)
        assert draft_for(seeded["Pat"], "log") is None


async def test_a_draft_left_by_a_desk_torn_down_unsaved_is_offered_back_and_the_save_removes_it(seeded, at_once):
    pat = seeded["Pat"]
    first = desk_app()
    async with first.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"They want the Lisbon price", "f3")
        first.screen.query_one("#when-input").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"yesterday 3pm")
        await draft_kept(first, pilot, pat, "They want the Lisbon price")
        assert isinstance(first.screen, LogTouchScreen)  # torn down with the form open: as in a crash
    second = desk_app()
    async with second.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        await settle(second, pilot)
        form = second.screen
        assert form.query_one("#note", TextArea).text == "They want the Lisbon price"
        assert form.query_one("#outcome", Select).value == "replied"
        assert form.query_one("#when-input", Input).value == "yesterday 3pm"
        assert "Draft from Mon 23 Nov 09:30 recovered" in screen_text(second)
        await pilot.press("ctrl+s")
        await settle(second, pilot)
        assert isinstance(second.screen, DeskScreen)
    touch = Touch.get()
    assert (touch.note, touch.outcome, touch.prospect_id) == ("They want the Lisbon price", "replied", pat)
    assert draft_for(pat, "log") is None


async def test_escape_and_yes_on_a_recovered_draft_throws_it_away(seeded):
    pat = seeded["Pat"]
    actions.keep_draft(pat, "log", {"note": "From before"})
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        assert app.screen.query_one("#note", TextArea).text == "From before"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)  # a recovered note is a typed note
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
    assert draft_for(pat, "log") is None and Touch.select().count() == 0


async def test_a_draft_is_offered_for_its_own_prospect_only(seeded):
    actions.keep_draft(seeded["Pat"], "log", {"note": "About Pat"})
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "l")  # Otto
        await settle(app, pilot)
        assert app.screen.query_one("#note", TextArea).text == ""
        assert "recovered" not in screen_text(app)
    assert draft_for(seeded["Pat"], "log").fields == {"note": "About Pat"}


async def test_a_save_right_after_a_draft_leaves_no_draft_behind(seeded, at_once):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"Quick one")
        await pilot.pause()  # the draft's timer fires: its write may still be on its way
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert Touch.get().note == "Quick one"
    assert draft_for(seeded["Pat"], "log") is None


# -- a real kill ---------------------------------------------------------------------------------


def book_draft(path, timeout: float = 30) -> str | None:
    """The note of the draft in the book file, once one is there (read as another program would)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            rows = conn.execute("SELECT fields FROM draft").fetchall()
        if rows and "Asked for the Lisbon price" in rows[0][0]:
            return rows[0][0]
        time.sleep(0.05)
    return None


@pytest.mark.timeout(120)
def test_a_draft_typed_on_a_real_terminal_survives_kill_9_and_is_offered_back(tmp_path):
    path = tmp_path / "desk.db"
    open_book(path)
    ada = actions.add_prospect({"name": "Ada One"}, step(0))
    close_book()
    desk = Terminal(path, tmp_path)
    desk.wait_for("Ada One")
    desk.type("l")
    desk.wait_for("Log a touch")
    desk.type("Asked for the Lisbon price")
    desk.wait_for("Lisbon price")
    assert book_draft(path) is not None, desk.text[-1500:]
    os.kill(desk.proc.pid, signal.SIGKILL)
    assert desk.status() == -signal.SIGKILL

    again = Terminal(path, tmp_path)
    again.wait_for("Ada One")
    again.type("l")
    again.wait_for("recovered")
    again.wait_for("Asked for the Lisbon price")
    again.type("\x13")  # ctrl+s
    again.wait_for("Logged a touch for Ada One")
    again.type("q")
    assert again.status() == 0
    open_book(path)
    assert Touch.get().note == "Asked for the Lisbon price"
    assert draft_for(ada, "log") is None
