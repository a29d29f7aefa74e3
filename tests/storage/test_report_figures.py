"""The later figures of issue 17 (hours, activity, pipeline) against small books built with the
actions, counted by hand; time frozen on Monday 23 Nov 2026 09:30 in Paris (08:30 UTC). Paris is
UTC+1 from Sun 25 Oct 2026 03:00 (summer time, UTC+2, before)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import peewee as pw
import pytest

from storage import actions
from storage.actions import NextStep
from storage.reads import reports
from storage.reads.report_activity import ActivityWeek, activity
from storage.reads.report_hours import EMPTY, NO_KIND, HourCell, hours
from storage.reads.report_pipeline import NO_STEP, PipelineGroup, pipeline
from storage.reads.reports import Period
from storage.rules.dates import When, stored
from tests.conftest import FROZEN, TZ

AUCKLAND = "Pacific/Auckland"  # UTC+13 in November (summer there)


def utc(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in naive UTC, as the book keeps it."""
    return dt.datetime(2026, month, day, hour, minute)


def period(name: str, tz: str = TZ) -> Period:
    return Period.back_from(name, FROZEN, tz)


def step(month: int, day: int, kind: str = "new prospect", time: dt.time | None = None,
         promised: bool = False) -> NextStep:
    due = stored(When(dt.date(2026, month, day), time), TZ)
    return NextStep(due_at=due, has_time=time is not None, kind=kind, promised=promised)


def touch(pid: int, when: dt.datetime, channel: str, outcome: str, direction: str = "out",
          next_step: NextStep | None = None) -> None:
    actions.log_touch(pid, channel=channel, outcome=outcome, direction=direction, next_step=next_step,
                      at=when, now=when, tz=TZ)


def mixed_book() -> dict[str, int]:
    """Ref (a referral): Mon 2 Nov 11:00 Paris a call, talked; Mon 9 Nov 11:00 a call, no answer;
    Mon 16 Nov 11:20 an email, replied (each on a referral step, the next due a week on; the last
    Wed 25 Nov, open). New: Tue 3 Nov 15:00 a call, left message (on its new-prospect step, due
    that day; none after); then on Sun 22 Nov at 23:30 Paris they wrote (an email in, on no step).
    Snoozed: due Tue 10 Nov, put off on the 5th to Thu 19 Nov. Timed: due Mon 23 Nov 00:30 Paris
    (Sun 23:30 UTC). Promised: Mon 30 Nov. Later: Thu 10 Dec. Todays: Mon 23 Nov. Won and Lost
    closed."""
    ids = {}
    ids["ref"] = actions.add_prospect({"name": "Ref", "deal_value": 1000}, step(11, 2, "referral"), now=utc(11, 1, 9))
    touch(ids["ref"], utc(11, 2, 10), "call", "talked", next_step=step(11, 9, "referral"))
    touch(ids["ref"], utc(11, 9, 10), "call", "no answer", next_step=step(11, 16, "referral"))
    touch(ids["ref"], utc(11, 16, 10, 20), "email", "replied", next_step=step(11, 25, "referral"))
    ids["new"] = actions.add_prospect({"name": "New", "deal_value": 2000}, step(11, 3), now=utc(11, 1, 9))
    touch(ids["new"], utc(11, 3, 14), "call", "left message")
    touch(ids["new"], utc(11, 22, 22, 30), "email", "replied", direction="in")
    ids["snoozed"] = actions.add_prospect({"name": "Snoozed", "deal_value": 300}, step(11, 10), now=utc(11, 1, 9))
    actions.snooze(ids["snoozed"], step(11, 19).due_at, now=utc(11, 5, 9), tz=TZ)
    ids["timed"] = actions.add_prospect({"name": "Timed", "deal_value": 400},
                                        step(11, 23, "service", dt.time(0, 30)), now=utc(11, 1, 9))
    ids["promised"] = actions.add_prospect({"name": "Promised", "deal_value": 5000},
                                           step(11, 30, "thank-you", promised=True), now=utc(11, 1, 9))
    ids["later"] = actions.add_prospect({"name": "Later", "deal_value": 60}, step(12, 10, "check-in"), now=utc(11, 1, 9))
    ids["today"] = actions.add_prospect({"name": "Todays", "deal_value": 7}, step(11, 23), now=utc(11, 1, 9))
    ids["won"] = actions.add_prospect({"name": "Won", "deal_value": 100000}, now=utc(11, 1, 9))
    actions.close_won(ids["won"], now=utc(11, 2, 9), tz=TZ)
    ids["lost"] = actions.add_prospect({"name": "Lost", "deal_value": 90000}, now=utc(11, 1, 9))
    actions.drop(ids["lost"], "no budget", now=utc(11, 2, 9), tz=TZ)
    return ids


