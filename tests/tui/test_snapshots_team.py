"""Snapshots of the desk on a team's server book (issue 18, point 2): the assign dialog at 80×24,
over a manager's desk. The reps are login roles of the test server with fixed names (a snapshot
shows them), made for the test and dropped after it."""

from __future__ import annotations

import pytest

from storage import actions
from tests.server_books import admin, server_book_url, server_template  # noqa: F401  (fixtures)
from tests.tui.conftest import desk_app, step
from tests.tui.test_snapshots import after
from tests.team_books import SERVER_ROLES, make_team

pytestmark = [pytest.mark.timeout(120), SERVER_ROLES]

NAMES = {"alice": "ana", "bob": "ben", "maria": "mia"}


@pytest.fixture
def team_desk(server_book_url, frozen):  # noqa: F811
    for name in NAMES.values():  # left by a run that was stopped
        admin(f"DROP ROLE IF EXISTS {name}")
    for team in make_team(server_book_url, NAMES):
        with team.desk(team.alice):
            actions.add_prospect({"name": "Clémence Dufour", "company": "Atelier Dufour"}, step(0, 15))
        with team.desk(team.bob):
            actions.add_prospect({"name": "Tyler Johnson", "company": "Redwood Pet Supplies"}, step(-1))
        team.open_as(team.maria)
        yield team


def test_assign_dialog(team_desk, snap_compare):
    # the manager's desk: Tyler (overdue, Ben's), then Clémence (today, Ana's); the dialog on her
    assert snap_compare(desk_app(), terminal_size=(80, 24), run_before=after("j", "A"))
