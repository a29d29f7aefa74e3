"""An import the database refuses half-way, on either engine: a row deep in the file is refused by
the database itself (a trigger of the test's making: on SQLite as on a server, it raises while the
earlier chunks are already written in the import's transaction), and the book is left exactly as
it was, with no journal entry; once the trigger is gone the same import goes through whole. (A
full disk, SQLite's own way of failing half-way, is in test_imports.)"""

from __future__ import annotations

import datetime as dt

import peewee as pw
import pytest

from storage import actions
from storage.book.errors import BookError
from storage.book.models import Journal
from storage.exchange import imports
from storage.exchange.incoming import Incoming
from tests.storage.on_disk import dump

NOW = dt.datetime(2026, 11, 23, 8, 30)
REFUSED = "Person 2500"  # after four chunks of 500 were written (imports.CHUNK)

_SQLITE_TRIGGER = (
    "CREATE TRIGGER refuse_one BEFORE INSERT ON prospect WHEN NEW.name = '{name}' "
    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
)
_SERVER_TRIGGER = (
    "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.name = '{name}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER refuse_one BEFORE INSERT ON prospect FOR EACH ROW EXECUTE FUNCTION refuse_one()",
)


def refusing(book: pw.Database, name: str) -> None:
    statements = [_SQLITE_TRIGGER] if isinstance(book, pw.SqliteDatabase) else list(_SERVER_TRIGGER)
    with book.atomic():
        for sql in statements:
            book.execute_sql(sql.format(name=name))


def refusing_no_more(book: pw.Database) -> None:
    with book.atomic():
        if isinstance(book, pw.SqliteDatabase):
            book.execute_sql("DROP TRIGGER refuse_one")
        else:
            book.execute_sql("DROP TRIGGER refuse_one ON prospect")
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
    refusing(book, REFUSED)
    told: list[int] = []
    with pytest.raises(BookError) as caught:
        imports.apply(many, progress=lambda done, total: told.append(done), now=NOW)
    assert "\n" not in str(caught.value)
    assert told and told[-1] < 3000  # it stopped half-way, after chunks were written
    assert not book.in_transaction()
    refusing_no_more(book)
    assert dump(book) == before
    assert Journal.select().count() == entries

    report = imports.apply(many, now=NOW)
    assert report.added == 3000
    assert Journal.select().count() == entries + 1