# --- hours ---------------------------------------------------------------------------------------


def test_the_empty_book_has_no_hours(book, frozen):
    assert hours(period("all"), TZ) == EMPTY
    assert hours(period("30d"), TZ) == EMPTY
    assert EMPTY.cells() == [] and EMPTY.best() == [] and EMPTY.total_out == 0


def test_hours_count_touches_out_and_replies_in_the_reps_hours(book, frozen):
    mixed_book()
    grid = hours(period("30d"), TZ)
    assert grid.cells() == [
        HourCell(0, 11, out=3, replies=2, answered=2),  # Ref's Mondays at 11 (10:00 UTC): talked, no answer, replied
        HourCell(1, 15, out=1, replies=0),  # New's Tuesday call at 15:00: a message left is no answer
        HourCell(6, 23, out=0, replies=1, answered=0),  # New wrote on Sunday at 23:30: theirs, a reply
    ]
    assert (grid.total_out, grid.total_replies) == (4, 3)
    assert grid.cell(0, 11).reply_rate == 2 / 3 and grid.cell(6, 23).reply_rate is None
    assert hours(period("30d"), TZ) == hours(period("all"), TZ)  # nothing older


def test_a_sunday_2330_reply_is_sunday_23h_where_the_rep_is(book, frozen):
    pid = actions.add_prospect({"name": "Late"}, now=utc(11, 1, 9))
    # Sun 22 Nov 23:30 in Paris is 22:30 UTC
    touch(pid, utc(11, 22, 22, 30), "email", "replied", direction="in")
    assert hours(period("30d"), TZ).cells() == [HourCell(6, 23, 0, 1)]
    # a rep in Auckland: Sun 22 Nov 23:30 there is 10:30 UTC that Sunday
    other = actions.add_prospect({"name": "Kiwi"}, now=utc(11, 1, 9))
    touch(other, utc(11, 22, 10, 30), "text", "replied", direction="in")
    assert hours(period("30d", AUCKLAND), AUCKLAND).cells() == [
        HourCell(0, 11, 0, 1),  # Paris's Sunday 23:30 is Monday 11:30 in Auckland
        HourCell(6, 23, 0, 1),  # the Kiwi's
    ]


def test_a_dst_week_puts_each_touch_in_its_own_hour(book, frozen):
    """Paris leaves summer time on Sun 25 Oct 2026 at 03:00 (01:00 UTC): 02:00-03:00 happens twice."""
    pid = actions.add_prospect({"name": "Dst"}, now=utc(10, 20, 9))
    touch(pid, utc(10, 23, 21, 30), "call", "talked")  # Fri 23:30 summer time: before the 30 days
    touch(pid, utc(10, 23, 22), "call", "talked")  # Sat 24 Oct 00:00 summer time: the first hour
    touch(pid, utc(10, 24, 8), "call", "no answer")  # Sat 10:00 summer time
    touch(pid, utc(10, 25, 0, 30), "call", "no answer")  # Sun 02:30 summer time
    touch(pid, utc(10, 25, 1, 30), "call", "talked")  # Sun 02:30 winter time, an hour later
    touch(pid, utc(10, 25, 22, 30), "call", "no answer")  # Sun 23:30 winter time
    touch(pid, utc(10, 26, 9), "call", "no answer")  # Mon 10:00 winter time
    assert hours(period("30d"), TZ).cells() == [
        HourCell(0, 10, 1, 0), HourCell(5, 0, 1, 1, 1), HourCell(5, 10, 1, 0),
        HourCell(6, 2, 2, 1, 1), HourCell(6, 23, 1, 0),
    ]
    assert hours(period("90d"), TZ).cell(4, 23) == HourCell(4, 23, 1, 1, 1)  # the Friday, in 90 days


