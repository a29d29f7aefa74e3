"""How and when to reach a prospect: best times, across time zones, and the channel they answer."""

from datetime import date, datetime, time

import pytest

from storage.rules.dates import When, stored, to_utc
from storage.rules.reach import (
    EVERY_DAY,
    WEEKDAY_SET,
    WEEKEND_SET,
    BestTime,
    ChannelStat,
    answering_channel,
    best_time_note,
    channel_stats,
    describe_best,
    parse_best_time,
    within_best_time,
)

NY = "America/New_York"
TOKYO = "Asia/Tokyo"
PARIS = "Europe/Paris"  # the rep's zone in these tests


def bt(days, start, end):
    return BestTime(frozenset(days), time(*start), time(*end))


MORNING_NY = bt(WEEKDAY_SET, (8, 0), (10, 0))  # "weekdays 8–10am"


# --- reading what reps write ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekdays 8–10am", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("weekdays 8-10am", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("Weekdays  8 — 10 AM", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("weekdays 8 to 10am", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("weekdays, from 8am to 10am", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("between 8 and 10 a.m.", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("week days 8-10am.", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("mornings", bt(WEEKDAY_SET, (8, 0), (12, 0))),
        ("morning", bt(WEEKDAY_SET, (8, 0), (12, 0))),
        ("afternoons", bt(WEEKDAY_SET, (12, 0), (17, 0))),
        ("evenings", bt(WEEKDAY_SET, (17, 0), (20, 0))),
        ("lunchtime 12–2", bt(WEEKDAY_SET, (12, 0), (14, 0))),
        ("lunch", bt(WEEKDAY_SET, (12, 0), (14, 0))),
        ("weekend mornings", bt(WEEKEND_SET, (8, 0), (12, 0))),
        ("tue-thu 2-4pm", bt({1, 2, 3}, (14, 0), (16, 0))),
        ("tues–thurs 2–4pm", bt({1, 2, 3}, (14, 0), (16, 0))),
        ("mon to fri 9 to 5", bt(WEEKDAY_SET, (9, 0), (17, 0))),
        ("fri-mon 10am-noon", bt({4, 5, 6, 0}, (10, 0), (12, 0))),
        ("mon, wed 9am-11am", bt({0, 2}, (9, 0), (11, 0))),
        ("Mondays and Wednesdays 9am-11am", bt({0, 2}, (9, 0), (11, 0))),
        ("mon/wed/fri 9:30-11", bt({0, 2, 4}, (9, 30), (11, 0))),
        ("weekends 10-12", bt(WEEKEND_SET, (10, 0), (12, 0))),
        ("any day 9-17", bt(EVERY_DAY, (9, 0), (17, 0))),
        ("every day 9-17", bt(EVERY_DAY, (9, 0), (17, 0))),
        ("daily 7-9am", bt(EVERY_DAY, (7, 0), (9, 0))),
        ("9–11am", bt(WEEKDAY_SET, (9, 0), (11, 0))),
        ("8-10am", bt(WEEKDAY_SET, (8, 0), (10, 0))),
        ("11-1pm", bt(WEEKDAY_SET, (11, 0), (13, 0))),
        ("10-12pm", bt(WEEKDAY_SET, (10, 0), (12, 0))),
        ("9-12am", bt(WEEKDAY_SET, (9, 0), (12, 0))),  # written for "until noon"
        ("9am-5", bt(WEEKDAY_SET, (9, 0), (17, 0))),
        ("10am-12", bt(WEEKDAY_SET, (10, 0), (12, 0))),
        ("8:30-10am", bt(WEEKDAY_SET, (8, 30), (10, 0))),
        ("1pm-3:30pm", bt(WEEKDAY_SET, (13, 0), (15, 30))),
        ("14:00-16:30", bt(WEEKDAY_SET, (14, 0), (16, 30))),
        ("14.00–16.30", bt(WEEKDAY_SET, (14, 0), (16, 30))),
        ("2-4", bt(WEEKDAY_SET, (14, 0), (16, 0))),  # no am/pm: business hours
        ("9-5", bt(WEEKDAY_SET, (9, 0), (17, 0))),
        ("mornings 9-11", bt(WEEKDAY_SET, (9, 0), (11, 0))),  # the hours are more precise
        ("tuesdays", bt({1}, (0, 0), (23, 59, 59, 999999))),  # any time those days
    ],
)
def test_parse_best_time_reads_what_reps_write(text, expected):
    assert parse_best_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ask her assistant",
        "9am",  # a moment, not a window
        "anytime",
        "weekdays 8-10am EST",  # the zone belongs in the time zone field
        "mornings or evenings",  # two windows
        "mon 9-11, wed 2-4",
        "10pm-2am",  # over midnight
        "weekdays 20-8",
        "25-26",
        "9:75-10",
        "13pm-14pm",
        "noon-9am",
        "10-10",
        "weekdays 8-10am " + "x" * 200,
        "٨-١٠am",  # other scripts' digits are not ours to read
    ],
)
def test_parse_best_time_refuses_what_it_cannot_be_sure_of(text):
    assert parse_best_time(text) is None


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("weekdays 8-10am", "weekdays 08:00–10:00"),
        ("tue-thu 2-4pm", "Tue–Thu 14:00–16:00"),
        ("mon, wed 9-11", "Mon, Wed 09:00–11:00"),
        ("weekends 10-12", "weekends 10:00–12:00"),
        ("any day 9-17", "every day 09:00–17:00"),
        ("fri-mon 9-5", "Mon, Fri–Sun 09:00–17:00"),
        ("tuesdays", "Tue"),
    ],
)
def test_describe_best(text, shown):
    assert describe_best(parse_best_time(text)) == shown


