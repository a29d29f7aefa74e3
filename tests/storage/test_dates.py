"""What a rep types → a moment (PRODUCT.md §6), with time frozen by an explicit `now`."""

from datetime import date, datetime, time

import pendulum
import pytest

from storage.rules.dates import DateError, When, describe, due_label, from_utc, parse_when, to_utc

PARIS = "Europe/Paris"
# Monday 23 Nov 2026, 10:00 in Paris.
NOW = pendulum.datetime(2026, 11, 23, 10, 0, tz=PARIS)
SATURDAY = pendulum.datetime(2026, 11, 28, 10, 0, tz=PARIS)
DEC_20 = pendulum.datetime(2026, 12, 20, 10, 0, tz=PARIS)


def day(y, m, d, hh=None, mm=0):
    return When(date(y, m, d), None if hh is None else time(hh, mm))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", day(2026, 11, 23)),
        ("tod", day(2026, 11, 23)),
        ("tomorrow", day(2026, 11, 24)),
        ("tmrw", day(2026, 11, 24)),
        ("tmw", day(2026, 11, 24)),
        ("  TOMORROW  ", day(2026, 11, 24)),
        ("Tomorrow   9AM", day(2026, 11, 24, 9)),
    ],
)
def test_named_days_resolve_from_today(text, expected):
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon", day(2026, 11, 30)),  # strictly after today: a week ahead on a Monday
        ("monday", day(2026, 11, 30)),
        ("tue", day(2026, 11, 24)),
        ("tues", day(2026, 11, 24)),
        ("tuesday", day(2026, 11, 24)),
        ("wed", day(2026, 11, 25)),
        ("wednesday", day(2026, 11, 25)),
        ("thu", day(2026, 11, 26)),
        ("thur", day(2026, 11, 26)),
        ("thurs", day(2026, 11, 26)),
        ("thursday", day(2026, 11, 26)),
        ("fri", day(2026, 11, 27)),
        ("friday", day(2026, 11, 27)),
        ("sat", day(2026, 11, 28)),
        ("saturday", day(2026, 11, 28)),
        ("sun", day(2026, 11, 29)),
        ("sunday", day(2026, 11, 29)),
        ("next mon", day(2026, 11, 30)),
        ("next tue", day(2026, 12, 1)),
        ("next thurs", day(2026, 12, 3)),
        ("next sunday", day(2026, 12, 6)),
        ("next week", day(2026, 11, 30)),
    ],
)
def test_weekdays_on_a_monday(text, expected):
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sat", day(2026, 12, 5)),  # today is Saturday: the next one
        ("sun", day(2026, 11, 29)),
        ("tue", day(2026, 12, 1)),
        ("next tue", day(2026, 12, 1)),  # next calendar week starts Mon 30 Nov
        ("next sun", day(2026, 12, 6)),
        ("next mon", day(2026, 11, 30)),
        ("next week", day(2026, 11, 30)),
    ],
)
def test_weekdays_on_a_saturday(text, expected):
    assert parse_when(text, SATURDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3d", day(2026, 11, 26)),
        ("3d", day(2026, 11, 26)),
        ("0d", day(2026, 11, 23)),
        ("3 d", day(2026, 11, 26)),
        ("1 day", day(2026, 11, 24)),
        ("3 days", day(2026, 11, 26)),
        ("in 3 days", day(2026, 11, 26)),
        ("in 3d", day(2026, 11, 26)),
        ("2w", day(2026, 12, 7)),
        ("2wk", day(2026, 12, 7)),
        ("+2 weeks", day(2026, 12, 7)),
        ("in 2 weeks", day(2026, 12, 7)),
        ("in a week", day(2026, 11, 30)),
        ("in a day", day(2026, 11, 24)),
        ("in a month", day(2026, 12, 23)),
        ("1m", day(2026, 12, 23)),
        ("1mo", day(2026, 12, 23)),
        ("in 1 month", day(2026, 12, 23)),
        ("2 months", day(2027, 1, 23)),
        ("in 3 days 9am", day(2026, 11, 26, 9)),
    ],
)
def test_offsets_count_from_today(text, expected):
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [((2027, 1, 31), date(2027, 2, 28)), ((2028, 1, 31), date(2028, 2, 29))],
)
def test_a_month_from_the_31st_is_the_end_of_next_month(start, expected):
    now = pendulum.datetime(*start, 10, tz=PARIS)
    assert parse_when("1m", now) == When(expected, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dec 1", day(2026, 12, 1)),
        ("1 dec", day(2026, 12, 1)),
        ("december 1", day(2026, 12, 1)),
        ("dec 1st", day(2026, 12, 1)),
        ("2nd dec", day(2026, 12, 2)),
        ("nov 23", day(2026, 11, 23)),  # today counts
        ("nov 22", day(2027, 11, 22)),  # passed this year
        ("sept 3", day(2027, 9, 3)),
        ("may 5", day(2027, 5, 5)),
        ("feb 29", day(2028, 2, 29)),  # the next Feb 29 that exists
        ("dec 1 2027", day(2027, 12, 1)),
        ("1 dec 2027", day(2027, 12, 1)),
        ("dec 1, 2027", day(2027, 12, 1)),
        ("feb 29 2028", day(2028, 2, 29)),
        ("dec 1 at 9:30am", day(2026, 12, 1, 9, 30)),
        ("2026-12-01", day(2026, 12, 1)),
        ("2026-12-01 14:30", day(2026, 12, 1, 14, 30)),
        ("2027-1-5", day(2027, 1, 5)),
    ],
)
def test_calendar_dates(text, expected):
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("jan 5", day(2027, 1, 5)), ("dec 1", day(2027, 12, 1)), ("dec 20", day(2026, 12, 20))],
)
def test_month_day_rolls_over_to_next_year(text, expected):
    assert parse_when(text, DEC_20) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 9am", day(2026, 11, 24, 9)),
        ("tomorrow 9 am", day(2026, 11, 24, 9)),
        ("tomorrow at 9:30am", day(2026, 11, 24, 9, 30)),
        ("tomorrow 9:05", day(2026, 11, 24, 9, 5)),
        ("tomorrow 0:30", day(2026, 11, 24, 0, 30)),
        ("tomorrow 14:30", day(2026, 11, 24, 14, 30)),
        ("tomorrow noon", day(2026, 11, 24, 12)),
        ("tomorrow 12pm", day(2026, 11, 24, 12)),
        ("tomorrow 12am", day(2026, 11, 24, 0)),
        ("tomorrow 12:15am", day(2026, 11, 24, 0, 15)),
        ("fri 5pm", day(2026, 11, 27, 17)),
        ("next tue at 11pm", day(2026, 12, 1, 23)),
        ("3pm", day(2026, 11, 23, 15)),
        ("3 PM", day(2026, 11, 23, 15)),
        ("at 14:30", day(2026, 11, 23, 14, 30)),
        ("noon", day(2026, 11, 23, 12)),
    ],
)
def test_times(text, expected):
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", day(2026, 11, 20)),
        ("nov 22 2026", day(2026, 11, 22)),
        ("9am", day(2026, 11, 23, 9)),
        ("yesterday", day(2026, 11, 22)),
    ],
)
def test_the_past_is_refused_unless_allowed(text, expected):
    with pytest.raises(DateError, match="in the past"):
        parse_when(text, NOW)
    assert parse_when(text, NOW, allow_past=True) == expected