def test_hours_by_kind_of_the_step_a_touch_was_logged_on(book, frozen):
    mixed_book()
    assert hours(period("30d"), TZ, "referral").cells() == [HourCell(0, 11, 3, 2, 2)]
    assert hours(period("30d"), TZ, "new prospect").cells() == [HourCell(1, 15, 1, 0)]
    assert hours(period("30d"), TZ, NO_KIND).cells() == [HourCell(6, 23, 0, 1)]  # written on no step
    assert hours(period("30d"), TZ, "service") == EMPTY


def test_the_last_hour_ends_at_now_and_holds_a_touch_made_now(book, frozen):
    """Now is Mon 23 Nov 09:30 in Paris: the 9h of today is half an hour long, and a call made at
    this very moment is in it, as one made at 09:00 is."""
    pid = actions.add_prospect({"name": "Now"}, step(11, 23), now=utc(11, 1, 9))
    touch(pid, utc(11, 23, 8), "call", "talked", next_step=step(11, 23))  # 09:00 Paris
    touch(pid, utc(11, 23, 8, 30), "call", "no answer", next_step=step(11, 30))  # 09:30, now
    for kind in (None, "new prospect"):
        assert hours(period("30d"), TZ, kind).cells() == [HourCell(0, 9, 2, 1, 1)]

def test_a_kinds_hours_are_the_reps_own_hours_in_a_half_hour_zone(book, frozen):
    """India is UTC+5:30: a call at 04:45 UTC on Mon 16 Nov is 10:15 there, hour 10, for the
    whole book and for its kind alike (a kind read by the UTC hour put it in 9h)."""
    pid = actions.add_prospect({"name": "Ravi"}, step(11, 16, "referral"), now=utc(11, 1, 9))
    touch(pid, utc(11, 16, 4, 45), "call", "talked")
    india = "Asia/Kolkata"
    whole = hours(period("30d", india), india)
    assert whole.cells() == [HourCell(0, 10, 1, 1, 1)]
    assert hours(period("30d", india), india, "referral") == whole

def test_a_kinds_hours_read_from_the_touches_when_they_are_fewer(book, frozen):
    """Seven new-prospect steps and a touch in the period: read from the period's touches; four
    touches on no step, three of them in August: the period's two touches are read, not the four."""
    for n in range(6):
        actions.add_prospect({"name": f"Waiting {n}"}, step(12, 1), now=utc(11, 1, 9))
    pid = actions.add_prospect({"name": "Talked"}, step(11, 2), now=utc(11, 1, 9))
    touch(pid, utc(11, 2, 10), "call", "talked")  # Mon 11:00 Paris, on its new-prospect step
    for day in (3, 4, 5):
        touch(pid, dt.datetime(2026, 8, day, 10), "email", "replied", direction="in")  # on no step
    touch(pid, utc(11, 22, 22, 30), "email", "replied", direction="in")  # Sun 23:30, on no step
    assert hours(period("30d"), TZ, "new prospect").cells() == [HourCell(0, 11, 1, 1, 1)]
    assert hours(period("30d"), TZ, NO_KIND).cells() == [HourCell(6, 23, 0, 1)]
    assert hours(period("all"), TZ, NO_KIND).cells() == [HourCell(0, 12, 0, 1), HourCell(1, 12, 0, 1),
                                                         HourCell(2, 12, 0, 1), HourCell(6, 23, 0, 1)]


