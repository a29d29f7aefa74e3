"""An edit form saved after another desk changed the same prospect (issue 18, point 4: no lost
update). The form (`e`) sends every field with the values it showed when it opened (`seen`): what
the rep left as they saw it is not written, so the other desk's change stays; a field both
changed is refused whole, saying who changed it and what it is now. On a file and on a server;
on a team's server the colleague is named."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import psycopg
import pytest

from storage import actions
from storage.actions import NextStep
from storage.actions.checks import PROSPECT_FIELDS
from storage.actions.owners import assign
from storage.book.errors import Conflict
from storage.book.models import Journal, Prospect
from storage.book.opening import close_book, open_book
from storage.reads.prospect import view
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.team_books import SERVER_ROLES, Team, make_team

pytestmark = SERVER_ROLES  # the team's test makes login roles

NOW = dt.datetime(2026, 11, 23, 8, 30)


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request, tmp_path) -> Iterator[None]:
    open_book(tmp_path / "book.db" if request.param == "sqlite" else request.getfixturevalue("server_book_url"))
    yield
    close_book()


def add_ada() -> int:
    return actions.add_prospect({"name": "Ada Lovelace", "phone": "111", "title": "Engineer", "deal_value": "5k"},
                                NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)


def form_opens(prospect_id: int) -> dict[str, Any]:
    """What the form shows, as the desk read it (the prospect pane's facts): what it sends as `seen`."""
    facts = asdict(view(prospect_id).facts)
    return {key: facts[key] for key in PROSPECT_FIELDS}


def saved_by_form(prospect_id: int, seen: dict[str, Any], **typed: Any) -> None:
    """The form's save: every field, the ones typed changed, with what it saw."""
    actions.edit_prospect(prospect_id, {**seen, **typed}, seen=seen, now=NOW)


def test_what_the_rep_left_as_it_was_keeps_what_another_desk_saved_meanwhile(either):
    ada = add_ada()
    seen = form_opens(ada)
    actions.edit_prospect(ada, {"phone": "222", "deal_value": "7k"}, now=NOW)  # another desk, while the form is open
    saved_by_form(ada, seen, title="CTO")
    row = Prospect.get_by_id(ada)
    assert (row.phone, row.deal_value, row.title) == ("222", 7000, "CTO")  # before: 111, 5000 written back
    [item] = json.loads(Journal.select().order_by(Journal.id.desc()).first().changes)  # the form's entry
    assert {key for key, value in item["after"].items() if item["before"][key] != value} == {"title"}


def test_a_field_both_desks_changed_is_refused_whole_saying_what_it_is_now(either):
    ada = add_ada()
    seen = form_opens(ada)
    actions.edit_prospect(ada, {"phone": "222"}, now=NOW)
    entries = Journal.select().count()
    with pytest.raises(Conflict) as refused:
        saved_by_form(ada, seen, phone="333", title="CTO")
    assert str(refused.value) == ('You changed the phone on another desk meanwhile: it is now "222". '
                                  "Nothing was saved: look again, then save.")
    row = Prospect.get_by_id(ada)
    assert (row.phone, row.title) == ("222", "Engineer") and Journal.select().count() == entries
    # the same change on both desks is no conflict
    saved_by_form(ada, seen, phone="222", title="CTO")
    assert (Prospect.get_by_id(ada).phone, Prospect.get_by_id(ada).title) == ("222", "CTO")


def test_without_what_it_saw_an_edit_writes_every_field_as_before(either):
    ada = add_ada()
    seen = form_opens(ada)
    actions.edit_prospect(ada, {"phone": "222"}, now=NOW)
    actions.edit_prospect(ada, {**seen, "title": "CTO"}, now=NOW)  # a script's edit, that saw nothing
    assert Prospect.get_by_id(ada).phone == "111"


@pytest.fixture
def team(server_book_url) -> Iterator[Team]:
    yield from make_team(server_book_url)


def test_on_a_team_the_colleague_who_changed_it_is_named(team):
    with team.desk(team.alice):
        ada = add_ada()
        assign(ada, None, now=NOW)  # shared: both work on it
        seen = form_opens(ada)
    with team.desk(team.bob):
        actions.edit_prospect(ada, {"phone": "+1 555 0100"}, now=NOW)
    with team.desk(team.alice), pytest.raises(Conflict) as refused:
        saved_by_form(ada, seen, phone="+44 20 7946 0000")
    assert str(refused.value) == (f'{team.bob} changed the phone meanwhile: it is now "+1 555 0100". '
                                  "Nothing was saved: look again, then save.")
    with psycopg.connect(team.url) as conn:
        assert conn.execute("SELECT phone FROM prospect").fetchall() == [("+1 555 0100",)]
