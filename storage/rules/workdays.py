"""Working days: the rep's working week, the public holidays of their country (and region), and
their own days off. What the desk suggests (a next follow-up, a snooze, a revisit) lands on a
working day; a date the rep types on purpose stays where it is, and its preview says why the day
is off (`why_off`). The one home of "is this a day the rep works?"; pure (no book, no clock).

The holidays come from the `holidays` package (country and subdivision codes, ISO 3166), a
solved problem: its tables follow each country's law and are kept up to date by its maintainers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FIVE_DAYS = frozenset(range(5))
# How far a search for the next working day looks: a working week has a working day in every
# seven, and no calendar closes a whole year; further than this is a configuration that cannot be
LOOK_AHEAD = 400


class WorkdaysError(ValueError):
    """A working week the rep wrote that cannot be used, said in words."""


@lru_cache(maxsize=8)
def _calendar(country: str, region: str):
    import holidays  # only when a country is set: its tables cost ~50 ms to import

    try:
        return holidays.country_holidays(country, subdiv=region or None)
    except NotImplementedError as exc:
        raise WorkdaysError(_unknown(country, region, exc)) from None


def _unknown(country: str, region: str, exc: Exception) -> str:
    if region and "subdivision" in str(exc):
        return f"{country} has no region {region!r} in the holiday tables (try its ISO 3166-2 code, e.g. FR-75 → 75)."
    return f"No public holidays are known for the country {country!r} (use its two-letter ISO code: FR, US, DE…)."


@dataclass(frozen=True)
class WorkWeek:
    """Which days the rep works. `weekdays`: Monday is 0; `days_off`: the rep's own, as inclusive
    ranges of dates."""

    weekdays: frozenset[int] = FIVE_DAYS
    country: str = ""
    region: str = ""
    days_off: tuple[tuple[dt.date, dt.date], ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise WorkdaysError("A working week needs at least one working day.")
        if self.country:
            _calendar(self.country, self.region)  # an unknown country is said now, not at the first suggestion

    def holiday(self, day: dt.date) -> str | None:
        """The public holiday on `day` in the rep's country (and region), or None."""
        if not self.country:
            return None
        return _calendar(self.country, self.region).get(day)

    def why_off(self, day: dt.date) -> str | None:
        """Why the rep does not work on `day` ("a Sunday", "Christmas Day", "your day off"), or None."""
        if any(first <= day <= last for first, last in self.days_off):
            return "your day off"
        if (name := self.holiday(day)) is not None:
            return f"{name} (a public holiday)"
        if day.weekday() not in self.weekdays:
            return f"a {DAY_NAMES[day.weekday()]}"
        return None

    def is_working(self, day: dt.date) -> bool:
        return self.why_off(day) is None

    def on_or_after(self, day: dt.date) -> dt.date:
        """The first working day at or after `day`."""
        for offset in range(LOOK_AHEAD):
            probe = day + dt.timedelta(days=offset)
            if self.is_working(probe):
                return probe
        raise WorkdaysError(f"No working day in the {LOOK_AHEAD} days from {day:%-d %b %Y}: check your days off.")

    def after(self, day: dt.date, count: int = 1) -> dt.date:
        """The `count`-th working day after `day` (1: the next one)."""
        for _ in range(count):
            day = self.on_or_after(day + dt.timedelta(days=1))
        return day

    def next_days(self, start: dt.date, count: int) -> list[dt.date]:
        """`count` working days from `start` (itself included when it is one)."""
        days, day = [], self.on_or_after(start)
        while len(days) < count:
            days.append(day)
            day = self.after(day)
        return days


def work_week_from(table: Mapping | None) -> WorkWeek:
    """The `[work]` table of the rep's settings: `days = ["mon", …]`, `country = "FR"`,
    `region = "75"`, `days_off = ["2026-12-24", "2026-12-28..2027-01-01"]`. Missing parts take the
    defaults (Monday to Friday, no holidays, no days off)."""
    table = table or {}
    weekdays = _weekdays(table.get("days", list(WEEKDAYS[:5])))
    country = _code(table.get("country", ""), "country").upper()
    region = _code(table.get("region", ""), "region").upper()
    if region and not country:
        raise WorkdaysError("A region needs its country too (country = \"FR\").")
    return WorkWeek(weekdays, country, region, tuple(_ranges(table.get("days_off", []))))


def _weekdays(days: object) -> frozenset[int]:
    if not isinstance(days, list) or not all(isinstance(d, str) for d in days):
        raise WorkdaysError('days: a list of weekdays, e.g. days = ["mon", "tue", "wed", "thu", "fri"].')
    found = set()
    for name in days:
        short = name.strip().lower()[:3]
        if short not in WEEKDAYS:
            raise WorkdaysError(f"days: {name!r} is not a weekday (mon, tue, wed, thu, fri, sat, sun).")
        found.add(WEEKDAYS.index(short))
    return frozenset(found)


def _code(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise WorkdaysError(f"{what}: a code in quotes, e.g. {what} = \"{'FR' if what == 'country' else '75'}\".")
    return value.strip()


def _ranges(values: object) -> Iterable[tuple[dt.date, dt.date]]:
    if not isinstance(values, list):
        raise WorkdaysError('days_off: a list of dates or ranges, e.g. ["2026-12-24", "2026-12-28..2027-01-01"].')
    for value in values:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):  # TOML's own dates
            yield value, value
            continue
        text = str(value).strip()
        first, _, last = text.partition("..")
        try:
            start = dt.date.fromisoformat(first.strip())
            end = dt.date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise WorkdaysError(f"days_off: {text!r} is not a date (2026-12-24) or a range (2026-12-28..2027-01-01).") from None
        if end < start:
            raise WorkdaysError(f"days_off: {text!r} ends before it starts.")
        yield start, end



def working_suggestion(days: int, today: dt.date, week: WorkWeek) -> tuple[str, str | None]:
    """A cadence's suggestion `days` from `today`, as a date field takes it, on a working day."""
    from storage.rules.cadence import suggest_text

    return on_working_day(suggest_text(days), today + dt.timedelta(days=days), week)


def on_working_day(text: str, day: dt.date, week: WorkWeek) -> tuple[str, str | None]:
    """A date the desk offers (a suggestion "+1w", a snooze's "tomorrow"), as `text` that resolves
    to `day`: (text, None) when `day` is a working day; else the first working day after it typed
    as a date ("dec 7", which storage.rules.dates reads back) and why `day` was passed over ("Sun
    6 Dec is a Sunday"). Only what the desk offers moves: a date the rep types stays theirs."""
    landed = week.on_or_after(day)
    if landed == day:
        return text, None
    from storage.rules.dates import MONTH_NAMES

    return f"{MONTH_NAMES[landed.month - 1].lower()} {landed.day}", f"{day:%a %-d %b} is {week.why_off(day)}"
