"""storage/rules/dates.py, property-tested: whatever a rep types, at whatever moment, in whatever
zone, the date grammar answers with a moment the book can keep or with its own DateError, one
printable line. Never an OverflowError (issue 12: `9999-12-31 11pm` in the log form killed the
desk), never an AssertionError.

Two kinds of text: anything at all (st.text), and strings built from the grammar's own words
(weekdays, months, offsets such as `+3d` and `in 2 weeks`, times such as `11pm` and `14:30`, years
near 1 and 9999), which reach the arithmetic that arbitrary text almost never does. The `now`s are
frozen around real DST changes, at the calendar's two edges, or anywhere in between.
"""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from storage.rules.dates import (
    FIRST_DAY,
    LAST_DAY,
    MONTHS,
    UNITS,
    WEEKDAYS,
    DateError,
    When,
    describe,
    due_label,
    from_utc,
    parse_when,
    to_utc,
)

# Zones chosen for what they do to a clock: DST in either hemisphere, a half-hour DST (Lord Howe),
# a change at midnight (Havana, Santiago: local midnight does not exist that day), the day the
# calendar skipped (Apia, 30 Dec 2011), the far ends of the offsets (+14, -11, -12), a zone with
# a quarter-hour offset, and plain UTC.
ZONES = (
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Havana",
    "America/Santiago",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Etc/GMT+12",
    "Asia/Kathmandu",
    "Asia/Tokyo",
)

# Real DST changes (naive UTC instants, from the IANA tz database); test_the_dst_changes_are_real
# checks that the offset of each zone does change at each of them.
DST_CHANGES = (
    ("Europe/Paris", dt.datetime(2026, 3, 29, 1, 0)),
    ("Europe/Paris", dt.datetime(2026, 10, 25, 1, 0)),
    ("America/New_York", dt.datetime(2026, 3, 8, 7, 0)),
    ("America/New_York", dt.datetime(2026, 11, 1, 6, 0)),
    ("Australia/Sydney", dt.datetime(2026, 4, 4, 16, 0)),
    ("Australia/Sydney", dt.datetime(2026, 10, 3, 16, 0)),
    ("Australia/Lord_Howe", dt.datetime(2026, 4, 4, 15, 0)),
    ("Australia/Lord_Howe", dt.datetime(2026, 10, 3, 15, 30)),
    ("America/Havana", dt.datetime(2026, 3, 8, 5, 0)),
    ("America/Havana", dt.datetime(2026, 11, 1, 5, 0)),
    ("America/Santiago", dt.datetime(2026, 4, 5, 3, 0)),
    ("America/Santiago", dt.datetime(2026, 9, 6, 4, 0)),
    ("Pacific/Apia", dt.datetime(2011, 12, 30, 10, 0)),  # the day Samoa skipped
)

_EDGE_FIRST = dt.datetime(1, 1, 2)
_EDGE_LAST = dt.datetime(9999, 12, 30, 23, 59, 59)


def _aware(utc: dt.datetime, tz: str) -> pendulum.DateTime:
    return pendulum.instance(utc, tz=pendulum.UTC).in_timezone(tz)


@st.composite
def dst_nows(draw) -> pendulum.DateTime:
    """A moment up to a day and a half either side of a real DST change, in that zone."""
    tz, change = draw(st.sampled_from(DST_CHANGES))
    seconds = draw(st.integers(-36 * 3600, 36 * 3600))
    return _aware(change + dt.timedelta(seconds=seconds), tz)


@st.composite
def edge_nows(draw) -> pendulum.DateTime:
    """A moment within ten days of datetime's first or last day, in any zone."""
    start, sign = draw(st.sampled_from([(_EDGE_FIRST, 1), (_EDGE_LAST, -1)]))
    seconds = draw(st.integers(0, 10 * 86400))
    return _aware(start + dt.timedelta(seconds=sign * seconds), draw(st.sampled_from(ZONES)))


@st.composite
def any_nows(draw) -> pendulum.DateTime:
    utc = draw(st.datetimes(min_value=_EDGE_FIRST, max_value=_EDGE_LAST))
    return _aware(utc.replace(microsecond=0), draw(st.sampled_from(ZONES)))


nows = st.one_of(dst_nows(), edge_nows(), any_nows())

# --- text built from the grammar's own words ---------------------------------------------------

_NUMBERS = st.one_of(st.integers(0, 14), st.integers(0, 99_999))
_YEARS = st.one_of(
    st.integers(0, 9999),
    st.integers(0, 30),
    st.integers(9970, 9999),
    st.integers(1895, 1905),
    st.integers(2995, 3005),
    st.integers(2024, 2030),
)
_space = st.sampled_from(["", " ", "  "])


def _words(mapping) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(mapping))