def test_best_times_need_a_sample(book, frozen):
    mixed_book()
    grid = hours(period("30d"), TZ)
    assert grid.best() == []  # no cell has five touches out
    # Monday 11h answers 2 in 3, Tuesday 15h none in 1; Sunday 23h has no touch out
    assert grid.best(3, min_out=1) == [HourCell(0, 11, 3, 2, 2), HourCell(1, 15, 1, 0)]
    pid = actions.add_prospect({"name": "Busy"}, now=utc(11, 1, 9))
    for day in (3, 10, 17):  # Tuesdays 15:00: two more no answers and a talk → 4 out, 1 reply
        touch(pid, utc(11, day, 14), "call", "talked" if day == 17 else "no answer")
    for day in (4, 11, 18, 18, 18):  # Wednesdays 9:00, five talks: 5 out, 5 replies
        touch(pid, utc(11, day, 8), "call", "talked")
    assert hours(period("30d"), TZ).best() == [HourCell(2, 9, 5, 5, 5)]
    assert hours(period("30d"), TZ).best(min_out=4) == [HourCell(2, 9, 5, 5, 5), HourCell(1, 15, 4, 1, 1)]


def test_a_reply_rate_is_the_share_of_touches_out_answered_never_above_all(book, frozen):
    """Thursdays 10:00: five calls out, one talked; and six times they called in at that hour. The
    hour has seven replies, but one in five of the rep's touches got an answer: 20%, not 140%."""
    pid = actions.add_prospect({"name": "Keen"}, now=utc(11, 1, 9))
    for day in (5, 12, 19):
        touch(pid, utc(11, day, 9), "call", "talked" if day == 5 else "no answer")
        touch(pid, utc(11, day, 9, 30), "call", "talked", direction="in")
        touch(pid, utc(11, day, 9, 40), "call", "talked", direction="in")
    touch(pid, utc(11, 12, 9, 10), "call", "no answer")
    touch(pid, utc(11, 19, 9, 10), "call", "left message")
    cell = hours(period("30d"), TZ).cell(3, 10)
    assert (cell.out, cell.replies, cell.answered, cell.reply_rate) == (5, 7, 1, 0.2)
    assert hours(period("30d"), TZ).best() == [cell]

# --- activity ------------------------------------------------------------------------------------


def test_activity_of_an_empty_book(book, frozen):
    assert activity(period("all"), TZ) == []
    weeks = activity(period("30d"), TZ)
    # from Sat 24 Oct (in W43) to Mon 23 Nov (W48): six weeks, nothing in them
    assert [w.week for w in weeks] == ["2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert all(w.out == {} and w.due == 0 for w in weeks)
    assert weeks[0].first_day == dt.date(2026, 10, 19)


def test_activity_touches_out_by_channel_against_follow_ups_due(book, frozen):
    mixed_book()
    assert activity(period("30d"), TZ)[2:] == [
        # Ref's call on the 2nd and New's on the 3rd; due: Ref's step of the 2nd, New's of the 3rd
        ActivityWeek("2026-W45", dt.date(2026, 11, 2), {"call": 2}, due=2),
        # Ref's call on the 9th; due: Ref's of the 9th (Snoozed's of the 10th was put off)
        ActivityWeek("2026-W46", dt.date(2026, 11, 9), {"call": 1}, due=1),
        # Ref's email on the 16th (New's of the 22nd is theirs); due: Ref's of the 16th, Snoozed's
        # new day, the 19th (still open)
        ActivityWeek("2026-W47", dt.date(2026, 11, 16), {"email": 1}, due=2),
        # to today: Timed at 00:30 today in Paris (Sunday in UTC) and Todays; not the 25th or 30th
        ActivityWeek("2026-W48", dt.date(2026, 11, 23), {}, due=2),
    ]
    assert activity(period("30d"), TZ)[2].total_out == 2
    assert [w.week for w in activity(period("all"), TZ)][0] == "2026-W45"  # the first due, the 2nd


def test_activity_weeks_cut_at_the_reps_monday_midnight_in_a_dst_week(book, frozen):
    pid = actions.add_prospect({"name": "Dst"}, now=utc(10, 20, 9))
    touch(pid, utc(10, 25, 22, 30), "text", "no answer")  # Sun 25 Oct 23:30 winter time: W43
    touch(pid, utc(10, 25, 23), "email", "no answer")  # Mon 26 Oct 00:00: W44
    weeks = activity(period("30d"), TZ)
    assert (weeks[0].week, weeks[0].out) == ("2026-W43", {"text": 1})
    assert (weeks[1].week, weeks[1].out) == ("2026-W44", {"email": 1})


def test_activity_of_the_whole_book_from_a_slip_in_1900(book, frozen):
    """A step due on 1 Jan 1900 (the first day a book takes): 6,622 weeks, read in runs."""
    actions.add_prospect({"name": "Slip"}, NextStep(due_at=stored(When(dt.date(1900, 1, 1), None), TZ)),
                         now=utc(11, 1, 9))
    if isinstance(book, pw.SqliteDatabase):  # SQLite's own default limit of bound values (this build may allow more)
        book.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)
    weeks = activity(period("all"), TZ)
    assert (weeks[0].week, weeks[0].due) == ("1900-W01", 1)
    assert weeks[-1].week == "2026-W48" and len(weeks) == 6622
    assert sum(w.due for w in weeks) == 1


