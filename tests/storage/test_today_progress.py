"""Today's progress (the queue's title) on books built by hand, at FROZEN: Monday 23 November 2026,
09:30 in Paris (08:30 UTC). Each figure counted by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.models import FollowUp, Prospect
from storage.reads.today import TodayProgress, today_progress
from tests.conftest import FROZEN, TZ
from tests.storage.query_plans import plan_of

ADDED = dt.datetime(2026, 11, 1, 9, 0)  # when the prospects were entered (naive UTC)


@pytest.fixture(autouse=True)
def _still(frozen):
    yield


def date(day: int, month: int = 11) -> dt.datetime:
    """A date-only due as the book keeps it (dates.stored): the date at noon, no zone."""
    return dt.datetime(2026, month, day, 12)


def paris(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in Paris (UTC+1 in November) as the naive UTC the book stores."""
    return dt.datetime(2026, 11, day, hour, minute) - dt.timedelta(hours=1)


def put(name: str, due: dt.datetime | None, *, timed: bool = False, promised: bool = False) -> int:
    step = None if due is None else NextStep(due_at=due, has_time=timed, promised=promised, channel="call")
    return actions.add_prospect({"name": name}, step, now=ADDED)


def progress() -> TodayProgress:
    return today_progress(FROZEN, TZ)


def test_an_empty_book_has_nothing_done_due_or_left(book):
    assert progress() == TodayProgress(done=0, due=0, left=0)


def test_a_date_only_step_of_today_and_a_timed_one_at_14_count_as_due(book):
    put("today, a date", date(23))
    put("today at 14:00", paris(23, 14), timed=True)
    put("today at 08:00: late now, overdue", paris(23, 8), timed=True)
    put("yesterday", date(22))
    put("tomorrow", date(24))
    put("tonight 23:59", paris(23, 23, 59), timed=True)
    put("no next step", None)
    # due: the date, 14:00, 23:59 = 3 (08:00 has passed: it is overdue, not still due)
    assert progress() == TodayProgress(done=0, due=3, left=0)


def test_a_promise_due_yesterday_not_done_counts_as_left(book):
    put("promised yesterday", date(22), promised=True)
    put("promised last week at 10:00", paris(16, 10), timed=True, promised=True)
    put("promised this morning at 09:00", paris(23, 9), timed=True, promised=True)
    put("promised today", date(23), promised=True)
    put("promised today at 17:00", paris(23, 17), timed=True, promised=True)
    put("promised tomorrow", date(24), promised=True)
    put("promised in December", date(7, 12), promised=True)
    # left: every promise due by the end of today = yesterday, last week, 09:00, today, 17:00 = 5;
    # due: today's promises not late yet = today, 17:00 = 2 (09:00 is late: left, not due)
    assert progress() == TodayProgress(done=0, due=2, left=5)


def test_a_touch_logged_today_counts_as_done(book):
    tess = put("Tess", date(23))
    uma = put("Uma", date(23))
    assert progress() == TodayProgress(done=0, due=2, left=0)
    actions.log_touch(tess, channel="call", outcome="replied", next_step=NextStep(due_at=date(30), channel="email"), tz=TZ)
    # Tess's step is done (done 1) and her next is next Monday (due 2 - 1)
    assert progress() == TodayProgress(done=1, due=1, left=0)
    actions.log_touch(uma, channel="email", outcome="no answer", tz=TZ)
    assert progress() == TodayProgress(done=2, due=0, left=0)


def test_a_kept_promise_is_done_and_no_longer_left(book):
    pat = put("Pat", date(20), promised=True)
    assert progress() == TodayProgress(done=0, due=0, left=1)
    actions.log_touch(pat, channel="call", outcome="replied", tz=TZ)
    assert progress() == TodayProgress(done=1, due=0, left=0)


def test_a_prospect_won_or_dropped_today_is_done_a_snooze_or_a_new_date_is_not(book):
    won, dropped, snoozed, moved = (put(name, date(23)) for name in ("won", "dropped", "snoozed", "moved"))
    actions.close_won(won, tz=TZ)
    actions.drop(dropped, "No budget", tz=TZ)
    actions.snooze(snoozed, date(25), tz=TZ)
    actions.set_next_step(moved, NextStep(due_at=date(26), channel="call"), tz=TZ)
    # done: the won and the dropped one's steps = 2; snoozed and moved are only later: due 0
    assert progress() == TodayProgress(done=2, due=0, left=0)


def test_done_is_counted_by_the_reps_day_not_the_utc_one(book):
    early, late, before = put("early", date(22)), put("late", date(22)), put("before", date(20))
    # Mon 00:30 in Paris is Sun 23:30 UTC: today; Sun 23:30 in Paris is Sun 22:30 UTC: yesterday
    actions.log_touch(early, channel="call", outcome="replied", now=paris(23, 0, 30), tz=TZ)
    actions.log_touch(late, channel="call", outcome="replied", now=paris(22, 23, 30), tz=TZ)
    actions.log_touch(before, channel="call", outcome="replied", now=paris(20, 15), tz=TZ)
    assert progress().done == 1


def test_an_undone_touch_is_no_longer_done(book):
    tess = put("Tess", date(23))
    actions.log_touch(tess, channel="call", outcome="replied", next_step=NextStep(due_at=date(30), channel="call"), tz=TZ)
    assert progress() == TodayProgress(done=1, due=0, left=0)
    actions.undo()
    assert progress() == TodayProgress(done=0, due=1, left=0)


def test_the_title_is_full_where_it_fits_and_short_where_not():
    figures = TodayProgress(done=3, due=12, left=2)
    assert figures.words(80) == "Today: 3 done · 12 due · 2 promised left"
    assert figures.words(36) == "3 done · 12 due · 2★ left"
    assert TodayProgress(done=12, due=250, left=12).words(26) == "12 done · 250 due · 12★"  # 80x24, a big day
    assert figures.words(5) == "3 done · 12 due · 2★"  # no room: the shortest, for the border to cut


def test_each_figure_is_a_range_of_an_index(book, monkeypatch):
    """No table scanned: the figures are read with every read of the queue, on a book of any size."""
    put("someone", date(23))
    seen: list[tuple[str, tuple]] = []
    real = type(book).execute_sql

    def recording(db, sql, params=None, *args, **kwargs):
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, tuple(params or ())))
        return real(db, sql, params, *args, **kwargs)

    monkeypatch.setattr(type(book), "execute_sql", recording)
    progress()
    monkeypatch.undo()
    assert len(seen) == 1  # the three in one statement (on a server, one round trip), each a subquery
    plan = plan_of(book, *seen[0])  # tests/storage/query_plans.py: either engine's plan
    assert not plan.full_scans, plan
    searched = [line for line in plan.lines if ("SEARCH" in line and "INDEX" in line) or ("Index" in line and "Scan" in line)]
    assert len(searched) >= 3, plan  # each figure through an index
    assert Prospect.select().count() == 1 and FollowUp.select().count() == 1