_day_words = st.sampled_from(["today", "tod", "tomorrow", "tmrw", "tmw", "yesterday", "yday"])
_next = st.builds(lambda w: f"next {w}", st.one_of(_words(WEEKDAYS), st.just("week"), st.just("month")))
_offsets = st.builds(
    lambda prefix, n, gap, unit: f"{prefix}{n}{gap}{unit}",
    st.sampled_from(["", "+", "in ", "in +"]),
    _NUMBERS,
    _space,
    st.one_of(_words(UNITS), st.sampled_from(["x", "y", "fortnight"])),
)
_a_offset = st.builds(lambda a, unit: f"in {a} {unit}", st.sampled_from(["a", "an"]), _words(UNITS))
_iso = st.builds(
    lambda y, m, d: f"{y:04d}-{m}-{d:02d}",
    _YEARS,
    st.integers(0, 13),
    st.integers(0, 32),
)
_ordinal = st.sampled_from(["", "st", "nd", "rd", "th"])
_year_suffix = st.one_of(st.just(""), st.builds(lambda y: f" {y:04d}", _YEARS), st.builds(lambda y: f", {y}", _YEARS))
_month_day = st.builds(
    lambda month, d, o, y: f"{month} {d}{o}{y}", _words(MONTHS), st.integers(0, 32), _ordinal, _year_suffix
)
_day_month = st.builds(
    lambda d, o, month, y: f"{d}{o} {month}{y}", st.integers(0, 32), _ordinal, _words(MONTHS), _year_suffix
)
date_parts = st.one_of(
    _day_words, _words(WEEKDAYS), _next, _offsets, _a_offset, _iso, _month_day, _day_month
)
_hours = st.one_of(st.integers(0, 13), st.integers(0, 25))
_minutes = st.one_of(st.sampled_from([0, 15, 30, 59]), st.integers(0, 61))
time_parts = st.one_of(
    st.builds(lambda h, gap, half: f"{h}{gap}{half}", _hours, st.sampled_from(["", " "]), st.sampled_from(["am", "pm", "AM", "Pm"])),
    st.builds(lambda h, m, half: f"{h}:{m:02d}{half}", _hours, _minutes, st.sampled_from(["am", "pm"])),
    st.builds(lambda h, m: f"{h}:{m:02d}", _hours, _minutes),
    st.just("noon"),
)


@st.composite
def typed_dates(draw) -> str:
    """A date, a time, or both (maybe joined by `at`), in any case, with untidy spacing."""
    shape = draw(st.sampled_from(["date", "time", "both"]))
    parts = []
    if shape != "time":
        parts.append(draw(date_parts))
    if shape != "date":
        if draw(st.booleans()):
            parts.append("at")
        parts.append(draw(time_parts))
    text = draw(st.sampled_from([" ", "  ", ", "])).join(parts)
    case = draw(st.sampled_from([str, str.upper, str.title]))
    return draw(_space) + case(text) + draw(_space)


# Anything at all: every Unicode category (controls, bidi, other scripts' digits), and text made
# mostly of the grammar's characters, which gets further into it than random letters.
_GRAMMAR_CHARS = "0123456789 +-:/,.adehimnorstuwyADMP"
any_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=_GRAMMAR_CHARS, max_size=30),
    st.builds(lambda a, b: a + b, typed_dates(), st.text(max_size=6)),
)

_EXAMPLES = 300  # per property: ~0.3-0.8 s each


def _check_answer(text: str, now: pendulum.DateTime, allow_past: bool) -> When | None:
    """parse_when's answer, after checking what every answer must be."""
    try:
        when = parse_when(text, now, allow_past=allow_past)
    except DateError as exc:
        message = str(exc)
        assert message and message.isprintable() and len(message) < 120, message
        return None
    assert FIRST_DAY <= when.day <= LAST_DAY
    assert type(when.day) is dt.date
    if when.time is not None:
        assert when.time.second == 0 and when.time.microsecond == 0
    if not allow_past:
        today = dt.date(now.year, now.month, now.day)
        assert when.day >= today
    preview = describe(when, now)
    assert preview.isprintable() and preview
    # what the form does on save: to UTC in the rep's zone, and back when the queue shows it
    utc = to_utc(when, now.timezone)
    assert utc.tzinfo is None and utc.microsecond == 0
    for tz in ZONES:
        from_utc(utc, tz)  # showable in any zone: no overflow
    return when


@settings(max_examples=_EXAMPLES, deadline=None)
@given(text=any_text, now=nows, allow_past=st.booleans())
@example(text="9999-12-31 11pm", now=pendulum.datetime(2026, 11, 23, 10, tz="America/New_York"), allow_past=False)
@example(text="dec 1", now=pendulum.datetime(9999, 12, 20, 10, tz="UTC"), allow_past=True)
def test_any_text_is_a_moment_or_a_date_error(text, now, allow_past):
    _check_answer(text, now, allow_past)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(text=typed_dates(), now=nows, allow_past=st.booleans())
