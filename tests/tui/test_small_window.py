"""A window too small says how big it must be, at every screen and dialog, and growing it back
shows everything as it was (the dialog, what was typed, the cursor). 1×1 and 0×0 never crash.

The minimum, 60×15, comes from the layout: at 60 columns the queue pane keeps 40 (app.tcss), which
is a row's due date, 11 cells of the name and the touch count; below 80 columns it used to be half
the window, and at 60 every name was "…"."""

from __future__ import annotations

import pytest

from storage.book.opening import open_book
from tests.tui.conftest import desk_app, queue_lines, settle
from tests.tui.test_dialog_text import bottom_line
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


# -- every pane focusable and scrollable ------------------------------------------------------------


@pytest.fixture
def long(book, frozen) -> int:
    """One prospect with more to show than a small window has room for: facts, notes, tags, and
    eight touches with notes."""
    from storage import actions
    from tests.tui.conftest import step

    lena = actions.add_prospect(
        {"name": "Lena Long", "company": "Longhouse Logistics", "title": "Buyer", "email": "lena@longhouse.example",
         "phone": "+33 1 23 45 67 89", "best_time": "weekdays 8-10am", "deal_value": 12000, "source": "fair",
         "notes": "Met at the fair.\nLikes detail.\nAsk about the depot.\nSister company in Lyon."},
        step(-3, what="Call about the depot"))
    for n in range(8):
        actions.log_touch(lena, channel="call", outcome="talked", note=f"Touch number {n + 1} #depot",
                          next_step=step(n - 3, what="Call about the depot"))
    return lena


async def focus_pane(app, pilot, tabs: int):
    await pilot.press(*["tab"] * tabs)
    await settle(app, pilot)
    return app.focused


async def test_tab_cycles_the_queue_the_prospect_and_the_history(seeded):
    from tui.widgets.detail_pane import DetailPane
    from tui.widgets.history_pane import HistoryPane
    from tui.widgets.queue_view import QueueView

    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.focused, QueueView)
        seen = [type(await focus_pane(app, pilot, 1)) for _ in range(3)]
        assert seen == [DetailPane, HistoryPane, QueueView]
        await pilot.press("shift+tab")
        assert isinstance(app.focused, HistoryPane)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, DetailPane)


@pytest.mark.parametrize("tabs, pane, first, last", [
    (1, "#detail", "Lena Long", "Tags #depot ×8"),
    (2, "#history", "Touch number 8", "Touch number 1"),
])
async def test_j_k_g_and_G_scroll_the_focused_prospect_and_history_panes(long, tabs, pane, first, last):
    app = desk_app()
    async with app.run_test(size=(80, 16)) as pilot:
        focused = await focus_pane(app, pilot, tabs)
        assert focused is app.screen.query_one(pane)
        assert first in pane_words(app, pane) and last not in pane_words(app, pane)
        await pilot.press("j", "j")
        assert focused.scroll_y == 2
        await pilot.press("k")
        assert focused.scroll_y == 1
        await pilot.press("G")
        await settle(app, pilot)
        assert focused.scroll_y == focused.max_scroll_y > 1
        assert last in pane_words(app, pane) and first not in pane_words(app, pane)
        await pilot.press("g")
        await settle(app, pilot)
        assert focused.scroll_y == 0 and first in pane_words(app, pane)
        await pilot.press("pagedown")
        assert focused.scroll_y > 1
        await pilot.press("pageup")
        assert focused.scroll_y == 0
        assert "Scroll" in bottom_line(app)  # the footer says what works here
        assert app.screen.shown.facts.name == "Lena Long"  # the queue did not move
        await pilot.press("f1")  # this pane's keys, with their ids
        await settle(app, pilot)
        assert "pane.down" in window(app) and "Scroll the pane down a line" in window(app)


async def test_the_desk_keys_act_on_the_prospect_on_screen_from_the_history_pane(seeded):
    from tui.screens.log_touch import LogTouchScreen

    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j")  # Olive
        await settle(app, pilot)
        await focus_pane(app, pilot, 2)
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen) and app.screen.prospect_id == seeded["Olive"]
        assert "Olive Overdue" in window(app)
