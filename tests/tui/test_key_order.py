"""Every key in order: ctrl+s typed right after a burst of keys saves the note with all of them.

ctrl+s is a priority binding: Textual runs it as the app reads it, while the keys typed just
before it still wait in the focused field's queue (the app forwards each key there and reads on).
A terminal sends keys typed fast in one read, so they all reach the app's queue before the first is
handled: `burst` posts them that way (the pilot's `press` waits after each key, and never shows
it), and the last test types on a real terminal."""

from __future__ import annotations

import time

import pytest
from textual import events

from storage.book.models import FollowUp, Prospect, Touch
from storage.book.opening import open_book
from tests.tui.conftest import desk_app, settle
from tests.tui.real_terminal import Terminal
from tests.tui.test_crashes import small_book  # noqa: F401 (a fixture)
from tui.screens.desk import DeskScreen

NOTE = "Called back, wants the price list by Friday"
KEY_NAMES = {" ": "space", ",": "comma", ".": "full_stop"}


def burst(app, *keys: str) -> None:
    """Keys as a terminal sends them typed fast: all in the app's queue before the first is
    handled (characters as themselves; named keys such as ctrl+s as they are)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(KEY_NAMES.get(key, key), key))
        else:
            app.post_message(events.Key(key, None))


async def test_ctrl_s_right_after_a_burst_saves_every_key_of_the_note(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        burst(app, *NOTE, "ctrl+s")
        await settle(app, pilot)
        assert Touch.get(Touch.prospect == seeded["Pat"]).note == NOTE
        assert isinstance(app.screen, DeskScreen)


async def test_ctrl_s_right_after_a_burst_in_a_one_line_field_saves_what_it_holds(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#next-input").focus()
        await pilot.pause()
        burst(app, "ctrl+a", "ctrl+k", *"fri 10am", "ctrl+s")
        await settle(app, pilot)
        step = FollowUp.get((FollowUp.prospect == seeded["Pat"]) & FollowUp.done_at.is_null())
        assert (step.due_at.isoformat(), step.has_time) == ("2026-11-27T09:00:00", True)  # 10:00 Paris


async def test_a_burst_with_ctrl_s_twice_saves_once(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        burst(app, *"once", "ctrl+s", "ctrl+s")
        await settle(app, pilot)
        assert [t.note for t in Touch.select()] == ["once"]
        assert Prospect.get_by_id(seeded["Pat"]).touch_count == 1


async def test_escape_right_after_ctrl_s_does_not_save_a_closed_dialog_twice_or_fail(seeded):
    """The save waits in the field's queue; escape (not a priority key) comes behind it there, so
    the save goes first and escape finds the dialog saving (it closes once saved)."""
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        burst(app, *"kept", "ctrl+s", "escape")
        await settle(app, pilot)
        assert [t.note for t in Touch.select()] == ["kept"]
        assert isinstance(app.screen, DeskScreen)


@pytest.mark.timeout(120)
def test_ctrl_s_typed_in_the_same_burst_on_a_real_terminal_saves_every_key(small_book, tmp_path):  # noqa: F811
    desk = Terminal(small_book, tmp_path)
    desk.wait_for("Ada One")
    desk.type("l")
    desk.wait_for("Log a touch")
    desk.type(NOTE + "\x13")  # one write: the note and ctrl+s, as typed fast
    deadline = time.monotonic() + 30
    open_book(small_book)
    while not Touch.select().count() and time.monotonic() < deadline:
        time.sleep(0.1)
    desk.type("\x11")  # ctrl+q: wherever the focus is
    assert desk.status() == 0
    assert Touch.get().note == NOTE
