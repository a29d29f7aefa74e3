"""storage/actions.py: every thing a rep does to the book, checked on what was committed (read back
through a second connection of the book's own engine: tests/storage/on_disk.py), and the promise of
PRODUCT.md §8 that each action happens whole or not at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pendulum
import pytest

from storage import actions
from storage.reads import queue
from storage.actions import NOTE_MAX, NextStep
from storage.book.errors import BookBusy, BookError, BookFull, InvalidInput, NotFound
from tests.storage.on_disk import dump, rows

TZ = "Europe/Paris"
NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris


def later(*, days: float = 0, minutes: float = 0) -> dt.datetime:
    return NOW + dt.timedelta(days=days, minutes=minutes)


def stamp(moment: dt.datetime) -> str:
    """A naive UTC moment as the book writes it."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def step(days: float = 1, **kwargs: Any) -> NextStep:
    return NextStep(due_at=later(days=days), **kwargs)


# --- reading the book back (tests/storage/on_disk.py: what is committed) ------------------------


def prospect_row(book, prospect_id: int) -> dict:
    found = rows(book, "SELECT * FROM prospect WHERE id = ?", (prospect_id,))
    assert len(found) == 1
    return found[0]


def open_steps(book, prospect_id: int) -> list[dict]:
    return rows(book, "SELECT * FROM follow_up WHERE prospect_id = ? AND done_at IS NULL", (prospect_id,))


def steps(book, prospect_id: int) -> list[dict]:
    return rows(book, "SELECT * FROM follow_up WHERE prospect_id = ? ORDER BY id", (prospect_id,))


def touches(book, prospect_id: int) -> list[dict]:
    return rows(book, "SELECT * FROM touch WHERE prospect_id = ? ORDER BY id", (prospect_id,))


def add(name: str = "Ada Lovelace", next_step: NextStep | None = None, *, now: dt.datetime = NOW, **fields: Any) -> int:
    return actions.add_prospect({"name": name, **fields}, next_step, now=now)


def where(prospect_id: int, now: dt.datetime) -> tuple[str, int] | None:
    return queue.locate(prospect_id, pendulum.instance(now, tz="UTC"), TZ)


# --- add_prospect -----------------------------------------------------------------------------


def test_adding_a_prospect_writes_it_with_its_next_step(book):
    prospect_id = add(
        "Ada Lovelace",
        step(2, channel="email", what="Send the price list", kind="referral", promised=True, has_time=True),
        company="Analytical Engines",
        title="Countess",
        email="ada@engines.example",
        phone="+44 20 7946 0000",
        preferred_channel="email",
        best_time="mornings",
        timezone="Europe/London",
        deal_value=12000,
        source="conference",
    )
    row = prospect_row(book, prospect_id)
    assert {k: row[k] for k in ("name", "company", "title", "email", "phone", "preferred_channel", "best_time", "timezone", "deal_value", "source", "status")} == {
        "name": "Ada Lovelace",
        "company": "Analytical Engines",
        "title": "Countess",
        "email": "ada@engines.example",
        "phone": "+44 20 7946 0000",
        "preferred_channel": "email",
        "best_time": "mornings",
        "timezone": "Europe/London",
        "deal_value": 12000,
        "source": "conference",
        "status": "active",
    }
    assert row["created_at"] == row["updated_at"] == stamp(NOW)
    assert row["touch_count"] == 0 and row["unanswered_streak"] == 0
    assert row["last_touch_at"] is None and row["last_reply_at"] is None
    assert row["next_due_at"] == stamp(later(days=2))
    assert row["next_promised"] == 1
    [open_step] = open_steps(book, prospect_id)
    assert {k: open_step[k] for k in ("due_at", "has_time", "channel", "what", "kind", "promised", "created_at", "resolution")} == {
        "due_at": stamp(later(days=2)),
        "has_time": 1,
        "channel": "email",
        "what": "Send the price list",
        "kind": "referral",
        "promised": 1,
        "created_at": stamp(NOW),
        "resolution": None,
    }


def test_adding_a_prospect_without_a_next_step_puts_it_in_no_next_step(book):
    prospect_id = add("Grace Hopper")
    row = prospect_row(book, prospect_id)
    assert row["next_due_at"] is None and row["next_promised"] == 0
    assert steps(book, prospect_id) == []
    assert where(prospect_id, NOW) == ("no_step", 0)


def test_adding_a_prospect_stores_text_fields_cleaned_and_markup_literally(book):
    prospect_id = add("  [@click=app.quit]Ada\x1b]0;pwned\x07 \n Lovelace  ", company="[bold]Acme[/bold]", title="\u202eCEO")
    row = prospect_row(book, prospect_id)
    assert row["name"] == "[@click=app.quit]Ada\u241b]0;pwned\u2407 Lovelace"
    assert row["company"] == "[bold]Acme[/bold]"
    assert row["title"] == "<U+202E>CEO"


