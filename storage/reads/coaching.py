"""What the desk asks the book when it coaches: the prospect's cadence and next suggestion, the
channel they answer, whether a date is too soon or outside their best time. Reads the book,
applies the pure rules of cadence.py and reach.py."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from storage.reads import prospect as reads
from storage.rules.cadence import (
    Cadence,
    cadence_for,
    load_cadences,
    suggest_days,
    too_soon,
    write_default_file,
)
from storage.book.clock import local_zone, rep_today
from storage.book.locations import cadence_file
from storage.book.models import REPLY_OUTCOMES, Prospect
from storage.rules.reach import ChannelStat, answering_channel, best_time_note, channel_stats, parse_best_time


@functools.cache
def cadences() -> dict[str, Cadence]:
    """The cadences: the defaults, as changed by the rep's cadences.toml (written on first use)."""
    path = cadence_file()
    try:
        write_default_file(path)
    except OSError:
        pass  # a read-only config folder: the defaults still apply
    return load_cadences(path)


def prospect_cadence(prospect: Prospect, kind: str | None) -> Cadence:
    return cadence_for(prospect.cadence, kind or "new prospect", prospect.status, cadences())


@dataclass(frozen=True)
class Suggestion:
    days: int | None  # None: the cadence has run out (propose the final note)
    streak: int  # touches without a reply once this touch is logged
    cadence: Cadence


def suggest(prospect: Prospect, kind: str | None, outcome: str) -> Suggestion:
    cadence = prospect_cadence(prospect, kind)
    streak = 0 if outcome in REPLY_OUTCOMES else prospect.unanswered_streak + 1
    return Suggestion(suggest_days(cadence, outcome, streak), streak, cadence)


def channels(prospect_id: int) -> list[ChannelStat]:
    triples = [(c, d, o) for c, d, o, n in reads.channel_touches(prospect_id) for _ in range(n)]
    return channel_stats(triples)


def answers_on(prospect_id: int) -> str | None:
    return answering_channel(channels(prospect_id))


def too_soon_after_silence(prospect_id: int, new_due: dt.datetime, *, logging_unanswered: bool, now: dt.datetime) -> bool:
    """Daily notes are a poor strategy: another unanswered follow-up less than two days after the
    last unanswered one (today's, when the touch being logged went unanswered)."""
    last = rep_today(now) if logging_unanswered else None
    if last is None:
        at = reads.last_unanswered_day(prospect_id)
        last = rep_today(at) if at else None
    return too_soon(last, rep_today(new_due))


def best_time_warning(prospect: Prospect, due_at: dt.datetime, has_time: bool) -> str | None:
    best = parse_best_time(prospect.best_time or "")
    if best is None:
        return None
    return best_time_note(best, due_at, has_time, prospect.timezone or "", default_tz=local_zone())
