"""The rep's working week on the desk: what the desk offers in a date field (a cadence's "+1w", a
snooze's "tomorrow", a check-in's "1m", a revisit's "3m") is moved off a day off to the next
working day (storage/rules/workdays.py), and a date field whose date falls on a day off says so.
A date the rep types stays theirs. The week is config.toml's [work], read again when the file
changes; a table that cannot be used is said once, and Monday to Friday is used meanwhile."""

from __future__ import annotations

from textual.app import App

from storage.book.clock import local_now
from storage.rules.dates import DateError, parse_when
from storage.rules.workdays import WorkWeek, on_working_day
from tui.config import ConfigFileError, config_file, work_settings
from tui.text import tell


def work_week(app: App) -> WorkWeek:
    path = config_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    cached = getattr(app, "_work_week", None)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        week = work_settings(path)[0]
    except ConfigFileError as exc:
        tell(app, f"{exc} (using Monday to Friday meanwhile)", severity="error", timeout=10)
        week = WorkWeek()
    app._work_week = (stamp, week)
    return week


def offered(app: App, text: str, tz: str) -> str:
    """`text` as the desk offers it in a date field: the same, or the next working day as a date
    ("dec 7") when it lands on a day off."""
    if not text.strip():
        return text
    try:
        day = parse_when(text, local_now(tz)).day
    except DateError:
        return text
    return on_working_day(text, day, work_week(app))[0]
