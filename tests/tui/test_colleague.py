"""Someone else is on this prospect right now (issue 18, point 6): on a team's server book, another
rep's change to the prospect on screen, made in the last quarter of an hour, is said in the
prospect pane, before this rep calls them again; the desk learns of it from the server's notice,
without a key. Reps are real login roles of the test server (tests/team_books.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import tui.screens.desk_live as desk_live
from storage.book.opening import close_book
from storage.reads import prospect
from tests.conftest import ROOT
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.team_books import SERVER_ROLES, as_user
from tests.tui.conftest import desk_app, settle, until
from tests.tui.test_team_desk import detail, leads, team  # noqa: F401  (fixtures)
from tui.widgets.queue_view import QueueView

pytestmark = [pytest.mark.timeout(120), SERVER_ROLES]

BOB_CALLS = """
import datetime as dt, sys
from storage.book.opening import open_book
from storage import actions
from storage.book.models import Prospect
open_book(sys.argv[1])
account = Prospect.get(Prospect.name == "Team Account").id
actions.log_touch(account, channel="call", outcome="talked", note="Spoke to their buyer",
                  now=dt.datetime(2026, 11, 23, 8, 27))  # three minutes before the tests' moment
print("done", flush=True)
"""


async def test_a_colleagues_call_a_moment_ago_is_said_on_the_prospect(leads, monkeypatch):
    monkeypatch.setattr(desk_live, "LIVE_POLL", 0.2)
    leads.open_as(leads.alice)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j")  # the shared account
        await settle(app, pilot)
        assert app.screen.query_one(QueueView).selected.name == "Team Account"
        # the administrator shared it a moment ago (the fixture): said too, in their name
        assert "followup_ci is on this prospect: Team Account given to the team (shared), just now" in detail(app)
        assert f"{leads.bob} is on this prospect" not in detail(app)
        done = subprocess.run([sys.executable, "-c", BOB_CALLS, as_user(leads.url, leads.bob)], capture_output=True,
                              text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        assert done.stdout == "done\n", done.stderr
        said = f"⚠ {leads.bob} is on this prospect: touch logged to Team Account, 3 min ago"
        await until(app, pilot, lambda: said in detail(app), rounds=40)  # within 2 seconds of looks, no key pressed
        assert said in detail(app)
    close_book()
    leads.open_as(leads.bob)  # bob's own call is not someone else's
    account = next(row.id for row in [prospect.view(pid) for pid in range(1, 4)] if row and row.facts.name == "Team Account")
    seen = prospect.view(account).colleague
    assert seen is not None and seen.who == "followup_ci"  # the administrator's sharing, not his own call
