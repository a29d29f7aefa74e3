"""Drafts (storage.actions.drafts, storage.reads.drafts): what the rep typed and has not saved,
kept in a side table of the book — one per prospect and form, never journalled, never moving the
prospect's `updated_at`, read back as typed."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import actions
from storage.actions.drafts import DRAFT_MAX
from storage.book.errors import InvalidInput
from storage.book.models import Journal, Prospect
from storage.book.opening import close_book, open_book
from storage.reads.drafts import draft_for
from tests.storage.on_disk import second

NOW = dt.datetime(2026, 11, 23, 8, 40)


def add(name: str = "Ada") -> int:
    return actions.add_prospect({"name": name}, now=NOW - dt.timedelta(days=3))


def test_a_draft_is_kept_replaced_and_read_back_as_typed(book):
    ada = add()
    actions.keep_draft(ada, "log", {"note": "Called", "direction": "in"}, now=NOW)
    later = NOW + dt.timedelta(seconds=5)
    actions.keep_draft(ada, "log", {"note": "Called about\r\nthe [b]price[/b]  \x1b", "promised": True}, now=later)
    draft = draft_for(ada, "log")
    # as typed: line endings unified and controls visible (nothing trimmed, the rep was typing)
    assert draft.fields == {"note": "Called about\nthe [b]price[/b]  \u241b", "promised": True}
    assert draft.updated_at == later


def test_a_draft_is_not_a_change_of_the_book(book):
    ada = add()
    entries, updated = Journal.select().count(), Prospect.get_by_id(ada).updated_at
    actions.keep_draft(ada, "log", {"note": "x"}, now=NOW)
    actions.discard_draft(ada, "log")
    assert Journal.select().count() == entries
    assert Prospect.get_by_id(ada).updated_at == updated


def test_one_draft_per_prospect_and_form_and_discard_takes_only_its_own(book):
    ada, bob = add("Ada"), add("Bob")
    actions.keep_draft(ada, "log", {"note": "Ada's"}, now=NOW)
    actions.keep_draft(bob, "log", {"note": "Bob's"}, now=NOW)
    actions.discard_draft(ada, "log")
    assert draft_for(ada, "log") is None
    assert draft_for(bob, "log").fields == {"note": "Bob's"}
    actions.discard_draft(ada, "log")  # nothing there: nothing to do


@pytest.mark.parametrize(
    "form, fields",
    [("email", {"note": "x"}), ("log", {"note": 3}), ("log", {"note": "x" * DRAFT_MAX})],
    ids=["unknown-form", "not-text", "too-long"],
)
def test_a_draft_that_is_not_one_is_refused_and_nothing_is_kept(book, form, fields):
    ada = add()
    with pytest.raises(InvalidInput):
        actions.keep_draft(ada, form, fields, now=NOW)
    assert draft_for(ada, "log") is None


def test_a_draft_for_a_prospect_no_longer_in_the_book_is_not_kept(book):
    actions.keep_draft(999, "log", {"note": "x"}, now=NOW)
    assert draft_for(999, "log") is None


def test_a_draft_outlives_closing_and_opening_the_book(tmp_path):
    path = tmp_path / "book.db"
    open_book(path)
    ada = add()
    actions.keep_draft(ada, "log", {"note": "still here"}, now=NOW)
    close_book()
    open_book(path)
    assert draft_for(ada, "log").fields == {"note": "still here"}


def test_a_draft_the_book_cannot_read_is_no_draft(book):
    ada = add()
    actions.keep_draft(ada, "log", {"note": "x"}, now=NOW)
    with second(book, write=True) as conn:
        conn.run("UPDATE draft SET fields = 'not json['")
    assert draft_for(ada, "log") is None
