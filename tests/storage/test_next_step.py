"""The next step without a touch (issue 13, point 4), checked on the file: `set_next_step` sets or
changes it (`d`), `promise` promises it or takes the promise back (`p`), and a snooze says when it
moved a promise. One action, one transaction, one journal entry; nothing written when refused or
when nothing changes. Monday 23 November 2026, 09:30 in Paris."""

from __future__ import annotations

import json

import pytest

from storage import actions
from storage.book.errors import InvalidInput
from storage.book.models import Journal
from storage.reads import queue
from storage.reads.prospect import view
from tests.storage.test_actions import NOW, TZ, dump, later, open_steps, prospect_row, stamp, step, steps, touches

import pendulum


def where(prospect_id: int, at=NOW) -> tuple[str, int] | None:
    return queue.locate(prospect_id, pendulum.instance(at, tz="UTC"), TZ)


def entries() -> list[Journal]:
    return list(Journal.select().order_by(Journal.id))


def last_entry() -> Journal:
    return Journal.select().order_by(Journal.id.desc()).get()


def tables_changed(entry: Journal) -> list[str]:
    return sorted(change["table"] for change in json.loads(entry.changes))


# --- set_next_step ---------------------------------------------------------------------------


def test_a_prospect_with_no_next_step_gets_one_without_a_touch(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, now=NOW)
    assert where(ana) == ("no_step", 0)
    count = len(entries())
    assert actions.set_next_step(ana, step(3, channel="email", what="Send the brochure"), now=later(minutes=1)) is True
    [open_step] = open_steps(book, ana)
    assert (open_step["due_at"], open_step["channel"], open_step["what"]) == (stamp(later(days=3)), "email", "Send the brochure")
    assert touches(book, ana) == []
    assert prospect_row(book, ana)["next_due_at"] == stamp(later(days=3))
    assert where(ana) == ("upcoming", 0)
    assert len(entries()) == count + 1 and last_entry().action == "set_next_step"


def test_a_change_at_the_same_moment_changes_the_open_step_where_it_stands(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(2, channel="call", promised=True, what="Call"), now=NOW)
    [before] = open_steps(book, ana)
    actions.set_next_step(ana, step(2, channel="email", what="Send the price", kind="referral", promised=True),
                          now=later(minutes=5))
    [after] = steps(book, ana)  # the same follow-up: no second row, the promise is the same promise
    assert after["id"] == before["id"] and after["done_at"] is None and after["kept"] is None
    assert (after["channel"], after["what"], after["kind"], after["promised"]) == ("email", "Send the price", "referral", 1)
    assert prospect_row(book, ana)["next_kind"] == "referral"
    assert tables_changed(last_entry()) == ["follow_up", "prospect"]


def test_another_moment_ends_the_open_step_as_rescheduled_and_makes_the_new_one(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(2, promised=True), now=NOW)
    actions.set_next_step(ana, step(5, promised=True), now=later(minutes=5))
    old, new = steps(book, ana)
    assert (old["resolution"], old["done_at"], old["kept"]) == ("rescheduled", stamp(later(minutes=5)), None)
    assert (new["due_at"], new["done_at"], new["promised"]) == (stamp(later(days=5)), None, 1)
    assert len(open_steps(book, ana)) == 1


def test_the_same_step_again_writes_nothing(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(2, channel="email", what="Send it"), now=NOW)
    before = dump(book)
    assert actions.set_next_step(ana, step(2, channel="email", what=" Send it "), now=later(minutes=5)) is False
    assert dump(book) == before


def test_a_dropped_prospect_is_refused_and_nothing_is_written(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, now=NOW)
    actions.drop(ana, "No budget", now=NOW)
    before = dump(book)
    with pytest.raises(InvalidInput, match="reopen them first"):
        actions.set_next_step(ana, step(2), now=later(minutes=5))
    assert dump(book) == before


def test_a_won_customer_may_get_a_check_in(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, now=NOW)
    actions.close_won(ana, now=NOW)
    actions.set_next_step(ana, step(30, kind="check-in", what="How is it going?"), now=later(minutes=5))
    row = prospect_row(book, ana)
    assert (row["status"], row["next_kind"]) == ("won", "check-in")
    assert where(ana) == ("later", 0)