@pytest.mark.parametrize(
    "typed, stored",
    [("12,000", 12000), ("12000", 12000), (" $1,500 ", 1500), ("€2_500", 2500), (2500, 2500), ("", 0), (None, 0), ("99.6", 100)],
)
def test_adding_a_prospect_reads_the_deal_value_as_a_rep_types_it(book, typed, stored):
    prospect_id = add(deal_value=typed)
    assert prospect_row(book, prospect_id)["deal_value"] == stored


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": ""}, "name"),
        ({"name": "  \n\t "}, "name"),
        ({"company": "Acme"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ada", "email": "ada.example.com"}, "email"),
        ({"name": "Ada", "email": "ada @example.com"}, "email"),
        ({"name": "Ada", "deal_value": "-5"}, "deal_value"),
        ({"name": "Ada", "deal_value": -5}, "deal_value"),
        ({"name": "Ada", "deal_value": "twelve"}, "deal_value"),
        ({"name": "Ada", "deal_value": "12 apples"}, "deal_value"),
        ({"name": "Ada", "deal_value": "nan"}, "deal_value"),
        ({"name": "Ada", "deal_value": "1e999"}, "deal_value"),
        ({"name": "Ada", "deal_value": "inf"}, "deal_value"),
        ({"name": "Ada", "deal_value": 10**13}, "deal_value"),
        ({"name": "Ada", "preferred_channel": "fax"}, "preferred_channel"),
        ({"name": "Ada", "timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"name": "Ada", "timezone": "Atlantis"}, "timezone"),
        ({"name": "Ada", "shoe_size": "42"}, "shoe_size"),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_adding_a_prospect_refuses_bad_input_naming_the_field_and_writes_nothing(book, fields, field):
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.add_prospect(fields, step(1), now=NOW)
    assert caught.value.field == field
    assert caught.value.message and "\n" not in caught.value.message
    assert dump(book) == before


@pytest.mark.parametrize("bad_step, field", [(step(1, channel="fax"), "channel"), (step(1, kind="cold call"), "kind"), (step(1, what="x" * 501), "what")])
def test_adding_a_prospect_with_a_bad_next_step_writes_nothing(book, bad_step, field):
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        add("Ada", bad_step)
    assert caught.value.field == field
    assert dump(book) == before


# --- edit_prospect ----------------------------------------------------------------------------


def test_editing_a_prospect_changes_only_the_given_fields(book):
    prospect_id = add("Ada", step(1), company="Engines", email="ada@engines.example", deal_value=500)
    actions.edit_prospect(prospect_id, {"company": " Analytical\nEngines ", "deal_value": "7,500"}, now=later(minutes=5))
    row = prospect_row(book, prospect_id)
    assert (row["name"], row["company"], row["email"], row["deal_value"]) == ("Ada", "Analytical Engines", "ada@engines.example", 7500)
    assert row["updated_at"] == stamp(later(minutes=5))
    assert row["created_at"] == stamp(NOW)
    assert len(open_steps(book, prospect_id)) == 1


def test_editing_a_prospect_can_replace_its_next_step(book):
    prospect_id = add("Ada", step(1, channel="call", promised=True))
    [old] = open_steps(book, prospect_id)
    actions.edit_prospect(prospect_id, {}, step(5, channel="meeting", what="Demo", kind="new offering"), now=later(minutes=5))
    old_now = rows(book, "SELECT * FROM follow_up WHERE id = ?", (old["id"],))[0]
    assert old_now["done_at"] == stamp(later(minutes=5))
    assert old_now["resolution"] == "rescheduled"
    [new] = open_steps(book, prospect_id)
    assert (new["due_at"], new["channel"], new["what"], new["kind"], new["promised"]) == (stamp(later(days=5)), "meeting", "Demo", "new offering", 0)
    row = prospect_row(book, prospect_id)
    assert row["next_due_at"] == stamp(later(days=5)) and row["next_promised"] == 0


def test_editing_a_prospect_can_record_who_referred_them(book):
    referrer = add("Grace Hopper")
    prospect_id = add("Ada")
    actions.edit_prospect(prospect_id, {"referred_by": referrer}, now=later(minutes=1))
    assert prospect_row(book, prospect_id)["referred_by_id"] == referrer


def test_a_prospect_cannot_refer_themselves(book):
    prospect_id = add("Ada", step(1))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.edit_prospect(prospect_id, {"referred_by": prospect_id}, now=later(minutes=1))
    assert caught.value.field == "referred_by"
    assert dump(book) == before


def test_referring_to_a_prospect_not_in_the_book_writes_nothing(book):
    prospect_id = add("Ada", step(1))
    before = dump(book)
    with pytest.raises(BookError):
        actions.edit_prospect(prospect_id, {"referred_by": 9999}, now=later(minutes=1))
    assert dump(book) == before


@pytest.mark.parametrize("fields, field", [({"name": " "}, "name"), ({"email": "nope"}, "email"), ({"deal_value": "-1"}, "deal_value"), ({"timezone": "Nowhere/City"}, "timezone")])
def test_editing_a_prospect_with_bad_input_writes_nothing(book, fields, field):
    prospect_id = add("Ada", step(1))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.edit_prospect(prospect_id, fields, step(3), now=later(minutes=1))
    assert caught.value.field == field
    assert dump(book) == before


def test_editing_with_a_bad_new_step_keeps_the_old_step_open(book):
    prospect_id = add("Ada", step(1))
    before = dump(book)
    with pytest.raises(InvalidInput):
        actions.edit_prospect(prospect_id, {"company": "New Co"}, step(3, channel="pigeon"), now=later(minutes=1))
    assert dump(book) == before


def test_editing_a_prospect_not_in_the_book_is_not_found(book):
    with pytest.raises(NotFound):
        actions.edit_prospect(42, {"company": "Acme"}, now=NOW)


# --- log_touch --------------------------------------------------------------------------------


def test_logging_a_touch_moves_prospect_to_its_next_date(book):
    prospect_id = add("Ada", step(0, channel="call", promised=True))
    assert where(prospect_id, NOW)[0] == "promised"
    [old] = open_steps(book, prospect_id)

    touch_id = actions.log_touch(
        prospect_id, channel="call", outcome="talked", note="Wants a quote", next_step=step(3, channel="email", what="Send quote"), now=later(minutes=10)
    )

    [touch] = touches(book, prospect_id)
    assert touch["id"] == touch_id
    assert (touch["at"], touch["channel"], touch["direction"], touch["outcome"], touch["note"]) == (stamp(later(minutes=10)), "call", "out", "talked", "Wants a quote")
    assert touch["followup_id"] == old["id"]
    done = rows(book, "SELECT * FROM follow_up WHERE id = ?", (old["id"],))[0]
    assert (done["done_at"], done["resolution"]) == (stamp(later(minutes=10)), "done")
    [new] = open_steps(book, prospect_id)
    assert (new["due_at"], new["channel"], new["what"], new["promised"]) == (stamp(later(days=3)), "email", "Send quote", 0)
    row = prospect_row(book, prospect_id)
    assert row["next_due_at"] == stamp(later(days=3)) and row["next_promised"] == 0
    assert row["touch_count"] == 1
    assert row["last_touch_at"] == row["last_reply_at"] == stamp(later(minutes=10))
    assert row["unanswered_streak"] == 0
    assert row["updated_at"] == stamp(later(minutes=10))
    assert where(prospect_id, later(minutes=10))[0] == "upcoming"


def test_logging_a_touch_without_a_next_step_leaves_the_prospect_in_no_next_step(book):
    prospect_id = add("Ada", step(0))
    actions.log_touch(prospect_id, channel="call", outcome="no answer", now=later(minutes=1))
    assert open_steps(book, prospect_id) == []
    row = prospect_row(book, prospect_id)
    assert row["next_due_at"] is None and row["next_promised"] == 0
    assert where(prospect_id, later(minutes=1)) == ("no_step", 0)


def test_logging_touches_keeps_the_unanswered_streak_since_the_last_reply(book):
    prospect_id = add("Ada", step(0))
    expected = [
        ("no answer", 1, None),
        ("left message", 2, None),
        ("replied", 0, 3),
        ("no answer", 1, 3),
        ("left message", 2, 3),
        ("meeting booked", 0, 6),
    ]
    for number, (outcome, streak, reply_at) in enumerate(expected, start=1):
        actions.log_touch(prospect_id, channel="email", outcome=outcome, next_step=step(number + 1), now=later(days=number))
        row = prospect_row(book, prospect_id)
        assert row["touch_count"] == number
        assert row["last_touch_at"] == stamp(later(days=number))
        assert row["last_reply_at"] == (stamp(later(days=reply_at)) if reply_at else None)
        assert row["unanswered_streak"] == streak, (outcome, row["unanswered_streak"])
        assert len(open_steps(book, prospect_id)) == 1
    assert len(touches(book, prospect_id)) == len(expected)


def test_a_backdated_touch_before_the_last_reply_does_not_break_the_streak(book):
    prospect_id = add("Ada", step(0))
    actions.log_touch(prospect_id, channel="call", outcome="talked", now=later(days=2))
    actions.log_touch(prospect_id, channel="call", outcome="no answer", at=later(days=1), now=later(days=3))
    row = prospect_row(book, prospect_id)
    assert row["touch_count"] == 2
    assert row["last_touch_at"] == row["last_reply_at"] == stamp(later(days=2))
    assert row["unanswered_streak"] == 0


def test_touches_logged_in_the_same_second_count_in_the_order_they_were_logged(book):
    """History shows them newest-first by (at, id); the streak must agree with what it shows."""
    prospect_id = add("Ada", step(0))
    actions.log_touch(prospect_id, channel="call", outcome="replied", now=later(minutes=1))
    actions.log_touch(prospect_id, channel="call", outcome="no answer", now=later(minutes=1))
    assert prospect_row(book, prospect_id)["unanswered_streak"] == 1


def test_logging_a_touch_stores_the_note_cleaned(book):
    prospect_id = add("Ada", step(0))
    actions.log_touch(prospect_id, channel="call", outcome="talked", note="  Called.\r\nLeft VM\x1b]52;c;aGk=\x07\rBye [bold]x[/bold]\x7f \r\n", now=later(minutes=1))
    [touch] = touches(book, prospect_id)
    assert touch["note"] == "Called.\nLeft VM\u241b]52;c;aGk=\u2407\nBye [bold]x[/bold]\u2421"


def test_a_note_of_the_maximum_length_is_kept_whole(book):
    prospect_id = add("Ada", step(0))
    actions.log_touch(prospect_id, channel="call", outcome="talked", note="n" * NOTE_MAX, now=later(minutes=1))
    assert touches(book, prospect_id)[0]["note"] == "n" * NOTE_MAX


def test_a_too_long_note_is_refused_and_nothing_is_written(book):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.log_touch(prospect_id, channel="call", outcome="talked", note="n" * (NOTE_MAX + 1), next_step=step(2), now=later(minutes=1))
    assert caught.value.field == "note"
    assert dump(book) == before


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"channel": "fax", "outcome": "talked"}, "channel"),
        ({"channel": "call", "outcome": "ghosted"}, "outcome"),
        ({"channel": "call", "outcome": "talked", "direction": "sideways"}, "direction"),
        ({"channel": "call", "outcome": "talked", "next_step": step(2, kind="cold call")}, "kind"),
        ({"channel": "call", "outcome": "talked", "next_step": step(2, channel="fax")}, "channel"),
    ],
    ids=["channel", "outcome", "direction", "step-kind", "step-channel"],
)
def test_logging_a_touch_with_bad_choices_writes_nothing(book, kwargs, field):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.log_touch(prospect_id, now=later(minutes=1), **kwargs)
    assert caught.value.field == field
    assert dump(book) == before


