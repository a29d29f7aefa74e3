"""ctrl+z and ctrl+y at the desk, with real keys on a real book: a touch logged and undone is gone
from the history and the queue row is back where it was, with a toast in the rep's words; redo
brings it back; a refusal says why; nothing to undo says so; the undo reaches past a restart."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import actions
from storage.book.models import Prospect, Touch
from storage.book.opening import close_book, open_book
from tests.tui.conftest import desk_app, paste, queue_lines, settle
from tui.widgets.history_pane import HistoryPane
from tui.widgets.queue_view import QueueView


@pytest.fixture(autouse=True)
def sam(monkeypatch):
    """The desk's rep, by name (the journal's `who` is the OS user's)."""
    monkeypatch.setenv("LOGNAME", "sam")


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


def selected_name(app) -> str:
    row = app.screen.query_one(QueueView).selected
    return row.name if row else ""


def history(app) -> str:
    return str(app.screen.query_one(HistoryPane).visual.plain)


def queue(app) -> str:
    return "\n".join(line.strip() for line in queue_lines(app))


async def log_a_touch(app, pilot, note: str) -> None:
    await pilot.press("l")
    await paste(pilot, note)
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_ctrl_z_takes_back_a_touch_and_ctrl_y_logs_it_again(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("j")  # Otto, overdue
        before = queue(app)
        await log_a_touch(app, pilot, "Left a voicemail about the zebra demo")
        assert "Overdue (1)" in queue(app) and selected_name(app) == "Olive Overdue"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert toasts(app)[-1] == "Undone: touch logged to Otto Overdue"
        assert queue(app) == before  # Otto is back in Overdue, above Olive
        assert selected_name(app) == "Otto Overdue"
        assert "zebra demo" not in history(app)
        assert Touch.select().where(Touch.prospect == seeded["Otto"]).count() == 0
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert toasts(app)[-1] == "Redone: touch logged to Otto Overdue"
        assert selected_name(app) == "Otto Overdue"  # shown where the touch put them
        assert "zebra demo" in history(app)
        assert "Overdue (1)" in queue(app)


async def test_undo_steps_back_several_changes_then_says_there_is_nothing_more(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("j")
        await log_a_touch(app, pilot, "First")  # Otto, then the cursor is on Olive
        await log_a_touch(app, pilot, "Second")  # Olive
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert toasts(app)[-2:] == ["Undone: touch logged to Olive Overdue", "Undone: touch logged to Otto Overdue"]
        assert Touch.select().count() == 0
        for _ in range(8):  # the seven seeded prospects were added by this desk too, then nothing
            await pilot.press("ctrl+z")
            await settle(app, pilot)
        assert toasts(app)[-1] == "Nothing to undo."
        assert Prospect.select().count() == 0


async def test_nothing_to_undo_or_redo_is_said(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert toasts(app)[-1] == "Nothing to redo."


async def test_an_undo_another_desk_built_on_is_refused_with_the_reason(seeded, monkeypatch):
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("j")
        await log_a_touch(app, pilot, "Talked")
        monkeypatch.setenv("LOGNAME", "maria")  # another desk on the same book moves Otto's step
        otto = Prospect.get_by_id(seeded["Otto"])
        actions.snooze(otto.id, otto.next_due_at + dt.timedelta(days=2))
        monkeypatch.setenv("LOGNAME", "sam")
        touches = Touch.select().count()
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert toasts(app)[-1] == (
            "Can't undo 'touch logged to Otto Overdue': a later change by maria, 'Otto Overdue snoozed', depends on it."
        )
        assert Touch.select().count() == touches  # nothing written
        await pilot.press("j")
        assert app.screen.query_one(QueueView).selected is not None  # the desk carries on


async def test_an_undo_reaches_back_past_a_restart(seeded, tmp_path):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j")
        await log_a_touch(app, pilot, "Before the restart")
    close_book()
    open_book(tmp_path / "book.db")
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert toasts(app)[-1] == "Undone: touch logged to Otto Overdue"
        assert selected_name(app) == "Otto Overdue"
        assert "Before the restart" not in history(app)