def test_today_and_later_today_are_not_past():
    assert parse_when("today", NOW) == day(2026, 11, 23)
    assert parse_when("10am", NOW) == day(2026, 11, 23, 10)  # exactly now
    assert parse_when("10:01", NOW) == day(2026, 11, 23, 10, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "frib",
        "[bold]x",
        "[@click=app.quit]x[/]",
        "\x1b[31m",
        "\x1b]52;c;aGk=\x07",
        "tomorrow\u202e",
        "tomorrow 25:00",
        "tomorrow 9:60",
        "13pm",
        "0am",
        "9.30pm",
        "feb 30",
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "0000-01-01",
        "dec 1 0000",
        "0 dec",
        "12/01",
        "2026/12/01",
        "next",
        "next month",
        "next foo",
        "in days",
        "in 3",
        "3x",
        "a week",
        "ad",
        "+",
        ",",
        "at",
        "tomorrow at",
        "9am tomorrow",
        "1 tomorrow",
        "dec",
        "dec 1 27",
        "٣d",  # Arabic-Indic digit three
        "99999d",
        "tomorrow " * 20,
        "x" * 100_000,
    ],
)
def test_anything_else_is_a_date_error_with_a_one_line_message(text):
    with pytest.raises(DateError) as caught:
        parse_when(text, NOW, allow_past=True)
    message = str(caught.value)
    assert message and len(message) < 120
    assert message.isprintable()  # no newline, ESC or bidi control reaches the screen


