"""Today's progress in the queue's title (issue 17, point 2), with real keys on a real book: it
follows a save, its undo and a live re-read of another desk's write, and stays readable in a
narrow window. The seeded queue at FROZEN (Mon 09:30 in Paris): Pat's promise was due yesterday
(left), Tess is due today at 14:00 (due), nothing done yet."""

from __future__ import annotations

import pytest

import tui.screens.desk_live as desk_live
from tests.tui.conftest import desk_app, paste, settle
from tests.tui.test_live_book import other_desk, until
from tui.widgets.queue_view import QueueView

pytestmark = pytest.mark.timeout(120)


def title(app) -> str:
    return str(app.screen.query_one("#queue-pane").border_title)


def selected_name(app) -> str:
    row = app.screen.query_one(QueueView).selected
    return row.name if row else ""


async def test_a_touch_logged_is_done_and_no_longer_due_and_its_undo_puts_it_back(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert title(app) == "Queue · 0 done · 1 due · 1★ left"
        await pilot.press("j", "j", "j")  # Otto, Olive, then Tess (today, 14:00)
        assert selected_name(app) == "Tess Today"
        await pilot.press("l")
        await paste(pilot, "Called: she wants the brochure")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert title(app) == "Queue · 1 done · 0 due · 1★ left"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert title(app) == "Queue · 0 done · 1 due · 1★ left"


async def test_a_kept_promise_leaves_the_promises_left(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert selected_name(app) == "Pat Promise"
        await pilot.press("l")
        await paste(pilot, "Sent the price")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert title(app) == "Queue · 1 done · 1 due · 0★ left"


async def test_in_a_wide_window_the_title_says_it_in_full_and_a_filter_comes_first(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert title(app) == "Queue · Today: 0 done · 1 due · 1 promised left"
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#channel").value = "email"  # Otto alone: overdue
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # the day's figures, not the filter's: Tess is still due and Pat's promise still left
        assert title(app) == "Queue · email (esc clears) · Today: 0 done · 1 due · 1 promised left"
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert title(app) == "Queue · email (esc clears)"  # no room for the day after it: not a stub "0…"


async def test_narrow_windows_keep_the_short_title_whole(seeded):
    app = desk_app()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.screen.query_one("#queue-pane")
        assert title(app) == "Queue · 0 done · 1 due · 1★ left"
        assert len(title(app)) <= pane.size.width - 4  # nothing cut off by the border's corners
        await pilot.resize_terminal(160, 45)
        await settle(app, pilot)
        assert title(app) == "Queue · Today: 0 done · 1 due · 1 promised left"


async def test_another_desks_touch_shows_in_the_title_without_a_key(seeded, monkeypatch):
    monkeypatch.setattr(desk_live, "LIVE_POLL", 0.05)
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert title(app) == "Queue · 0 done · 1 due · 1★ left"
        other_desk(f"actions.log_touch({seeded['Pat']}, channel='call', outcome='replied', now=now)")
        await until(app, pilot, lambda: title(app) == "Queue · 1 done · 1 due · 0★ left")


async def test_an_empty_book_has_no_figures_in_the_title(book, frozen):
    app = desk_app()
    async with app.run_test(size=(80, 24)):
        assert title(app) == "Queue"  # its pane says how to start: nothing done or due to count yet