# --- is a moment inside the window, on their clock -------------------------------------------


def test_within_best_time_in_new_york():
    # Monday 23 Nov 2026: New York is UTC-5.
    assert within_best_time(MORNING_NY, datetime(2026, 11, 23, 14, 30), NY)  # 09:30 there
    assert not within_best_time(MORNING_NY, datetime(2026, 11, 23, 16, 0), NY)  # 11:00
    assert within_best_time(MORNING_NY, datetime(2026, 11, 23, 13, 0), NY)  # 08:00: start is in
    assert not within_best_time(MORNING_NY, datetime(2026, 11, 23, 15, 0), NY)  # 10:00: end is out
    assert not within_best_time(MORNING_NY, datetime(2026, 11, 28, 14, 30), NY)  # a Saturday


def test_within_best_time_in_tokyo_crosses_the_date_line():
    # Tokyo is UTC+9: Sunday 23:30 UTC is Monday 08:30 there, Friday 23:30 UTC is Saturday.
    assert within_best_time(MORNING_NY, datetime(2026, 11, 22, 23, 30), TOKYO)
    assert within_best_time(MORNING_NY, datetime(2026, 11, 23, 0, 0), TOKYO)
    assert not within_best_time(MORNING_NY, datetime(2026, 11, 27, 23, 30), TOKYO)
    assert not within_best_time(MORNING_NY, datetime(2026, 11, 23, 14, 30), TOKYO)  # 23:30 there


def test_within_best_time_follows_a_dst_change():
    # New York moves to summer time on Sunday 8 Mar 2026: UTC-5 before, UTC-4 after.
    assert within_best_time(MORNING_NY, datetime(2026, 3, 6, 13, 0), NY)  # Fri 08:00 EST
    assert not within_best_time(MORNING_NY, datetime(2026, 3, 6, 12, 30), NY)  # Fri 07:30
    assert within_best_time(MORNING_NY, datetime(2026, 3, 9, 12, 30), NY)  # Mon 08:30 EDT
    assert within_best_time(MORNING_NY, datetime(2026, 3, 6, 14, 30), NY)  # Fri 09:30 EST
    assert not within_best_time(MORNING_NY, datetime(2026, 3, 9, 14, 30), NY)  # Mon 10:30 EDT


# --- the note next to the due time ---------------------------------------------------------------


def test_best_time_note_for_a_timed_follow_up():
    saturday_3pm_ny = datetime(2026, 11, 28, 20, 0)
    assert best_time_note(MORNING_NY, saturday_3pm_ny, True, NY, default_tz=PARIS) == (
        "outside their best time (weekdays 08:00–10:00, their time Sat 15:00)"
    )
    assert best_time_note(MORNING_NY, datetime(2026, 11, 23, 14, 30), True, NY, default_tz=PARIS) is None


