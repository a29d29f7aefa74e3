"""Closing as won (issue 13, closing right): the final amount kept as the deal's value (typed as
the prospect form takes it), a closing note on the prospect, one choice of what comes next; a
referrer's thank-you refused for a dropped referrer. Checked on the file itself."""

from __future__ import annotations

import pytest

from storage import actions
from storage.book.errors import InvalidInput
from storage.reads.prospect import view
from tests.storage.test_actions import dump, later, open_steps, prospect_row, step, touches


def add(name: str, **facts) -> int:
    return actions.add_prospect({"name": name, **facts}, step(1), now=later())


@pytest.mark.parametrize("typed, kept", [("12,500", 12500), ("$ 9000", 9000), ("7_000.4", 7000), (15000, 15000), ("", 0)])
def test_the_final_amount_is_the_deals_value(book, typed, kept):
    ada = add("Ada", deal_value=5000)
    actions.close_won(ada, amount=typed, now=later(minutes=1))
    row = prospect_row(book, ada)
    assert (row["status"], row["deal_value"]) == ("won", kept)


def test_no_amount_keeps_the_deals_value(book):
    ada = add("Ada", deal_value=5000)
    actions.close_won(ada, now=later(minutes=1))
    assert prospect_row(book, ada)["deal_value"] == 5000


@pytest.mark.parametrize("typed", ["twelve", "-5", "1e13"])
def test_an_amount_that_is_not_one_writes_nothing(book, typed):
    ada = add("Ada", deal_value=5000)
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.close_won(ada, amount=typed, note="Signed", now=later(minutes=1))
    assert caught.value.field == "deal_value"
    assert dump(book) == before


def test_the_closing_note_is_kept_on_the_prospect_not_as_a_touch(book):
    ada = add("Ada")
    actions.close_won(ada, amount="12,500", note="Signed for 3 years\r\nstarts 1 Jan \x1b[0m", now=later(minutes=1))
    row = prospect_row(book, ada)
    assert row["closing_note"] == "Signed for 3 years\nstarts 1 Jan \u241b[0m"
    assert (row["touch_count"], touches(book, ada)) == (0, [])
    assert view(ada).facts.closing_note == row["closing_note"]


def test_reopening_or_dropping_a_customer_clears_the_closing_note(book):
    ada, bob = add("Ada"), add("Bob")
    for who in (ada, bob):
        actions.close_won(who, note="Signed", now=later(minutes=1))
    actions.reopen(ada, step(2), now=later(minutes=2))
    actions.drop(bob, "Went bust", now=later(minutes=2))
    assert prospect_row(book, ada)["closing_note"] == prospect_row(book, bob)["closing_note"] == ""


def test_the_view_says_whether_the_referrer_is_dropped(book):
    ref = add("Ref")
    ada = add("Ada", referred_by=ref)
    assert (view(ada).referred_by_name, view(ada).referrer_status) == ("Ref", "active")
    actions.drop(ref, "No need", now=later(minutes=1))
    assert view(ada).referrer_status == "dropped"
    before = dump(book)
    with pytest.raises(InvalidInput):  # what the won dialog must not offer
        actions.close_won(ada, thank_referrer=step(2, kind="thank-you"), now=later(minutes=2))
    assert dump(book) == before
    actions.close_won(ada, step(2, kind="thank-you"), now=later(minutes=2))
    assert open_steps(book, ref) == []
