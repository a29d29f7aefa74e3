"""The desk on a team's server book (issue 18, point 2): whose a prospect is, giving it to a rep or
to the team (`A`), a manager's queue and its filter by rep. Each rep is a real login role of the
test server and each desk is opened as that rep, the way the rep's own desk opens the book: what a
rep does not see, the server keeps from them (storage/engines/postgres_team.py); these tests look
at what the desk shows them, with real keys, and at what is on the server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest
from textual.widgets import OptionList

import tui.screens.desk_live as desk_live

from storage import actions
from storage.actions.owners import assign
from storage.book.opening import close_book, open_book
from tests.conftest import ROOT
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.team_books import SERVER_ROLES, Team, as_user, make_team
from tests.tui.conftest import desk_app, queue_lines, screen_text, settle, step, until
from tests.tui.test_palette import offered
from tui.screens.desk import DeskScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.queue_view import QueueView

pytestmark = [pytest.mark.timeout(120), SERVER_ROLES]


@pytest.fixture
def team(server_book_url, frozen) -> Iterator[Team]:  # noqa: F811
    yield from make_team(server_book_url)


@pytest.fixture
def leads(team) -> Team:
    """Alice's lead (due today), Bob's lead (overdue) and a shared account (upcoming)."""
    with team.desk(team.alice):
        actions.add_prospect({"name": "Alice Lead", "company": "Acme"}, step(0, 15))
    with team.desk(team.bob):
        actions.add_prospect({"name": "Bob Lead", "company": "Bolt"}, step(-1))
    with team.desk(None):
        shared = actions.add_prospect({"name": "Team Account", "company": "Teamco"}, step(2))
        assign(shared, None)
    return team


def detail(app) -> str:
    return app.screen.query_one(DetailPane).visual.plain


def choices(app) -> list[str]:
    """The assign dialog's list, as shown."""
    options = app.screen.query_one("#owner", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def told(app) -> list[str]:
    """The desk's messages (toasts), oldest first."""
    return [str(note.message) for note in app._notifications]


def queue(app) -> str:
    return "\n".join(queue_lines(app))


async def choose(app, pilot, name: str) -> None:
    """Move the focused list (the assign dialog's, or an open drop-down's) to the option naming
    `name`, with real keys, then enter. The server's team is every rep on the server, and other
    tests make reps of their own at the same time: an option's place is read, never assumed."""
    from textual.widgets import OptionList

    await settle(app, pilot)
    options = app.focused
    assert isinstance(options, OptionList), options
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    [target] = [i for i, prompt in enumerate(prompts) if prompt.split()[0] == name]
    here = options.highlighted or 0
    await pilot.press(*(["down"] * (target - here) if target >= here else ["up"] * (here - target)), "enter")


async def test_a_reps_desk_shows_their_own_and_the_shared_never_another_reps(leads):
    leads.open_as(leads.alice)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        lines = queue(app)
        assert "Alice Lead" in lines and "Team Account" in lines
        assert "Bob Lead" not in lines and "Overdue (0)" in lines
        assert detail(app).splitlines()[0] == "Alice Lead  active · yours"
        await pilot.press("j")
        await settle(app, pilot)
        assert detail(app).splitlines()[0] == "Team Account  active · shared by the team"
        assert "mine" not in lines and "shared" not in lines  # a rep's rows name no owner
        await pilot.press("slash", *"bob", "enter")  # nor does search find him
        await settle(app, pilot)
        assert "Bob Lead" not in screen_text(app)


async def test_a_manager_sees_the_team_whose_each_is_and_gives_one_to_another_rep(leads):
    leads.open_as(leads.maria)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        lines = queue(app)
        for name in ("Alice Lead", "Bob Lead", "Team Account"):
            assert name in lines
        bob_row = next(line for line in queue_lines(app) if "Bob Lead" in line)
        assert leads.bob in bob_row  # a manager's rows say whose, where the pane has room
        assert "shared" in next(line for line in queue_lines(app) if "Team Account" in line)
        await pilot.press("j")  # Alice Lead (today), after Bob's overdue one
        await settle(app, pilot)
        assert detail(app).splitlines()[0] == f"Alice Lead  active · {leads.alice}'s"
        await pilot.press("ctrl+p")  # the palette offers it too, named for her
        await settle(app, pilot)
        assert "Give Alice Lead to a rep, or share with the team (A)" in offered(app)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        ours = [c for c in choices(app) if c.split()[0] in (leads.alice, leads.bob, leads.maria) or c.startswith("the team")]
        assert ours == [f"{leads.alice}  ← now", leads.bob, f"{leads.maria} (manager) — you", "the team (shared)"]
        await choose(app, pilot, leads.bob)  # alice (now), then bob
        await settle(app, pilot)
        assert leads.owners()["Alice Lead"] == leads.bob
        assert detail(app).splitlines()[0] == f"Alice Lead  active · {leads.bob}'s"
        await pilot.press("ctrl+z")  # given back
        await settle(app, pilot)
        assert leads.owners()["Alice Lead"] == leads.alice
        assert detail(app).splitlines()[0] == f"Alice Lead  active · {leads.alice}'s"


MANAGER_GIVES = """
import sys
from storage.book.opening import open_book
from storage.actions.owners import assign
from storage.book.models import Prospect
open_book(sys.argv[1])
lead = Prospect.get(Prospect.name == "Alice Lead").id
print(assign(lead, sys.argv[2]), flush=True)
"""


async def test_a_prospect_given_away_leaves_the_reps_desk_without_a_key(leads, monkeypatch):
    """Maria (another process, a manager) gives Alice's lead to Bob while Alice's desk is up: the
    server's notice tells Alice's desk, though the journal entry is not hers to read (nor the
    prospect any more), and the lead leaves her screen; Bob's desk has it, beside his own."""
    monkeypatch.setattr(desk_live, "LIVE_POLL", 0.2)
    leads.open_as(leads.alice)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(3):  # the desk's first looks: it knows the book as it is
            await pilot.pause(0.05)
            await settle(app, pilot)
        assert "Alice Lead" in queue(app) and "Alice Lead" in detail(app)
        done = subprocess.run([sys.executable, "-c", MANAGER_GIVES, as_user(leads.url, leads.maria), leads.bob],
                              capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              timeout=60)
        assert done.stdout == f"Alice Lead given to {leads.bob}\n", done.stderr
        await until(app, pilot, lambda: "Alice Lead" not in queue(app), rounds=40)  # within 2 seconds of looks, no key pressed
        assert "Alice Lead" not in queue(app) and "Alice Lead" not in detail(app)
        assert "Team Account" in queue(app)
    close_book()
    leads.open_as(leads.bob)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        assert "Alice Lead" in queue(app) and "Bob Lead" in queue(app)


async def test_a_reps_refused_assign_says_why_in_the_dialog_sharing_and_taking_go(leads):
    leads.open_as(leads.alice)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(QueueView).selected.name == "Alice Lead"
        await pilot.press("A", "end", "enter")  # the team (shared), the last
        await settle(app, pilot)
        assert leads.owners()["Alice Lead"] is None
        assert detail(app).splitlines()[0] == "Alice Lead  active · shared by the team"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert leads.owners()["Alice Lead"] == leads.alice
        assert detail(app).splitlines()[0] == "Alice Lead  active · yours"
        await pilot.press("j", "A")
        await choose(app, pilot, leads.bob)  # the shared account to bob: a manager's to give
        await settle(app, pilot)
        said = screen_text(app)
        assert f"Team Account is shared by the team: take it first, or ask a manager to give it to {leads.bob}." in said
        assert leads.owners()["Team Account"] is None  # nothing saved
        await choose(app, pilot, leads.alice)  # she takes it
        await settle(app, pilot)
        assert leads.owners()["Team Account"] == leads.alice
        assert detail(app).splitlines()[0] == "Team Account  active · yours"


async def test_a_rep_gives_her_lead_to_a_colleague_it_leaves_her_desk_and_undo_says_why(leads):
    leads.open_as(leads.alice)
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(QueueView).selected.name == "Alice Lead"
        await pilot.press("A")
        await choose(app, pilot, leads.bob)
        await settle(app, pilot)
        assert leads.owners()["Alice Lead"] == leads.bob
        assert told(app) == [f"Alice Lead given to {leads.bob}: theirs now, off your desk"]
        assert "Alice Lead" not in queue(app) and "Alice Lead" not in detail(app)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert told(app)[-1].endswith(f"Alice Lead is {leads.bob}'s now and off your desk; {leads.bob} or a manager can give it back.")
        assert leads.owners()["Alice Lead"] == leads.bob
        assert isinstance(app.screen, DeskScreen)


async def test_a_manager_filters_the_queue_by_rep(leads):
    leads.open_as(leads.maria)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        # the filter: kind, channel, status, then rep; its list: the whole team, alice, bob, mine
        await pilot.press("f", "tab", "tab", "tab", "enter")
        await choose(app, pilot, leads.bob)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        lines = queue(app)
        assert "Bob Lead" in lines and "Alice Lead" not in lines and "Team Account" not in lines
        assert f"rep {leads.bob} (esc clears)" in str(app.screen.query_one("#queue-pane").border_title)
        await pilot.press("escape")
        await settle(app, pilot)
        assert all(name in queue(app) for name in ("Alice Lead", "Bob Lead", "Team Account"))
        await pilot.press("f", "tab", "tab", "tab", "enter", "end", "enter", "ctrl+s")  # the team's (shared), last
        await settle(app, pilot)
        lines = queue(app)
        assert "Team Account" in lines and "Alice Lead" not in lines and "Bob Lead" not in lines
        assert "shared (esc clears)" in str(app.screen.query_one("#queue-pane").border_title)


async def test_the_administrators_desk_is_a_managers(leads):
    """The team's administrator (the role that made the book; no rep) sees every prospect, as the
    server lets them: their desk names each row's rep, as a manager's does."""
    open_book(leads.url)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        rows = queue_lines(app)
        assert leads.bob in next(line for line in rows if "Bob Lead" in line)
        assert leads.alice[:9] in next(line for line in rows if "Alice Lead" in line)  # cut to its column
        assert detail(app).splitlines()[0] == f"Bob Lead  active · {leads.bob}'s"


async def test_a_file_book_shows_no_owner_and_assign_says_it_has_one_rep(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        assert detail(app).splitlines()[0] == "Pat Promise  active"
        await pilot.press("A")
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == [
            "This book has one rep: prospects are assigned on a team's server book."]
        assert isinstance(app.screen, DeskScreen)  # no dialog
        await pilot.press("ctrl+p")  # nor does the palette offer it
        await settle(app, pilot)
        assert not any(entry.startswith("Give") for entry in offered(app))
