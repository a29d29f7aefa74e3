"""What the database itself holds to when several desks write at once (issue 18, point 4): one
open follow-up per prospect (a unique index: a second is refused, as a message), deal values past
32 bits, ids from sequences after bulk writes, and migrations one desk at a time."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from collections import Counter

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book import migrations
from storage.book.errors import Conflict
from storage.book.models import FollowUp, Journal, Prospect, database
from storage.demo import build_demo
from storage.engines.base import CONFLICT
from storage.exchange import imports
from storage.exchange.incoming import Incoming
from tests.server_books import admin, server_url, with_database

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris


def add(name: str, **fields) -> int:
    return actions.add_prospect({"name": name, **fields}, NextStep(due_at=NOW + dt.timedelta(days=1)),
                                now=NOW - dt.timedelta(days=9))


def open_steps() -> Counter:
    return Counter(step.prospect_id for step in FollowUp.select().where(FollowUp.done_at.is_null()))


def test_a_second_open_follow_up_is_refused_and_said_as_a_conflict(book):
    ada = add("Ada")
    entries = Journal.select().count()
    with pytest.raises(Conflict) as caught:
        with actions.recording("set_next_step", ada, now=NOW) as change:  # a writer that forgot the one open step
            change.create(FollowUp, prospect=ada, due_at=NOW, channel="call", created_at=NOW)
    assert str(caught.value) == CONFLICT
    assert open_steps() == {ada: 1}
    assert Journal.select().count() == entries  # nothing of it was written
    actions.log_touch(ada, channel="call", outcome="talked", now=NOW)  # and the book goes on
    assert open_steps() == {}


def test_a_book_with_two_open_steps_keeps_the_latest_when_it_migrates(book):
    ada, bo = add("Ada"), add("Bo")
    # as a book written before the index could be: a second open step for Ada, made later
    database.execute_sql('DROP INDEX "follow_up_one_open"')
    later = NOW - dt.timedelta(days=2)
    second = FollowUp.create(prospect=ada, due_at=NOW + dt.timedelta(days=3), channel="email", created_at=later)
    with database.atomic():
        migrations._v16_one_open_step(database.obj)
    assert open_steps() == {ada: 1, bo: 1}
    assert FollowUp.open_of([ada])[ada].id == second.id
    first = FollowUp.select().where((FollowUp.prospect == ada) & (FollowUp.id != second.id)).get()
    assert (first.done_at, first.resolution) == (later, "rescheduled")
    with pytest.raises(Conflict):
        with actions.recording("set_next_step", bo, now=NOW) as change:
            change.create(FollowUp, prospect=bo, due_at=NOW, channel="call", created_at=NOW)


def test_a_deal_past_32_bits_is_kept(book):
    big = add("Big", deal_value="5bn")
    assert Prospect.get_by_id(big).deal_value == 5_000_000_000
    actions.close_won(big, amount="1,000,000,000,000", now=NOW)
    assert Prospect.get_by_id(big).deal_value == 10**12


def test_after_an_import_new_rows_take_fresh_ids(book):
    people = [Incoming(line=n, fields={"name": f"Imported {n}", "email": f"i{n}@example.com"},
                       next_due=NOW + dt.timedelta(days=1)) for n in range(1, 6)]
    assert imports.apply(people, now=NOW).added == 5
    ada = add("Ada")  # the next prospect and its step: ids past the imported ones
    assert ada not in {p.id for p in Prospect.select().where(Prospect.name != "Ada")}
    actions.log_touch(ada, channel="call", outcome="talked", next_step=NextStep(due_at=NOW + dt.timedelta(days=4)), now=NOW)
    assert Prospect.select().count() == 6 and open_steps()[ada] == 1


def test_after_the_demo_new_rows_take_fresh_ids(book):
    written = build_demo(now=NOW, prospects=30)
    ada = add("Ada")
    actions.log_touch(ada, channel="call", outcome="talked", next_step=NextStep(due_at=NOW + dt.timedelta(days=4)), now=NOW)
    actions.drop(ada, "No budget", now=NOW)  # a new drop reason row? no: a listed one; a touch and steps
    assert Prospect.select().count() == written + 1


# -- migrations: one desk at a time (a server's book; a file is stepped one writer at a time) ------

_DESK = """
import sys
from storage.book.opening import open_book, close_book
print("ready", flush=True)
sys.stdin.readline()
open_book(sys.argv[1])
close_book()
from storage.book.migrations import LATEST
print("opened", LATEST, flush=True)
"""


def test_desks_opening_a_new_server_book_at_once_migrate_it_once():
    if server_url() is None:
        pytest.skip("no PostgreSQL server (FOLLOWUP_TEST_PG unset)")
    name = f"followup_t_{uuid.uuid4().hex[:12]}"
    admin(f'CREATE DATABASE "{name}"')
    try:
        url = with_database(server_url(), name)
        desks = [subprocess.Popen([sys.executable, "-c", _DESK, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for desk in desks:
            assert desk.stdout.readline().strip() == "ready"
        for desk in desks:  # all at once, each with its program loaded
            desk.stdin.write("go\n")
            desk.stdin.flush()
        results = [desk.communicate(timeout=120) for desk in desks]
        said = [out.split() for out, _ in results]
        assert [words[:1] for words in said] == [["opened"]] * 4, [err[-400:] for _, err in results]
        import psycopg

        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT version FROM schema_version").fetchall() == [(int(said[0][1]),)]
            assert conn.execute("SELECT count(*) FROM drop_reason").fetchone()[0] == len(migrations.V10_DROP_REASONS)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
