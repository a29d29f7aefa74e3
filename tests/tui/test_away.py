"""Away, catch-up and the agenda, driven with real keys (issue 15, points 3 to 5 and 7). The seeded
queue, on Monday 23 Nov: Pat (promised, Sun 22) · Otto, Olive (overdue, Sat 21; Otto's deal the
larger) · Tess (today 14:00) · Uma (Thu 26) · Larry (Sun 13 Dec) · Nina (no next step)."""

from __future__ import annotations

from textual.widgets import OptionList

from storage.book.models import Journal, Prospect
from storage.rules.dates import from_utc
from tests.conftest import TZ
from tests.tui.conftest import desk_app, queue_lines, screen_text, settle
from tests.tui.test_dialog_text import bottom_line
from tui.config import config_file
from tui.screens.away import AwayScreen, CatchUpScreen
from tui.screens.desk import DeskScreen
from tui.screens.week import WeekScreen

SIZE = (100, 30)


def due_day(prospect_id: int) -> str:
    due = Prospect.get_by_id(prospect_id).next_due_at
    return from_utc(due, TZ).format("ddd D MMM")


def settings(text: str) -> None:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


async def palette(pilot, words: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*words)
    await settle(pilot.app, pilot)
    await pilot.press("enter")
    await settle(pilot.app, pilot)


async def test_away_shows_the_plan_applies_it_and_one_undo_puts_it_back(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await palette(pilot, "away")
        assert isinstance(app.screen, AwayScreen)
        assert "Type the first and the last day away" in screen_text(app)
        await pilot.press(*"wed", "tab", *"fri")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "1 follow-up(s) move:" in shown
        assert "Mon 30 Nov: +1 → 1 of 25" in shown  # Thu 26 → the first working day after the trip
        assert due_day(seeded["Uma"]) == "Thu 26 Nov"  # nothing written before ctrl+s
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        assert due_day(seeded["Uma"]) == "Mon 30 Nov"
        assert Journal.select().order_by(Journal.id.desc()).get().action == "away"
        assert any("1 follow-up(s) moved" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert due_day(seeded["Uma"]) == "Thu 26 Nov"


async def test_catch_up_spreads_the_overdue_by_capacity_and_keeps_the_promised(seeded):
    settings("[work]\ncapacity = 2\n")
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await palette(pilot, "catch up")
        assert isinstance(app.screen, CatchUpScreen)
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Mon 23 Nov: +1 → 2 of 2" in shown  # Tess is due today: room for one
        assert "Tue 24 Nov: +1 → 1 of 2" in shown
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert (due_day(seeded["Otto"]), due_day(seeded["Olive"])) == ("Mon 23 Nov", "Tue 24 Nov")
        assert due_day(seeded["Pat"]) == "Sun 22 Nov"  # promised: the rep's word stays


async def test_the_agenda_counts_each_working_day_and_enter_narrows_the_queue_to_it(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, WeekScreen)
        assert "capacity 25 a day" in screen_text(app)
        footer = bottom_line(app)
        assert "⏎ Show the day" in footer and "↑↓ Move" in footer and "esc Back" in footer, footer
        lines = [str(option.prompt) for option in app.screen.query_one(OptionList).options]
        assert lines[0].startswith("Today") and "   1 due" in lines[0]  # Tess, at 14:00
        assert lines[3].startswith("Thu 26 Nov") and "   1 due" in lines[3]  # Uma
        assert not any(line.startswith(("Sat", "Sun")) for line in lines)  # not working days
        await pilot.press("down", "down", "down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        rows = [line for line in queue_lines(app) if line.startswith("  ")]  # not the section titles
        assert len(rows) == 1 and "Uma Upcoming" in rows[0]
        assert "due Thu 26 Nov" in str(app.screen.query_one("#queue-pane").border_title)


async def test_a_working_week_that_cannot_be_used_is_said_and_nothing_opens(seeded):
    settings('[work]\ndays = ["mon", "funday"]\n')
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        assert any("[work] days: 'funday' is not a weekday" in str(n.message) for n in app._notifications)