def test_logging_a_touch_for_a_prospect_not_in_the_book_is_not_found_and_writes_nothing(book):
    add("Ada", step(0))
    before = dump(book)
    with pytest.raises(NotFound):
        actions.log_touch(999, channel="call", outcome="talked", now=later(minutes=1))
    assert dump(book) == before


def test_an_incoming_touch_is_recorded_as_incoming(book):
    prospect_id = add("Ada", step(0))
    actions.log_touch(prospect_id, channel="email", outcome="replied", direction="in", now=later(minutes=1))
    assert touches(book, prospect_id)[0]["direction"] == "in"


# --- snooze -----------------------------------------------------------------------------------


def test_snoozing_keeps_what_the_step_is_for_and_moves_its_date(book):
    prospect_id = add("Ada", step(0, channel="meeting", what="Coffee", kind="referral", promised=True))
    [old] = open_steps(book, prospect_id)
    actions.snooze(prospect_id, later(days=3, minutes=30), has_time=True, now=later(minutes=2))

    old_now = rows(book, "SELECT * FROM follow_up WHERE id = ?", (old["id"],))[0]
    assert (old_now["done_at"], old_now["resolution"]) == (stamp(later(minutes=2)), "snoozed")
    [new] = open_steps(book, prospect_id)
    assert (new["due_at"], new["has_time"], new["channel"], new["what"], new["kind"], new["promised"]) == (
        stamp(later(days=3, minutes=30)),
        1,
        "meeting",
        "Coffee",
        "referral",
        1,
    )
    row = prospect_row(book, prospect_id)
    assert row["next_due_at"] == stamp(later(days=3, minutes=30)) and row["next_promised"] == 1
    assert row["touch_count"] == 0
    assert touches(book, prospect_id) == []