def test_a_step_the_book_refuses_writes_nothing(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(2), now=NOW)
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.set_next_step(ana, step(2, channel="pigeon"), now=later(minutes=5))
    assert caught.value.field == "channel"
    with pytest.raises(InvalidInput):
        actions.set_next_step(ana, step(2, what="x" * 501), now=later(minutes=5))
    assert dump(book) == before


# --- promise ---------------------------------------------------------------------------------


def test_promising_the_open_step_is_one_entry_and_moves_it_into_promised(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(3, channel="call"), now=NOW)
    [before] = open_steps(book, ana)
    count = len(entries())
    assert actions.promise(ana, True, now=later(minutes=1)) == "promised the call to Ana Nguyen"
    [after] = steps(book, ana)
    assert after["id"] == before["id"] and after["promised"] == 1
    assert prospect_row(book, ana)["next_promised"] == 1
    assert where(ana) == ("promised", 0)
    assert len(entries()) == count + 1
    assert (last_entry().action, last_entry().summary) == ("promise", "promised the call to Ana Nguyen")


def test_taking_a_promise_back_before_its_deadline_changes_it_where_it_stands(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(3, channel="email", promised=True), now=NOW)
    assert actions.promise(ana, False, now=later(minutes=1)) == "the email to Ana Nguyen no longer promised"
    [only] = steps(book, ana)
    assert (only["promised"], only["done_at"], only["kept"]) == (0, None, None)
    assert where(ana) == ("upcoming", 0)
    assert last_entry().summary == "the email to Ana Nguyen no longer promised"


def test_taking_back_a_promise_already_broken_keeps_it_broken(book):
    """A date-only promise for yesterday: its deadline (midnight) has passed. Un-promising it must
    not wipe it from the record: it ends as broken, and the same step carries on unpromised."""
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(-1, promised=True, what="Send the price"), now=later(days=-2))
    actions.promise(ana, False, now=later(minutes=1))
    old, new = steps(book, ana)
    assert (old["promised"], old["kept"], old["resolution"]) == (1, 0, "rescheduled")
    assert (new["promised"], new["due_at"], new["what"], new["done_at"]) == (0, old["due_at"], "Send the price", None)
    assert view(ana).promise_record == {"kept": 0, "late": 1, "open": 0}


def test_promise_with_no_next_step_is_refused_and_writes_nothing(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, now=NOW)
    before = dump(book)
    with pytest.raises(InvalidInput, match="no next step to promise"):
        actions.promise(ana, True, now=later(minutes=1))
    assert dump(book) == before


def test_promising_what_is_promised_already_writes_nothing(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(3, promised=True), now=NOW)
    before = dump(book)
    actions.promise(ana, True, now=later(minutes=1))
    assert dump(book) == before


# --- snooze ----------------------------------------------------------------------------------


def test_snoozing_a_promise_says_so_and_never_counts_it_kept(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(1, channel="call", promised=True), now=NOW)
    actions.snooze(ana, later(days=4), now=later(minutes=1))
    summary = last_entry().summary
    assert "Ana Nguyen" in summary and summary.endswith("(a promised call moved)")
    old, new = steps(book, ana)
    assert (old["resolution"], old["kept"]) == ("snoozed", None)  # moved: not kept (nor broken, before its day)
    assert (new["promised"], new["due_at"]) == (1, stamp(later(days=4)))
    assert view(ana).promise_record == {"kept": 0, "late": 0, "open": 1}


def test_snoozing_an_unpromised_step_says_nothing_of_a_promise(book):
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(1), now=NOW)
    actions.snooze(ana, later(days=4), now=later(minutes=1))
    assert "promise" not in last_entry().summary


# --- the date field's text for a step that exists ----------------------------------------------


@pytest.mark.parametrize("has_time", [True, False], ids=["timed", "date only"])
def test_a_step_written_as_typed_reads_back_to_the_same_moment(has_time):
    from storage.rules.dates import from_utc, parse_when, to_utc, typed

    due = later(days=3, minutes=75) if has_time else later(days=3).replace(hour=23, minute=0)  # 23:00 UTC: Paris midnight
    text = typed(from_utc(due, TZ), has_time)
    assert text == ("2026-11-26 10:45" if has_time else "2026-11-27")
    when = parse_when(text, pendulum.instance(NOW, tz="UTC").in_timezone(TZ))
    assert (to_utc(when, TZ), when.time is not None) == (due, has_time)
