"""From the last touch (issue 15, point 6): any touch, theirs included, restarts the cadence's clock
of an unanswered run; a reply resets the run (the streak, and the two-day rule with it)."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import actions
from storage.actions import NextStep
from storage.reads import coaching
from storage.reads.prospect import view
from storage.rules.cadence import due_from_last_touch

MON = dt.datetime(2026, 11, 23, 9, 0)  # 10:00 in Paris (the tests' rep)
TZ = "Europe/Paris"


def later(days: float) -> dt.datetime:
    return MON + dt.timedelta(days=days)


@pytest.mark.parametrize("last, days, expected", [
    (None, 3, 3),  # never touched: from today
    (dt.date(2026, 11, 23), 3, 3),  # touched today
    (dt.date(2026, 11, 21), 3, 1),  # two days ago: one day left of three
    (dt.date(2026, 11, 20), 3, 0),  # three days ago: today
    (dt.date(2026, 10, 1), 7, 0),  # long ago: today, never in the past
    (dt.date(2026, 11, 24), 3, 3),  # a touch "tomorrow" (another zone's clock): from today
])
def test_the_clock_runs_from_the_last_touch_never_before_today(last, days, expected):
    assert due_from_last_touch(last, days, dt.date(2026, 11, 23)) == expected


def unanswered_run(book) -> int:
    pid = actions.add_prospect({"name": "Ada"}, NextStep(due_at=later(1), channel="email"), now=MON)
    for day in (0, 2):
        actions.log_touch(pid, channel="email", outcome="no answer", next_step=NextStep(due_at=later(day + 3), channel="email"),
                          at=later(day), now=later(day), tz=TZ)
    return pid


def test_their_call_resets_the_run_and_is_the_last_touch(book):
    pid = unanswered_run(book)
    assert view(pid).facts.unanswered_streak == 2
    # Wed: they called; the rep logs it on Thu (looking back), whatever the outcome
    actions.log_touch(pid, channel="call", outcome="left message", direction="in",
                      next_step=NextStep(due_at=later(6), channel="call"), at=later(2.2), now=later(3), tz=TZ)
    facts = view(pid).facts
    assert (facts.unanswered_streak, facts.last_touch_at, facts.last_reply_at) == (0, later(2.2), later(2.2))


def test_the_two_day_rule_forgets_an_unanswered_touch_once_they_replied(book):
    pid = unanswered_run(book)  # Mon and Wed unanswered
    found = view(pid)
    thursday = later(3)
    assert found.last_unanswered_at == later(2)
    assert coaching.too_soon_after_silence(found.last_unanswered_at, thursday, logging_unanswered=False, now=later(2.5),
                                           tz=TZ)
    actions.log_touch(pid, channel="email", outcome="replied", next_step=NextStep(due_at=later(5), channel="email"),
                      at=later(2.5), now=later(2.5), tz=TZ)
    found = view(pid)
    assert found.last_unanswered_at is None
    assert not coaching.too_soon_after_silence(found.last_unanswered_at, thursday, logging_unanswered=False,
                                               now=later(2.5), tz=TZ)


def test_an_unanswered_touch_after_their_reply_starts_a_new_run(book):
    pid = unanswered_run(book)
    actions.log_touch(pid, channel="email", outcome="replied", direction="in", next_step=NextStep(due_at=later(5), channel="email"),
                      at=later(2.5), now=later(2.5), tz=TZ)
    actions.log_touch(pid, channel="email", outcome="no answer", next_step=NextStep(due_at=later(6), channel="email"),
                      at=later(4), now=later(4), tz=TZ)
    found = view(pid)
    assert (found.facts.unanswered_streak, found.last_unanswered_at) == (1, later(4))


def test_a_touch_logged_late_for_an_earlier_day_counts_the_run_in_the_history_order(book):
    """A reply typed in on Thu for Tue sits between Mon's and Wed's unanswered touches: the run since
    it is Wed's alone."""
    pid = unanswered_run(book)
    actions.log_touch(pid, channel="email", outcome="replied", direction="in", next_step=NextStep(due_at=later(6), channel="email"),
                      at=later(1), now=later(3), tz=TZ)
    found = view(pid)
    assert (found.facts.unanswered_streak, found.facts.last_touch_at, found.last_unanswered_at) == (1, later(2), later(2))