@example(text="9999-12-31 11pm", now=pendulum.datetime(2026, 11, 23, 10, tz="Asia/Tokyo"), allow_past=False)
@example(text="yesterday 1am", now=pendulum.datetime(2011, 12, 31, tz="Pacific/Apia"), allow_past=False)  # found
@example(text="+9999m", now=pendulum.datetime(9999, 1, 1, tz="Pacific/Kiritimati"), allow_past=False)
@example(text="tomorrow", now=pendulum.datetime(9999, 12, 31, 23, tz="Pacific/Kiritimati"), allow_past=False)
@example(text="yesterday", now=pendulum.datetime(1, 1, 2, 1, tz="Etc/GMT+12"), allow_past=True)
def test_what_a_rep_would_type_is_a_moment_or_a_date_error(text, now, allow_past):
    _check_answer(text, now, allow_past)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(n=_NUMBERS, unit=st.sampled_from(["d", "w", "days", "weeks"]), now=nows)
def test_an_offset_in_days_or_weeks_counts_from_today_or_is_refused(n, unit, now):
    today = dt.date(now.year, now.month, now.day)
    days = n * (7 if unit.startswith("w") else 1)
    try:
        # more than four digits is refused as unreadable (storage.rules.dates.NUMBER_OFFSET_RE)
        expected = today + dt.timedelta(days=days) if n <= 9999 else None
    except OverflowError:
        expected = None
    try:
        when = parse_when(f"+{n}{unit}", now)
    except DateError as exc:
        assert expected is None or not FIRST_DAY <= expected <= LAST_DAY, str(exc)
        return
    assert when == When(expected, None)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(name=_words(WEEKDAYS), now=nows)
def test_a_weekday_is_the_next_one_within_a_week(name, now):
    today = dt.date(now.year, now.month, now.day)
    try:
        when = parse_when(name, now)
    except DateError:
        assert not FIRST_DAY <= today <= LAST_DAY - dt.timedelta(days=7)
        return
    assert 1 <= (when.day - today).days <= 7 and when.day.weekday() == WEEKDAYS[name]


@settings(max_examples=_EXAMPLES, deadline=None)
@given(day=st.dates(min_value=dt.date(1895, 1, 1), max_value=dt.date(3005, 12, 31)), now=nows)
def test_a_calendar_date_is_that_day_when_the_book_keeps_it(day, now):
    try:
        when = parse_when(day.isoformat(), now, allow_past=True)
    except DateError as exc:
        assert not FIRST_DAY <= day <= LAST_DAY
        assert "too far" in str(exc)
        return
    assert when == When(day, None)


_edge_days = st.one_of(
    st.dates(max_value=dt.date(1, 1, 3)),
    st.dates(min_value=dt.date(9999, 12, 29)),
    st.dates(min_value=FIRST_DAY - dt.timedelta(days=2), max_value=FIRST_DAY + dt.timedelta(days=2)),
    st.dates(min_value=LAST_DAY - dt.timedelta(days=2), max_value=LAST_DAY + dt.timedelta(days=2)),
)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(
    day=st.one_of(st.dates(), _edge_days),
    time=st.one_of(st.none(), st.times().map(lambda t: t.replace(microsecond=0))),
    tz=st.sampled_from(ZONES),
)
@example(day=dt.date(9999, 12, 31), time=dt.time(23, 0), tz="America/New_York")
@example(day=dt.date(1, 1, 1), time=None, tz="Europe/Paris")
def test_to_utc_gives_a_moment_every_zone_can_show_or_a_date_error(day, time, tz):
    when = When(day, time)
    try:
        utc = to_utc(when, tz)
    except DateError as exc:
        assert "too far" in str(exc) or "beyond" in str(exc)
        assert not FIRST_DAY <= day <= LAST_DAY  # every day the book keeps converts
        return
    for other in ZONES:
        from_utc(utc, other)
    if FIRST_DAY <= day <= LAST_DAY:
        local = from_utc(utc, tz)
        wall = dt.datetime.combine(day, time or dt.time(0, 0))
        shift = local.naive() - pendulum.instance(wall).naive()
        # the wall time itself, or moved forward over a gap (Samoa skipped a whole day)
        assert dt.timedelta(0) <= shift <= dt.timedelta(days=1)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(
    due=st.datetimes(min_value=_EDGE_FIRST, max_value=_EDGE_LAST).map(lambda d: d.replace(microsecond=0)),
    due_tz=st.sampled_from(ZONES),
    has_time=st.booleans(),
    now=nows,
)
def test_a_queue_label_is_short_whatever_is_stored_and_whenever_it_is_read(due, due_tz, has_time, now):
    label = due_label(from_utc(due, due_tz), has_time, now)
    assert label and len(label) <= 11 and label.isprintable()


@settings(max_examples=_EXAMPLES, deadline=None)
@given(day=st.dates(), time=st.one_of(st.none(), st.times()), now=nows)
def test_the_preview_describes_any_day_from_any_now(day, time, now):
    assert describe(When(day, time), now).isprintable()


@pytest.mark.parametrize(("tz", "change"), DST_CHANGES)
def test_the_dst_changes_are_real(tz, change):
    before = _aware(change - dt.timedelta(minutes=1), tz).utcoffset()
    after = _aware(change, tz).utcoffset()
    assert before != after