def test_error_messages_say_what_went_wrong():
    def error(text):
        with pytest.raises(DateError) as caught:
            parse_when(text, NOW)
        return str(caught.value)

    assert error("") == "Type a date — try tomorrow, fri, +3d, dec 1 or 2026-12-01"
    assert error("frib") == (
        "Can't read 'frib' as a date — try tomorrow, fri, +3d, dec 1 or 2026-12-01"
    )
    assert error(" 12/01 ") == "Can't tell day from month in '12/01' — type dec 1 or 2026-12-01"
    assert error("feb 30") == "There is no 30 Feb — Feb has 29 days"
    assert error("2026-02-30") == "There is no 30 Feb 2026 — Feb has 28 days"
    assert error("apr 31 2027") == "There is no 31 Apr 2027 — Apr has 30 days"
    assert error("2026-13-01") == "There is no month 13 — '2026-13-01' is not a date"
    assert error("0 dec") == "There is no 0 Dec — Dec has 31 days"
    assert error("tomorrow 25:00") == "'25:00' is not a time — try 9am, 2:30pm or 14:30"
    assert error("13pm") == "'13pm' is not a time — try 9am, 2:30pm or 14:30"
    assert error("9am") == "Mon 23 Nov 09:00 is in the past — pick today or later"
    assert error("2026-11-20") == "Fri 20 Nov is in the past — pick today or later"
    assert r"'\x1b[31m'" in error("\x1b[31m")
    assert "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'" in error("x" * 1000)


@pytest.mark.parametrize(
    ("when", "tz", "expected"),
    [
        (day(2026, 3, 28, 9), PARIS, datetime(2026, 3, 28, 8, 0)),  # CET, UTC+1
        (day(2026, 3, 29, 9), PARIS, datetime(2026, 3, 29, 7, 0)),  # CEST from 02:00 that day
        (day(2026, 10, 24, 9), PARIS, datetime(2026, 10, 24, 7, 0)),
        (day(2026, 10, 25, 9), PARIS, datetime(2026, 10, 25, 8, 0)),
        (day(2026, 3, 7, 9), "America/New_York", datetime(2026, 3, 7, 14, 0)),  # EST
        (day(2026, 3, 8, 9), "America/New_York", datetime(2026, 3, 8, 13, 0)),  # EDT
        (day(2026, 11, 1, 9), "America/New_York", datetime(2026, 11, 1, 14, 0)),
        (day(2026, 11, 23), PARIS, datetime(2026, 11, 22, 23, 0)),  # date only: local midnight
        (day(2026, 7, 1), "America/New_York", datetime(2026, 7, 1, 4, 0)),
        (day(2026, 7, 1, 12), "UTC", datetime(2026, 7, 1, 12, 0)),
        (day(2026, 3, 29, 2, 30), PARIS, datetime(2026, 3, 29, 1, 30)),  # skipped: read as 03:30
    ],
)
def test_to_utc_is_naive_utc_across_dst(when, tz, expected):
    value = to_utc(when, tz)
    assert value == expected
    assert value.tzinfo is None and value.microsecond == 0


def test_to_utc_accepts_a_timezone_object():
    assert to_utc(day(2026, 3, 29, 9), pendulum.timezone(PARIS)) == datetime(2026, 3, 29, 7, 0)


