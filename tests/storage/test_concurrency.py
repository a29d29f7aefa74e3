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

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.errors import BookError, Conflict
from storage.book.models import FollowUp, Journal, Prospect, Touch
from storage.book.opening import connection
from tests.book_checks import derived_mismatches

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris
DESKS, WRITES = 4, 10


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


def log(prospect_id: int, desk: int, write: int) -> None:
    actions.log_touch(prospect_id, channel="call", outcome="no answer", note=f"desk {desk} #{write}",
                      next_step=NextStep(due_at=NOW + dt.timedelta(days=2 + write)), now=NOW)


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
        lambda write: actions.snooze(ada, later + dt.timedelta(hours=write), now=NOW),
        lambda write: actions.set_next_step(ada, NextStep(due_at=later + dt.timedelta(days=write), channel="email"), now=NOW),
        lambda write: actions.promise(ada, write % 2 == 0, now=NOW),
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
                    undone[desk] += actions.undo(now=NOW).done
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