def test_snoozing_without_an_open_follow_up_is_refused_and_writes_nothing(book):
    prospect_id = add("Ada")
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.snooze(prospect_id, later(days=1), now=later(minutes=1))
    assert caught.value.field == "when"
    assert dump(book) == before


def test_snoozing_a_prospect_not_in_the_book_is_not_found(book):
    with pytest.raises(NotFound):
        actions.snooze(7, later(days=1), now=NOW)


# --- close_won --------------------------------------------------------------------------------


def test_closing_as_won_closes_the_open_step_and_leaves_the_queue(book):
    prospect_id = add("Ada", step(0))
    [old] = open_steps(book, prospect_id)
    actions.close_won(prospect_id, now=later(minutes=5))
    row = prospect_row(book, prospect_id)
    assert (row["status"], row["closed_at"], row["next_due_at"], row["next_promised"]) == ("won", stamp(later(minutes=5)), None, 0)
    closed = rows(book, "SELECT * FROM follow_up WHERE id = ?", (old["id"],))[0]
    assert (closed["done_at"], closed["resolution"]) == (stamp(later(minutes=5)), "closed")
    assert open_steps(book, prospect_id) == []
    assert where(prospect_id, later(minutes=5)) is None


def test_closing_as_won_can_schedule_a_check_in(book):
    prospect_id = add("Ada", step(0))
    actions.close_won(prospect_id, NextStep(due_at=later(days=30), channel="call", kind="check-in", what="How is it going?"), now=later(minutes=5))
    row = prospect_row(book, prospect_id)
    assert row["status"] == "won"
    assert row["next_due_at"] == stamp(later(days=30))
    [checkin] = open_steps(book, prospect_id)
    assert (checkin["kind"], checkin["what"]) == ("check-in", "How is it going?")
    assert where(prospect_id, later(minutes=5)) == ("later", 0)


