"""What a rep types → a moment (PRODUCT.md §6). Pure: no I/O, no Peewee, no Textual.

A date part (`today`, `fri`, `next tue`, `+3d`, `in 2 weeks`, `dec 1`, `2026-12-01`), optionally
followed by a time part (`9am`, `14:30`, `noon`), optionally joined by `at`; a time alone means
today.
A moment with a time of day is stored as naive UTC and shown in the rep's local time zone; a
follow-up's date alone is stored as that date, the same in every zone (`stored`, `local_due`).

Whatever the text and whatever `now`, the functions here answer or raise DateError: nothing a rep
types may take the desk down (a date past year 9999 once did, as an OverflowError).
"""

from __future__ import annotations

import calendar
import functools
import datetime
import re
from dataclasses import dataclass

import pendulum


@dataclass(frozen=True)
class When:
    day: datetime.date
    time: datetime.time | None  # None = any time that day


class DateError(ValueError):
    """Text that is not a moment, or not one we accept; str() is a one-line message for the rep."""


EXAMPLES = "try tomorrow, fri, +3d, dec 1 or 2026-12-01"
# Nothing a rep means is longer than "wednesday 31st december 2027 at 12:30pm"; refusing early
# keeps quoting and regex work small on a pasted novel.
MAX_LENGTH = 60

# The days a rep may type or an import bring. Nobody follows up in 1899 or in 3000: such a date is
# a slip ("9999-12-31", "0202-12-01"), refused with a word. The room between these years and
# datetime's own limits (years 1 and 9999) is what keeps every stored moment showable in every
# time zone, and a day, a month or a promise's deadline counted past it, without an overflow.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)
# What to_utc can give at all: a naive UTC moment every zone (offsets stay under a day, even
# the local mean times of the 1800s) can show without leaving datetime's range.
_STORABLE_FIRST = datetime.datetime(1, 1, 2)
_STORABLE_LAST = datetime.datetime(9999, 12, 30, 23, 59, 59)

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

WEEKDAYS = {
    **dict.fromkeys(("mon", "monday"), 0), **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2), **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4), **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
MONTHS = {
    **dict.fromkeys(("jan", "january"), 1), **dict.fromkeys(("feb", "february"), 2),
    **dict.fromkeys(("mar", "march"), 3), **dict.fromkeys(("apr", "april"), 4), **dict.fromkeys(("may",), 5),
    **dict.fromkeys(("jun", "june"), 6), **dict.fromkeys(("jul", "july"), 7), **dict.fromkeys(("aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9), **dict.fromkeys(("oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11), **dict.fromkeys(("dec", "december"), 12),
}
UNITS = {
    **dict.fromkeys(("d", "day", "days"), "days"), **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
    **dict.fromkeys(("m", "mo", "mos", "month", "months"), "months"),
}

# re.ASCII everywhere: \d must not match other scripts' digits, which int() would happily accept.
_A = re.ASCII
TIME_RE = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)|(\d{1,2}):(\d{2})|noon", _A)
# At most 4 digits: 9999 months is still a real date, so an offset never overflows.
NUMBER_OFFSET_RE = re.compile(r"(?:in )?\+?(\d{1,4}) ?([a-z]+)", _A)
A_OFFSET_RE = re.compile(r"in an? ([a-z]+)", _A)
ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", _A)
MONTH_DAY_RE = re.compile(r"([a-z]+) (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?", _A)
DAY_MONTH_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)(?: (\d{4}))?", _A)


def parse_when(text: str, now: pendulum.DateTime, *, allow_past: bool = False) -> When:
    """The moment `text` means, seen from `now` (aware, in the rep's time zone)."""
    shown = " ".join(text.split())
    if not shown:
        raise DateError(f"Type a date — {EXAMPLES}")
    if len(shown) > MAX_LENGTH:
        raise _unreadable(shown)
    if "/" in shown:
        raise DateError(
            f"Can't tell day from month in {_quote(shown)} — type dec 1 or 2026-12-01"
        )
    today = _plain(now.date())
    # "9 am" → "9am", and a comma is only a separator ("dec 1, 2027").
    norm = re.sub(r"(\d) (am|pm)\b", r"\1\2", shown.lower().replace(",", " "), flags=_A)
    words = norm.split()

    time = None
    if words and TIME_RE.fullmatch(words[-1]):
        time = _parse_time(words.pop())
        if words and words[-1] == "at":
            words.pop()
    date_text = " ".join(words)

    if date_text:
        day = _parse_day(date_text, today)
    else:  # a time alone means today; nothing at all (",") means nothing
        day = today if time is not None else None
    if day is None:
        raise _unreadable(shown)

    when = When(day, time)
    if why := beyond_the_book(day):
        raise DateError(f"{_format(when, now)} is {why}")
    if not allow_past and _is_past(when, now, today):
        raise DateError(f"{_format(when, now)} is in the past — pick today or later")
    return when


