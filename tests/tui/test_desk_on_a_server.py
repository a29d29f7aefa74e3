"""The same desk on a team's server book (issue 18, point 1): the queue, a save and search through the
real app with real keys, and another desk's change shown without a key (LISTEN/NOTIFY), on a
database of the test server instead of a file. `book` is the server's here, so `seeded` and the
desk's own reads all go to the server."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

import tui.screens.desk_live as desk_live
from storage.book.opening import open_book
from tests.conftest import ROOT
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.tui.conftest import desk_app, queue_lines, screen_text, settle
from tui.widgets.queue_view import QueueView

pytestmark = pytest.mark.timeout(120)

OTHER_DESK = """
import datetime as dt, sys
from storage.book.opening import open_book
from storage import actions
from storage.actions import NextStep
open_book(sys.argv[1])
now = dt.datetime(2026, 11, 23, 8, 45)
actions.add_prospect({'name': 'Zed From Another Desk'}, NextStep(due_at=now + dt.timedelta(hours=3)), now=now)
print("done", flush=True)
"""


@pytest.fixture
def book(server_book_url):  # noqa: F811  (the server's book instead of a file)
    db = open_book(server_book_url)
    db.url = server_book_url
    yield db
    db.close()


def queue(app) -> str:
    return "\n".join(queue_lines(app))


async def test_the_desk_reads_saves_and_searches_a_server_book(seeded, book):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        lines = queue(app)
        assert "Promised (1)" in lines and "Overdue (2)" in lines and "No next step (1)" in lines
        assert app.screen.query_one(QueueView).selected.name == "Pat Promise"
        await pilot.press("j", "l", *"Called from the server desk", "ctrl+s")
        await settle(app, pilot)
        with psycopg.connect(book.url) as conn:  # on the server, committed
            rows = conn.execute("SELECT p.name, t.note FROM touch t JOIN prospect p ON p.id = t.prospect_id").fetchall()
        assert rows == [("Otto Overdue", "Called from the server desk")]
        await pilot.press("slash", *"otto", "enter")  # the first hit opens: the desk moves to it
        await settle(app, pilot)
        assert app.screen.query_one(QueueView).selected.name == "Otto Overdue"
        assert "Called from the server desk" in screen_text(app)


async def test_another_desks_change_shows_without_a_key(seeded, book, monkeypatch):
    monkeypatch.setattr(desk_live, "LIVE_POLL", 0.2)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(3):  # the desk's first looks: it knows the book as it is
            await pilot.pause(0.05)
            await settle(app, pilot)
        done = subprocess.run([sys.executable, "-c", OTHER_DESK, book.url], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        assert done.stdout == "done\n", done.stderr
        for _ in range(40):  # within 2 seconds of looks, no key pressed
            await pilot.pause(0.05)
            await settle(app, pilot)
            if "Zed From Another Desk" in queue(app):
                break
        assert "Zed From Another Desk" in queue(app)
        assert app.screen.query_one(QueueView).selected.name == "Pat Promise"