def test_closing_as_won_twice_is_refused_and_writes_nothing(book):
    prospect_id = add("Ada", step(0))
    actions.close_won(prospect_id, now=later(minutes=5))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.close_won(prospect_id, now=later(minutes=6))
    assert caught.value.field == "status"
    assert dump(book) == before


def test_closing_as_won_with_a_bad_check_in_writes_nothing(book):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput):
        actions.close_won(prospect_id, NextStep(due_at=later(days=30), kind="party"), now=later(minutes=5))
    assert dump(book) == before


def test_winning_a_dropped_prospect_clears_the_drop_reason(book):
    prospect_id = add("Ada", step(0))
    actions.drop(prospect_id, "No budget", revisit_on=dt.date(2027, 1, 10), now=later(minutes=1))
    actions.close_won(prospect_id, now=later(minutes=2))
    row = prospect_row(book, prospect_id)
    assert (row["status"], row["drop_reason"], row["revisit_on"]) == ("won", "", None)


# --- drop -------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_dropping_needs_a_reason_and_writes_nothing_without_one(book, reason):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.drop(prospect_id, reason, now=later(minutes=1))
    assert caught.value.field == "reason"
    assert dump(book) == before


def test_dropping_closes_the_step_and_records_the_reason(book):
    prospect_id = add("Ada", step(0))
    [old] = open_steps(book, prospect_id)
    actions.drop(prospect_id, "  Went with\na competitor ", revisit_on=dt.date(2027, 3, 1), now=later(minutes=3))
    row = prospect_row(book, prospect_id)
    assert (row["status"], row["drop_reason"], row["revisit_on"], row["closed_at"]) == ("dropped", "Went with a competitor", "2027-03-01", stamp(later(minutes=3)))
    assert (row["next_due_at"], row["next_promised"], row["touch_count"]) == (None, 0, 0)
    closed = rows(book, "SELECT * FROM follow_up WHERE id = ?", (old["id"],))[0]
    assert (closed["done_at"], closed["resolution"]) == (stamp(later(minutes=3)), "closed")
    assert touches(book, prospect_id) == []
    assert where(prospect_id, later(minutes=3)) is None


def test_dropping_with_a_last_note_logs_it_as_a_touch(book):
    prospect_id = add("Ada", step(0, channel="text"))
    actions.log_touch(prospect_id, channel="call", outcome="talked", next_step=step(2, channel="email"), now=later(minutes=1))
    actions.drop(prospect_id, "Not interested", last_note="Thanks anyway!\r\nBye\x1b[0m", now=later(minutes=3))
    last = touches(book, prospect_id)[-1]
    assert (last["at"], last["channel"], last["outcome"], last["note"]) == (stamp(later(minutes=3)), "email", "left message", "Thanks anyway!\nBye\u241b[0m")
    row = prospect_row(book, prospect_id)
    assert row["touch_count"] == 2
    assert row["last_touch_at"] == stamp(later(minutes=3))
    assert row["last_reply_at"] == stamp(later(minutes=1))
    assert row["unanswered_streak"] == 1


def test_dropping_with_a_last_note_on_a_chosen_channel(book):
    prospect_id = add("Ada", step(0, channel="call"))
    actions.drop(prospect_id, "Moved away", last_note="Card sent", last_note_channel="card", now=later(minutes=3))
    assert touches(book, prospect_id)[-1]["channel"] == "card"


def test_dropping_with_a_last_note_on_a_bad_channel_writes_nothing(book):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput):
        actions.drop(prospect_id, "Moved away", last_note="Bye", last_note_channel="pigeon", now=later(minutes=3))
    assert dump(book) == before


def test_dropping_with_a_too_long_last_note_is_refused_and_writes_nothing(book):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput):
        actions.drop(prospect_id, "No budget", last_note="n" * (NOTE_MAX + 1), now=later(minutes=3))
    assert dump(book) == before


