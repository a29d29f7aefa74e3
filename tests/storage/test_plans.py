"""Away and catch-up on a real book file: the plan (capacity per day, what is already due counted,
promised first and in order, working days only) and its one action, which one undo reverts."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from storage import actions
from storage.actions import NextStep
from storage.actions.shifts import apply_plan
from storage.book.models import FollowUp, Journal, Prospect
from storage.reads.plans import plan_away, plan_catch_up
from storage.rules.dates import When, due_day as rules_due_day, from_utc, stored
from storage.rules.workdays import WorkWeek
from tests.book_checks import derived_mismatches, snapshot

TZ = "Europe/Paris"
NOW = dt.datetime(2026, 11, 30, 8, 0)  # naive UTC: Monday 30 Nov, 09:00 in Paris
D = dt.date


def at(day: dt.date, hour: int | None = None) -> dt.datetime:
    """A due as the book keeps it for the rep's `day` (at `hour`, else the date alone)."""
    return stored(When(day, None if hour is None else dt.time(hour)), TZ)


def add(name: str, day: dt.date, *, promised: bool = False, hour: int | None = None, value: int = 0) -> int:
    step = NextStep(due_at=at(day, hour), has_time=hour is not None, promised=promised, what=f"call {name}")
    return actions.add_prospect({"name": name, "deal_value": value}, step, now=NOW - dt.timedelta(days=60))


def due_day(prospect_id: int) -> dt.date:
    p = Prospect.get_by_id(prospect_id)
    return rules_due_day(p.next_due_at, p.next_has_time, TZ)


def test_away_moves_the_window_to_the_working_days_after_it_promised_first(book):
    # away Mon 7 to Fri 11 Dec; capacity 2; Mon 14 already has one due
    late = add("Late Promise", D(2026, 12, 9), promised=True)
    early = add("Early Promise", D(2026, 12, 8), promised=True)
    plain = [add(f"Plain {n}", D(2026, 12, 7 + n)) for n in range(3)]
    add("Already Monday", D(2026, 12, 14))
    outside = add("After The Trip", D(2026, 12, 12))  # a Saturday, outside the window: stays
    plan = plan_away(D(2026, 12, 7), D(2026, 12, 11), TZ, WorkWeek(), capacity=2)
    assert [m.prospect_id for m in plan.moves] == [early, late, *plain]
    assert [(m.prospect_id, m.day) for m in plan.moves] == [
        (early, D(2026, 12, 14)),  # Monday had one: room for one more
        (late, D(2026, 12, 15)),
        (plain[0], D(2026, 12, 15)),
        (plain[1], D(2026, 12, 16)),
        (plain[2], D(2026, 12, 16)),
    ]
    assert plan.lines() == [
        "Mon 14 Dec: +1, 1 promised → 2 of 2",
        "Tue 15 Dec: +2, 1 promised → 2 of 2",
        "Wed 16 Dec: +2 → 2 of 2",
    ]
    assert apply_plan(plan, now=NOW, tz=TZ) == 5
    assert [due_day(p) for p in (early, late, *plain)] == [D(2026, 12, d) for d in (14, 15, 15, 16, 16)]
    assert due_day(outside) == D(2026, 12, 12)
    assert Prospect.get_by_id(early).next_promised  # the promise moves with the step
    assert not derived_mismatches()


def test_a_timed_step_keeps_its_time_of_day_and_holidays_are_skipped(book):
    meeting = add("Meeting Person", D(2026, 12, 23), hour=14)
    plan = plan_away(D(2026, 12, 21), D(2026, 12, 24), TZ, WorkWeek(country="FR"), capacity=25)
    assert [m.day for m in plan.moves] == [D(2026, 12, 28)]  # Christmas Friday and the weekend skipped
    apply_plan(plan, now=NOW, tz=TZ)
    due = from_utc(Prospect.get_by_id(meeting).next_due_at, TZ)
    assert (due.day, due.hour) == (28, 14)
    assert FollowUp.get(FollowUp.prospect == meeting, FollowUp.done_at.is_null()).has_time