def test_best_time_note_uses_the_reps_zone_when_theirs_is_empty():
    # Monday 09:30 in Paris is 08:30 UTC.
    assert best_time_note(MORNING_NY, datetime(2026, 11, 23, 8, 30), True, "", default_tz=PARIS) is None
    assert best_time_note(MORNING_NY, datetime(2026, 11, 23, 14, 30), True, "", default_tz=PARIS) == (
        "outside their best time (weekdays 08:00–10:00, their time Mon 15:30)"
    )


def test_best_time_note_for_a_date_only_follow_up_checks_the_day_the_rep_picked():
    saturday = stored(When(date(2026, 11, 28), None), PARIS)  # the date alone, whatever the zone
    monday = stored(When(date(2026, 11, 30), None), PARIS)
    assert best_time_note(MORNING_NY, saturday, False, NY, default_tz=PARIS) == (
        "not one of their days (weekdays)"
    )
    assert best_time_note(MORNING_NY, monday, False, NY, default_tz=PARIS) is None
    tue_thu = parse_best_time("tue-thu 2-4pm")
    assert best_time_note(tue_thu, monday, False, "", default_tz=PARIS) == "not one of their days (Tue–Thu)"


def test_best_time_note_when_it_cannot_be_checked():
    moment = datetime(2026, 11, 28, 20, 0)
    assert best_time_note(parse_best_time("ask her assistant"), moment, True, NY, default_tz=PARIS) is None
    assert best_time_note(None, moment, False, NY, default_tz=PARIS) is None
    for bad_zone in ("Mars/Olympus", "../../etc/passwd", "x" * 300):
        assert best_time_note(MORNING_NY, moment, True, bad_zone, default_tz=PARIS) is None


# --- the channel they answer ---------------------------------------------------------------------


def test_channel_stats_counts_touches_and_replies_per_channel():
    touches = [
        ("call", "out", "no answer"),
        ("call", "out", "left message"),
        ("call", "out", "talked"),
        ("email", "out", "no answer"),
        ("email", "out", "replied"),
        ("email", "in", "no answer"),  # they wrote first: a reply whatever the outcome says
        ("text", "out", "no answer"),
        ("social", "out", "not interested"),  # an answer, even a no
    ]
    assert channel_stats(touches) == [
        ChannelStat("email", 3, 2),
        ChannelStat("social", 1, 1),  # one reply at 100% before one at 33%
        ChannelStat("call", 3, 1),
        ChannelStat("text", 1, 0),
    ]


def test_channel_stats_order_ties():
    touches = [
        ("text", "out", "no answer"),
        ("letter", "out", "no answer"),
        ("letter", "out", "no answer"),
        ("card", "out", "no answer"),
        ("call", "out", "replied"),
        ("call", "out", "no answer"),
        ("email", "out", "replied"),
        ("email", "out", "no answer"),
    ]
    assert channel_stats(touches) == [
        ChannelStat("call", 2, 1),  # same replies and rate: by name
        ChannelStat("email", 2, 1),
        ChannelStat("letter", 2, 0),  # no replies: the most touches first
        ChannelStat("card", 1, 0),
        ChannelStat("text", 1, 0),
    ]


def test_channel_stats_of_no_touches():
    assert channel_stats([]) == []
    assert channel_stats(iter([])) == []


def test_answering_channel_is_the_one_with_most_replies():
    stats = [ChannelStat("call", 9, 1), ChannelStat("email", 5, 3), ChannelStat("text", 1, 1)]
    assert answering_channel(stats) == "email"


def test_answering_channel_ties_go_to_the_better_rate_then_fewer_touches():
    assert answering_channel([ChannelStat("call", 6, 2), ChannelStat("email", 3, 2)]) == "email"
    assert answering_channel([ChannelStat("email", 3, 2), ChannelStat("call", 6, 2)]) == "email"
    # identical records: a stable answer, by name
    assert answering_channel([ChannelStat("text", 2, 1), ChannelStat("call", 2, 1)]) == "call"


def test_answering_channel_is_none_until_they_answer():
    assert answering_channel([]) is None
    assert answering_channel([ChannelStat("call", 4, 0), ChannelStat("email", 2, 0)]) is None


def test_answering_channel_from_channel_stats():
    touches = [("email", "out", "no answer")] * 4 + [("text", "out", "replied")]
    assert answering_channel(channel_stats(touches)) == "text"
