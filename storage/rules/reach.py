"""How and when to reach a prospect: their best time to be reached, and the channel they answer.

Pure: stdlib and pendulum only (through storage.rules.dates), no Peewee, no Textual.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from storage.rules.dates import WEEKDAY_NAMES, WEEKDAYS, due_day, from_utc, zone
from storage.rules.derived import answered


@dataclass(frozen=True)
class BestTime:
    days: frozenset[int]  # 0 = Monday … 6 = Sunday
    start: datetime.time
    end: datetime.time  # exclusive, after start: a window never runs over midnight


WEEKDAY_SET = frozenset(range(5))
WEEKEND_SET = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))
WHOLE_DAY = (datetime.time(0, 0), datetime.time.max)

# The words reps use for a part of the day, and the hours we read them as.
PERIODS = {
    **dict.fromkeys(("morning", "mornings"), (8, 12)),
    **dict.fromkeys(("lunch", "lunchtime", "lunchtimes"), (12, 14)),
    **dict.fromkeys(("afternoon", "afternoons"), (12, 17)),
    **dict.fromkeys(("evening", "evenings"), (17, 20)),
}
DAY_SETS = {
    **dict.fromkeys(("weekday", "weekdays"), WEEKDAY_SET),
    **dict.fromkeys(("weekend", "weekends"), WEEKEND_SET),
    **dict.fromkeys(("daily", "everyday"), EVERY_DAY),
}
# Words that join or decorate without changing the meaning: "mon, wed", "from 9 to 11".
FILLERS = {"from", "between", "on", "at", "only", "and", "or", "the", ",", "/", "&", "+", ";", "."}
RANGE_WORDS = {"-", "to", "through", "thru", "till", "until"}

# re.ASCII: \d must not match other scripts' digits.
_A = re.ASCII


def _clock(n: int) -> str:
    # One end of a time range; groups are numbered by `n` so two ends fit in one pattern.
    hour_minute = rf"(?P<h{n}>\d{{1,2}})(?:[:.](?P<m{n}>\d{{2}}))?\s*(?P<mer{n}>am|pm)?"
    return rf"(?:{hour_minute}|(?P<noon{n}>noon|midday))"


RANGE_RE = re.compile(
    rf"(?<![\d:.]){_clock(1)}\s*(?:-|to|till|until|and)\s*{_clock(2)}(?![\d:a-z]|[.:]\d)", _A
)
TOKEN_RE = re.compile(r"[a-z]+|[^\sa-z]", _A)


def parse_best_time(text: str) -> BestTime | None:
    """The window a rep wrote ("weekdays 8–10am", "tue-thu 2-4pm", "mornings"), or None when the
    text is not one we can read for sure: it is still shown, it just cannot be checked."""
    norm = text.lower().replace("a.m.", "am").replace("p.m.", "pm")
    norm = re.sub(r"[\u2010-\u2015\u2212]", "-", norm)  # en and em dashes, minus sign
    norm = re.sub(r"\b(any|every|all) (day|days|week)\b", "everyday", norm, flags=_A)
    norm = re.sub(r"\bweek days\b", "weekdays", norm, flags=_A)
    if len(norm) > 100:  # what a rep writes here is a few words
        return None

    window = None
    if m := RANGE_RE.search(norm):
        window = _range(m)
        if window is None:
            return None
        norm = norm[: m.start()] + " " + norm[m.end() :]

    days: set[int] = set()
    period = None
    tokens = TOKEN_RE.findall(norm)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in FILLERS or tok in RANGE_WORDS:
            pass
        elif tok in DAY_SETS:
            days |= DAY_SETS[tok]
        elif tok in PERIODS:
            if period not in (None, PERIODS[tok]):
                return None  # "mornings or evenings": two windows, more than we keep
            period = PERIODS[tok]
        elif (first := _day(tok)) is not None:
            # "tue-thu", "mon to fri": a run of days, wrapping past Sunday if written so.
            if i + 2 < len(tokens) and tokens[i + 1] in RANGE_WORDS:
                last = _day(tokens[i + 2])
                if last is not None:
                    days |= {(first + k) % 7 for k in range((last - first) % 7 + 1)}
                    i += 3
                    continue
            days.add(first)
        else:
            return None  # a word we do not know: better unchecked than misread
        i += 1

    if window is None and period is not None:
        window = (datetime.time(period[0]), datetime.time(period[1]))
    if window is None:
        if not days:
            return None
        window = WHOLE_DAY  # "tuesdays": any time on those days
    return BestTime(frozenset(days) or WEEKDAY_SET, *window)


def _day(word: str) -> int | None:
    """0–6 for a day name, singular or plural ("mon", "tuesdays"), else None."""
    if word in WEEKDAYS:
        return WEEKDAYS[word]
    if word.endswith("s") and word[:-1] in WEEKDAYS:
        return WEEKDAYS[word[:-1]]
    return None


def _range(m: re.Match[str]) -> tuple[datetime.time, datetime.time] | None:
    """The (start, end) a matched time range means, or None if it is not a same-day window."""
    ends = []
    for n in (1, 2):
        if m[f"noon{n}"]:
            ends.append((12, 0, "pm"))
            continue
        hour, minute, mer = int(m[f"h{n}"]), int(m[f"m{n}"] or 0), m[f"mer{n}"]
        if minute > 59 or (hour > 23 if mer is None else not 1 <= hour <= 12):
            return None
        ends.append((hour, minute, mer))
    (h1, m1, mer1), (h2, m2, mer2) = ends

    if mer1 and mer2:
        start, end = _h24(h1, mer1), _h24(h2, mer2)
    elif mer2:  # "8-10am", "11-1pm": the start shares the end's am/pm unless that ends first
        end = _h24(h2, mer2)
        if h2 == 12 and mer2 == "am" and h1 < 12:
            end = 12  # "9-12am" is written for "until noon"
        if h1 > 12:
            start = h1
        else:
            start = _h24(h1, mer2)
            if (start, m1) >= (end, m2):
                start = _h24(h1, "am" if mer2 == "pm" else "pm")
    elif mer1:  # "9am-5": the end shares the start's am/pm unless that comes first
        start = _h24(h1, mer1)
        if h2 > 12:
            end = h2
        else:
            end = _h24(h2, mer1)
            if (end, m2) <= (start, m1):
                end = _h24(h2, "pm")
    elif 1 <= h1 <= 12 and 1 <= h2 <= 12:
        # No am/pm: read as business hours. 1–6 o'clock is the afternoon ("2-4", "9-5"), and an
        # end before the start is in the afternoon ("8-7"); "10-10" stays unread.
        start = h1 + 12 if h1 <= 6 else h1
        end = h2 + 12 if h2 <= 6 else h2
        if end < start and end < 12:
            end += 12
    else:  # a 24-hour clock: "14:00-16:30", "9-17"
        start, end = h1, h2
    if (start, m1) >= (end, m2) or end > 23:
        return None
    return datetime.time(start, m1), datetime.time(end, m2)


def _h24(hour: int, mer: str) -> int:
    # 12am is midnight, 12pm is noon.
    return hour % 12 + (12 if mer == "pm" else 0)


def describe_best(best: BestTime) -> str:
    """A best time as the desk shows it: "weekdays 08:00–10:00", "Tue–Thu 14:00–16:00"."""
    days = _days_label(best.days)
    if (best.start, best.end) == WHOLE_DAY:
        return days
    return f"{days} {best.start:%H:%M}–{best.end:%H:%M}"


def _days_label(days: frozenset[int]) -> str:
    if days == EVERY_DAY:
        return "every day"
    if days == WEEKDAY_SET:
        return "weekdays"
    if days == WEEKEND_SET:
        return "weekends"
    # Runs of three or more read as a range: "Mon–Wed, Fri".
    runs: list[list[int]] = []
    for d in sorted(days):
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAY_NAMES[run[0]]}–{WEEKDAY_NAMES[run[-1]]}")
        else:
            parts.extend(WEEKDAY_NAMES[d] for d in run)
    return ", ".join(parts)


def within_best_time(best: BestTime, moment_utc: datetime.datetime, prospect_tz: str) -> bool:
    """Is this (naive UTC) moment inside the window, on the prospect's clock?"""
    local = from_utc(moment_utc, prospect_tz)
    clock = datetime.time(local.hour, local.minute, local.second)
    return local.weekday() in best.days and best.start <= clock < best.end


