"""One CSV cell → the value it holds: text without our export's formula guard, the first email
address, a channel word, an amount of money, the date (and time) of a follow-up. A cell that
cannot be read raises CellProblem, saying so in the rep's words: the cell is left empty and the
person comes in without it (csv_columns)."""

from __future__ import annotations

import datetime as dt
import functools
import re

from storage.book.clock import local_now
from storage.book.vocabulary import CHANNEL_LABELS, CHANNELS
from storage.rules import amounts
from storage.exchange.csv_table import Table
from storage.rules.dates import MONTHS, WEEKDAYS, DateError, When, beyond_the_book, parse_when, stored

# What our own export (and OWASP's advice) puts before a cell a spreadsheet would run as a formula.
_INJECTION_PREFIX = re.compile("'(?=[=+\\-@\t\r\n\uff1d\uff0b\uff0d\uff20])")


class CellProblem(Exception):
    """A cell (or a row) that cannot be read: str() says why, for the rep."""


def cell_text(cell: str) -> str:
    """A cell's text: our export's ' before a formula-looking cell taken off, spaces trimmed."""
    if cell[:1] == "'" and _INJECTION_PREFIX.match(cell):
        cell = cell[1:]
    return cell.strip()


_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")


def one_email(text: str) -> str:
    """The first address of a cell that holds several ("a@x.com; b@y.com"), without mailto:."""
    first = _EMAIL_SEPARATORS.split(text.strip())[0]
    return first[7:] if first.lower().startswith("mailto:") else first


_CHANNEL_WORDS = {
    **{label: name for name, label in CHANNEL_LABELS.items()},
    "phone": "call", "telephone": "call", "phone call": "call", "mobile": "call",
    "e-mail": "email", "mail": "email", "sms": "text", "text message": "text", "whatsapp": "text",
    "linkedin": "social", "postcard": "letter", "post": "letter", "greeting card": "card", "in person": "meeting",
}


def channel(text: str) -> str:
    """A channel word as the book spells it; anything else is left for the check to refuse."""
    word = " ".join(text.casefold().split())
    return word if word in CHANNELS else _CHANNEL_WORDS.get(word, text)


def _quote(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:39] + "…")


# --- amounts ---


def amount(text: str, header: str) -> int:
    """A money cell as whole units, read as the forms read a deal value (storage/rules/amounts.py:
    "$12,000", "€ 12 000", "12.000,50", "CHF 12'000", "12k")."""
    try:
        return amounts.amount(text)
    except amounts.AmountError as exc:
        if exc.unreadable:
            raise CellProblem(f"{header} {_quote(text)} is not an amount (like 12000 or $12,000.00)") from None
        raise CellProblem(f"{header} {_quote(text)}: {exc}") from None


# --- dates ---

_A = re.ASCII
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})", _A)
_YEAR_FIRST = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})", _A)
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", _A)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \-]([a-z]+)\.?,?[ \-](\d{4}|\d{2})", _A)
_TIME = re.compile(r",? (?:at )?(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?(?:\.\d+)? ?(am|pm)?$", _A)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+\-]\d{2}:?\d{2})?", _A)


def day_first(table: Table, index: int) -> bool:
    """How to read 01/12/2026 in this column. The column's own evidence decides: a first number
    above 12 means day first (25/11/2026), a second above 12 means month first (11/25/2026).
    Without any, the file's: a `;` delimiter is what Excel writes where the decimal point is a
    comma (Europe), so day first; otherwise month first, as US CRMs write. Dotted dates
    (01.12.2026) are always day first."""
    for _, cells in table.rows:
        if index < len(cells) and (m := _NUMERIC_DATE.match(cells[index].strip())):
            if int(m[1]) > 12:
                return True
            if int(m[3]) > 12:
                return False
    return table.delimiter == ";"


def due(text: str, header: str, day_first: bool, tz: str) -> tuple[dt.datetime, bool]:
    """(due as the book keeps it, has_time) of a follow-up cell (dates.stored). A date alone is a date; so is a
    time of exactly 00:00, which is how exports write a date-only field. A zoned timestamp is
    converted; past dates are fine (they land in "overdue")."""
    try:
        return _parse_due(" ".join(text.split()), day_first, tz)
    except _BeyondTheBook as exc:  # "9999-12-31", the "no date" of some exports
        raise CellProblem(f"{header} {_quote(text)} is {exc}") from None
    except (ValueError, OverflowError):
        pass
    try:  # what a rep types in the desk's date fields ("next tue", "+3d", "in 2 weeks"), from today
        when = parse_when(text, local_now(tz), allow_past=True)
    except DateError:
        raise CellProblem(f"{header} {_quote(text)} is not a date (like 2026-12-01 or Dec 1, 2026)") from None
    return _to_utc(when.day, when.time, tz), when.time is not None


class _BeyondTheBook(Exception):
    """A real date the book does not keep (storage.rules.dates.beyond_the_book says why)."""


def _check_kept(day: dt.date) -> None:
    if why := beyond_the_book(day):
        raise _BeyondTheBook(why)


def _parse_due(text: str, day_first: bool, tz: str) -> tuple[dt.datetime, bool]:
    if _ISO.fullmatch(text):
        moment = dt.datetime.fromisoformat(text.replace(" ", "T"))
        _check_kept(moment.date())
        if moment.tzinfo is not None:
            if moment.time() == dt.time(0, 0):
                return _to_utc(moment.date(), None, tz), False
            utc = moment.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
            return utc, True
        return _local(moment.date(), moment.time().replace(microsecond=0), tz)
    lowered = text.lower()
    time = None
    if (m := _TIME.search(lowered)) and (m[2] or m[4]):  # a bare trailing number is a year, not an hour
        time = _time(int(m[1]), int(m[2] or 0), int(m[3] or 0), m[4])
        lowered = lowered[: m.start()].strip()
    return _local(_day(lowered, day_first), time, tz)


def _local(day: dt.date, time: dt.time | None, tz: str) -> tuple[dt.datetime, bool]:
    _check_kept(day)
    if time == dt.time(0, 0):
        time = None
    return _to_utc(day, time, tz), time is not None


@functools.lru_cache(maxsize=4096)
def _to_utc(day: dt.date, time: dt.time | None, tz: str) -> dt.datetime:
    """to_utc costs ~20 µs (pendulum) and the dates of a big file repeat a lot."""
    return stored(When(day, time), tz)


def _time(hour: int, minute: int, second: int, half: str | None) -> dt.time:
    if half:
        if not 1 <= hour <= 12:
            raise ValueError("not a 12-hour time")
        hour = hour % 12 + (12 if half == "pm" else 0)
    return dt.time(hour, minute, second)


def _day(text: str, day_first: bool) -> dt.date:
    words = text.replace(",", " ").split()
    if words and words[0].rstrip(".") in WEEKDAYS:  # "Tue, Dec 1, 2026"
        text = " ".join(words[1:])
    if m := _YEAR_FIRST.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC_DATE.fullmatch(text):
        first, second = int(m[1]), int(m[3])
        day, month = (first, second) if day_first or m[2] == "." else (second, first)
        return dt.date(_year(m[4]), month, day)
    if (m := _MONTH_DAY_YEAR.fullmatch(text)) and m[1] in MONTHS:
        return dt.date(int(m[3]), MONTHS[m[1]], int(m[2]))
    if (m := _DAY_MONTH_YEAR.fullmatch(text)) and m[2] in MONTHS:
        return dt.date(_year(m[3]), MONTHS[m[2]], int(m[1]))
    raise ValueError("not a date")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)
