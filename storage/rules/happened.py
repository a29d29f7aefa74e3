"""When something happened, as a rep types it in the log form: "now", "yesterday 3pm",
"mon 10:00" (the last Monday), "2h ago", "nov 20". Pure, like storage.rules.dates, whose reading
of days and times it shares; what differs is the direction: a touch looks back, and is never in
the future."""

from __future__ import annotations

import datetime
import re

import pendulum

from storage.rules.dates import MONTHS, WEEKDAYS, DateError, When, _quote, beyond_the_book, parse_when

NOW_WORDS = ("now", "just now", "right now")
FUTURE = "That's in the future — a touch is something that happened"
EXAMPLES = "try now, 2h ago, yesterday 3pm, mon 10:00 or nov 20"

_A = re.ASCII
_AGO_RE = re.compile(r"(\d{1,4}) ?([a-z]+) ago", _A)
_AGO_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
}
_WEEKDAY_RE = re.compile(r"(?:last )?([a-z]+)(?: (?:at )?(.+))?", _A)


def is_now(text: str) -> bool:
    """The text means the moment of saving (the log form's default)."""
    return " ".join(text.lower().split()) in NOW_WORDS


def parse_happened(text: str, now: pendulum.DateTime) -> When:
    try:
        return _parse(text, now)
    except DateError as exc:
        if str(exc).startswith("Can't read"):  # with examples that look back, not forward
            raise DateError(f"Can't read {_quote(text)} as a moment — {EXAMPLES}") from None
        raise


def _parse(text: str, now: pendulum.DateTime) -> When:
    """The moment `text` means, looking back from `now` (aware, in the rep's zone), to the minute.
    A day without a time keeps now's time of day ("yesterday": this time yesterday); a weekday
    is the last one (today's, if today is that day); a month and day without a year, the last
    one. DateError for what is not a moment, or is in the future."""
    norm = " ".join(text.lower().replace(",", " ").split())
    if not norm:
        raise DateError(f"Type when it happened — {EXAMPLES}")
    today = datetime.date(now.year, now.month, now.day)
    if norm in NOW_WORDS:
        return When(today, datetime.time(now.hour, now.minute))
    if m := _AGO_RE.fullmatch(norm):
        if m[2] not in _AGO_UNITS:
            raise DateError("Can't read it")  # said with the text by parse_happened
        try:
            then = now.subtract(**{_AGO_UNITS[m[2]]: int(m[1])})
        except (OverflowError, ValueError):
            raise DateError(f"{_quote(text)} is before the dates the book keeps") from None
        return _checked(When(datetime.date(then.year, then.month, then.day), datetime.time(then.hour, then.minute)), now)
    if (m := _WEEKDAY_RE.fullmatch(norm)) and m[1] in WEEKDAYS:
        day = today - datetime.timedelta(days=(today.weekday() - WEEKDAYS[m[1]]) % 7)
        time = parse_when(f"today {m[2]}", now, allow_past=True).time if m[2] else None
        if day == today and time is not None and time > datetime.time(now.hour, now.minute):
            day -= datetime.timedelta(days=7)  # "mon 10:00" at 9:30 on a Monday: last Monday's
        return _checked(When(day, time), now)
    when = parse_when(norm, now, allow_past=True)
    if when.day > today and not re.search(r"\d{4}", norm, _A) and any(word in MONTHS for word in norm.split()):
        when = When(_last(when.day, today), when.time)  # "nov 20" read as the next one: the rep means the last
    return _checked(when, now)


def _last(day: datetime.date, today: datetime.date) -> datetime.date:
    """The last `day`'s month and day on or before today (29 Feb: the last leap year's)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise DateError(f"{day:%d %b} is before the dates the book keeps")


def _checked(when: When, now: pendulum.DateTime) -> When:
    if why := beyond_the_book(when.day):
        raise DateError(f"{when.day.isoformat()} is {why}")
    if when.time is None:
        when = When(when.day, datetime.time(now.hour, now.minute))
    moment = pendulum.datetime(when.day.year, when.day.month, when.day.day, when.time.hour, when.time.minute,
                               tz=now.timezone)
    if moment > now:
        raise DateError(FUTURE)
    return when
