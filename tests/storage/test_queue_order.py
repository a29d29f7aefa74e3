"""Late first (issue 13, point 9): within *Promised*, the late follow-ups come first (oldest first),
then today's, then the rest by due time; a timed follow-up past its time today is *Overdue*, a
date-only one due today stays in *Today* all day. Monday 23 November 2026, 09:30 in Paris."""

from __future__ import annotations

import pendulum
import pytest

from storage.reads import queue
from tests.storage.test_queue import NOW, TZ, day, local, names, put, section_of, utc


@pytest.fixture(autouse=True)
def _still(frozen):
    yield


def test_a_promise_two_days_late_comes_before_todays_and_tomorrows(book):
    put("p-tomorrow", day(2026, 11, 24), promised=True, value=10**6)
    put("p-today", day(2026, 11, 23), promised=True, value=10**5)
    put("p-two-days-late", day(2026, 11, 21), promised=True, value=1)
    assert names("promised") == ["p-two-days-late", "p-today", "p-tomorrow"]


def test_a_promise_past_its_time_this_morning_comes_before_a_date_only_promise_of_today(book):
    """The date-only one is due all day (stored at local midnight, so earlier by due time); the
    08:00 one is late at 09:30: it goes first."""
    put("p-today", day(2026, 11, 23), promised=True, value=10**6)
    put("p-today-14h", utc(2026, 11, 23, 14), has_time=True, promised=True, value=10**6)
    put("p-today-8h", utc(2026, 11, 23, 8), has_time=True, promised=True)
    put("p-yesterday", day(2026, 11, 22), promised=True)
    put("p-next-week", day(2026, 11, 30), promised=True)
    assert names("promised") == ["p-yesterday", "p-today-8h", "p-today", "p-today-14h", "p-next-week"]


def test_late_promises_keep_due_time_then_largest_deal_among_themselves(book):
    put("late-small", day(2026, 11, 20), promised=True, value=10)
    put("late-big", day(2026, 11, 20), promised=True, value=20)
    put("later-late", utc(2026, 11, 23, 9), has_time=True, promised=True, value=10**6)
    put("not-late", day(2026, 11, 23), promised=True, value=10**7)
    assert names("promised") == ["late-big", "late-small", "later-late", "not-late"]


def test_promised_pages_and_positions_run_across_the_late_and_the_rest(book):
    """The section is read as two runs (late, then the rest), each through the index: any page
    is the same slice of the whole, and locate finds every row where the page has it."""
    for number in range(7):
        put(f"late{number}", utc(2026, 11, 16 + number % 7, 9 + number % 3), has_time=True, promised=True, value=number)
    put("late-this-morning", utc(2026, 11, 23, 7), has_time=True, promised=True)
    for number in range(6):
        put(f"rest{number}", day(2026, 11, 23 + number % 4), promised=True, value=number)
    whole = queue.page("promised", 0, 1000, NOW, TZ)
    assert [row.name for row in whole][:8] == [f"late{n}" for n in range(7)] + ["late-this-morning"]
    assert len(whole) == queue.counts(NOW, TZ)["promised"] == 14
    for limit in (1, 3, 5, 8, 9, 14, 50):
        pieces = []
        for offset in range(0, len(whole), limit):
            pieces += queue.page("promised", offset, limit, NOW, TZ)
        assert pieces == whole, limit
    assert queue.page("promised", 14, 5, NOW, TZ) == []
    for offset, row in enumerate(whole):
        assert queue.locate(row.prospect_id, NOW, TZ) == ("promised", offset), row.name


def test_a_timed_step_past_its_time_today_is_overdue_and_one_still_to_come_is_today(book):
    eight = put("today 08:00", utc(2026, 11, 23, 8), has_time=True)
    two = put("today 14:00", utc(2026, 11, 23, 14), has_time=True)
    any_time = put("today, any time", day(2026, 11, 23))
    assert section_of(eight, NOW) == "overdue"
    assert section_of(two, NOW) == "today"
    assert section_of(any_time, NOW) == "today"
    assert names("overdue") == ["today 08:00"]
    assert names("today") == ["today, any time", "today 14:00"]
    # the date-only one stays in today until midnight; the 14:00 one moves at 14:00
    assert section_of(any_time, local(2026, 11, 23, 23, 59, 59)) == "today"
    assert section_of(two, local(2026, 11, 23, 14, 0)) == "today"
    assert section_of(two, local(2026, 11, 23, 14, 1)) == "overdue"


