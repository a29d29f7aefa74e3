"""Actions that change two prospects lock both at once, in id order (issue 18, point 4): two desks
at the same moment take turns, never each holding one row and waiting for the other's (a
deadlock, which the server breaks by failing one of them). On a PostgreSQL server, where each
desk locks rows (SELECT … FOR UPDATE); a file's book has one writer at a time.

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
from storage.book.models import FollowUp, Journal, Prospect
from storage.book.opening import close_book, connection, open_book
from storage.engines.postgres import PostgresEngine
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)

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
    failed: list[BaseException] = []

    def desk(work: Callable[[], None]) -> None:
        try:
            with connection():
                work()
        except BaseException as exc:  # noqa: BLE001 — asserted by the test
            failed.append(exc)

    threads = [threading.Thread(target=desk, args=(work,)) for work in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a desk never finished"
    return failed


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
