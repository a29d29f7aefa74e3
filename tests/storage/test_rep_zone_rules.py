"""The rules that need the rep's day take the rep's zone as given (`--tz`), never FOLLOWUP_TZ or
the machine's: the promise-kept deadline, revisit wake-ups, the two-day rule, the best-time day."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.models import FollowUp, Prospect
from storage.reads import coaching
from storage.reads.prospect import view
from storage.rules.dates import When, due_day, stored, to_utc
from storage.rules.promises import promise_state

THU = dt.date(2026, 12, 3)
KIRITIMATI, HONOLULU, PARIS = "Pacific/Kiritimati", "Pacific/Honolulu", "Europe/Paris"


@pytest.fixture(autouse=True)
def elsewhere(monkeypatch):
    """FOLLOWUP_TZ names a zone the rep is not in (tests/conftest.py sets Paris; some use it)."""
    monkeypatch.setenv("FOLLOWUP_TZ", "Asia/Kolkata")


def promised_for(day: dt.date, tz: str, *, now: dt.datetime) -> int:
    """A prospect with a date-only promised call on `day`, set on a desk in `tz`."""
    return actions.add_prospect({"name": "Ada"}, NextStep(due_at=stored(When(day, None), tz), channel="call",
                                                          promised=True), now=now)


def kept(prospect_id: int) -> bool | None:
    return FollowUp.get(FollowUp.prospect == prospect_id, FollowUp.done_at.is_null(False)).kept


@pytest.mark.parametrize("tz, touched_at", [
    (HONOLULU, dt.datetime(2026, 12, 4, 9, 30)),  # Thu 23:30 in Honolulu, Fri in Kolkata and Paris
    (KIRITIMATI, dt.datetime(2026, 12, 3, 6, 0)),  # Thu 20:00 in Kiritimati, Thu 11:30 in Kolkata
    (PARIS, dt.datetime(2026, 12, 3, 22, 50)),  # Thu 23:50 in Paris, Fri 04:20 in Kolkata
])
def test_a_promise_touched_late_on_its_day_in_the_reps_zone_is_kept(book, tz, touched_at):
    pid = promised_for(THU, tz, now=dt.datetime(2026, 11, 30, 12))
    actions.log_touch(pid, channel="call", outcome="talked", next_step=None, now=touched_at, tz=tz)
    assert kept(pid) is True


@pytest.mark.parametrize("tz, touched_at", [
    (HONOLULU, dt.datetime(2026, 12, 4, 10, 30)),  # Fri 00:30 in Honolulu
    (KIRITIMATI, dt.datetime(2026, 12, 3, 10, 30)),  # Fri 00:30 in Kiritimati
])
def test_a_promise_touched_the_next_day_in_the_reps_zone_is_late(book, tz, touched_at):
    pid = promised_for(THU, tz, now=dt.datetime(2026, 11, 30, 12))
    actions.log_touch(pid, channel="call", outcome="talked", next_step=None, now=touched_at, tz=tz)
    assert kept(pid) is False


def test_the_detail_panes_promise_state_runs_to_the_reps_midnight():
    due = stored(When(THU, None), HONOLULU)
    assert promise_state(due, False, None, dt.datetime(2026, 12, 4, 9, 59), HONOLULU) == "open"
    assert promise_state(due, False, None, dt.datetime(2026, 12, 4, 10, 1), HONOLULU) == "overdue"


def test_a_revisit_wakes_on_the_reps_day_and_is_due_that_day_in_the_reps_zone(book):
    pid = actions.add_prospect({"name": "Ada"}, NextStep(due_at=dt.datetime(2026, 12, 1, 12), channel="call"),
                               now=dt.datetime(2026, 11, 30, 12))
    actions.drop(pid, "not now", revisit_on=THU, now=dt.datetime(2026, 11, 30, 13), tz=KIRITIMATI)
    # Wed 2 Dec 09:59 UTC is still Wednesday in Kiritimati (UTC+14): not yet
    assert actions.wake_revisits(tz=KIRITIMATI, now=dt.datetime(2026, 12, 2, 9, 59)) == []
    # 10:00 UTC is Thursday 00:00 there (still Wednesday in Kolkata, FOLLOWUP_TZ's)
    assert actions.wake_revisits(tz=KIRITIMATI, now=dt.datetime(2026, 12, 2, 10, 0)) == [pid]
    prospect = Prospect.get_by_id(pid)
    step = FollowUp.get(FollowUp.prospect == pid, FollowUp.done_at.is_null())
    assert prospect.status == "active"
    assert (due_day(step.due_at, step.has_time, KIRITIMATI), step.has_time) == (THU, False)
    assert due_day(step.due_at, step.has_time, HONOLULU) == THU  # the same date wherever the rep goes


def test_a_revisit_does_not_wake_before_the_reps_day_west_of_utc(book):
    pid = actions.add_prospect({"name": "Ada"}, NextStep(due_at=dt.datetime(2026, 12, 1, 12), channel="call"),
                               now=dt.datetime(2026, 11, 30, 12))
    actions.drop(pid, "not now", revisit_on=THU, now=dt.datetime(2026, 11, 30, 13), tz=HONOLULU)
    # Thu 3 Dec 09:00 UTC is Wed 23:00 in Honolulu
    assert actions.wake_revisits(tz=HONOLULU, now=dt.datetime(2026, 12, 3, 9, 0)) == []
    assert actions.wake_revisits(tz=HONOLULU, now=dt.datetime(2026, 12, 3, 10, 0)) == [pid]


def test_the_two_day_rule_counts_the_reps_days():
    last = dt.datetime(2026, 12, 3, 9, 30)  # Wed 2 Dec 23:30 in Honolulu, Thu 3 Dec in UTC and Kolkata
    friday = stored(When(dt.date(2026, 12, 4), None), HONOLULU)
    assert not coaching.too_soon_after_silence(last, friday, logging_unanswered=False, now=last, tz=HONOLULU,
                                               has_time=False)
    assert coaching.too_soon_after_silence(last, friday, logging_unanswered=False, now=last, tz="UTC", has_time=False)
    # Kiritimati (UTC+14): Thu 3 Dec 23:30 there; Friday, the date, is one day on
    late = dt.datetime(2026, 12, 3, 9, 30)
    assert coaching.too_soon_after_silence(late, friday, logging_unanswered=False, now=late, tz=KIRITIMATI,
                                           has_time=False)


def test_a_date_only_step_is_checked_against_their_days_on_the_day_the_rep_set(book):
    pid = actions.add_prospect({"name": "Ada", "best_time": "weekdays 8-10am"},
                               NextStep(due_at=dt.datetime(2026, 12, 1, 12), channel="call"),
                               now=dt.datetime(2026, 11, 30, 12))
    facts = view(pid).facts
    monday = stored(When(dt.date(2026, 12, 7), None), KIRITIMATI)
    sunday = stored(When(dt.date(2026, 12, 6), None), KIRITIMATI)
    # the date the rep set, whatever zone the desk is in now
    assert coaching.best_time_warning(facts, monday, False, KIRITIMATI) is None
    assert coaching.best_time_warning(facts, monday, False, HONOLULU) is None
    assert coaching.best_time_warning(facts, sunday, False, HONOLULU) == "not one of their days (weekdays)"


def test_a_timed_step_is_checked_on_the_prospects_own_clock(book):
    pid = actions.add_prospect({"name": "Ada", "best_time": "weekdays 8-10am", "timezone": "America/New_York"},
                               NextStep(due_at=dt.datetime(2026, 12, 1, 12), channel="call"),
                               now=dt.datetime(2026, 11, 30, 12))
    facts = view(pid).facts
    nine_in_new_york = to_utc(When(dt.date(2026, 12, 7), dt.time(15)), PARIS)  # Mon 15:00 Paris = 09:00 NY
    assert coaching.best_time_warning(facts, nine_in_new_york, True, KIRITIMATI) is None
    assert "their time Mon 03:00" in coaching.best_time_warning(
        facts, to_utc(When(dt.date(2026, 12, 7), dt.time(9)), PARIS), True, KIRITIMATI)
