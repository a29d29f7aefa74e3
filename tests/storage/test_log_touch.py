"""Logging a touch as it happened: who started it (out / in: an inbound touch is their answer),
when (earlier, never in the future), and the history and derived fields that follow."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.errors import InvalidInput
from storage.book.models import Journal, Prospect, Touch
from storage.reads.prospect import view
from tests.book_checks import derived_mismatches, snapshot

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris


def ago(**kw) -> dt.datetime:
    return NOW - dt.timedelta(**kw)


def add(name: str = "Ada") -> int:
    return actions.add_prospect({"name": name}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=ago(days=30))


def test_an_inbound_touch_is_their_answer_whatever_its_outcome(book):
    ada = add()
    actions.log_touch(ada, channel="call", outcome="no answer", at=ago(days=5), now=ago(days=5))
    actions.log_touch(ada, channel="call", outcome="no answer", at=ago(days=3), now=ago(days=3))
    assert Prospect.get_by_id(ada).unanswered_streak == 2
    # they rang back and left a voicemail: an answer, though nobody talked
    actions.log_touch(ada, channel="call", outcome="left message", direction="in", at=ago(days=1), now=NOW)
    ada_row = Prospect.get_by_id(ada)
    assert (ada_row.unanswered_streak, ada_row.last_reply_at) == (0, ago(days=1))
    assert derived_mismatches() == {}


def test_a_touch_logged_for_yesterday_takes_its_place_in_the_history(book):
    ada = add()
    actions.log_touch(ada, channel="email", outcome="no answer", note="today's", now=NOW)
    actions.log_touch(ada, channel="call", outcome="talked", note="yesterday's", at=ago(days=1), now=NOW)
    assert [t.note for t in view(ada).history] == ["today's", "yesterday's"]  # newest first, by when
    row = Prospect.get_by_id(ada)
    assert row.last_touch_at == NOW and row.last_reply_at == ago(days=1) and row.unanswered_streak == 1
    assert derived_mismatches() == {}


def test_a_touch_in_the_future_is_refused_and_nothing_is_written(book):
    ada = add()
    actions.keep_draft(ada, "log", {"note": "typed"}, now=NOW)
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        actions.log_touch(ada, channel="call", outcome="talked", at=NOW + dt.timedelta(minutes=1), now=NOW)
    assert caught.value.field == "when"
    assert "That's in the future — a touch is something that happened" in caught.value.message
    assert snapshot() == before
    assert Touch.select().count() == 0


def test_a_touch_at_this_very_second_is_not_the_future(book):
    ada = add()
    actions.log_touch(ada, channel="call", outcome="talked", at=NOW.replace(tzinfo=dt.timezone.utc), now=NOW)
    assert Touch.get().at == NOW


def test_logging_a_touch_removes_its_draft_in_the_same_save_and_journals_only_the_touch(book):
    ada, bob = add("Ada"), add("Bob")
    actions.keep_draft(ada, "log", {"note": "Called about the price"}, now=NOW)
    actions.keep_draft(bob, "log", {"note": "Bob's, not saved"}, now=NOW)
    entries = Journal.select().count()
    actions.log_touch(ada, channel="call", outcome="talked", note="Called about the price", now=NOW)
    from storage.reads.drafts import draft_for

    assert draft_for(ada, "log") is None
    assert draft_for(bob, "log").fields == {"note": "Bob's, not saved"}
    assert Journal.select().count() == entries + 1
    assert "draft" not in Journal.select().order_by(Journal.id.desc()).first().changes