def test_overdue_keeps_due_time_order_with_this_mornings_after_the_older_ones(book):
    put("today 08:00", utc(2026, 11, 23, 8), has_time=True, value=10**6)
    put("yesterday", day(2026, 11, 22))
    put("last week 17:00", utc(2026, 11, 16, 17), has_time=True)
    assert names("overdue") == ["last week 17:00", "yesterday", "today 08:00"]


def test_the_counts_agree_with_the_sections_and_locate(book):
    made = {
        "p-late": put("p-late", utc(2026, 11, 23, 8), has_time=True, promised=True),
        "p-today": put("p-today", day(2026, 11, 23), promised=True),
        "o-morning": put("o-morning", utc(2026, 11, 23, 8, 59), has_time=True),
        "o-old": put("o-old", day(2026, 11, 2)),
        "t-day": put("t-day", day(2026, 11, 23)),
        "t-noon": put("t-noon", utc(2026, 11, 23, 12), has_time=True),
        "u": put("u", day(2026, 11, 25)),
        "n": put("n"),
    }
    counts = queue.counts(NOW, TZ)
    assert counts == {section: len(names(section)) for section in queue.SECTIONS}
    assert counts == {"promised": 2, "overdue": 2, "today": 2, "upcoming": 1, "later": 0, "no_step": 1}
    for name, prospect_id in made.items():
        section, offset = queue.locate(prospect_id, NOW, TZ)
        assert names(section)[offset] == name


def test_is_late_is_the_rule_the_sections_use(book):
    """The queue pane colours a row late by `is_late`: the same cut as the sections."""
    eight, two, any_time = utc(2026, 11, 23, 8), utc(2026, 11, 23, 14), day(2026, 11, 23)
    assert queue.is_late(eight, True, NOW, TZ)
    assert not queue.is_late(two, True, NOW, TZ)
    assert not queue.is_late(any_time, False, NOW, TZ)
    assert not queue.is_late(any_time, False, local(2026, 11, 23, 23, 59, 59), TZ)
    assert queue.is_late(any_time, False, local(2026, 11, 24, 0, 0), TZ)
    assert queue.is_late(day(2026, 11, 22), False, NOW, TZ)
    assert not queue.is_late(two, True, local(2026, 11, 23, 14, 0, 0), TZ)
    assert queue.is_late(two, True, pendulum.datetime(2026, 11, 23, 13, 0, 1, tz="UTC"), TZ)  # 14:00:01 in Paris


def test_next_cut_is_when_the_next_timed_step_of_today_passes_its_time(book):
    """A desk left open cuts its sections again then (a date-only step never moves before midnight)."""
    import datetime as dt

    put("today, any time", day(2026, 11, 23))
    put("this morning", utc(2026, 11, 23, 8), has_time=True)
    assert queue.next_cut(NOW, TZ) is None
    put("p at 11:00", utc(2026, 11, 23, 11), has_time=True, promised=True)
    put("at 14:00", utc(2026, 11, 23, 14), has_time=True)
    put("tomorrow 08:00", utc(2026, 11, 24, 8), has_time=True)
    assert queue.next_cut(NOW, TZ) == utc(2026, 11, 23, 11) + dt.timedelta(seconds=1)
    assert queue.next_cut(local(2026, 11, 23, 11, 0, 1), TZ) == utc(2026, 11, 23, 14) + dt.timedelta(seconds=1)
    assert queue.next_cut(local(2026, 11, 23, 14, 0, 1), TZ) is None


def test_a_step_timed_at_midnight_is_late_once_midnight_has_passed_a_date_only_one_is_not(book):
    """The prospect row says whether its step has a time (next_has_time, read from the queue
    index): a step timed 00:00 is a moment like any other, late at 09:30; a date-only one is
    due all its day."""
    midnight = put("timed 00:00", utc(2026, 11, 23), has_time=True)
    one_past = put("timed 00:01", utc(2026, 11, 23, 0, 1), has_time=True)
    any_time = put("date only", day(2026, 11, 23))
    assert [section_of(i, NOW) for i in (midnight, one_past, any_time)] == ["overdue", "overdue", "today"]
    assert queue.is_late(utc(2026, 11, 23), True, NOW, TZ)