def test_one_undo_puts_every_moved_follow_up_back(book):
    ids = [add(f"P{n}", D(2026, 12, 8)) for n in range(4)]
    before = snapshot()
    apply_plan(plan_away(D(2026, 12, 7), D(2026, 12, 11), TZ, WorkWeek(), capacity=3), now=NOW, tz=TZ)
    entry = Journal.select().order_by(Journal.id.desc()).get()
    assert entry.action == "away" and entry.summary == "away: 4 follow-up(s) moved to Mon 14 Dec to Tue 15 Dec"
    assert [due_day(p) for p in ids] == [D(2026, 12, 14)] * 3 + [D(2026, 12, 15)]
    actions.undo(now=NOW + dt.timedelta(minutes=1))
    assert snapshot() == before


def test_a_step_changed_after_the_plan_was_read_is_left_as_it_is(book):
    first, second = add("First", D(2026, 12, 8)), add("Second", D(2026, 12, 9))
    plan = plan_away(D(2026, 12, 7), D(2026, 12, 11), TZ, WorkWeek(), capacity=25)
    actions.snooze(second, at(D(2026, 12, 10)), now=NOW, tz=TZ)  # meanwhile, on another desk
    assert apply_plan(plan, now=NOW, tz=TZ) == 1
    assert due_day(first) == D(2026, 12, 14) and due_day(second) == D(2026, 12, 10)


def test_catch_up_spreads_the_overdue_oldest_and_highest_value_first_never_the_promised(book):
    oldest = add("Oldest", D(2026, 11, 2), value=10)
    rich = add("Rich", D(2026, 11, 20), value=90_000)
    poor = add("Poor", D(2026, 11, 20), value=5)
    promised = add("Promised Late", D(2026, 11, 10), promised=True)
    add("Due Today", D(2026, 11, 30))
    plan = plan_catch_up(pendulum.instance(NOW, tz="UTC"), TZ, WorkWeek(), capacity=2)
    assert [(m.prospect_id, m.day) for m in plan.moves] == [
        (oldest, D(2026, 11, 30)),  # today had one due: room for one
        (rich, D(2026, 12, 1)),
        (poor, D(2026, 12, 1)),
    ]
    apply_plan(plan, now=NOW, tz=TZ)
    assert due_day(promised) == D(2026, 11, 10)  # the rep's word stays where it was
    assert due_day(oldest) == D(2026, 11, 30)


def test_a_plan_that_cannot_be_is_refused_in_words(book):
    with pytest.raises(ValueError, match="comes before the first"):
        plan_away(D(2026, 12, 11), D(2026, 12, 7), TZ, WorkWeek())
    add("Someone", D(2026, 12, 8))
    with pytest.raises(ValueError, match="at least one"):
        plan_away(D(2026, 12, 7), D(2026, 12, 11), TZ, WorkWeek(), capacity=0)


def test_the_week_ahead_counts_each_working_day_and_its_promised(book):
    from storage.reads.load import week_ahead

    add("Today", D(2026, 11, 30))
    add("Promised Tuesday", D(2026, 12, 1), promised=True, hour=10)
    add("Tuesday Too", D(2026, 12, 1))
    add("Saturday", D(2026, 12, 5))  # not a working day: not a row of its own
    rows = week_ahead(D(2026, 11, 30), TZ, WorkWeek(), days=6)
    assert [(r.day, r.due, r.promised) for r in rows] == [
        (D(2026, 11, 30), 1, 0), (D(2026, 12, 1), 2, 1), (D(2026, 12, 2), 0, 0),
        (D(2026, 12, 3), 0, 0), (D(2026, 12, 4), 0, 0), (D(2026, 12, 7), 0, 0),
    ]
