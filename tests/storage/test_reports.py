"""The figures of issue 17 against small books built with the actions, counted by hand; time frozen
on Monday 23 Nov 2026 09:30 in Paris (08:30 UTC)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.models import Prospect
from storage.book.vocabulary import DIRECTIONS, OUTCOMES
from storage.reads import reports
from storage.reads.reports import ChannelFigure, Period, PromiseWeek, median
from storage.rules.dates import When, stored
from storage.rules.derived import answered
from tests.conftest import FROZEN, TZ


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    """A moment in naive UTC, as the book keeps it."""
    return dt.datetime(2026, month, day, hour)


def period(name: str) -> Period:
    return Period.back_from(name, FROZEN, TZ)


def touches(pid: int, *logged: tuple[dt.datetime, str, str], direction: str = "out") -> None:
    for when, channel, outcome in logged:
        actions.log_touch(pid, channel=channel, outcome=outcome, direction=direction, at=when, now=when, tz=TZ)


def mixed_book() -> None:
    """Closed in the last 30 days: Ann (6 touches, won with 6,000 after 8 days; a touch after the
    win), Dee (2 touches, one of them theirs; won with 1,000 after 4 days), Ben (2 touches, dropped:
    No budget), Cy (dropped with a last note, their only touch: "moved abroad"), Eve (5 touches,
    dropped: No answer). Closed 79 days ago (in 90d, not in 30d): Old (3 touches, dropped: No answer)."""
    ann = actions.add_prospect({"name": "Ann", "deal_value": 5000}, now=at(11, 2))
    touches(ann, (at(11, 3), "call", "no answer"), (at(11, 4), "call", "left message"),
            (at(11, 5), "email", "replied"), (at(11, 6), "call", "talked"),
            (at(11, 7), "email", "no answer"), (at(11, 8), "call", "meeting booked"))
    actions.close_won(ann, amount=6000, now=at(11, 10), tz=TZ)
    touches(ann, (at(11, 12), "email", "replied"))  # after the win: not a touch it took
    dee = actions.add_prospect({"name": "Dee", "deal_value": 1000}, now=at(11, 2))
    touches(dee, (at(11, 3), "text", "replied"), direction="in")
    touches(dee, (at(11, 4), "meeting", "meeting booked"))
    actions.close_won(dee, now=at(11, 6), tz=TZ)
    ben = actions.add_prospect({"name": "Ben"}, now=at(11, 2))
    touches(ben, (at(11, 3), "call", "no answer"), (at(11, 4), "call", "no answer"))
    actions.drop(ben, picked="No budget", now=at(11, 5), tz=TZ)
    cy = actions.add_prospect({"name": "Cy"}, now=at(11, 2))
    actions.final_note_and_drop(cy, "Good luck with the move", channel="email", reason="moved abroad",
                                now=at(11, 6), tz=TZ)
    eve = actions.add_prospect({"name": "Eve"}, now=at(11, 2))
    touches(eve, *[(at(11, d), "social", "no answer") for d in range(3, 8)])
    actions.drop(eve, picked="No answer", now=at(11, 8), tz=TZ)
    old = actions.add_prospect({"name": "Old"}, now=at(9, 1))
    touches(old, *[(at(9, d), "call", "no answer") for d in range(2, 5)])
    actions.drop(old, picked="No answer", now=at(9, 5), tz=TZ)


def test_a_period_starts_at_the_reps_midnight_days_back():
    # 30 days before Mon 23 Nov is Sat 24 Oct: midnight in Paris (still summer time) is 22:00 UTC
    assert period("30d").start == dt.datetime(2026, 10, 23, 22, 0)
    assert period("30d").first_day == dt.date(2026, 10, 24)
    assert period("30d").end == dt.datetime(2026, 11, 23, 8, 30)
    assert period("1y").first_day == dt.date(2025, 11, 23)
    assert period("all").start is None
    with pytest.raises(ValueError):
        period("2w")


def test_median_of_a_distribution():
    assert median([]) is None
    assert median([(6, 1)]) == 6
    assert median([(2, 1), (6, 1)]) == 4  # the middle two
    assert median([(1, 3), (9, 1)]) == 1
    assert median([(3, 2), (1, 1), (8, 0)]) == 3


def test_the_empty_book_has_no_figures(book, frozen):
    got = reports.report(period("all"), TZ)
    assert got.persistence == reports.Persistence({}, {}, None, 0, 0)
    assert got.persistence.dropped_early_share is None
    assert got.promises == [] and got.channels == []
    assert got.outcomes == reports.Outcomes(0, 0, 0, None, {})
    assert got.outcomes.close_rate is None


def test_one_prospect_still_open_is_a_touch_and_nothing_closed(book, frozen):
    pid = actions.add_prospect({"name": "Solo"}, now=at(11, 20))
    touches(pid, (at(11, 21), "call", "no answer"))
    got = reports.report(period("30d"), TZ)
    assert got.persistence.won == {} and got.persistence.dropped == {}
    assert got.channels == [ChannelFigure("call", 1, 0)]
    assert got.channels[0].reply_rate == 0
    assert got.outcomes.close_rate is None


def test_persistence_counts_the_touches_up_to_the_closing(book, frozen):
    mixed_book()
    got = reports.persistence(period("30d"))
    # won: Ann 6 (not the one after the win), Dee 2 → median (2 + 6) / 2
    assert got.won == {2: 1, 6: 1} and got.won_median == 4
    # dropped: Cy at 1 (the last note), Ben at 2, Eve at 5; before the fifth: Cy and Ben
    assert got.dropped == {1: 1, 2: 1, 5: 1}
    assert (got.dropped_early, got.dropped_total) == (2, 3)
    wider = reports.persistence(period("90d"))  # Old, dropped at 3, joins
    assert wider.dropped == {1: 1, 2: 1, 3: 1, 5: 1} and wider.dropped_early_share == 3 / 4


def test_all_dropped_before_the_fifth_touch(book, frozen):
    for name, count in (("A", 0), ("B", 1), ("C", 4)):
        pid = actions.add_prospect({"name": name}, now=at(11, 1))
        touches(pid, *[(at(11, 2 + d), "email", "no answer") for d in range(count)])
        actions.drop(pid, "not for them", now=at(11, 10), tz=TZ)
    got = reports.report(period("30d"), TZ)
    assert got.persistence.dropped == {0: 1, 1: 1, 4: 1}
    assert got.persistence.dropped_early_share == 1
    assert got.persistence.won_median is None
    assert got.outcomes == reports.Outcomes(0, 3, 0, None, {"not for them": 3})
    assert got.outcomes.close_rate == 0
    # no replies: five emails out, none answered
    assert got.channels == [ChannelFigure("email", 5, 0)]


def test_channels_count_touches_out_and_replies(book, frozen):
    mixed_book()
    assert reports.channels(period("30d")) == [
        # Ann 4 out (talked, meeting booked answered) + Ben 2 unanswered
        ChannelFigure("call", 6, 2, 2),
        # Ann 3 (2 replied, one after the win) + Cy's last note
        ChannelFigure("email", 4, 2, 2),
        ChannelFigure("text", 0, 1),  # Dee wrote first: a reply, not a touch out
        ChannelFigure("social", 5, 0),
        ChannelFigure("meeting", 1, 1, 1),
    ]
    assert reports.channels(period("90d"))[0] == ChannelFigure("call", 9, 2, 2)  # Old's 3 calls


def test_what_counts_as_a_reply_is_the_derived_rule(book, frozen):
    """A channel's replies are the touches storage.rules.derived.answered calls answers, for every
    outcome and direction: one touch of each pair on its own channel's count."""
    pid = actions.add_prospect({"name": "Rules"}, now=at(11, 1))
    pairs = list(itertools.product(OUTCOMES, DIRECTIONS))
    for outcome, direction in pairs:
        touches(pid, (at(11, 2), "call", outcome), direction=direction)
    assert reports.channels(period("30d")) == [
        ChannelFigure("call", len(OUTCOMES), sum(answered(*pair) for pair in pairs),
                      sum(answered(o, "out") for o in OUTCOMES))
    ]
    # by hand: 5 answering outcomes out, and all 7 outcomes of a touch they started
    got = reports.channels(period("30d"))[0]
    assert (got.replies, got.answered, got.reply_rate) == (12, 5, 5 / 7)


