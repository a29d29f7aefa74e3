"""The one place the book asks what time it is (frozen in tests by pendulum.travel_to)."""

from __future__ import annotations

import datetime as dt

import pendulum


def utc_now() -> dt.datetime:
    """Now, as the naive UTC datetime the book stores (whole seconds)."""
    now = pendulum.now("UTC")
    return dt.datetime(now.year, now.month, now.day, now.hour, now.minute, now.second)


def local_now(tz: str) -> pendulum.DateTime:
    from storage.rules.dates import zone

    return pendulum.now(zone(tz))


def rep_today(utc: dt.datetime, tz: str) -> dt.date:
    """The rep's calendar date at a naive-UTC moment ("today" is today where the rep is). `tz`:
    the rep's zone, resolved once by the desk or the command (tui/config.py); the book never
    guesses it from the machine."""
    from storage.rules.dates import zone

    local = pendulum.instance(utc, tz=pendulum.UTC).in_timezone(zone(tz))
    return dt.date(local.year, local.month, local.day)