@pytest.mark.parametrize("revisit", [dt.date(2026, 11, 1), dt.date(2026, 11, 22), dt.date(2026, 11, 23)], ids=str)
def test_dropping_with_a_revisit_date_that_is_not_in_the_future_is_refused(book, revisit):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.drop(prospect_id, "No budget", revisit_on=revisit, now=NOW)
    assert caught.value.field == "revisit"
    assert dump(book) == before


def test_dropping_with_tomorrow_as_revisit_date_late_in_the_reps_evening(book):
    """At 17:00 on Monday in Los Angeles it is already Tuesday in UTC: "tomorrow" is the rep's."""
    now = dt.datetime(2026, 11, 24, 1, 0)  # Monday 23 November, 17:00 in Los Angeles
    prospect_id = add("Ada", step(0), now=now)
    actions.drop(prospect_id, "No budget", revisit_on=dt.date(2026, 11, 24), now=now, tz="America/Los_Angeles")
    assert prospect_row(book, prospect_id)["revisit_on"] == "2026-11-24"


def test_dropping_with_today_as_revisit_date_just_after_the_reps_midnight_is_refused(book):
    """At 00:30 on Tuesday in Paris it is still Monday in UTC: Tuesday is today, not the future."""
    now = dt.datetime(2026, 11, 23, 23, 30)  # Tuesday 24 November, 00:30 in Paris
    prospect_id = add("Ada", step(0), now=now)
    before = dump(book)
    with pytest.raises(InvalidInput):
        actions.drop(prospect_id, "No budget", revisit_on=dt.date(2026, 11, 24), now=now, tz=TZ)
    assert dump(book) == before


def test_dropping_twice_is_refused_and_writes_nothing(book):
    prospect_id = add("Ada", step(0))
    actions.drop(prospect_id, "No budget", now=later(minutes=1))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.drop(prospect_id, "Still no budget", last_note="x", now=later(minutes=2))
    assert caught.value.field == "status"
    assert dump(book) == before


# --- reopen -----------------------------------------------------------------------------------


def test_reopening_a_dropped_prospect_makes_it_active_with_a_next_step(book):
    prospect_id = add("Ada", step(0))
    actions.drop(prospect_id, "No budget", revisit_on=dt.date(2027, 1, 5), now=later(minutes=1))
    actions.reopen(prospect_id, step(2, channel="email", what="New budget year"), now=later(minutes=2))
    row = prospect_row(book, prospect_id)
    assert (row["status"], row["drop_reason"], row["revisit_on"], row["closed_at"]) == ("active", "", None, None)
    assert row["next_due_at"] == stamp(later(days=2))
    [new] = open_steps(book, prospect_id)
    assert new["what"] == "New budget year"
    assert where(prospect_id, later(minutes=2)) == ("upcoming", 0)


def test_reopening_without_a_next_step_puts_the_prospect_in_no_next_step(book):
    prospect_id = add("Ada", step(0))
    actions.close_won(prospect_id, now=later(minutes=1))
    actions.reopen(prospect_id, now=later(minutes=2))
    assert prospect_row(book, prospect_id)["status"] == "active"
    assert where(prospect_id, later(minutes=2)) == ("no_step", 0)


def test_reopening_a_won_prospect_replaces_its_check_in(book):
    prospect_id = add("Ada", step(0))
    actions.close_won(prospect_id, NextStep(due_at=later(days=30), kind="check-in"), now=later(minutes=1))
    [checkin] = open_steps(book, prospect_id)
    actions.reopen(prospect_id, step(1, kind="new offering"), now=later(minutes=2))
    replaced = rows(book, "SELECT * FROM follow_up WHERE id = ?", (checkin["id"],))[0]
    assert (replaced["done_at"], replaced["resolution"]) == (stamp(later(minutes=2)), "rescheduled")
    [new] = open_steps(book, prospect_id)
    assert new["kind"] == "new offering"
    assert prospect_row(book, prospect_id)["next_due_at"] == stamp(later(days=1))


def test_reopening_an_active_prospect_is_refused_and_writes_nothing(book):
    prospect_id = add("Ada", step(0))
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.reopen(prospect_id, step(1), now=later(minutes=1))
    assert caught.value.field == "status"
    assert dump(book) == before


# --- every action happens whole or not at all -------------------------------------------------


def _populated(book) -> int:
    prospect_id = add("Ada", step(0), deal_value=100)
    add("Grace", step(2))
    actions.log_touch(prospect_id, channel="call", outcome="no answer", note="first", next_step=step(1), now=later(minutes=1))
    return prospect_id