@pytest.mark.parametrize("tz", [PARIS, "America/New_York", "Asia/Kolkata", "UTC"])
@pytest.mark.parametrize(
    "when", [day(2026, 3, 29, 9), day(2026, 11, 1, 23, 45), day(2026, 12, 31, 0, 0)]
)
def test_from_utc_round_trips(when, tz):
    local = from_utc(to_utc(when, tz), tz)
    assert local.timezone_name == tz
    assert (local.date(), local.time()) == (when.day, when.time)


def test_from_utc_gives_aware_local_time():
    local = from_utc(datetime(2026, 3, 29, 7, 0), PARIS)
    assert isinstance(local, pendulum.DateTime)
    assert local == pendulum.datetime(2026, 3, 29, 9, 0, tz=PARIS)
    assert local.utcoffset().total_seconds() == 7200


@pytest.mark.parametrize(
    ("when", "now", "expected"),
    [
        (day(2026, 12, 1), NOW.add(days=1), "Tue 1 Dec, in 7 days"),
        (day(2026, 12, 1), NOW, "Tue 1 Dec, in 8 days"),
        (day(2026, 11, 24, 9), NOW, "Tue 24 Nov 09:00, tomorrow"),
        (day(2026, 11, 23, 14, 30), NOW, "Mon 23 Nov 14:30, today"),
        (day(2026, 11, 23), NOW, "Mon 23 Nov, today"),
        (day(2027, 1, 2), NOW, "Sat 2 Jan 2027, in 40 days"),
        (day(2027, 1, 2, 8, 5), NOW, "Sat 2 Jan 2027 08:05, in 40 days"),
        (day(2026, 11, 22), NOW, "Sun 22 Nov, yesterday"),
        (day(2026, 11, 20), NOW, "Fri 20 Nov, 3 days ago"),
        (day(2025, 12, 31), NOW, "Wed 31 Dec 2025, 327 days ago"),
    ],
)
def test_describe_previews_the_resolved_date(when, now, expected):
    assert describe(when, now) == expected


def at(*args):
    return pendulum.datetime(*args, tz=PARIS)


@pytest.mark.parametrize(
    ("due", "has_time", "expected"),
    [
        (at(2026, 11, 21), False, "2d late"),
        (at(2026, 11, 22, 23, 59), True, "1d late"),  # by calendar date, not hours
        (at(2025, 11, 23), False, "365d late"),
        (at(2020, 1, 1), False, "6y late"),
        (at(2026, 11, 23, 7, 0), True, "3h late"),
        (at(2026, 11, 23, 6, 20), True, "3h late"),
        (at(2026, 11, 23, 9, 20), True, "40m late"),
        (at(2026, 11, 23, 9, 59, 30), True, "1m late"),
        (at(2026, 11, 23), False, "today"),
        (at(2026, 11, 23, 10, 0), True, "today 10:00"),
        (at(2026, 11, 23, 14, 0), True, "today 14:00"),
        (at(2026, 11, 24), False, "tomorrow"),
        (at(2026, 11, 24, 9, 0), True, "tmrw 09:00"),
        (at(2026, 11, 25), False, "Wed"),
        (at(2026, 11, 27, 9, 0), True, "Fri 09:00"),
        (at(2026, 11, 29), False, "Sun"),  # 6 days ahead
        (at(2026, 11, 30), False, "30 Nov"),  # 7 days ahead: same weekday as today
        (at(2026, 12, 1, 9, 0), True, "1 Dec"),
        (at(2026, 12, 31), False, "31 Dec"),
        (at(2027, 1, 2), False, "2 Jan 2027"),
        (at(2027, 12, 10, 23, 59), True, "10 Dec 2027"),
    ],
)
def test_due_label_is_short_and_relative(due, has_time, expected):
    label = due_label(due, has_time, NOW)
    assert label == expected
    assert len(label) <= 11


def test_due_label_reads_the_due_moment_in_the_reps_time_zone():
    # 23:30 UTC on 23 Nov is already 24 Nov in Paris.
    due = pendulum.datetime(2026, 11, 23, 23, 30, tz="UTC")
    assert due_label(due, True, NOW) == "tmrw 00:30"


