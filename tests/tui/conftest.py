"""A small book with one prospect in each queue section, and the desk opened on it."""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from storage import actions
from storage.actions import NextStep
from storage.rules.dates import When, stored
from tests.conftest import FROZEN, TZ
import tui.app
from tui.app import FollowupApp
from tui.widgets.queue_view import QueueView


def local(days: int, hour: int | None = None) -> tuple[dt.datetime, bool]:
    day = FROZEN.date().add(days=days)
    when = When(dt.date(day.year, day.month, day.day), dt.time(hour) if hour is not None else None)
    return stored(when, TZ), hour is not None  # as the desk's date field keeps it


def step(days: int, hour: int | None = None, **kw) -> NextStep:
    due_at, has_time = local(days, hour)
    return NextStep(due_at=due_at, has_time=has_time, **kw)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A field's cursor always drawn: its blink is a timer, so a snapshot caught it lit or not by
    chance (seen under load, in parallel runs)."""

    def lit(widget) -> None:
        widget._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", lit)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lit)


@pytest.fixture(autouse=True)
def no_terminal_left_running():
    """A desk on a real terminal (tests/tui/real_terminal.py) ends with its test, pass or fail."""
    from tests.tui.real_terminal import Terminal

    yield
    Terminal.end_all()


@pytest.fixture
def seeded(book, frozen) -> dict[str, int]:
    """The queue, in order: Pat (promised) · Otto, Olive (overdue, larger deal first) · Tess (today)
    · Uma (upcoming) · Larry (later) · Nina (no next step)."""
    ids = {
        "Pat": actions.add_prospect({"name": "Pat Promise", "company": "Pact"}, step(-1, promised=True, what="Send the price")),
        "Olive": actions.add_prospect({"name": "Olive Overdue", "deal_value": 5000}, step(-2)),
        "Otto": actions.add_prospect({"name": "Otto Overdue", "deal_value": 9000}, step(-2, channel="email")),
        "Tess": actions.add_prospect({"name": "Tess Today"}, step(0, 14)),
        "Uma": actions.add_prospect({"name": "Uma Upcoming"}, step(3)),
        "Larry": actions.add_prospect({"name": "Larry Later"}, step(20)),
        "Nina": actions.add_prospect({"name": "Nina Nostep"}),
    }
    return ids


class DeskForTests(FollowupApp):
    """The desk, started the way a rep meets it: once its first reads (queue, the prospect on
    screen) have come back from their workers."""

    CSS_PATH = Path(tui.app.__file__).with_name("app.tcss")  # relative paths follow the subclass

    @asynccontextmanager
    async def run_test(self, *args, **kwargs):
        async with super().run_test(*args, **kwargs) as pilot:
            await desk_ready(self, pilot)
            yield pilot


def desk_app() -> FollowupApp:
    return DeskForTests(TZ, book_label="test")


def queue_lines(app: FollowupApp) -> list[str]:
    view = app.screen.query_one(QueueView)
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


def screen_text(app: FollowupApp) -> str:
    """Everything the current screen shows, as plain text."""
    from textual.widgets import Input, Label, Static, TextArea

    from tui.widgets.scrolling_pane import ScrollingPane

    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, QueueView):
            parts += queue_lines(app)
        elif isinstance(widget, ScrollingPane):  # the prospect and the history: drawn line by line
            parts.append(str(widget.visual.plain))
        elif isinstance(widget, (Static, Label)):
            parts.append(str(widget.visual.plain if hasattr(widget.visual, "plain") else widget.render()))
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
    return "\n".join(parts)


async def desk_ready(app: FollowupApp, pilot) -> None:
    """Until the desk is up and no longer waiting for the book (its first reads, the wake-up)."""
    from tui.screens.desk import DeskScreen

    for _ in range(50):
        await settle(app, pilot)
        if isinstance(app.screen, DeskScreen) and not app.screen.waiting:
            return
    raise AssertionError("the desk never came up")


async def paste(pilot, text: str) -> None:
    """What the terminal sends when the rep pastes: the whole text in one event, into the focused
    field (for text whose typing, key by key, is not what a test is about)."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def settle(app: FollowupApp, pilot) -> None:
    """Let the desk's reads and saves finish in their workers and the desk repaint, including the
    reads that a finished one starts (the next page of a history, the prospect after a save)."""
    from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

    for _ in range(50):
        await pilot.pause()
        if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
            await pilot.pause()
            if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
                return
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass  # the screen shows the failure; the test asserts on that
        except WorkerCancelled:
            pass  # superseded by a newer call of its group (an exclusive one): the loop waits for that
    raise AssertionError("the desk never settled: workers keep starting")


async def until(app, pilot, shown, rounds: int = 100) -> None:
    """Until `shown()` holds, awaiting the desk's timers and the reads they start (no key)."""
    for _ in range(rounds):
        await pilot.pause(0.05)
        await settle(app, pilot)
        if shown():
            return
    raise AssertionError("never shown:\n" + screen_text(app))
