"""No key lost while a dialog opens (issue 14, point 3): what is typed right after the key that
opens a dialog lands in its first field, in order, and ctrl+s, enter or escape act after it.

Each test starts a fresh desk (the first open of a session is the slow one) and types as a
terminal sends keys typed fast: all in the app's queue before the first is handled (`burst`; the
pilot's `press` waits after each key, and would never show the loss). The last one types on a real
terminal, in one write."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from storage.book.models import FollowUp, Prospect, Touch
from storage.book.opening import open_book
from tests.tui.conftest import desk_app, settle
from tests.tui.real_terminal import Terminal
from tests.tui.test_crashes import small_book  # noqa: F401 (a fixture)
from tests.tui.test_key_order import burst
from tui.screens.desk import DeskScreen
from tui.screens.search import SearchScreen

NOTE = "Rang back, wants the price list"


def open_step(prospect_id: int) -> FollowUp:
    return FollowUp.get((FollowUp.prospect == prospect_id) & FollowUp.done_at.is_null())


async def test_a_note_typed_as_the_log_form_opens_is_saved_with_every_letter(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "l", *NOTE, "ctrl+s")
        await settle(app, pilot)
        assert Touch.get(Touch.prospect == seeded["Pat"]).note == NOTE
        assert isinstance(app.screen, DeskScreen)


async def test_a_name_typed_as_the_new_prospect_form_opens_creates_them(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "n", *"Nora Newcomer", "enter")
        await settle(app, pilot)
        assert Prospect.get(Prospect.name == "Nora Newcomer").touch_count == 0
        assert isinstance(app.screen, DeskScreen)


async def test_a_date_typed_as_the_snooze_dialog_opens_is_saved(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "s", "tab", *"fri 10am", "enter")  # from the choices to the date field
        await settle(app, pilot)
        step = open_step(seeded["Pat"])
        assert (step.due_at, step.has_time) == (dt.datetime(2026, 11, 27, 9, 0), True)  # 10:00 Paris
        assert isinstance(app.screen, DeskScreen)


async def test_a_date_typed_as_the_next_step_dialog_opens_is_saved(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "d", "ctrl+a", "ctrl+k", *"fri 10am", "ctrl+s")
        await settle(app, pilot)
        step = open_step(seeded["Pat"])
        assert (step.due_at.isoformat(), step.has_time) == ("2026-11-27T09:00:00", True)  # 10:00 Paris
        assert isinstance(app.screen, DeskScreen)


async def test_words_typed_as_search_opens_are_searched_for(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "slash", *"otto")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query").value == "otto"
        burst(app, "enter")
        await settle(app, pilot)
        assert app.screen.shown.id == seeded["Otto"]


async def test_escape_right_after_l_closes_the_form_and_the_next_keys_act_on_the_desk(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "l", "escape", "j", "l", *"quick", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        # escape closed Pat's form; j moved to Otto, and the next l logged on Otto
        assert [(t.prospect_id, t.note) for t in Touch.select()] == [(seeded["Otto"], "quick")]


async def test_a_key_typed_right_after_ctrl_s_reaches_the_desk_once_the_form_has_closed(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "l", *NOTE, "ctrl+s", "j")
        await settle(app, pilot)
        assert Touch.get(Touch.prospect == seeded["Pat"]).note == NOTE  # no "j" in it
        # the save moved the cursor to the row after Pat (Otto); j, typed after, to the next
        assert isinstance(app.screen, DeskScreen)
        assert app.screen.shown.id == seeded["Olive"]


@pytest.mark.timeout(120)
def test_on_a_real_terminal_l_a_note_and_ctrl_s_in_one_write_save_the_note(small_book, tmp_path):  # noqa: F811
    desk = Terminal(small_book, tmp_path)
    desk.wait_for("Ada One")
    desk.type("l" + NOTE + "\x13")  # one write: the key that opens the form, the note, ctrl+s
    deadline = time.monotonic() + 30
    open_book(small_book)
    while not Touch.select().count() and time.monotonic() < deadline:
        time.sleep(0.1)
    desk.type("\x11")  # ctrl+q: wherever the focus is
    assert desk.status() == 0
    assert Touch.get().note == NOTE