# --- pipeline ------------------------------------------------------------------------------------


def test_pipeline_of_an_empty_book(book, frozen):
    got = pipeline(FROZEN, TZ)
    assert got.sections == [PipelineGroup(s, 0, 0) for s in
                            ("promised", "overdue", "today", "upcoming", "later", "no_step")]
    assert got.kinds == [] and (got.prospects, got.value) == (0, 0)


def test_pipeline_by_queue_section_and_by_kind(book, frozen):
    mixed_book()
    got = pipeline(FROZEN, TZ)
    assert got.sections == [
        PipelineGroup("promised", 1, 5000),  # Promised
        PipelineGroup("overdue", 2, 700),  # Snoozed (the 19th) 300, Timed (00:30 today, passed) 400
        PipelineGroup("today", 1, 7),  # Todays
        PipelineGroup("upcoming", 1, 1000),  # Ref, the 25th
        PipelineGroup("later", 1, 60),  # Later, 10 Dec
        PipelineGroup("no_step", 1, 2000),  # New
    ]  # Won and Lost are closed: not open value
    assert (got.prospects, got.value) == (7, 8767)
    assert got.kinds == [
        PipelineGroup("new prospect", 2, 307),  # Snoozed, Todays
        PipelineGroup("referral", 1, 1000),
        PipelineGroup("service", 1, 400),
        PipelineGroup("thank-you", 1, 5000),
        PipelineGroup("check-in", 1, 60),
        PipelineGroup(NO_STEP, 1, 2000),
    ]


def test_all_dropped_leaves_no_pipeline_and_their_touches_in_the_hours(book, frozen):
    for name in ("A", "B"):
        pid = actions.add_prospect({"name": name, "deal_value": 10}, step(11, 30), now=utc(11, 1, 9))
        touch(pid, utc(11, 2, 10), "call", "no answer", next_step=step(11, 30))
        actions.drop(pid, "gone quiet", now=utc(11, 3, 9), tz=TZ)
    assert pipeline(FROZEN, TZ).prospects == 0 and pipeline(FROZEN, TZ).kinds == []
    assert hours(period("30d"), TZ).cells() == [HourCell(0, 11, 2, 0)]  # no replies


def test_the_report_carries_the_new_figures(book, frozen):
    mixed_book()
    got = reports.report(period("30d"), TZ)
    assert got.hours == hours(period("30d"), TZ)
    assert got.activity == activity(period("30d"), TZ)
    assert got.pipeline == pipeline(FROZEN, TZ)


@pytest.mark.parametrize("name", ["30d", "all"])
def test_one_prospect(book, frozen, name):
    pid = actions.add_prospect({"name": "Solo", "deal_value": 50}, step(11, 24, "hard-to-reach"), now=utc(11, 20, 9))
    touch(pid, utc(11, 21, 9), "social", "no answer", next_step=step(11, 24, "hard-to-reach"))  # Sat 10:00
    got = reports.report(period(name), TZ)
    assert got.hours.cells() == [HourCell(5, 10, 1, 0)]
    assert [(w.week, w.out, w.due) for w in got.activity][-2:] == [("2026-W47", {"social": 1}, 0), ("2026-W48", {}, 0)]
    assert got.pipeline.kinds == [PipelineGroup("hard-to-reach", 1, 50)]
    assert got.pipeline.sections[3] == PipelineGroup("upcoming", 1, 50)
