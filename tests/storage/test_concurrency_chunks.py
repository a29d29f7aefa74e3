"""Actions that lock many prospects a chunk at a time (the catch-up and away plans, an import that
merges) take them in one id order across every chunk, not only within each (issue 18, point 4):
another desk locking some of the same rows at the same moment waits for them, never holds one
of them while waiting for the other's (a deadlock, which the server breaks by failing a desk:
"The book is busy …"). On a PostgreSQL server, where each desk locks rows.

How the moment is made, without sleeps: a chunk is two prospects here, and the file or the plan
names the newest first. Once the many-row desk has locked its first chunk, the other desk starts
closing a sale whose referrer is the last prospect: it locks the first and the last prospect at
once, in id order, and the test goes on only when the server shows that desk waiting for a lock
the first desk holds. Taken a chunk at a time in the plan's order, the first desk then holds the
last prospect and asks for the first, which the other desk holds: the deadlock, every run. In one
id order, the other desk waits at the first prospect and holds nothing the first desk needs."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pendulum
import psycopg

from storage import actions
from storage.actions import NextStep, shifts
from storage.book.models import FollowUp, Journal, Prospect, database
from storage.book.opening import connection
from storage.exchange import imports
from storage.exchange.incoming import Incoming
from storage.reads.plans import plan_catch_up
from storage.rules.workdays import WorkWeek
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tests.storage.test_concurrency_locks import server_book  # noqa: F401  (fixture)

TZ = "Europe/Paris"
NOW = dt.datetime(2026, 11, 30, 8, 0)  # naive UTC: Monday 30 Nov, 09:00 in Paris
THANKS = NextStep(due_at=NOW + dt.timedelta(days=3), what="Thank for the referral", kind="thank-you")


def four_prospects() -> list[int]:
    """Four prospects, overdue the newest longest; the first was referred by the last."""
    ids = [actions.add_prospect({"name": f"P{n}", "email": f"p{n}@example.com"},
                                NextStep(due_at=NOW - dt.timedelta(days=5 + n)), now=NOW - dt.timedelta(days=30))
           for n in range(1, 5)]
    actions.edit_prospect(ids[0], {"referred_by": ids[-1]}, now=NOW - dt.timedelta(days=20))
    return ids


class OtherDesk:
    """The other desk: on its own thread and connection, closes the first prospect as won and
    thanks its referrer (the last), both locked by one statement."""

    def __init__(self, url: str, first: int) -> None:
        self.url, self.first = url, first
        self.pid: int | None = None
        self.started = threading.Event()
        self.failed: list[BaseException] = []
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            with connection():
                self.pid = database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
                self.started.set()
                actions.close_won(self.first, thank_referrer=THANKS, now=NOW)
        except BaseException as exc:  # noqa: BLE001 — asserted by the test
            self.failed.append(exc)
        finally:
            self.started.set()

    def start_and_wait_till_blocked(self) -> None:
        """Start it, and return once the server shows it waiting for a row lock (or it is done)."""
        self.thread.start()
        assert self.started.wait(30)
        deadline = time.monotonic() + 30
        with psycopg.connect(self.url, autocommit=True) as watch:
            while self.thread.is_alive() and self.pid is not None:
                blocked = watch.execute("SELECT cardinality(pg_blocking_pids(%s))", (self.pid,)).fetchone()[0]
                if blocked:
                    return
                assert time.monotonic() < deadline, "the other desk never waited, nor finished"

    def join(self) -> list[BaseException]:
        self.thread.join(60)
        assert not self.thread.is_alive(), "the other desk never finished"
        return self.failed


def after_first_lock(monkeypatch, owner, name: str, other: OtherDesk) -> None:
    """The other desk is started once the many-row desk (this thread) has locked its first rows."""
    original = getattr(owner, name)
    calls = []

    def wrapped(*args, **kwargs):
        found = original(*args, **kwargs)
        if not calls:
            calls.append(True)
            other.start_and_wait_till_blocked()
        return found

    monkeypatch.setattr(owner, name, wrapped)


def assert_both_went_in(ids: list[int], failed: list[BaseException], action: str) -> None:
    assert failed == []  # before: "The book is busy …" (the server's deadlock_detected), on one desk
    assert Prospect.get_by_id(ids[0]).status == "won"
    assert [entry.action for entry in Journal.select().order_by(Journal.id)][-2:] == [action, "close_won"]
    open_steps = [step.prospect_id for step in FollowUp.select().where(FollowUp.done_at.is_null())]
    assert sorted(open_steps) == ids[1:]  # one each; the won customer none


def test_a_catch_up_of_many_and_a_closed_sale_at_once_both_go_in(server_book, monkeypatch):
    ids = four_prospects()
    plan = plan_catch_up(pendulum.instance(NOW), TZ, WorkWeek())
    assert [move.prospect_id for move in plan.moves] == ids[::-1]  # the oldest due first: the newest prospect
    monkeypatch.setattr(shifts, "CHUNK", 2)
    other = OtherDesk(server_book, ids[0])
    after_first_lock(monkeypatch, shifts, "locked", other)

    try:
        moved = shifts.apply_plan(plan, now=NOW, tz=TZ)
    finally:
        failed = other.join()
    assert moved == 4  # the sale waited for the plan
    assert_both_went_in(ids, failed, "catch_up")
    assert FollowUp.select().where(FollowUp.prospect == ids[-1], FollowUp.done_at.is_null()).get().what.startswith(
        "Thank for the referral")


def test_an_import_merging_into_many_and_a_closed_sale_at_once_both_go_in(server_book, monkeypatch):
    ids = four_prospects()
    the_file = [Incoming(line, {"name": f"P{n}", "email": f"p{n}@example.com", "phone": f"+1 555 010{n}"})
                for line, n in enumerate(range(4, 0, -1), start=2)]  # the newest first
    monkeypatch.setattr(imports, "CHUNK", 2)
    other = OtherDesk(server_book, ids[0])
    after_first_lock(monkeypatch, imports._Import, "_load_matches", other)

    try:
        report = imports.apply(the_file, on_duplicate="merge", now=NOW)
    finally:
        failed = other.join()
    assert report.merged == 4
    assert_both_went_in(ids, failed, "import")
    assert {p.name: p.phone for p in Prospect.select()} == {f"P{n}": f"+1 555 010{n}" for n in range(1, 5)}
