"""A team's server book: each prospect has an owner, and the SERVER keeps a rep out of what is not
theirs (issue 18, points 2 and 3). Each rep here is a real login role of the test server, and what
they cannot do is tried with hand-written SQL on their own connection, not through the desk's
queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest

from storage import actions
from storage.actions import NextStep
from storage.actions.owners import assign
from storage.book.errors import InvalidInput
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.team_books import SERVER_ROLES, Team, make_team

pytestmark = SERVER_ROLES

NOW = dt.datetime(2026, 11, 23, 8, 30)


@pytest.fixture
def team(server_book_url) -> Iterator[Team]:
    yield from make_team(server_book_url)


def add(name: str) -> int:
    return actions.add_prospect({"name": name}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)


def test_a_prospect_belongs_to_the_rep_who_added_it_and_no_other_rep_can_reach_it(team):
    with team.desk(team.alice):
        mine = add("Alice's lead")
        actions.log_touch(mine, channel="call", outcome="talked", note="pricing next week", now=NOW)
    assert team.sql(team.alice, "SELECT owner FROM prospect WHERE id = %s", (mine,))[1] == [(team.alice,)]

    # bob, by hand: not there to read, and nothing happens to it whatever he writes
    assert team.sql(team.bob, "SELECT id FROM prospect")[1] == []
    assert team.sql(team.bob, "UPDATE prospect SET name = 'taken' WHERE id = %s", (mine,))[0] == 0
    assert team.sql(team.bob, "UPDATE prospect SET owner = current_user WHERE id = %s", (mine,))[0] == 0
    assert team.sql(team.bob, "DELETE FROM prospect WHERE id = %s", (mine,))[0] == 0
    for table in ("touch", "follow_up"):
        assert team.sql(team.bob, f"SELECT id FROM {table} WHERE prospect_id = %s", (mine,))[1] == []
        assert team.sql(team.bob, f"DELETE FROM {table} WHERE prospect_id = %s", (mine,))[0] == 0
    assert team.sql(team.bob, "SELECT id FROM journal")[1] == []
    # nor the words of it in the search index (where the server has one)
    for table in ("search_prospect", "search_note"):
        if team.sql(team.alice, "SELECT to_regclass(%s)", (table,))[1] != [(None,)]:
            assert team.sql(team.alice, f"SELECT count(*) FROM {table}")[1] == [(1,)]
            assert team.sql(team.bob, f"SELECT count(*) FROM {table}")[1] == [(0,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a touch on it: refused by the policy
        team.sql(team.bob, "INSERT INTO touch (prospect_id, at, channel, direction, outcome, note) "
                           "VALUES (%s, now(), 'call', 'out', 'talked', 'sneaky')", (mine,))

    # and it is all still there, as alice left it
    assert team.sql(team.alice, "SELECT name, owner, touch_count FROM prospect")[1] == [("Alice's lead", team.alice, 1)]
    assert len(team.sql(team.alice, "SELECT id FROM touch")[1]) == 1
    assert len(team.sql(team.alice, "SELECT id FROM journal")[1]) == 2  # added, touch logged


def test_a_shared_prospect_is_every_reps_and_a_manager_sees_the_whole_team(team):
    with team.desk(None):  # the administrator's own prospects start shared
        shared = add("Team account")
    admin_owned = team.sql(team.alice, "SELECT owner FROM prospect WHERE id = %s", (shared,))[1]
    assert admin_owned == []  # the administrator's: not a rep's, not shared
    with team.desk(None):
        assign(shared, None, now=NOW)
    with team.desk(team.alice):
        alices = add("Alice's lead")
    with team.desk(team.bob):
        bobs = add("Bob's lead")

    def seen(who: str) -> list[int]:
        return [row[0] for row in team.sql(who, "SELECT id FROM prospect ORDER BY id")[1]]

    assert seen(team.alice) == [shared, alices]
    assert seen(team.bob) == [shared, bobs]
    assert seen(team.maria) == [shared, alices, bobs]
    # bob may work on the shared one (a touch through his desk)
    with team.desk(team.bob):
        actions.log_touch(shared, channel="email", outcome="replied", direction="in", note="ok", now=NOW)
    assert len(team.sql(team.alice, "SELECT id FROM touch WHERE prospect_id = %s", (shared,))[1]) == 1


def test_a_manager_reassigns_and_the_undo_gives_it_back(team):
    with team.desk(team.alice):
        lead = add("Moving lead")
    with team.desk(team.maria):
        said = assign(lead, team.bob, now=NOW)
        assert said == f"Moving lead given to {team.bob}"
    assert team.sql(team.bob, "SELECT name FROM prospect")[1] == [("Moving lead",)]
    assert team.sql(team.alice, "SELECT name FROM prospect")[1] == []
    entries = team.sql(team.maria, "SELECT action, who, prospect FROM journal ORDER BY id")[1]
    assert entries[-1] == ("assign", team.maria, lead)
    with team.desk(team.maria):
        actions.undo(now=NOW)
    assert team.sql(team.alice, "SELECT owner FROM prospect")[1] == [(team.alice,)]
    assert team.sql(team.bob, "SELECT name FROM prospect")[1] == []


def test_a_rep_shares_their_own_prospect_and_takes_a_shared_one(team):
    """(A rep giving their own to a colleague: test_team_handover.py.)"""
    with team.desk(team.alice):
        lead = add("Handed over")
        with pytest.raises(InvalidInput, match="not a rep of this team"):
            assign(lead, "pg_monitor", now=NOW)
        assert assign(lead, None, now=NOW) == "Handed over given to the team (shared)"
    assert team.sql(team.bob, "SELECT name, owner FROM prospect")[1] == [("Handed over", None)]
    with team.desk(team.bob):  # bob takes it
        assign(lead, team.bob, now=NOW)
    assert team.sql(team.alice, "SELECT id FROM prospect")[1] == []
    # by hand: bob cannot give it to alice, nor to a role outside the team; only the server says no
    for other in (team.alice, "pg_monitor"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql(team.bob, "UPDATE prospect SET owner = %s WHERE id = %s", (other, lead))
    assert team.sql(team.bob, "SELECT owner FROM prospect")[1] == [(team.bob,)]


def test_prospects_a_rep_imports_are_theirs_not_the_teams(team):
    from storage.exchange import imports
    from storage.exchange.incoming import Incoming

    with team.desk(team.alice):
        report = imports.apply([Incoming(line=2, fields={"name": "Imported Ivy"}), Incoming(line=3, fields={"name": "Imported Ike"})],
                               now=NOW)
        assert report.added == 2
    assert team.sql(team.alice, "SELECT name, owner FROM prospect ORDER BY name")[1] == [
        ("Imported Ike", team.alice), ("Imported Ivy", team.alice)]
    assert team.sql(team.bob, "SELECT id FROM prospect")[1] == []


def test_a_book_in_a_file_has_one_rep_and_nobody_to_assign_to(book):
    lead = add("Solo")
    with pytest.raises(InvalidInput, match="one rep"):
        assign(lead, None, now=NOW)
    assert book.execute_sql("SELECT owner FROM prospect").fetchall() == [(None,)]
