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


def local_zone() -> str:
    """The rep's time zone: FOLLOWUP_TZ when set, else the machine's."""
    import os

    return os.environ.get("FOLLOWUP_TZ") or pendulum.local_timezone().name


def rep_today(utc: dt.datetime) -> dt.date:
    """The rep's calendar date at a naive-UTC moment ("today" is today where the rep is)."""
    from storage.rules.dates import zone

    local = pendulum.instance(utc, tz=pendulum.UTC).in_timezone(zone(local_zone()))
    return dt.date(local.year, local.month, local.day)