@functools.lru_cache(maxsize=64)
def _named_zone(name: str) -> pendulum.Timezone:
    return pendulum.timezone(name)


def zone(tz: str | pendulum.Timezone) -> pendulum.Timezone:
    """A time zone object; names are looked up once (pendulum reads the zone file each time,
    ~0.15 ms, and the queue converts a date for every line it draws)."""
    return _named_zone(tz) if isinstance(tz, str) else tz


def book_moment(moment: pendulum.DateTime) -> datetime.datetime:
    """A moment as the book holds one: plain naive UTC to the second (the driver binds no pendulum)."""
    return datetime.datetime(*moment.in_timezone(pendulum.UTC).timetuple()[:6])


def to_utc(when: When, tz: str | pendulum.Timezone) -> datetime.datetime:
    """Naive UTC of the local moment; a date alone is local midnight that day. DateError for a
    moment no book can hold (past datetime's range in UTC or in some zone)."""
    t = when.time or datetime.time(0, 0)
    try:
        # pendulum resolves a wall time that a DST change skips (moved forward) or repeats (the later).
        moment = book_moment(pendulum.datetime(when.day.year, when.day.month, when.day.day, t.hour, t.minute,
                                               t.second, tz=zone(tz)))
    except OverflowError:  # 9999-12-31 23:00 in New York is in the year 10000 in UTC
        moment = None
    if moment is None or not _STORABLE_FIRST <= moment <= _STORABLE_LAST:
        raise DateError(f"{when.day.isoformat()} is {beyond_the_book(when.day) or _BEYOND}")
    return moment


# A follow-up without a time is a calendar date, the same in every zone (issue 15): kept as that
# date at 12:00 "floating" (no zone), has_time False. Noon, so that in one index on the due column
# it sorts between the timed steps of the day before and the day after for any zone from UTC-12 to
# UTC+12; at UTC+13/+14 it sorts after the next day's timed steps before 01:00/02:00 (the queue's
# sections stay exact: storage.reads.queue cuts each kind by its own bounds).
FLOATING_TIME = datetime.time(12, 0)


def stored(when: When, tz: str | pendulum.Timezone) -> datetime.datetime:
    """A follow-up's due as the book keeps it, the one way one is written: a date alone is that date
    at noon, no zone; with a time, the moment in naive UTC (`to_utc`). DateError beyond the book."""
    if when.time is not None:
        return to_utc(when, tz)
    if why := beyond_the_book(when.day):
        raise DateError(f"{when.day.isoformat()} is {why}")
    return datetime.datetime.combine(_plain(when.day), FLOATING_TIME)


def due_day(due_at: datetime.datetime, has_time: bool, tz: str | pendulum.Timezone) -> datetime.date:
    """The rep's day of a stored due: its date, or (timed) the day of its moment in `tz`."""
    return _plain(from_utc(due_at, tz).date() if has_time else due_at.date())


def local_due(due_at: datetime.datetime, has_time: bool, tz: str | pendulum.Timezone) -> pendulum.DateTime:
    """A stored due as the rep sees it in `tz` (the one way one is read): a timed step at its
    moment, a date-only one at the start of its date (the same date in any zone)."""
    if has_time:
        return from_utc(due_at, tz)
    return pendulum.datetime(due_at.year, due_at.month, due_at.day, tz=zone(tz))


def beyond_the_book(day: datetime.date) -> str | None:
    """Why the book does not keep `day` ("too far ahead — the book keeps dates up to 2999"),
    or None when it does (from FIRST_DAY to LAST_DAY)."""
    if day > LAST_DAY:
        return f"too far ahead — the book keeps dates up to {LAST_DAY.year}"
    if day < FIRST_DAY:
        return f"too far back — the book keeps dates from {FIRST_DAY.year}"
    return None


