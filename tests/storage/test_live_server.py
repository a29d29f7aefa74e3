"""A live book on a server (issue 18, point 6): another desk's change is known to this desk from
the server's notice, with no query; one's own commits count too (storage.reads.changes sorts
them), and nothing is said when nobody wrote."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from storage import actions
from storage.book.opening import open_book
from storage.engines import current
from storage.reads.changes import look

NOW = dt.datetime(2026, 11, 23, 8, 30)


@pytest.fixture
def server_book(server_book_url):
    db = open_book(server_book_url)
    yield server_book_url
    db.close()


def other_desk_adds(url: str, name: str) -> None:
    """Another desk, by hand: an action's rows and its journal entry in one transaction."""
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO journal (at, who, action, summary, changes) VALUES (now(), 'other', 'add', %s, '[]')",
                     (name,))


def test_another_desks_change_shows_as_news_and_our_own_does_not(server_book):
    first = look(None)
    assert first.version is not None and not first.news
    assert look(first) == first  # nobody wrote: the same look, nothing read

    other_desk_adds(server_book, "Elsewhere")
    assert current().wait_for_change(2.0)  # the notice reaches us within the desk's 2 seconds
    seen = look(first)
    assert seen.version != first.version and seen.news

    actions.add_prospect({"name": "Mine"}, now=NOW)
    assert current().wait_for_change(2.0)
    ours = look(seen)
    assert ours.version != seen.version and not ours.news  # our own save: not news
