"""A window too small says how big it must be, at every screen and dialog, and growing it back
shows everything as it was (the dialog, what was typed, the cursor). 1×1 and 0×0 never crash.

The minimum, 60×15, comes from the layout: at 60 columns the queue pane keeps 40 (app.tcss), which
is a row's due date, 11 cells of the name and the touch count; below 80 columns it used to be half
the window, and at 60 every name was "…"."""

from __future__ import annotations

import pytest

from storage.book.opening import open_book
from tests.tui.conftest import desk_app, queue_lines, settle
from tui.screens.desk import DeskScreen
from tui.screens.help import HelpScreen
from tui.screens.log_touch import LogTouchScreen

BIG = (160, 45)


def window(app) -> str:
    """The characters the window shows, line by line."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def said(app) -> str:
    """What the window says, as one line of words (the message wraps in a narrow window)."""
    return " ".join(window(app).split())


async def resize(app, pilot, width: int, height: int) -> None:
    await pilot.resize_terminal(width, height)
    await settle(app, pilot)


@pytest.mark.parametrize("size", [(30, 8), (59, 15), (60, 14), (20, 40), (200, 5)])
async def test_below_60_by_15_the_window_says_how_big_it_must_be_and_nothing_else(seeded, size):
    app = desk_app()
    async with app.run_test(size=BIG) as pilot:
        await resize(app, pilot, *size)
        width, height = size
        assert said(app) == f"The window is {width}×{height}; the desk needs at least 60×15."
        assert isinstance(app.screen, DeskScreen)


async def test_at_60_by_15_the_desk_shows_and_each_row_has_its_due_date_and_a_name(seeded):
    app = desk_app()
    async with app.run_test(size=BIG) as pilot:
        await resize(app, pilot, 60, 15)
        assert "the desk needs" not in said(app)
        lines = queue_lines(app)
        assert any(line.startswith("★ 1d late   Pat Promise Pact") for line in lines), lines
        assert any(line.startswith("  2d late   Otto Overdue") for line in lines), lines
        assert "Pat Promise" in window(app)  # and the prospect beside the queue


async def test_a_dialog_with_typed_text_comes_back_as_it_was_after_1x1_and_0x0(seeded):
    app = desk_app()
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("j", "l", *"Half a sentence, then", *["left"] * 6)
        await settle(app, pilot)
        note = app.screen.query_one("#note")
        before = (window(app), note.text, note.cursor_location, app.focused)
        for size in [(30, 8), (1, 1), (0, 0), (30, 8)]:
            await resize(app, pilot, *size)
            assert app.is_running and isinstance(app.screen, LogTouchScreen)
            if size[0] >= 30:
                assert said(app) == f"The window is {size[0]}×{size[1]}; the desk needs at least 60×15."
        await resize(app, pilot, *BIG)
        assert (window(app), note.text, note.cursor_location, app.focused) == before
        assert "the desk needs" not in said(app)
        await pilot.press(*" and the end", "ctrl+s")  # the dialog still works where it was
        await settle(app, pilot)
        from storage.book.models import Touch

        assert Touch.get().note == "Half a sentence and the end, then"


async def test_the_desk_comes_back_with_its_cursor_where_it_was(seeded):
    app = desk_app()
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("j", "j", "j")
        await settle(app, pilot)
        before = (window(app), app.screen.shown.facts.name)
        for size in [(30, 8), (1, 1), (0, 0)]:
            await resize(app, pilot, *size)
        await resize(app, pilot, *BIG)
        assert (window(app), app.screen.shown.facts.name) == before == (before[0], "Tess Today")


async def test_a_dialog_that_opens_while_the_window_is_too_small_is_covered_too(seeded):
    """Keys still act in a window too small (none is lost): one that opens a dialog or the help
    opens it under the same message, and it is there once the window is big enough."""
    app = desk_app()
    async with app.run_test(size=BIG) as pilot:
        await resize(app, pilot, 30, 8)
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        assert said(app) == "The window is 30×8; the desk needs at least 60×15."
        await pilot.press("escape", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert said(app) == "The window is 30×8; the desk needs at least 60×15."
        await resize(app, pilot, *BIG)
        assert "the desk needs" not in said(app) and "Log a touch" in window(app)  # the help's keys
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen) and "Pat Promise" in window(app)


async def test_starting_in_a_window_too_small_then_growing_it_shows_the_desk(seeded):
    app = desk_app()
    async with app.run_test(size=(0, 0)) as pilot:
        await resize(app, pilot, 1, 1)
        await resize(app, pilot, 45, 10)
        assert said(app) == "The window is 45×10; the desk needs at least 60×15."
        await resize(app, pilot, 80, 24)
        assert "Pat Promise" in window(app) and "the desk needs" not in said(app)


# -- the desk at 80×24 and 60×20 (issue 14): what a small window keeps ------------------------------

SMALL = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]


@pytest.fixture
def demo(demo_book, frozen):
    open_book(demo_book)


def pane_words(app, selector: str) -> str:
    """What a pane shows on screen (its visible part only), as one line of words."""
    region = app.screen.query_one(selector).content_region
    strips = app.screen._compositor.render_strips()[region.y:region.bottom]
    return " ".join(" ".join(strip.crop(region.x, region.right).text.split()) for strip in strips)


@pytest.mark.parametrize("size", SMALL)
async def test_a_queue_row_in_a_small_window_has_due_name_company_and_touches(demo, size):
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        queue = pane_words(app, "#queue")
        assert "★ 3d late Clémence Saltmars… 2×" in queue, queue
        assert "★ Wed 14:00 Olivier Northwind… 6× 2○" in queue, queue  # silent twice, at its time


@pytest.mark.parametrize("size", SMALL)
async def test_the_next_step_and_the_persistence_line_are_on_screen_in_a_small_window(demo, size):
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        detail = pane_words(app, "#detail")
        assert "Next ★ promised 3d late · call · new prospect — Promised: samples by Wednesday" in detail, detail
        assert "touch 2 · last reply 33 days ago" in detail, detail


async def test_at_59_columns_the_message_is_one_line(seeded):
    app = desk_app()
    async with app.run_test(size=BIG) as pilot:
        await resize(app, pilot, 59, 20)
        lines = [line.strip() for line in window(app).split("\n") if line.strip()]
        assert lines == ["The window is 59×20; the desk needs at least 60×15."]
