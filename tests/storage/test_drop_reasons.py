"""Drop reasons the reports can count (issue 13, closing right): a list seeded with the usual
reasons, in order; a reason the rep types joins it; the prospect keeps the picked reason and
the rep's own words; an old book's reasons stay as they were, counted where they are exactly one
of the list. Checked on the file itself."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.errors import InvalidInput
from storage.book.migrations import V10_DROP_REASONS
from storage.book.opening import close_book, open_book
from storage.reads.drop_reasons import drop_reason_counts, drop_reasons
from tests.conftest import TZ
from tests.storage.test_actions import dump, later, prospect_row, rows, step
from tests.storage.test_migrations import v1_book

DEFAULTS = ["No budget", "Went with a competitor", "No need", "No answer", "Bad timing", "Not the decision maker", "Other"]


def add(name: str) -> int:
    return actions.add_prospect({"name": name}, step(1), now=later())


def picked(book, prospect_id: int) -> str | None:
    found = rows(book, "SELECT r.label FROM prospect p LEFT JOIN drop_reason r ON r.id = p.picked_reason_id WHERE p.id = ?", (prospect_id,))
    return found[0]["label"]


def test_a_new_book_lists_the_usual_reasons_in_order(book):
    assert list(V10_DROP_REASONS) == DEFAULTS
    assert drop_reasons() == DEFAULTS
    assert [r["label"] for r in rows(book, "SELECT label FROM drop_reason ORDER BY position")] == DEFAULTS


def test_a_picked_reason_is_kept_with_the_reps_own_words(book):
    ada = add("Ada")
    actions.drop(ada, "They froze spending until Q3", picked="No budget", now=later(minutes=1))
    row = prospect_row(book, ada)
    assert (row["status"], row["drop_reason"]) == ("dropped", "They froze spending until Q3")
    assert picked(book, ada) == "No budget"


def test_a_picked_reason_alone_is_the_reason_said(book):
    ada = add("Ada")
    actions.drop(ada, picked="bad timing", now=later(minutes=1))  # case aside: the listed one
    assert prospect_row(book, ada)["drop_reason"] == "Bad timing"
    assert picked(book, ada) == "Bad timing"
    assert drop_reasons() == DEFAULTS  # not doubled


def test_a_typed_reason_joins_the_list_for_next_time(book):
    ada, bob = add("Ada"), add("Bob")
    actions.drop(ada, "", picked="  Lost to a cheaper\nquote ", now=later(minutes=1))
    assert drop_reasons() == [*DEFAULTS, "Lost to a cheaper quote"]
    actions.drop(bob, "same again", picked="LOST TO A CHEAPER QUOTE", now=later(minutes=2))
    assert drop_reasons() == [*DEFAULTS, "Lost to a cheaper quote"]
    assert picked(book, ada) == picked(book, bob) == "Lost to a cheaper quote"
    assert drop_reason_counts()[-1] == ("Lost to a cheaper quote", 2)


def test_the_new_reason_is_journalled_with_the_drop(book):
    ada = add("Ada")
    actions.drop(ada, "", picked="Moved abroad", now=later(minutes=1))
    [entry] = rows(book, "SELECT action, changes FROM journal WHERE action = 'drop'")
    assert '"table": "drop_reason"' in entry["changes"] and "Moved abroad" in entry["changes"]


def test_words_that_are_exactly_a_listed_reason_count_as_it(book):
    ada, bob = add("Ada"), add("Bob")
    actions.drop(ada, " no need ", now=later(minutes=1))
    actions.drop(bob, "No budget this year", now=later(minutes=1))
    assert picked(book, ada) == "No need"
    assert picked(book, bob) is None  # the rep's own words, not a listed reason: never added
    assert drop_reasons() == DEFAULTS
    counts = dict(drop_reason_counts())
    assert (counts["No need"], counts["No budget"], counts[""]) == (1, 0, 1)


def test_dropping_without_any_reason_or_with_a_long_pick_writes_nothing(book):
    ada = add("Ada")
    before = dump(book)
    with pytest.raises(InvalidInput) as caught:
        actions.drop(ada, "  ", picked=" ", now=later(minutes=1))
    assert caught.value.field == "reason"
    with pytest.raises(InvalidInput) as caught:
        actions.drop(ada, "", picked="x" * 101, now=later(minutes=1))
    assert caught.value.field == "picked"
    assert dump(book) == before


def test_the_picked_reason_goes_when_the_prospect_comes_back(book):
    ada, bob, cy = add("Ada"), add("Bob"), add("Cy")
    for who in (ada, bob, cy):
        actions.drop(who, "", picked="No answer", revisit_on=dt.date(2026, 12, 1), now=later(minutes=1))
    actions.reopen(ada, step(3), now=later(minutes=2))
    actions.close_won(bob, now=later(minutes=2))
    actions.wake_revisits(tz=TZ, now=dt.datetime(2026, 12, 1, 8))
    for who in (ada, bob, cy):
        row = prospect_row(book, who)
        assert (row["status"] == "dropped") == bool(row["drop_reason"]) == (row["picked_reason_id"] is not None)
    assert dict(drop_reason_counts())["No answer"] == 0


def test_the_last_note_dialog_picks_a_reason_too(book):
    ada = add("Ada")
    actions.final_note_and_drop(ada, "Door stays open", channel="email", reason="No reply after 7 touches",
                                picked="No answer", now=later(minutes=1))
    assert (prospect_row(book, ada)["drop_reason"], picked(book, ada)) == ("No reply after 7 touches", "No answer")


def test_an_old_books_reasons_stay_and_exact_ones_are_counted(tmp_path):
    path = tmp_path / "old.db"
    v1_book(path)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO prospect (id, name, company, title, email, phone, best_time, timezone, deal_value, source,"
            " status, drop_reason, created_at, updated_at, touch_count, unanswered_streak, next_promised)"
            " VALUES (?, ?, '', '', '', '', '', '', 0, '', ?, ?, '2026-01-01 09:00:00', '2026-01-01 09:00:00', 0, 0, 0)",
            [(2, "Bea", "dropped", "No budget"), (3, "Cal", "dropped", " went with a competitor "),
             (4, "Dan", "dropped", "Budget frozen till Q3"), (5, "Eve", "active", "")],
        )
    open_book(path)
    close_book()
    with sqlite3.connect(path) as conn:
        found = conn.execute(
            "SELECT p.name, p.drop_reason, r.label, p.closing_note FROM prospect p"
            " LEFT JOIN drop_reason r ON r.id = p.picked_reason_id ORDER BY p.id"
        ).fetchall()
        listed = [label for (label,) in conn.execute("SELECT label FROM drop_reason ORDER BY position")]
    assert found == [
        ("Ada", "", None, ""),
        ("Bea", "No budget", "No budget", ""),
        ("Cal", " went with a competitor ", "Went with a competitor", ""),
        ("Dan", "Budget frozen till Q3", None, ""),
        ("Eve", "", None, ""),
    ]
    assert listed == DEFAULTS


def test_the_json_export_carries_the_picked_reason_and_the_closing_note_back_in(tmp_path):
    import io
    import json

    from storage.book.models import Prospect
    from storage.exchange.json_in import import_json
    from storage.exchange.json_out import write_json

    open_book(tmp_path / "a.db")
    ada, bob, cy = add("Ada"), add("Bob"), add("Cy")
    actions.drop(ada, "Froze spending", picked="No budget", now=later(minutes=1))
    actions.drop(bob, "", picked="Moved abroad", now=later(minutes=1))
    actions.close_won(cy, amount="12,500", note="Signed for 3 years\nstarts in January", now=later(minutes=1))
    out = io.StringIO()
    write_json(out)
    data = json.loads(out.getvalue())
    shown = {p["name"]: (p["picked_reason"], p["drop_reason"], p["closing_note"]) for p in data["prospects"]}
    assert shown == {"Ada": ("No budget", "Froze spending", ""), "Bob": ("Moved abroad", "Moved abroad", ""),
                     "Cy": (None, "", "Signed for 3 years\nstarts in January")}
    close_book()
    open_book(tmp_path / "b.db")
    import_json(data, now=later(minutes=5))
    back = {p.name: (p.picked_reason.label if p.picked_reason else None, p.drop_reason, p.closing_note, p.deal_value)
            for p in Prospect.select()}
    assert back == {"Ada": ("No budget", "Froze spending", "", 0), "Bob": ("Moved abroad", "Moved abroad", "", 0),
                    "Cy": (None, "", "Signed for 3 years\nstarts in January", 12500)}
    assert drop_reasons() == [*DEFAULTS, "Moved abroad"]


def test_the_csv_exports_carry_the_picked_reason_and_the_closing_note(book, tmp_path):
    import csv
    import io

    from storage.exchange.exports import BOM, write_closed_deals_csv, write_csv

    ada, bob, cy = add("Ada"), add("Bob"), add("Cy")
    actions.drop(ada, "Froze spending", picked="No budget", now=later(minutes=1))
    actions.drop(bob, "Budget frozen till Q3", now=later(minutes=1))  # an old-style reason: words only
    actions.close_won(cy, note="Signed for 3 years", now=later(minutes=1))
    out = io.StringIO()
    write_csv(out, tz=TZ)
    rows = {r["Name"]: (r["Status"], r["Drop Reason"], r["Why Dropped"]) for r in csv.DictReader(io.StringIO(out.getvalue().lstrip(BOM)))}
    assert rows == {"Ada": ("dropped", "No budget", "Froze spending"), "Bob": ("dropped", "", "Budget frozen till Q3"),
                    "Cy": ("won", "", "")}
    out = io.StringIO()
    write_closed_deals_csv(out, tz=TZ)
    [won] = csv.DictReader(io.StringIO(out.getvalue().lstrip(BOM)))
    assert (won["Name"], won["Closing Note"]) == ("Cy", "Signed for 3 years")