def test_a_full_disk_mid_action_raises_book_full_and_leaves_the_book_as_it_was(file_book):
    book = file_book  # SQLite's own: a page limit, a file lock (the server's locks: test_concurrency*)
    prospect_id = _populated(book)
    before = dump(book)
    pages = book.execute_sql("PRAGMA page_count").fetchone()[0]
    book.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(BookError) as caught:
        actions.log_touch(prospect_id, channel="call", outcome="talked", note="a long note " * 1500, next_step=step(4), now=later(minutes=5))
    assert "\n" not in str(caught.value)
    assert dump(book) == before
    assert not book.in_transaction()

    # room again: the same action goes through on the same connection
    book.execute_sql("PRAGMA max_page_count = 1073741823")
    actions.log_touch(prospect_id, channel="call", outcome="talked", note="a long note " * 1500, next_step=step(4), now=later(minutes=5))
    assert prospect_row(book, prospect_id)["touch_count"] == 2

    # and the rep was told the disk is full, not something else
    assert isinstance(caught.value, BookFull), f"{type(caught.value).__name__}: {caught.value}"


@pytest.mark.timeout(30)
def test_a_locked_book_raises_book_busy_and_writes_nothing_then_succeeds_once_free(file_book):
    book = file_book  # SQLite's own: a page limit, a file lock (the server's locks: test_concurrency*)
    prospect_id = _populated(book)
    before = dump(book)
    book.execute_sql("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(book.database, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(BookBusy) as caught:  # after busy_timeout, while the lock is still held
            actions.log_touch(prospect_id, channel="call", outcome="talked", next_step=step(4), now=later(minutes=5))
        assert "\n" not in str(caught.value)
        assert dump(book) == before
        assert not book.in_transaction()
        other.execute("COMMIT")
    finally:
        other.close()
    actions.log_touch(prospect_id, channel="call", outcome="talked", next_step=step(4), now=later(minutes=5))
    assert prospect_row(book, prospect_id)["touch_count"] == 2


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "action",
    [
        lambda pid: actions.log_touch(pid, channel="call", outcome="talked", next_step=step(4), now=later(minutes=5)),
        lambda pid: actions.snooze(pid, later(days=3), now=later(minutes=5)),
        lambda pid: actions.edit_prospect(pid, {"company": "Waited Co"}, now=later(minutes=5)),
        lambda pid: actions.drop(pid, "No budget", last_note="bye", now=later(minutes=5)),
    ],
    ids=["log_touch", "snooze", "edit_prospect", "drop"],
)
def test_an_action_waits_for_another_writer_and_then_succeeds(file_book, action):
    """BEGIN IMMEDIATE waits in the busy handler; a deferred BEGIN that reads, then writes,
    would fail at once when the other writer commits (LESSONS.md, "The book"). SQLite's own:
    its write lock and its trace callback."""
    book = file_book
    prospect_id = _populated(book)
    holding = threading.Event()  # the other writer holds the write lock
    asking = threading.Event()  # the action asked for the write lock while the other still held it
    failures: list[BaseException] = []

    def other_writer() -> None:
        try:
            with contextlib.closing(sqlite3.connect(book.database, isolation_level=None, timeout=5)) as conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE prospect SET best_time = 'afternoons' WHERE name = 'Grace'")
                holding.set()
                assert asking.wait(30), "the action never asked for the write lock"
                conn.execute("COMMIT")  # only now can the waiting action go on
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            failures.append(exc)
            holding.set()

    statements: list[str] = []

    def traced(sql: str) -> None:
        # called as each statement of the action's connection starts, before it takes any lock
        statements.append(sql)
        if sql.lstrip().upper().startswith(_ASKS_FOR_THE_WRITE_LOCK):
            asking.set()

    connection = book.connection()
    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        assert holding.wait(30)
        connection.set_trace_callback(traced)
        try:
            action(prospect_id)  # must not raise
        finally:
            connection.set_trace_callback(None)
    finally:
        asking.set()  # whatever happened, the other writer lets go
        thread.join()
    assert failures == []
    assert any(sql.lstrip().upper().startswith(_ASKS_FOR_THE_WRITE_LOCK) for sql in statements), statements
    assert rows(book, "SELECT best_time FROM prospect WHERE name = 'Grace'") == [{"best_time": "afternoons"}]
    assert prospect_row(book, prospect_id)["updated_at"] == stamp(later(minutes=5))


