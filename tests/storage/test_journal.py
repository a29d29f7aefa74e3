"""The change journal: every action writes exactly one entry, in its own transaction, holding
every row it changed as it was and as it became — checked against the tables themselves, read
before and after — and an action that fails writes none."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.errors import BookError, InvalidInput
from storage.book.models import Journal
from tests.book_checks import snapshot
from tests.conftest import TZ
from tests.storage.desks import rep_of
from tests.storage.on_disk import as_written

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris


def later(days: float = 0) -> dt.datetime:
    return NOW + dt.timedelta(days=days)


def step(days: float = 1, **kwargs: Any) -> NextStep:
    return NextStep(due_at=later(days), **kwargs)


def diff(before: dict, after: dict) -> list[tuple[str, int, dict | None, dict | None]]:
    """What changed between two snapshots of the tables, row by row (as SQLite holds a row)."""
    out = []
    for table in before:
        for row_id in sorted(before[table].keys() | after[table].keys()):
            old, new = as_stored(before[table].get(row_id)), as_stored(after[table].get(row_id))
            if old != new:
                out.append((table, row_id, old, new))
    return out


def as_stored(image: dict | None) -> dict | None:
    """A journal image, or a row as the driver reads it, as SQLite holds the row (booleans are 0
    and 1 there, moments and days text: a server's driver gives datetimes and booleans)."""
    if image is None:
        return None
    return {k: as_written(v) for k, v in image.items()}


def only_entry(since: int) -> Journal:
    entries = list(Journal.select().where(Journal.id > since))
    assert len(entries) == 1, [e.action for e in entries]
    return entries[0]


def run(book, action: Callable[[], Any], name: str, at: dt.datetime = NOW) -> Journal:
    """Run one action; its one journal entry must be exactly what changed in the tables."""
    last = Journal.select().count() and Journal.select().order_by(Journal.id.desc()).first().id
    before = snapshot()
    action()
    after = snapshot()
    entry = only_entry(last)
    assert entry.action == name
    recorded = sorted(
        (c["table"], c["id"], as_stored(c["before"]), as_stored(c["after"])) for c in json.loads(entry.changes)
    )
    assert recorded == sorted(diff(before, after))
    assert entry.at == at and entry.who == rep_of(book)
    return entry


@pytest.fixture
def people(book) -> dict[str, int]:
    return _people()


def _people() -> dict[str, int]:
    ids = {
        "ann": actions.add_prospect({"name": "Ann"}, step(1, promised=True), now=later(-3)),
        "ref": actions.add_prospect({"name": "Ref"}, step(5), now=later(-3)),
    }
    ids["bob"] = actions.add_prospect({"name": "Bob", "referred_by": ids["ref"]}, step(2), now=later(-3))
    return ids


def test_every_action_writes_one_entry_with_every_row_it_changed(book, people):
    ann, bob, ref = people["ann"], people["bob"], people["ref"]
    entry = run(book, lambda: actions.add_prospect({"name": "Cy", "company": "Acme"}, step(3), now=NOW), "add_prospect")
    assert entry.summary == "Cy added"
    run(book, lambda: actions.edit_prospect(ann, {"company": "Northwind"}, now=NOW), "edit_prospect")
    run(book, lambda: actions.edit_prospect(ann, {"title": "Owner"}, step(4), now=NOW), "edit_prospect")
    entry = run(book, lambda: actions.log_touch(ann, channel="call", outcome="talked", note="Spoke #price",
                                                next_step=step(7), now=NOW), "log_touch")
    assert entry.prospect == ann and entry.summary == "touch logged to Ann"
    run(book, lambda: actions.snooze(ann, later(9), now=NOW), "snooze")
    run(book, lambda: actions.set_next_step(ann, step(10, kind="service"), now=NOW), "set_next_step")
    run(book, lambda: actions.close_won(bob, step(30, kind="check-in"), thank_referrer=step(2, kind="thank-you"),
                                        now=NOW), "close_won")
    run(book, lambda: actions.drop(ann, "Budget frozen", last_note="Door open", revisit_on=dt.date(2027, 1, 5),
                                   now=NOW), "drop")
    run(book, lambda: actions.reopen(ann, step(1), now=NOW), "reopen")
    run(book, lambda: actions.final_note_and_drop(ann, "Last try", channel="email", reason="No reply",
                                                  revisit_on=dt.date(2026, 11, 30), now=NOW), "final_note_and_drop")
    entry = run(book, lambda: actions.wake_revisits(tz=TZ, now=later(8)), "wake_revisits", at=later(8))
    assert entry.summary == "1 dropped prospect(s) back for a revisit"
    assert Journal.select().count() == 3 + 11  # the fixture's three, then one per action


def test_an_entry_names_rows_by_column_as_the_table_holds_them(book, people):
    entry = run(book, lambda: actions.log_touch(people["ann"], channel="email", outcome="replied", now=NOW), "log_touch")
    touch = next(c for c in json.loads(entry.changes) if c["table"] == "touch")
    assert touch["before"] is None
    assert touch["after"]["prospect_id"] == people["ann"] and touch["after"]["at"] == "2026-11-23 08:30:00"


@pytest.mark.parametrize(
    "fails",
    [
        pytest.param(lambda p: actions.drop(p["bob"], "x", now=NOW) or actions.drop(p["bob"], "again", now=NOW), id="already dropped"),
        pytest.param(lambda p: actions.close_won(p["ref"], thank_referrer=step(1), now=NOW), id="nobody referred them"),
        pytest.param(lambda p: actions.reopen(p["ann"], now=NOW), id="already active"),
        pytest.param(lambda p: actions.log_touch(10_000, channel="call", outcome="talked", now=NOW), id="no such prospect"),
    ],
)
def test_an_action_that_fails_writes_no_entry_and_changes_nothing(book, people, fails):
    with pytest.raises(BookError) as caught:
        fails(people)
    before = snapshot()
    count = Journal.select().count()
    with pytest.raises(type(caught.value)):
        fails(people)
    assert Journal.select().count() == count
    assert snapshot() == before


def test_a_full_disk_half_way_writes_no_entry(file_book):
    book, people = file_book, _people()  # SQLite's own: a page limit
    before, count = snapshot(), Journal.select().count()
    pages = book.execute_sql("PRAGMA page_count").fetchone()[0]
    book.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(BookError):
        actions.log_touch(people["ann"], channel="call", outcome="talked", note="a long note " * 2000, now=NOW)
    book.execute_sql("PRAGMA max_page_count = 1073741823")
    assert Journal.select().count() == count and snapshot() == before


def test_a_refused_input_writes_nothing_at_all(book, people):
    count = Journal.select().count()
    with pytest.raises(InvalidInput):
        actions.log_touch(people["ann"], channel="pigeon", outcome="talked", now=NOW)
    assert Journal.select().count() == count
