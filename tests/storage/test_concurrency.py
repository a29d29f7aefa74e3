"""Several desks writing to one book at once (issue 18, point 4): each desk a thread with its own
connection (storage.book.opening.connection, as the desk's workers), on a SQLite file and on a
PostgreSQL server. Nothing lost or doubled: every touch counted once, one journal entry per
action, at most one open follow-up per prospect; what cannot be saved is a BookError, never a
crash or a duplicate. (The issue's finding: four desks logging a touch to one prospect at once
left 32 open follow-ups on the server.)"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.errors import BookBusy, BookError, Conflict
from storage.book.models import FollowUp, Journal, Prospect, Touch
from storage.book.opening import connection
from storage.demo import build_demo
from storage.exchange import imports
from storage.exchange.incoming import Incoming
from tests.book_checks import derived_mismatches

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris
DESKS, WRITES = 4, 10
AGAIN = 5  # saves a rep tries again after "busy"
T = TypeVar("T")


def add(name: str) -> int:
    return actions.add_prospect({"name": name}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW - dt.timedelta(days=9))


def at_once(desks: int, work: Callable[[int], None]) -> list[BaseException]:
    """`work(desk)` on `desks` threads started together, each on its own connection; what each
    raised (a desk's BookError is an answer it shows; anything else would be a crash)."""
    start, failed = threading.Barrier(desks), []

    def desk(number: int) -> None:
        try:
            with connection():
                start.wait()
                work(number)
        except BaseException as exc:  # noqa: BLE001 — collected, asserted by the test
            failed.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a desk never finished"
    return failed


def saved(save: Callable[[], T]) -> T:
    """A save as the rep makes it: "The book is busy …; try again" (a file's write lock held past
    its wait, on a loaded machine) and they save again. Nothing else is tried again: a Conflict
    (the database's refusal) or any other error comes out."""
    for _ in range(AGAIN):
        try:
            return save()
        except BookBusy as exc:
            if isinstance(exc, Conflict):
                raise
    return save()


def log(prospect_id: int, desk: int, write: int) -> None:
    saved(lambda: actions.log_touch(prospect_id, channel="call", outcome="no answer", note=f"desk {desk} #{write}",
                                    next_step=NextStep(due_at=NOW + dt.timedelta(days=2 + write)), now=NOW))


def open_steps() -> Counter:
    return Counter(step.prospect_id for step in FollowUp.select().where(FollowUp.done_at.is_null()))


def test_four_desks_logging_to_one_prospect_lose_and_double_nothing(book):
    ada = add("Ada")
    failed = at_once(DESKS, lambda desk: [log(ada, desk, write) for write in range(WRITES)])
    assert failed == []
    assert Touch.select().where(Touch.prospect == ada).count() == DESKS * WRITES
    assert Prospect.get_by_id(ada).touch_count == DESKS * WRITES
    assert Journal.select().where(Journal.action == "log_touch").count() == DESKS * WRITES
    assert open_steps() == {ada: 1}
    # each touch ended the step the one before it made: a chain, never two touches on one step
    done = Touch.select(Touch.followup).where(Touch.prospect == ada).tuples()
    assert len({followup for (followup,) in done}) == DESKS * WRITES
    assert FollowUp.select().where(FollowUp.prospect == ada).count() == DESKS * WRITES + 1
    assert derived_mismatches() == {}


def test_four_desks_logging_to_many_prospects_lose_and_double_nothing(book):
    people = [add(f"P{n}") for n in range(WRITES)]

    def work(desk: int) -> None:
        for write in range(WRITES):  # each desk its own order through the same people
            log(people[(write + desk * 3) % WRITES], desk, write)

    assert at_once(DESKS, work) == []
    touches = Counter(prospect for (prospect,) in Touch.select(Touch.prospect).tuples())
    assert touches == {prospect: DESKS for prospect in people}
    assert {p.id: p.touch_count for p in Prospect.select()} == {prospect: DESKS for prospect in people}
    assert Journal.select().where(Journal.action == "log_touch").count() == DESKS * WRITES
    assert open_steps() == {prospect: 1 for prospect in people}
    assert derived_mismatches() == {}


def test_desks_doing_different_things_to_one_prospect_leave_one_open_step(book):
    ada = add("Ada")
    later = NOW + dt.timedelta(days=5)
    jobs = [
        lambda write: log(ada, 0, write),
        lambda write: saved(lambda: actions.snooze(ada, later + dt.timedelta(hours=write), now=NOW)),
        lambda write: saved(lambda: actions.set_next_step(ada, NextStep(due_at=later + dt.timedelta(days=write),
                                                                       channel="email"), now=NOW)),
        lambda write: saved(lambda: actions.promise(ada, write % 2 == 0, now=NOW)),
    ]
    failed = at_once(len(jobs), lambda desk: [jobs[desk](write) for write in range(WRITES)])
    assert failed == []
    assert open_steps() == {ada: 1}
    assert Prospect.get_by_id(ada).touch_count == WRITES
    assert derived_mismatches() == {}


def test_desks_undoing_while_others_log_lose_and_double_nothing(book):
    """The same rep at four desks (one journal name), each logging touches and undoing the newest
    change after every other one, whoever's desk made it. An undo that finds its rows changed
    meanwhile is refused in words; each undo that went through took exactly one touch away."""
    ada = add("Ada")
    Journal.update(who="another rep").execute()  # Ada was added by someone else: not this rep's to undo
    undone = Counter()

    def work(desk: int) -> None:
        for write in range(WRITES):
            log(ada, desk, write)
            if write % 2:
                try:
                    undone[desk] += saved(lambda: actions.undo(now=NOW)).done
                except BookError as exc:  # said to the rep: changed since
                    undone["refused"] += 1
                    # the undo waited for the touch being logged, then saw it: never the database's refusal
                    assert not isinstance(exc, Conflict), exc

    assert at_once(DESKS, work) == []
    took = sum(count for desk, count in undone.items() if desk != "refused")
    assert took > 0
    assert Touch.select().where(Touch.prospect == ada).count() == DESKS * WRITES - took
    assert Prospect.get_by_id(ada).touch_count == DESKS * WRITES - took
    assert Journal.select().where(Journal.action == "undo").count() == took
    assert open_steps() == {ada: 1}
    assert derived_mismatches() == {}


def test_two_desks_importing_the_same_people_at_once_add_them_once(book):
    people = [Incoming(line=n, fields={"name": f"Imported {n}", "email": f"i{n}@example.com"},
                       next_due=NOW + dt.timedelta(days=1)) for n in range(1, 21)]
    reports = []
    assert at_once(2, lambda desk: reports.append(saved(lambda: imports.apply(people, now=NOW)))) == []
    assert sorted((report.added, len(report.skipped)) for report in reports) == [(0, 20), (20, 0)]
    assert Prospect.select().count() == 20
    assert open_steps() == {p.id: 1 for p in Prospect.select()}


def test_two_desks_writing_the_demo_at_once_write_it_once(book):
    refused = []

    def demo(desk: int) -> None:
        try:
            saved(lambda: build_demo(now=NOW, prospects=30))
        except ValueError as exc:  # the demo's own refusal: the book has prospects already
            refused.append(str(exc))

    assert at_once(2, demo) == []
    assert refused == ["This book already has prospects; the demo is only written into an empty book."]
    assert Prospect.select().count() == 30
    assert Journal.select().where(Journal.action == "build_demo").count() == 1
