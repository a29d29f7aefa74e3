"""What the database refuses half-way, on either engine, leaves the book exactly as it was: a row
is refused by the database itself (a trigger of the test's making, on SQLite as on a server) after
the change has already written others in its transaction, and nothing of it stays, journal entry
included; once the trigger is gone the same change goes through whole. (A full disk, SQLite's own
way of failing half-way, is in test_actions, test_journal and test_imports.)

- an import: a row deep in the file, after four chunks were written;
- an action: its journal entry, the last thing it writes, after its rows."""

from __future__ import annotations

import datetime as dt

import peewee as pw
import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.errors import BookError
from storage.book.models import Journal
from storage.exchange import imports
from storage.exchange.incoming import Incoming
from tests.storage.on_disk import dump

NOW = dt.datetime(2026, 11, 23, 8, 30)
REFUSED = "Person 2500"  # after four chunks of 500 were written (imports.CHUNK)

_SQLITE_TRIGGER = (
    "CREATE TRIGGER refuse_one BEFORE INSERT ON {table} WHEN {when} "
    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
)
_SERVER_TRIGGER = (
    "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF {when} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER refuse_one BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_one()",
)


def refusing(book: pw.Database, table: str, when: str) -> None:
    """The database refuses a new row of `table` for which `when` holds (SQL about NEW)."""
    statements = [_SQLITE_TRIGGER] if isinstance(book, pw.SqliteDatabase) else list(_SERVER_TRIGGER)
    with book.atomic():
        for sql in statements:
            book.execute_sql(sql.format(table=table, when=when))


def refusing_no_more(book: pw.Database, table: str) -> None:
    with book.atomic():
        if isinstance(book, pw.SqliteDatabase):
            book.execute_sql("DROP TRIGGER refuse_one")
        else:
            book.execute_sql(f"DROP TRIGGER refuse_one ON {table}")
            book.execute_sql("DROP FUNCTION refuse_one()")


def people(count: int) -> list[Incoming]:
    due = dt.datetime(2026, 12, 1)
    return [Incoming(i, {"name": f"Person {i}", "email": f"p{i}@x.example", "notes": "n" * 50}, due, False)
            for i in range(2, count + 2)]


@pytest.mark.timeout(120)
def test_an_import_refused_half_way_leaves_the_book_as_it_was_and_writes_no_entry(book):
    actions.add_prospect({"name": "Already here", "email": "here@x.example"}, now=NOW)
    many = people(3000)
    before, entries = dump(book), Journal.select().count()
    refusing(book, "prospect", f"NEW.name = '{REFUSED}'")
    told: list[int] = []
    with pytest.raises(BookError) as caught:
        imports.apply(many, progress=lambda done, total: told.append(done), now=NOW)
    assert "\n" not in str(caught.value)
    assert told and told[-1] < 3000  # it stopped half-way, after chunks were written
    assert not book.in_transaction()
    refusing_no_more(book, "prospect")
    assert dump(book) == before
    assert Journal.select().count() == entries

    report = imports.apply(many, now=NOW)
    assert report.added == 3000
    assert Journal.select().count() == entries + 1


@pytest.mark.parametrize("action", ["log_touch", "drop", "undo"])
def test_an_action_whose_journal_entry_is_refused_leaves_nothing(book, action):
    ada = actions.add_prospect({"name": "Ada"}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)
    actions.log_touch(ada, channel="call", outcome="talked", note="first #price", now=NOW)
    before, entries = dump(book), Journal.select().count()
    refusing(book, "journal", "1 = 1")
    change = {
        "log_touch": lambda: actions.log_touch(ada, channel="email", outcome="replied", note="second #deal",
                                               next_step=NextStep(due_at=NOW + dt.timedelta(days=3)), now=NOW),
        "drop": lambda: actions.drop(ada, "No budget", last_note="bye", now=NOW),
        "undo": lambda: actions.undo(now=NOW),
    }[action]
    with pytest.raises(BookError) as caught:
        change()
    assert "\n" not in str(caught.value)
    assert not book.in_transaction()
    refusing_no_more(book, "journal")
    assert dump(book) == before  # the rows, their tags and the search index as they were
    change()
    assert Journal.select().count() == entries + 1
