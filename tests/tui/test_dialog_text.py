"""Dialogs that say everything (issue 14, point 2): every word of a warning or an error is on the
screen at 80×24 and 60×20, and enter answers a discouraged choice with the safe one."""

from __future__ import annotations

import re

import pytest

from storage import actions
from storage.book.models import Prospect, Touch
from tests.tui.conftest import desk_app, settle, step
from tui.screens.confirm import ConfirmScreen
from tui.screens.log_touch import LogTouchScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]


def shown_in(app, widget) -> str:
    """What the terminal shows inside a widget's region, line after line, as one run of words:
    a sentence wrapped over three lines reads whole; one cut at the dialog's edge does not."""
    shown = app.screen._compositor.find_widget(widget)
    region = shown.region.intersection(shown.clip)  # a label wider than its dialog is cut there
    rows = app.screen._compositor.render_strips()
    lines = [rows[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


@pytest.mark.parametrize("size", SIZES)
async def test_the_drop_warning_shows_every_word(book, frozen, size):
    actions.add_prospect({"name": "Early Drop"}, step(0))
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = shown_in(app, app.screen.query_one("#question"))
        assert text == "No touches yet: about 80% of sales need five or more follow-ups. Drop anyway?"


@pytest.mark.parametrize("size", SIZES)
async def test_the_two_day_rule_shows_its_reason(book, frozen, size):
    actions.add_prospect({"name": "Dan Daily"}, step(0))
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("l", *"No pickup", "tab", "ctrl+a", "ctrl+k", *"tomorrow", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = shown_in(app, app.screen.query_one("#question"))
        assert text == ("Another follow-up less than two days after one that went unanswered? "
                        "Daily notes are a poor strategy: spacing them out works better.")


@pytest.mark.parametrize("size", SIZES)
async def test_a_date_field_error_shows_every_word(seeded, size):
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("d", "ctrl+a", "ctrl+k")
        await settle(app, pilot)
        preview = app.screen.query_one("#when .preview")
        assert shown_in(app, preview) == "Type a date — try tomorrow, fri, +3d, dec 1 or 2026-12-01"


async def test_enter_on_the_drop_warning_keeps_the_prospect(book, frozen):
    pid = actions.add_prospect({"name": "Early Drop"}, step(0))
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "enter")
        await settle(app, pilot)
        assert not app.screen.is_modal  # no drop dialog: back on the desk
        await pilot.press("x", "y")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DropScreen"
    assert Prospect.get_by_id(pid).status == "active"


async def test_enter_on_the_two_day_rule_saves_nothing(book, frozen):
    actions.add_prospect({"name": "Dan Daily"}, step(0))
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", *"No pickup", "tab", "ctrl+a", "ctrl+k", *"tomorrow", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen) and Touch.select().count() == 0


async def test_enter_on_discard_keeps_the_note(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", *"half a thought", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        assert app.screen.query_one("#note").text == "half a thought"


def bottom_line(app) -> str:
    """The window's last row, where the footer is, as the terminal shows it."""
    return app.screen._compositor.render_strips()[-1].text


@pytest.mark.parametrize("size", SIZES)
async def test_the_footer_in_a_dialog_shows_the_dialogs_keys(seeded, size):
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        footer = bottom_line(app)
        assert "Save" in footer and "Cancel" in footer, footer
        assert "Snooze" not in footer and "Drop" not in footer, footer  # the desk's keys do nothing here
        await pilot.press("escape", "x")  # Tess: no touches yet, the drop warning
        await settle(app, pilot)
        footer = bottom_line(app)
        assert isinstance(app.screen, ConfirmScreen) and "Yes" in footer and "No" in footer, footer
        assert "Snooze" not in footer, footer


@pytest.mark.parametrize("size", SIZES)
async def test_a_draft_the_book_did_not_keep_says_every_word(seeded, size):
    """The log form's draft line (a huge paste: "longer than 100,000 characters") wraps too."""
    from storage.book.errors import BookError

    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        why = "The draft is longer than 100,000 characters; it is not kept, and the note stays as typed."
        app.screen._not_kept(BookError(why))  # what the draft's write answered
        await settle(app, pilot)
        assert shown_in(app, app.screen.query_one("#draft")) == f"Draft not kept: {why}"