_ASKS_FOR_THE_WRITE_LOCK = ("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "INSERT", "UPDATE", "DELETE", "REPLACE")


def test_logging_a_note_with_tags_records_them_for_the_prospect(book):
    from storage.book.models import Tag

    prospect_id = actions.add_prospect({"name": "Tagged"}, now=NOW)
    touch_id = actions.log_touch(
        prospect_id, channel="call", outcome="talked", note="Contoso is 10% cheaper #competitor #Price #price", now=NOW
    )
    assert [(t.touch_id, t.name) for t in Tag.select().order_by(Tag.id)] == [(touch_id, "competitor"), (touch_id, "price")]
    actions.drop(prospect_id, "Lost on price", last_note="Thanks anyway #feedback", now=NOW)
    assert sorted(t.name for t in Tag.select().where(Tag.prospect == prospect_id)) == ["competitor", "feedback", "price"]


# --- coaching: promises kept, revisits, referrals, the final note ---------------------------

from storage.book.models import Prospect, Touch  # noqa: E402


def _promised_step(days: float, hours: float = 0) -> actions.NextStep:
    return actions.NextStep(due_at=NOW + dt.timedelta(days=days, hours=hours), has_time=True, promised=True)


def test_a_promise_logged_on_time_is_kept_and_one_logged_late_is_not(book):
    from storage.book.models import FollowUp

    on_time = actions.add_prospect({"name": "On Time"}, _promised_step(1), now=NOW)
    late = actions.add_prospect({"name": "Late"}, _promised_step(1), now=NOW)
    actions.log_touch(on_time, channel="call", outcome="talked", now=NOW + dt.timedelta(days=1, hours=1))
    actions.log_touch(late, channel="call", outcome="talked", now=NOW + dt.timedelta(days=1, hours=3))
    kept = {f.prospect_id: f.kept for f in FollowUp.select().where(FollowUp.promised == True)}  # noqa: E712
    assert kept == {on_time: True, late: False}


def test_moving_a_promise_before_it_is_due_is_neither_kept_nor_broken_but_after_it_is_broken(book):
    from storage.book.models import FollowUp

    early = actions.add_prospect({"name": "Early"}, _promised_step(2), now=NOW)
    actions.snooze(early, NOW + dt.timedelta(days=4), True, now=NOW + dt.timedelta(days=1))
    late = actions.add_prospect({"name": "Late"}, _promised_step(1), now=NOW)
    actions.snooze(late, NOW + dt.timedelta(days=4), True, now=NOW + dt.timedelta(days=3))
    closed = {f.prospect_id: f.kept for f in FollowUp.select().where(FollowUp.done_at.is_null(False))}
    assert closed == {early: None, late: False}
    # the new dates carry the promise
    assert FollowUp.select().where(FollowUp.done_at.is_null() & (FollowUp.promised == True)).count() == 2  # noqa: E712


def test_a_dropped_prospect_comes_back_on_its_revisit_date(book):
    pid = actions.add_prospect({"name": "Later Maybe", "preferred_channel": "email"}, now=NOW)
    actions.drop(pid, "Not this year", revisit_on=dt.date(2027, 1, 15), now=NOW)
    assert actions.wake_revisits(tz=TZ, now=dt.datetime(2027, 1, 14, 12)) == []
    assert actions.wake_revisits(tz=TZ, now=dt.datetime(2027, 1, 15, 8)) == [pid]
    prospect = Prospect.get_by_id(pid)
    assert (prospect.status, prospect.revisit_on, prospect.next_kind) == ("active", None, "hard-to-reach")
    assert (prospect.next_due_at, prospect.next_has_time) == (dt.datetime(2027, 1, 15, 12, 0), False)  # the date
    assert actions.wake_revisits(tz=TZ, now=dt.datetime(2027, 1, 16, 8)) == []


def test_closing_a_referred_prospect_thanks_the_referrer_without_a_second_open_step(book):
    from storage.book.models import FollowUp

    ann = actions.add_prospect({"name": "Ann Referrer"}, actions.NextStep(due_at=NOW + dt.timedelta(days=20), what="Quarterly call"), now=NOW)
    bob = actions.add_prospect({"name": "Bob Referred", "referred_by": ann}, now=NOW)
    thanks = actions.NextStep(due_at=NOW + dt.timedelta(days=2), what="Thank Ann for referring Bob", kind="thank-you")
    actions.close_won(bob, thank_referrer=thanks, now=NOW)
    open_steps = list(FollowUp.select().where((FollowUp.prospect == ann) & FollowUp.done_at.is_null()))
    assert len(open_steps) == 1
    assert open_steps[0].what == "Thank Ann for referring Bob; Quarterly call"
    assert open_steps[0].due_at == NOW + dt.timedelta(days=2)
    assert Prospect.get_by_id(ann).next_due_at == NOW + dt.timedelta(days=2)


def test_the_final_note_is_logged_as_the_last_touch_then_the_prospect_is_dropped(book):
    pid = actions.add_prospect({"name": "Silent Sam"}, now=NOW)
    actions.final_note_and_drop(pid, "Hi Sam, I'll stop here.", channel="email", reason="No reply after 7 touches",
                                revisit_on=dt.date(2027, 3, 1), now=NOW)
    prospect = Prospect.get_by_id(pid)
    assert (prospect.status, prospect.drop_reason, prospect.touch_count) == ("dropped", "No reply after 7 touches", 1)
    touch = Touch.get(Touch.prospect == pid)
    assert (touch.channel, touch.note) == ("email", "Hi Sam, I'll stop here.")
