"""The same desk on a team's server book (issue 18, point 1): the queue, a save and search through the
real app with real keys, and another desk's change shown without a key (LISTEN/NOTIFY), on a
database of the test server instead of a file. `book` is the server's here, so `seeded` and the
desk's own reads all go to the server."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import psycopg
import pytest

import tui.screens.desk_live as desk_live
from storage.book.opening import open_book
from tests.conftest import ROOT
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.tui.conftest import desk_app, queue_lines, screen_text, settle, until
from tui.screens.desk import DeskScreen
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
        await until(app, pilot, lambda: "Zed From Another Desk" in queue(app), rounds=40)  # within 2 seconds of looks, no key pressed
        assert "Zed From Another Desk" in queue(app)
        assert app.screen.query_one(QueueView).selected.name == "Pat Promise"


async def test_a_save_refused_by_another_desks_change_says_so_and_the_desk_reads_again(seeded, book, monkeypatch):
    monkeypatch.setattr(desk_live, "LIVE_POLL", 3600)  # no look of its own: only the refusal reads again
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        with psycopg.connect(book.url, autocommit=True) as conn:  # another desk, meanwhile
            conn.execute("INSERT INTO prospect (name, company, title, email, phone, best_time, timezone, deal_value,"
                         " source, status, drop_reason, created_at, updated_at, touch_count, unanswered_streak,"
                         " next_due_at, next_promised, notes, closing_note, next_has_time)"
                         " VALUES ('Zed Meanwhile', '', '', '', '', '', '', 0, '', 'active', '', now(), now(), 0, 0,"
                         " '2026-11-23 10:00', false, '', '', true)")
            # and the database refuses this desk's touch as a second desk's row would (a unique index)
            conn.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "RAISE unique_violation USING MESSAGE = 'another desk came first'; END $$")
            conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON touch FOR EACH ROW EXECUTE FUNCTION refuse()")
        await pilot.press("l", *"Too late", "ctrl+s")
        await settle(app, pilot)
        assert "Someone changed this prospect just now" in screen_text(app)  # said where the rep looks
        await pilot.press("escape")
        await settle(app, pilot)
        if not isinstance(app.screen, DeskScreen):  # typed text: "discard it?" yes
            await pilot.press("y")
            await settle(app, pilot)
        assert "Zed Meanwhile" in queue(app)  # read again at once, without a look of its own
        with psycopg.connect(book.url) as conn:
            assert conn.execute("SELECT count(*) FROM touch").fetchone() == (0,)  # nothing half-written


async def test_r_shows_the_reports_of_a_server_book(seeded, book):
    """The reports read the server as they read a file (issue 17 on issue 18's book): the call
    logged to Pat is there, and the open pipeline of the seeded queue."""
    from storage import actions

    actions.log_touch(seeded["Pat"], channel="call", outcome="talked")
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("r")
        await until(app, pilot, lambda: "1 out" in screen_text(app))
        text = screen_text(app)
        assert re.search(r"call\s+1 out\s+1 answered\s+100%", text), text
        assert "14,000" in text  # Olive's and Otto's overdue deals
