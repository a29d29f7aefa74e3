"""A rep hands their own prospect to a colleague (issue 18, point 2: accounts move between reps).
The server lets them, through its own function (storage/engines/postgres_team.py: a rep may not
write a row they would no longer see), and only for their own prospect and to a rep of the team:
tried with hand-written SQL on each rep's own connection. One journal entry, the rep's; their
undo passes it by to their older changes, saying so once, but refuses an older change of that
prospect, saying it is off their desk; the colleague or a manager gives it back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import psycopg
import pytest

from storage import actions
from storage.actions import NextStep
from storage.actions.owners import assign
from storage.book.errors import InvalidInput
from storage.book.migrations import STEPS
from storage.book.migrations_team import _v19_hand_over
from storage.book.opening import close_book, open_book
from storage.exchange import imports
from storage.exchange.incoming import Incoming
from tests.server_books import admin, server_book_url, server_template  # noqa: F401  (fixtures)
from tests.team_books import SERVER_ROLES, Team, make_team

pytestmark = SERVER_ROLES

NOW = dt.datetime(2026, 11, 23, 8, 30)
GIVE = "SELECT followup_hand_over(%s, %s, now()::timestamp)"


@pytest.fixture
def team(server_book_url) -> Iterator[Team]:
    yield from make_team(server_book_url)


def add(name: str) -> int:
    return actions.add_prospect({"name": name}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)


def journal(team: Team) -> list[tuple]:
    """Every entry, as the administrator reads it: (who, action, prospect, changes)."""
    with psycopg.connect(team.url) as conn:
        return conn.execute("SELECT who, action, prospect, changes FROM journal ORDER BY id").fetchall()


def test_a_rep_gives_their_own_prospect_to_a_colleague_with_its_history(team):
    with team.desk(team.alice):
        lead = add("Moving account")
        actions.log_touch(lead, channel="call", outcome="talked", note="wants a demo", now=NOW)
        later = NOW + dt.timedelta(hours=1)
        assert assign(lead, team.bob, now=later) == f"Moving account given to {team.bob}: theirs now, off your desk"
    assert team.owners() == {"Moving account": team.bob}
    assert team.sql(team.alice, "SELECT id FROM prospect")[1] == []
    assert team.sql(team.bob, "SELECT name, touch_count, updated_at FROM prospect")[1] == [("Moving account", 1, later)]
    assert team.sql(team.bob, "SELECT note FROM touch")[1] == [("wants a demo",)]
    assert team.sql(team.bob, "SELECT count(*) FROM follow_up")[1] == [(1,)]

    entries = journal(team)
    assert [entry[:3] for entry in entries] == [(team.alice, "add_prospect", lead), (team.alice, "log_touch", lead),
                                                (team.alice, "assign", lead)]
    [row] = json.loads(entries[-1][3])  # the row as it was and as it became, though alice cannot read it now
    assert row["table"] == "prospect" and row["id"] == lead
    assert (row["before"]["owner"], row["after"]["owner"]) == (team.alice, team.bob)
    assert row["after"]["updated_at"] == "2026-11-23 09:30:00"
    assert {k: v for k, v in row["after"].items() if k not in ("owner", "updated_at")} == \
           {k: v for k, v in row["before"].items() if k not in ("owner", "updated_at")}
    # bob's desk reads the entry (it is about a prospect he sees): his colleague line, his undo's checks
    assert team.sql(team.bob, "SELECT action, who FROM journal WHERE prospect = %s ORDER BY id DESC LIMIT 1",
                    (lead,))[1] == [("assign", team.alice)]


def test_the_giver_cannot_take_it_back_by_undo_the_colleague_or_a_manager_gives_it_back(team):
    with team.desk(team.alice):
        lead = add("Moving account")
        assign(lead, team.bob, now=NOW)
        with pytest.raises(InvalidInput) as refused:
            actions.undo(now=NOW)
        assert refused.value.message == (f"Can't undo 'Moving account given to {team.bob}': Moving account is "
                                         f"{team.bob}'s now and off your desk; {team.bob} or a manager can give it back.")
    assert team.owners() == {"Moving account": team.bob}
    assert len(journal(team)) == 2  # nothing written by the refusal

    with team.desk(team.bob):  # bob hands it back the same way
        assign(lead, team.alice, now=NOW)
    assert team.owners() == {"Moving account": team.alice}
    with team.desk(team.alice):
        assign(lead, team.bob, now=NOW)
    with team.desk(team.maria):  # a manager gives it back; and her undo undoes that
        assign(lead, team.alice, now=NOW)
        assert team.owners() == {"Moving account": team.alice}
        actions.undo(now=NOW)
    assert team.owners() == {"Moving account": team.bob}


def test_a_rep_gives_only_their_own_and_only_to_a_rep_of_the_team(team):
    with team.desk(None):
        shared = add("Team account")
        assign(shared, None, now=NOW)
    with team.desk(team.alice):
        mine = add("Alice's lead")
        with pytest.raises(InvalidInput, match="shared by the team: take it first, or ask a manager"):
            assign(shared, team.bob, now=NOW)
        with pytest.raises(InvalidInput, match="not a rep of this team"):
            assign(mine, "followup_ci", now=NOW)
    with team.desk(team.bob):
        bobs = add("Bob's lead")
    before = team.owners()

    # by hand, on each rep's own connection: only the server's rules stand in the way
    refused = [
        (team.bob, mine, team.bob),  # someone else's prospect, to himself
        (team.bob, mine, team.maria),  # someone else's, to a colleague
        (team.alice, shared, team.bob),  # the team's, not hers
        (team.alice, mine, "pg_monitor"),  # a role outside the team
        (team.alice, mine, "followup_ci"),  # the server's superuser: not a rep
        (team.alice, mine, "nobody_at_all"),
        (team.alice, bobs, team.alice),  # bob's, which she cannot even see
    ]
    for who, prospect, to in refused:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql(who, GIVE, (prospect, to))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the policy itself is as it was
        team.sql(team.alice, "UPDATE prospect SET owner = %s WHERE id = %s", (team.bob, mine))
    assert team.owners() == before
    # a login role outside the team may not call it at all
    outsider = f"{team.alice}_out"
    admin(f"CREATE ROLE {outsider} LOGIN")
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for function"):
            team.sql(outsider, GIVE, (mine, outsider))
    finally:
        admin(f"DROP ROLE {outsider}")

    team.sql(team.alice, GIVE, (mine, team.maria))  # her own, to the manager: the one way it goes
    assert team.owners() == {**before, "Alice's lead": team.maria}


def test_a_server_book_made_before_the_step_gets_the_hand_over_by_it(team):
    """A book of schema 18 has no function: step 19 makes it (run here alone, as the migration
    runs it: later steps need not run twice)."""
    assert STEPS[19 - 1] is _v19_hand_over
    with psycopg.connect(team.url, autocommit=True) as conn:
        conn.execute("DROP FUNCTION followup_hand_over(bigint, text, timestamp)")
    _v19_hand_over(open_book(team.url))
    close_book()
    with team.desk(team.alice):
        lead = add("Moving account")
        assign(lead, team.bob, now=NOW)
    assert team.owners() == {"Moving account": team.bob}


def test_the_givers_undo_passes_the_giving_by_to_their_older_changes_and_says_so_once(team):
    with team.desk(team.alice):
        moving = add("Moving account")
        kept = add("Kept lead")
        actions.log_touch(kept, channel="call", outcome="talked", note="call back Friday", now=NOW)
        assign(moving, team.bob, now=NOW)
        before = len(journal(team))

        assert actions.undo(now=NOW).message == (f"Undone: touch logged to Kept lead (passed by 'Moving account "
                                                 f"given to {team.bob}': {team.bob}'s now)")
        assert team.sql(team.alice, "SELECT count(*) FROM touch")[1] == [(0,)]
        assert actions.undo(now=NOW).message == "Undone: Kept lead added"  # said once
        assert team.sql(team.alice, "SELECT name FROM prospect")[1] == []
        # the next is the giving's own prospect: refused, as the giving is, and nothing written
        with pytest.raises(InvalidInput) as refused:
            actions.undo(now=NOW)
        assert refused.value.message == (f"Can't undo 'Moving account given to {team.bob}': Moving account is "
                                         f"{team.bob}'s now and off your desk; {team.bob} or a manager can give it back.")
        assert len(journal(team)) == before + 2
        assert actions.redo(now=NOW).message == "Redone: Kept lead added"
    assert team.owners() == {"Moving account": team.bob, "Kept lead": team.alice}
    assert team.sql(team.bob, "SELECT name, touch_count FROM prospect")[1] == [("Moving account", 0)]


def test_an_older_change_to_the_given_prospect_is_refused_one_by_one_or_in_bulk(team):
    with team.desk(team.alice):
        moving = add("Moving account")
        actions.log_touch(moving, channel="call", outcome="talked", note="wants a demo", now=NOW)
        assign(moving, team.bob, now=NOW)
        with pytest.raises(InvalidInput, match=f"^Can't undo 'Moving account given to {team.bob}': Moving account is "):
            actions.undo(now=NOW)
    assert team.sql(team.bob, "SELECT note FROM touch")[1] == [("wants a demo",)]

    with team.desk(team.alice):  # brought by an import, with a colleague's, then given away
        imports.apply([Incoming(2, {"name": "Imported A"}), Incoming(3, {"name": "Imported B"})], now=NOW)
        given = team.sql(team.alice, "SELECT id FROM prospect WHERE name = 'Imported B'")[1][0][0]
        assign(given, team.bob, now=NOW)
        with pytest.raises(InvalidInput, match=f"^Can't undo 'Imported B given to {team.bob}': Imported B is "):
            actions.undo(now=NOW)
    assert team.owners() == {"Moving account": team.bob, "Imported A": team.alice, "Imported B": team.bob}
