"""What the desk asks when it coaches: the cadences in force (the rep's file), a prospect's
cadence and next suggestion, whether a date is too soon after silence or outside their best time.
Applies the pure rules of storage.rules (cadence, reach) to a prospect as storage.reads.prospect
hands it out; the only I/O is the cadences file, read once."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from dataclasses import dataclass

from storage.book.clock import rep_today
from storage.book.locations import cadence_file
from storage.rules.dates import due_day
from storage.rules.derived import answered
from storage.reads.prospect import Facts
from storage.book.settings import read_settings, write_once
from storage.rules.cadence import (
    Cadence,
    CadenceFileError,
    cadence_for,
    cadences_from,
    default_file_text,
    suggest_days,
    too_soon,
)
from storage.rules.reach import best_time_note, parse_best_time


_problem: list[str] = []  # what the last read of the rep's cadences.toml found wrong (cadence_problem)


@functools.cache
def cadences() -> dict[str, Cadence]:
    """The cadences: the defaults, as changed by the rep's cadences.toml (written on first use).
    A file we cannot use gives the defaults, and cadence_problem() says why: a typo in it must
    not stop the desk or a cron line's `followup due`."""
    path = cadence_file()
    try:
        write_default_file(path)
    except OSError:
        pass  # a read-only config folder: the defaults still apply
    _problem.clear()
    try:
        return load_cadences(path)
    except CadenceFileError as exc:
        _problem.append(str(exc))
        return load_cadences(None)


def cadence_problem() -> str | None:
    """One line naming the rep's cadences file and its fault, when the defaults stand in for it."""
    cadences()
    return _problem[0] if _problem else None


def load_cadences(path: Path | None) -> dict[str, Cadence]:
    """The cadences of the file at `path` (None, or no file: the defaults); CadenceFileError."""
    return cadences_from(read_settings(path, CadenceFileError) if path is not None else None, path or "")


def write_default_file(path: Path) -> None:
    """The defaults as a commented cadences file, owner-only, unless the rep has one already."""
    write_once(path, default_file_text())


def prospect_cadence(prospect: Facts, kind: str | None) -> Cadence:
    return cadence_for(prospect.cadence, kind or "new prospect", prospect.status, cadences())


@dataclass(frozen=True)
class Suggestion:
    days: int | None  # None: the cadence has run out (propose the final note)
    streak: int  # touches without a reply once this touch is logged
    cadence: Cadence


def suggest(prospect: Facts, kind: str | None, outcome: str, direction: str = "out") -> Suggestion:
    cadence = prospect_cadence(prospect, kind)
    streak = 0 if answered(outcome, direction) else prospect.unanswered_streak + 1
    return Suggestion(suggest_days(cadence, outcome, streak), streak, cadence)


def too_soon_after_silence(
    last_unanswered_at: dt.datetime | None, new_due: dt.datetime, *, logging_unanswered: bool, now: dt.datetime,
    tz: str, has_time: bool | None = None,
) -> bool:
    """Daily notes are a poor strategy: another unanswered follow-up less than two days after the
    last unanswered one (today's, when the touch being logged went unanswered), counted in the
    rep's days (`tz`). `new_due` as the book keeps it, with its `has_time` (dates.due_day); None
    reads it as a moment, which gives a date-only step its own date from UTC-12 to UTC+12."""
    if logging_unanswered:
        last = rep_today(now, tz)
    else:
        last = rep_today(last_unanswered_at, tz) if last_unanswered_at else None
    return too_soon(last, rep_today(new_due, tz) if has_time is None else due_day(new_due, has_time, tz))


def best_time_warning(prospect: Facts, due_at: dt.datetime, has_time: bool, tz: str) -> str | None:
    """Outside their best time on THEIR clock (the prospect's zone; the rep's `tz` when they have
    none, and for the day a date-only follow-up was set on)."""
    best = parse_best_time(prospect.best_time or "")
    if best is None:
        return None
    return best_time_note(best, due_at, has_time, prospect.timezone or "", default_tz=tz)
