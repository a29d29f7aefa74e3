"""A live book (issue 13): another desk's or the command line's writes show on this desk without a
key; the cursor stays on the prospect it was on; an open dialog keeps its typed text and the desk
catches up once it closes; at midnight the sections move. The other writer is a real second
connection: a Python process writing through storage.actions on the same file, as a second desk
does. The desk's timers are awaited (its look at the book made frequent, its midnight timer set
for a clock travelled to just before midnight), never slept on."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pendulum
import pytest

import tui.screens.desk_live as desk_live
from storage import actions
from storage.book.models import Touch, database
from tests.conftest import ROOT, TZ
from tests.tui.conftest import desk_app, queue_lines, screen_text, settle, step, until
from tui.screens.desk import DeskScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.queue_view import QueueView

pytestmark = pytest.mark.timeout(120)

OTHER_DESK = """
import datetime as dt, sys
from storage.book.opening import open_book
from storage import actions
from storage.actions import NextStep
open_book(sys.argv[1])
now = dt.datetime(2026, 11, 23, 8, 45)
exec(sys.argv[2])
print("done", flush=True)
"""


def other_desk(code: str) -> None:
    """A second connection to the book writes through the actions, in a process of its own."""
    done = subprocess.run([sys.executable, "-c", OTHER_DESK, database.obj.database, code], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.stdout == "done\n", done.stderr


@pytest.fixture(autouse=True)
def look_often(monkeypatch):
    monkeypatch.setattr(desk_live, "LIVE_POLL", 0.05)


def selected(app) -> str:
    row = app.screen.query_one(QueueView).selected
    return row.name if row else ""


def queue(app) -> str:
    return "\n".join(queue_lines(app))


async def test_another_desks_writes_show_without_a_key_and_the_cursor_stays(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "j")
        await settle(app, pilot)
        assert selected(app) == "Olive Overdue"
        other_desk(f"actions.add_prospect({{'name': 'Zed Newcomer'}}, NextStep(due_at=now + dt.timedelta(hours=3)), now=now)\n"
                   f"actions.log_touch({seeded['Otto']}, channel='call', outcome='talked', note='From the other desk',"
                   f" next_step=NextStep(due_at=now + dt.timedelta(days=30)), now=now)")
        await until(app, pilot, lambda: "Zed Newcomer" in queue(app))
        lines = queue(app)
        assert "Today (2)" in lines and "Overdue (1)" in lines and "Later (2)" in lines  # Otto moved on
        assert selected(app) == "Olive Overdue"  # the cursor on the same prospect, where it now stands
        assert app.screen.query_one(DetailPane).view.facts.name == "Olive Overdue"
        assert app.screen.query_one(QueueView).has_focus


async def test_the_prospect_on_screen_is_read_again_and_followed(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert selected(app) == "Pat Promise"
        other_desk(f"actions.log_touch({seeded['Pat']}, channel='email', outcome='replied', note='Answered on the other desk', now=now)")
        await until(app, pilot, lambda: "Answered on the other desk" in screen_text(app))
        assert selected(app) == "Pat Promise"  # now without a next step: the cursor went with them
        assert "No next step (2)" in queue(app) and "Promised (0)" in queue(app)


async def test_an_open_dialog_keeps_its_text_and_the_desk_catches_up_when_it_closes(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("w", "tab", "tab", "tab", *"Half a closing note")
        await settle(app, pilot)
        dialog = app.screen
        other_desk("actions.add_prospect({'name': 'Zed Newcomer'}, NextStep(due_at=now + dt.timedelta(hours=3)), now=now)")
        for _ in range(20):  # a good many looks at the book
            await pilot.pause(0.05)
            await settle(app, pilot)
        assert app.screen is dialog and dialog.query_one("#note").text == "Half a closing note"
        assert dialog.query_one("#note").has_focus
        await pilot.press("escape")
        await settle(app, pilot)
        if not isinstance(app.screen, DeskScreen):  # typed text: "discard it?" yes
            await pilot.press("y")
        await until(app, pilot, lambda: "Zed Newcomer" in queue(app))
        assert isinstance(app.screen, DeskScreen) and selected(app) == "Pat Promise"


async def test_the_desks_own_save_is_not_read_again_as_news(seeded, monkeypatch):
    """data_version changes for the desk's own commits too: the journal tells them apart, so a save
    costs one read of the queue (the save's), not a second one a look later."""
    live_reads = []
    real = DeskScreen._live_read

    def counted(self, state):
        live_reads.append(state)
        real(self, state)

    monkeypatch.setattr(DeskScreen, "_live_read", counted)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(5):  # the first looks: the desk knows the book as it is
            await pilot.pause(0.05)
            await settle(app, pilot)
        await pilot.press("l", *"Called, all good", "ctrl+s")
        await settle(app, pilot)
        assert Touch.get(Touch.note == "Called, all good").prospect_id == seeded["Pat"]  # saved
        for _ in range(20):  # a good many looks at the book since
            await pilot.pause(0.05)
            await settle(app, pilot)
        assert live_reads == []
        other_desk("actions.add_prospect({'name': 'Zed Newcomer'}, NextStep(due_at=now + dt.timedelta(hours=3)), now=now)")
        await until(app, pilot, lambda: "Zed Newcomer" in queue(app))
        assert live_reads  # another desk's is news


@pytest.fixture
def before_midnight(book):
    """A prospect due tomorrow, on a clock that runs from 6 s before the rep's midnight (time
    enough for the desk to come up on two busy cores)."""
    start = pendulum.datetime(2026, 11, 23, 23, 59, 54, tz=TZ)
    with pendulum.travel_to(start.subtract(minutes=5), freeze=True):
        actions.add_prospect({"name": "Tom Tomorrow"}, step(1))
        actions.add_prospect({"name": "Nat Nextweek"}, step(7))
    with pendulum.travel_to(start, freeze=False):
        yield


async def test_at_midnight_tomorrow_becomes_today_without_a_key(before_midnight):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert "Upcoming (2)" in queue(app) and "Today (0)" in queue(app)
        await until(app, pilot, lambda: "Today (1)" in queue(app), rounds=400)
        assert "Upcoming (1)" in queue(app)
        assert selected(app) == "Tom Tomorrow"
