"""Writes that change prospects lock them before they read them (issue 18, point 4), all at once and
in id order: two desks at the same moment take turns, never each holding one row and waiting for
the other's (a deadlock, which the server breaks by failing one of them), and never writing back
what they read before the other's change (a lost update). On a PostgreSQL server, where each desk
locks rows (SELECT … FOR UPDATE); a file's book has one writer at a time.

How the moment is made, without sleeps: the engine's row locks are watched, and a desk that has
locked ONE of the two rows waits there until the other desk has too. A desk that locks the
prospect then the referrer, as close_won did, thus always meets the other desk half-way (the
deadlock, every run); a desk that locks both at once never stops there."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.errors import BookBusy, Conflict
from storage.book.models import FollowUp, Journal, Prospect, Touch, database
from storage.book.opening import close_book, connection, open_book
from storage.exchange import json_in
from storage.exchange.json_out import FORMAT, VERSION
from storage.engines.postgres import PostgresEngine
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.storage.test_concurrency import at_once

NOW = dt.datetime(2026, 11, 23, 8, 30)


@pytest.fixture
def server_book(server_book_url) -> Iterator[str]:
    open_book(server_book_url)
    yield server_book_url
    close_book()


@pytest.fixture
def half_way(monkeypatch) -> threading.Barrier:
    """The two desks' threads (not the test's own, which makes the book), having locked one row of
    a pair, wait for each other there (the barrier's parties: two)."""
    meet = threading.Barrier(2, timeout=30)
    original = PostgresEngine.locked

    def locked(self, query):
        rows = list(original(self, query))
        desk = threading.current_thread() is not threading.main_thread()
        if desk and len(rows) == 1 and not getattr(here, "met", False):
            here.met = True
            meet.wait()
        return rows

    here = threading.local()
    monkeypatch.setattr(PostgresEngine, "locked", locked)
    return meet


def two_desks(first: Callable[[], None], second: Callable[[], None]) -> list[BaseException]:
    """Each on its own thread and connection, started together; what each raised."""
    return at_once(2, lambda desk: (first, second)[desk]())


def test_two_desks_winning_each_others_referrals_at_once_both_close(server_book, half_way):
    ada = actions.add_prospect({"name": "Ada"}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)
    bea = actions.add_prospect({"name": "Bea", "referred_by": ada}, NextStep(due_at=NOW + dt.timedelta(days=2)), now=NOW)
    actions.edit_prospect(ada, {"referred_by": bea}, now=NOW)  # each sent the other
    thanks = NextStep(due_at=NOW + dt.timedelta(days=3), what="Thank for the referral", kind="thank-you")

    failed = two_desks(lambda: actions.close_won(ada, thank_referrer=thanks, now=NOW),
                       lambda: actions.close_won(bea, thank_referrer=thanks, now=NOW))

    assert failed == []  # before: one desk's "The book is busy …" (the server's deadlock_detected)
    assert {p.name: p.status for p in Prospect.select()} == {"Ada": "won", "Bea": "won"}
    assert [entry.action for entry in Journal.select().order_by(Journal.id)][-2:] == ["close_won", "close_won"]
    # the desk that closed second thanked a customer already won: their one open step, the thank-you
    # (the first desk's thank-you joined the other's step, which the second desk's close ended)
    opened = [(step.prospect_id, step.what) for step in FollowUp.select().where(FollowUp.done_at.is_null())]
    assert len(opened) == 1 and opened[0][0] in (ada, bea) and opened[0][1] == "Thank for the referral"


def test_an_import_merging_into_a_prospect_holds_it_while_another_desk_edits_it_nothing_lost(server_book, monkeypatch):
    """The other desk's edit comes between the import's read of the prospect and its write. It
    asks for the row's lock without waiting (lock_timeout 1 ms): held by the import, it is told
    "busy" at once, and the rep saves again once the import is in. Unheld (as before), its edit
    went in and the import then wrote back the title it had read: the edit was lost."""
    ada = actions.add_prospect({"name": "Ada Lovelace", "email": "ada@example.com", "title": "Engineer"},
                               NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)
    the_file = {"format": FORMAT, "version": VERSION, "exported_at": "2026-11-23T08:30:00Z", "prospects": [{
        "id": 1, "name": "Ada Lovelace", "company": "", "email": "ada@example.com", "phone": "+44 20 7946 0000",
        "status": "active", "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z",
        "followups": [], "touches": [{"at": "2026-11-15T09:00:00Z", "channel": "email", "outcome": "replied",
                                      "note": "two sites"}]}]}
    edit = lambda: actions.edit_prospect(ada, {"title": "CTO"}, now=NOW)  # noqa: E731
    tries: list[BaseException | None] = []

    def other_desk() -> None:
        try:
            with connection():
                database.execute_sql("SET lock_timeout = '1ms'")
                edit()
            tries.append(None)
        except BaseException as exc:  # noqa: BLE001 — asserted below
            tries.append(exc)

    write = json_in._Writer.write

    def meanwhile(self, targets):  # the import has read the book; it has not written yet
        desk = threading.Thread(target=other_desk)
        desk.start()
        desk.join(60)
        return write(self, targets)

    monkeypatch.setattr(json_in._Writer, "write", meanwhile)
    report = json_in.import_json(the_file, on_duplicate="merge", now=NOW + dt.timedelta(hours=1))
    assert report.merged == 1
    assert len(tries) == 1 and isinstance(tries[0], BookBusy)  # before: None (it went in, to be overwritten)
    edit()  # the rep saves again

    ada_now = Prospect.get_by_id(ada)
    assert (ada_now.title, ada_now.phone) == ("CTO", "+44 20 7946 0000")  # both desks' changes
    assert [t.note for t in Touch.select().where(Touch.prospect == ada)] == ["two sites"]  # once
    assert FollowUp.select().where(FollowUp.done_at.is_null()).count() == 1
    assert [e.action for e in Journal.select().order_by(Journal.id)] == ["add_prospect", "import", "edit_prospect"]


def test_a_prospect_another_desk_adds_while_an_import_looks_ahead_stops_the_import_whole(server_book, monkeypatch):
    """The import finds what it merges into, locks those, then plans under the locks. A desk that
    adds a prospect the file also holds, between the two, makes a merge into a row the import does
    not hold: the import is refused in one line, and writes nothing."""
    actions.add_prospect({"name": "Ada Lovelace", "email": "ada@example.com"}, now=NOW)
    record = {"company": "", "status": "active", "created_at": "2026-11-01T09:00:00Z",
              "updated_at": "2026-11-01T09:00:00Z", "followups": [], "touches": []}
    the_file = {"format": FORMAT, "version": VERSION, "exported_at": "2026-11-23T08:30:00Z", "prospects": [
        {**record, "id": 1, "name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0000"},
        {**record, "id": 2, "name": "Grace Hopper", "email": "grace@example.com", "phone": "+1 555 0100"}]}
    lock = json_in.locked

    def meanwhile(ids):
        desk = threading.Thread(target=lambda: _on_own_connection(
            lambda: actions.add_prospect({"name": "Grace Hopper", "email": "grace@example.com"}, now=NOW)))
        desk.start()
        desk.join(60)
        return lock(ids)

    monkeypatch.setattr(json_in, "locked", meanwhile)
    with pytest.raises(Conflict, match="^A prospect this file merges into was changed on another desk"):
        json_in.import_json(the_file, on_duplicate="merge", now=NOW)
    assert {p.name: p.phone for p in Prospect.select()} == {"Ada Lovelace": "", "Grace Hopper": ""}
    assert [e.action for e in Journal.select().order_by(Journal.id)] == ["add_prospect", "add_prospect"]


def _on_own_connection(work: Callable[[], object]) -> None:
    with connection():
        work()