def best_time_note(
    best: BestTime | None,
    moment_utc: datetime.datetime,
    has_time: bool,
    prospect_tz: str,
    *,
    default_tz: str,
) -> str | None:
    """A warning for a follow-up scheduled outside the prospect's best time, or None when it is
    fine or cannot be checked. An empty `prospect_tz` means they are in the rep's `default_tz`.

    A date-only follow-up is checked by its date: the day the rep picked (the same in any zone).
    """
    if best is None:
        return None
    if not has_time:
        day = due_day(moment_utc, False, default_tz).weekday()
        return None if day in best.days else f"not one of their days ({_days_label(best.days)})"
    try:
        tz = zone(prospect_tz or default_tz)
    except (ValueError, OSError):  # a zone name the rep mistyped: nothing to check against
        return None
    if within_best_time(best, moment_utc, tz):
        return None
    local = from_utc(moment_utc, tz)
    return (
        f"outside their best time ({describe_best(best)}, "
        f"their time {WEEKDAY_NAMES[local.weekday()]} {local:%H:%M})"
    )


@dataclass(frozen=True)
class ChannelStat:
    channel: str
    touches: int
    replies: int


def channel_stats(touches: Iterable[tuple[str, str, str]]) -> list[ChannelStat]:
    """Touches and replies per channel, from (channel, direction, outcome) triples; the channel
    they answer first. A reply is what storage.rules.derived.answered says is one."""
    counts: dict[str, list[int]] = {}
    for channel, direction, outcome in touches:
        count = counts.setdefault(channel, [0, 0])
        count[0] += 1
        if answered(outcome, direction):
            count[1] += 1
    return sorted((ChannelStat(c, t, r) for c, (t, r) in counts.items()), key=_rank)


def _rank(stat: ChannelStat) -> tuple[int, Fraction, int, str]:
    # Most replies, then the best reply rate (exact: 1/3 vs 2/6 ties), then the most used.
    rate = Fraction(stat.replies, stat.touches) if stat.touches else Fraction(0)
    return (-stat.replies, -rate, -stat.touches, stat.channel)


def answering_channel(stats: Sequence[ChannelStat]) -> str | None:
    """The channel this prospect answers: the most replies, ties to the better reply rate (so the
    fewer touches); None until they have answered on any channel."""
    answered = [s for s in stats if s.replies > 0]
    return min(answered, key=_rank).channel if answered else None