_BEYOND = f"beyond the dates the book keeps ({FIRST_DAY.year} to {LAST_DAY.year})"


def from_utc(value: datetime.datetime, tz: str | pendulum.Timezone) -> pendulum.DateTime:
    """Aware local DateTime of a naive UTC datetime (an aware one is converted as is)."""
    return pendulum.instance(value, tz=pendulum.UTC).in_timezone(zone(tz))


def describe(when: When, now: pendulum.DateTime) -> str:
    """The live preview under a date field: "Tue 1 Dec, in 7 days"."""
    days = (when.day - _plain(now.date())).days
    if days == 0:
        relative = "today"
    elif days == 1:
        relative = "tomorrow"
    elif days == -1:
        relative = "yesterday"
    elif days > 0:
        relative = f"in {days} days"
    else:
        relative = f"{-days} days ago"
    return f"{_format(when, now)}, {relative}"


def typed(due_local: pendulum.DateTime, has_time: bool) -> str:
    """A moment as a rep would type it, which parse_when reads back to the same moment: a date
    field filled with a step that exists ("2026-11-24 14:30", "2026-11-24")."""
    return f"{due_local:%Y-%m-%d %H:%M}" if has_time else f"{due_local:%Y-%m-%d}"


def due_label(due_local: pendulum.DateTime, has_time: bool, now: pendulum.DateTime) -> str:
    """The short (≤ 11 characters) "when" of a queue row: "2d late", "today 14:00", "Fri"."""
    try:
        due = due_local.in_timezone(now.timezone)
    except OverflowError:  # a moment at datetime's edge, seen from a zone past it: its own day
        due = due_local
    days = (_plain(due.date()) - _plain(now.date())).days
    clock = f" {due:%H:%M}" if has_time else ""
    if days < 0:
        late = -days
        # Beyond 999 days, years keep the label within its column.
        return f"{late}d late" if late <= 999 else f"{late // 365}y late"
    if days == 0:
        if has_time and due < now:
            minutes = max(1, int((now - due).total_seconds()) // 60)
            return f"{minutes // 60}h late" if minutes >= 60 else f"{minutes}m late"
        return "today" + clock
    if days == 1:
        return "tmrw" + clock if has_time else "tomorrow"
    if days <= 6:
        return WEEKDAY_NAMES[due.weekday()] + clock
    label = f"{due.day} {MONTH_NAMES[due.month - 1]}"
    return label if due.year == now.year else f"{label} {due.year}"


def _parse_day(text: str, today: datetime.date) -> datetime.date | None:
    """The day that `text` names, None if it names none; DateError if it names an impossible one."""
    if text in ("today", "tod"):
        return today
    if text in ("tomorrow", "tmrw", "tmw"):
        return _days_after(today, 1)
    if text in ("yesterday", "yday"):
        return _days_after(today, -1)
    if text in WEEKDAYS:
        ahead = (WEEKDAYS[text] - today.weekday() - 1) % 7 + 1
        return _days_after(today, ahead)
    if text.startswith("next "):
        rest = text[5:]
        if rest == "week":
            return _days_after(today, 7 - today.weekday())
        if rest in WEEKDAYS:
            return _days_after(today, 7 - today.weekday() + WEEKDAYS[rest])
        return None
    if (m := NUMBER_OFFSET_RE.fullmatch(text)) and m[2] in UNITS:
        return _offset(today, int(m[1]), UNITS[m[2]])
    if (m := A_OFFSET_RE.fullmatch(text)) and m[1] in ("day", "week", "month"):
        return _offset(today, 1, UNITS[m[1]])
    if m := ISO_RE.fullmatch(text):
        return _calendar_day(int(m[1]), int(m[2]), int(m[3]), text)
    for regex, month_group, day_group in ((MONTH_DAY_RE, 1, 2), (DAY_MONTH_RE, 2, 1)):
        if (m := regex.fullmatch(text)) and m[month_group] in MONTHS:
            month, day = MONTHS[m[month_group]], int(m[day_group])
            if m[3]:
                return _calendar_day(int(m[3]), month, day, text)
            return _next_month_day(today, month, day)
    return None


def _offset(today: datetime.date, count: int, kind: str) -> datetime.date:
    if kind == "months":
        try:
            # pendulum clamps to the month's end: Jan 31 + 1 month = Feb 28 (29 in a leap year).
            return _plain(pendulum.date(today.year, today.month, today.day).add(months=count))
        except (OverflowError, ValueError):  # "year 10000 is out of range"
            raise _past_the_calendar(today, f"+{count} months") from None
    return _days_after(today, count * (7 if kind == "weeks" else 1))


def _days_after(today: datetime.date, days: int) -> datetime.date:
    """today + days; counting past year 9999 (or before year 1) is a DateError, not an overflow
    (only a `now` at the calendar's edge gets there)."""
    try:
        return today + datetime.timedelta(days=days)
    except OverflowError:
        raise _past_the_calendar(today, f"{days:+} days") from None


def _past_the_calendar(today: datetime.date, what: str) -> DateError:
    return DateError(f"{what} from {today.isoformat()} is {_BEYOND}")


def _next_month_day(today: datetime.date, month: int, day: int) -> datetime.date:
    """The first `day` `month` on or after today; Feb 29 waits for the next leap year."""
    _check_day_of_month(month, day, year=None)
    for year in range(today.year, today.year + 9):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    # every valid day recurs within 8 years, unless today is in the calendar's last years
    raise _past_the_calendar(today, f"the next {day} {MONTH_NAMES[month - 1]}")


def _calendar_day(year: int, month: int, day: int, text: str) -> datetime.date:
    if year < 1:
        raise DateError(f"There is no year 0 — {_quote(text)} is not a date")
    if not 1 <= month <= 12:
        raise DateError(f"There is no month {month} — {_quote(text)} is not a date")
    _check_day_of_month(month, day, year)
    return datetime.date(year, month, day)


def _check_day_of_month(month: int, day: int, year: int | None) -> None:
    # Without a year, Feb 29 exists (2000 was a leap year); _next_month_day finds its year.
    last = calendar.monthrange(2000 if year is None else year, month)[1]
    if not 1 <= day <= last:
        name = f"{day} {MONTH_NAMES[month - 1]}" + ("" if year is None else f" {year}")
        raise DateError(f"There is no {name} — {MONTH_NAMES[month - 1]} has {last} days")


def _parse_time(token: str) -> datetime.time:
    if token == "noon":
        return datetime.time(12, 0)
    m = TIME_RE.fullmatch(token)
    assert m is not None
    if m[3]:  # 12-hour clock: 12am is midnight, 12pm is noon
        hour, minute = int(m[1]), int(m[2] or 0)
        if not 1 <= hour <= 12:
            raise _bad_time(token)
        hour = hour % 12 + (12 if m[3] == "pm" else 0)
    else:
        hour, minute = int(m[4]), int(m[5])
        if hour > 23:
            raise _bad_time(token)
    if minute > 59:
        raise _bad_time(token)
    return datetime.time(hour, minute)


def _is_past(when: When, now: pendulum.DateTime, today: datetime.date) -> bool:
    # the calendar day first: a wall time on a day the zone skipped (Samoa's 30 Dec 2011) is
    # moved past the gap by the zone and would compare as later than now
    if when.time is None or when.day != today:
        return when.day < today
    moment = pendulum.datetime(
        when.day.year, when.day.month, when.day.day, when.time.hour, when.time.minute,
        tz=now.timezone,
    )
    return moment < now


def _format(when: When, now: pendulum.DateTime) -> str:
    d = when.day
    text = f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]}"
    if d.year != now.year:
        text += f" {d.year}"
    if when.time is not None:
        text += f" {when.time:%H:%M}"
    return text


def _plain(day: datetime.date) -> datetime.date:
    """A plain datetime.date (pendulum's Date subclass compares equal but reads differently)."""
    return datetime.date(day.year, day.month, day.day)


def _quote(text: str) -> str:
    # repr escapes control, bidi and other unprintable characters, so the message stays one
    # harmless line whatever was typed; at most 32 characters of it, escapes counted (thirty
    # ESCs or astral characters would otherwise make it 300).
    shown = repr(text)
    if len(shown) <= 32:
        return shown
    cut = text[:29]
    while len(repr(cut + "…")) > 32:
        cut = cut[:-1]
    return repr(cut + "…")


def _unreadable(text: str) -> DateError:
    return DateError(f"Can't read {_quote(text)} as a date — {EXAMPLES}")


def _bad_time(token: str) -> DateError:
    return DateError(f"{_quote(token)} is not a time — try 9am, 2:30pm or 14:30")