def test_outcomes_close_rate_value_days_and_reasons(book, frozen):
    mixed_book()
    got = reports.outcomes(period("30d"))
    # won Ann (6,000, 8 days) and Dee (1,000, 4 days); dropped Ben, Cy, Eve
    assert (got.won, got.dropped, got.value_won) == (2, 3, 7000)
    assert got.close_rate == 2 / 5 and got.median_days_to_close == 6
    assert got.reasons == {"No answer": 1, "No budget": 1, "moved abroad": 1}
    wider = reports.outcomes(period("90d"))
    assert wider.reasons == {"No answer": 2, "No budget": 1, "moved abroad": 1}
    assert Prospect.select().where(Prospect.status == "won").count() == 2


def promised(days_from_frozen: int, hour: int | None = None) -> NextStep:
    day = FROZEN.date().add(days=days_from_frozen)
    when = When(dt.date(day.year, day.month, day.day), dt.time(hour) if hour is not None else None)
    return NextStep(due_at=stored(when, TZ), has_time=hour is not None, promised=True)


def test_promises_kept_late_and_open_by_week(book, frozen):
    # W46: Wed 11 Nov (a date) done at 16:00 that day: kept; Thu 12 Nov at 10:00 Paris (09:00 UTC)
    # done at 12:00 UTC, past the two hours' grace: late
    kept = actions.add_prospect({"name": "Kept"}, promised(-12), now=at(11, 9))
    touches(kept, (at(11, 11, 15), "call", "talked"))
    late = actions.add_prospect({"name": "Late"}, promised(-11, 10), now=at(11, 9))
    touches(late, (at(11, 12, 12), "call", "talked"))
    # W47: Wed 18 Nov done on the 19th: late; Fri 20 Nov still open (overdue counts as open);
    # Fri 13 Nov moved on the 10th, before it was due, to Tue 17: not counted, the 17th still open
    later = actions.add_prospect({"name": "Later"}, promised(-5), now=at(11, 16))
    touches(later, (at(11, 19), "call", "talked"))
    actions.add_prospect({"name": "Overdue"}, promised(-3), now=at(11, 16))
    moved = actions.add_prospect({"name": "Moved"}, promised(-10), now=at(11, 9))
    actions.snooze(moved, promised(-6).due_at, now=at(11, 10), tz=TZ)
    # W48: Wed 25 Nov, ahead
    actions.add_prospect({"name": "Ahead"}, promised(2), now=at(11, 20))
    # a promise kept in September: not in 30 days
    old = actions.add_prospect({"name": "Old"}, promised(-70), now=at(9, 1))
    touches(old, (at(9, 14), "call", "talked"))
    assert reports.promises(period("30d"), TZ) == [
        PromiseWeek("2026-W46", kept=1, late=1, open=0),
        PromiseWeek("2026-W47", kept=0, late=1, open=2),
        PromiseWeek("2026-W48", kept=0, late=0, open=1),
    ]
    assert reports.promises(period("all"), TZ)[0] == PromiseWeek("2026-W38", kept=1, late=0, open=0)


def test_a_promises_week_is_the_one_of_its_day_where_the_rep_is(book, frozen):
    # Sun 29 Nov at 23:30 in Paris (22:30 UTC) is Monday 30 Nov at 12:30 in Kiritimati (UTC+14);
    # Sun 29 Nov without a time is Sunday everywhere
    sunday_late = NextStep(due_at=dt.datetime(2026, 11, 29, 22, 30), has_time=True, promised=True)
    actions.add_prospect({"name": "Timed"}, sunday_late, now=at(11, 20))
    actions.add_prospect({"name": "Dated"}, promised(6), now=at(11, 20))
    assert reports.promises(period("all"), TZ) == [PromiseWeek("2026-W48", kept=0, late=0, open=2)]
    kiritimati = "Pacific/Kiritimati"
    assert reports.promises(Period.back_from("all", FROZEN, kiritimati), kiritimati) == [
        PromiseWeek("2026-W48", kept=0, late=0, open=1), PromiseWeek("2026-W49", kept=0, late=0, open=1)]