@pytest.mark.parametrize("days", [-100_000, -10_000, -1000, -999, -7, 0, 6, 7, 365, 3000])
@pytest.mark.parametrize("has_time", [False, True])
def test_due_label_never_exceeds_eleven_characters(days, has_time):
    due = NOW.add(days=days).set(hour=23, minute=59)
    assert len(due_label(due, has_time, NOW)) <= 11


# --- dates too far out (issue 12: `9999-12-31 11pm` killed the log form with an OverflowError) ---


@pytest.mark.parametrize("tz", ["America/New_York", PARIS, "Asia/Tokyo", "Pacific/Kiritimati", "UTC"])
@pytest.mark.parametrize("text", ["9999-12-31 11pm", "dec 31 9999 11pm", "9999-12-31", "3000-01-01"])
def test_a_date_past_what_the_book_keeps_is_refused_in_a_sentence(text, tz):
    now = pendulum.datetime(2026, 11, 23, 10, tz=tz)
    with pytest.raises(DateError) as caught:
        parse_when(text, now)
    assert "is too far ahead — the book keeps dates up to 2999" in str(caught.value)


@pytest.mark.parametrize("text", ["0001-01-01", "jan 1 0001 1am", "1899-12-31"])
def test_a_date_before_what_the_book_keeps_is_refused_in_a_sentence(text):
    with pytest.raises(DateError) as caught:
        parse_when(text, NOW, allow_past=True)
    assert str(caught.value).endswith("is too far back — the book keeps dates from 1900")


def test_the_first_and_last_days_the_book_keeps_are_dates():
    assert parse_when("1900-01-01", NOW, allow_past=True) == day(1900, 1, 1)
    assert parse_when("2999-12-31 11pm", NOW) == day(2999, 12, 31, 23)
    assert to_utc(day(2999, 12, 31, 23), "America/New_York") == datetime(3000, 1, 1, 4, 0)


@pytest.mark.parametrize(
    ("when", "tz"),
    [
        (day(9999, 12, 31, 23), "America/New_York"),  # the year 10000 in UTC
        (day(1, 1, 1), PARIS),  # the year 0 in UTC (Paris kept its local mean time, +0:09)
        (day(1, 1, 1, 1), "Asia/Tokyo"),
        (day(9999, 12, 31, 20), "Europe/Paris"),  # fine in UTC, the year 10000 in Kiritimati (+14)
    ],
)
def test_to_utc_refuses_what_no_book_can_hold_with_a_date_error(when, tz):
    with pytest.raises(DateError, match="too far"):
        to_utc(when, tz)


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("tomorrow", pendulum.datetime(9999, 12, 31, 12, tz="UTC")),
        ("fri", pendulum.datetime(9999, 12, 31, 12, tz="UTC")),
        ("next week", pendulum.datetime(9999, 12, 31, 12, tz="UTC")),
        ("+9999m", pendulum.datetime(9999, 1, 1, 12, tz="UTC")),
        ("dec 1", pendulum.datetime(9999, 12, 20, 12, tz="UTC")),  # was an AssertionError
        ("yesterday", pendulum.datetime(1, 1, 1, 12, tz="UTC")),
    ],
)
def test_counting_past_the_calendar_from_a_now_at_its_edge_is_a_date_error(text, now):
    with pytest.raises(DateError):
        parse_when(text, now, allow_past=True)


def test_a_queue_label_of_a_moment_at_the_calendar_edge_seen_from_far_east():
    due = pendulum.datetime(9999, 12, 31, 20, tz="UTC")  # 10000-01-01 10:00 in Kiritimati
    now = pendulum.datetime(2026, 11, 23, 10, tz="Pacific/Kiritimati")
    assert due_label(due, True, now) == "31 Dec 9999"


def test_an_escaped_quote_of_what_was_typed_stays_short():
    with pytest.raises(DateError) as caught:
        parse_when("0" + "\x1b" * 4 + "\U00010768" * 20, NOW)
    assert len(str(caught.value)) < 120 and str(caught.value).isprintable()
