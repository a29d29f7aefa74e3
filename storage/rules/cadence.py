"""Coaching rules: when the desk suggests the next follow-up, and when it suggests stopping.

Pure: stdlib only, no Peewee, no Textual, no I/O (the rep's cadences file is read and written by
storage.reads.coaching; its TOML comes here). Spacing follows PRODUCT §1: follow up several times, spaced out, never daily,
through to a last open-ended note.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import re
import textwrap
import types
from collections.abc import Mapping
from dataclasses import dataclass, field

from storage.book.errors import SettingsFileError
from storage.book.vocabulary import KINDS, OUTCOMES, REPLY_OUTCOMES


@dataclass(frozen=True)
class Cadence:
    name: str
    description: str
    # Days until the next follow-up after the 1st, 2nd, … unanswered touch in a row.
    unanswered_steps: tuple[int, ...]
    # Days until the next follow-up after a touch where they answered, by outcome.
    after_outcome: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen all the way down: the defaults are shared by every caller.
        object.__setattr__(self, "unanswered_steps", tuple(self.unanswered_steps))
        object.__setattr__(self, "after_outcome", types.MappingProxyType(dict(self.after_outcome)))


DEFAULT_CADENCES: dict[str, Cadence] = {
    c.name: c
    for c in (
        Cadence(
            "persistent",
            "New and hard-to-reach prospects: retry soon, then wider and wider",
            (2, 3, 5, 7, 14, 30),
            {"talked": 7, "replied": 3, "meeting booked": 1, "not now": 30, "not interested": 90},
        ),
        Cadence(
            "gentle",
            "Customers: unhurried retries, a check-in every three months",
            (7, 14, 30, 60),
            {
                "talked": 90,  # the relationship check-in
                "replied": 14,
                "meeting booked": 1,
                "not now": 90,
                "not interested": 180,
            },
        ),
        Cadence(
            # A warm introduction cools fast: quicker than "persistent" at first, but never
            # closer than two days (the "are you sure?" rule).
            "referral",
            "Referrals: warm, so a little quicker at first",
            (2, 2, 4, 7, 14, 30),
            {"talked": 5, "replied": 2, "meeting booked": 1, "not now": 30, "not interested": 90},
        ),
    )
}


@dataclass(frozen=True)
class KindDefault:
    cadence: str  # a cadence name
    what: str  # the default "what to do" of a follow-up of this kind


KIND_DEFAULTS: dict[str, KindDefault] = {
    "new prospect": KindDefault("persistent", "Introduce ourselves and ask about their needs"),
    "hard-to-reach": KindDefault("persistent", "Try again at their best time: short, one question"),
    "referral": KindDefault("referral", "Mention who referred us and ask for a short call"),
    "service": KindDefault("gentle", "Check the service went well and fix anything open"),
    "new offering": KindDefault("gentle", "Tell them what's new and how it helps them"),
    "thank-you": KindDefault("gentle", "Thank them for their business"),
    "check-in": KindDefault("gentle", "Check in: how is it going, anything they need?"),
}
assert set(KIND_DEFAULTS) == set(KINDS)

# Whole days; a year is the longest gap that is still "following up".
MAX_DAYS = 365
NAME_MAX = 40
DESCRIPTION_MAX = 200
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


class CadenceFileError(SettingsFileError):
    """A cadences file the desk cannot use; str() is one line naming the file, key and fault."""


def cadences_from(data: Mapping | None, path: pathlib.Path | str = "cadences.toml") -> dict[str, Cadence]:
    """The cadences in force: the defaults, overridden or extended by a cadences file's TOML
    (`data`, None for no file; `path` names it in a fault).

    A key the file leaves out keeps the default of the same cadence ("persistent"'s for a new
    one), so a rep can change one number and nothing else.
    """
    cadences = dict(DEFAULT_CADENCES)
    if data is None:
        return cadences
    path = pathlib.Path(path)
    for key in data:
        if key != "cadence":
            raise CadenceFileError(path, f"unknown key {_key(key)}: expected [cadence.NAME] tables")
    tables = data.get("cadence", {})
    if not isinstance(tables, dict):
        raise CadenceFileError(path, "cadence must be tables: [cadence.NAME]")
    for name, table in tables.items():
        cadences[name] = _read_cadence(path, name, table, cadences.get(name))
    return cadences


def _read_cadence(path: pathlib.Path, name: str, table: object, base: Cadence | None) -> Cadence:
    where = _key("cadence", name)

    def fail(key: str, problem: str) -> CadenceFileError:
        # `key`: the dotted path below [cadence.NAME], already quoted where TOML needs it.
        return CadenceFileError(path, f"{where}{'.' + key if key else ''}: {problem}")

    if not (0 < len(name) <= NAME_MAX and name.isprintable() and name.strip() == name):
        raise fail("", f"a cadence name is 1 to {NAME_MAX} visible characters")
    if not isinstance(table, dict):
        raise fail("", "must be a table: [cadence.NAME]")
    unknown = set(table) - {"description", "unanswered", "after"}
    if unknown:
        raise fail(_key(min(unknown)), "unknown key: use description, unanswered or after")
    base = base or DEFAULT_CADENCES["persistent"]

    description = table.get("description", base.description if base.name == name else "")
    if not isinstance(description, str):
        raise fail("description", "must be text in quotes")
    if len(description) > DESCRIPTION_MAX or not description.isprintable():
        raise fail("description", f"must be one line of at most {DESCRIPTION_MAX} characters")

    steps = table.get("unanswered", base.unanswered_steps)
    if not isinstance(steps, (list, tuple)) or not steps:
        raise fail("unanswered", "must be a list of days, e.g. [2, 3, 5, 7, 14, 30]")
    for number, step in enumerate(steps, 1):
        if not _is_days(step):
            raise fail("unanswered", f"step {number} is {_show(step)}: {_DAYS_RULE}")

    after = dict(base.after_outcome)
    answers = table.get("after", {})
    if not isinstance(answers, dict):
        raise fail("after", "must be a table: [cadence.NAME.after]")
    for outcome, days in answers.items():
        if outcome not in OUTCOMES:
            known = ", ".join(o for o in OUTCOMES if o in REPLY_OUTCOMES)
            raise fail(_key("after", outcome), f"unknown outcome: use {known}")
        if outcome not in REPLY_OUTCOMES:
            # Unanswered touches are spaced by the steps; a fixed gap here would hide them and
            # the cadence would never run out to the final note.
            raise fail(_key("after", outcome), "not an answer: its spacing is the unanswered list")
        if not _is_days(days):
            raise fail(_key("after", outcome), f"is {_show(days)}: {_DAYS_RULE}")
        after[outcome] = days
    return Cadence(name, description, tuple(steps), after)


_DAYS_RULE = f"use whole days from 1 to {MAX_DAYS}"


def _is_days(value: object) -> bool:
    # bool is an int in Python; `true` is not a number of days.
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DAYS


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:29] + "…"


def _key(*parts: str) -> str:
    """A dotted TOML key, quoting the parts that need it: cadence.persistent.after."not now"."""
    return ".".join(p if _BARE_KEY.fullmatch(p) else json.dumps(p) for p in parts)


_FILE_HEADER = """\
# Followup Desk: cadences, how far apart the desk suggests your follow-ups.
#
# unanswered = days until the next follow-up after the 1st, 2nd, 3rd … touch in a row that
#   got no answer (no answer, left message). When the list runs out, the desk proposes a
#   last, open-ended note.
# [cadence.NAME.after] = days until the next follow-up after they answered:
#   talked, replied, "meeting booked", "not now", "not interested".
# Days are whole numbers from 1 to 365. A key you leave out keeps its default (a new cadence
# borrows "persistent"'s). Add your own cadence with a new [cadence.NAME] table; a prospect can
# follow it by name. Delete this file to get the defaults back.
#
{kinds}
"""


def default_file_text() -> str:
    """The commented TOML of the defaults: the rep's starting point, and what load reads back."""
    kinds = ", ".join(f"{kind} → {d.cadence}" for kind, d in KIND_DEFAULTS.items())
    kinds = textwrap.fill(f"Kinds of follow-up start on: {kinds}.", 94, break_on_hyphens=False)
    kinds = textwrap.indent(kinds, "# ")
    lines = [_FILE_HEADER.format(kinds=kinds)]
    for c in DEFAULT_CADENCES.values():
        lines.append(f"[{_key('cadence', c.name)}]")
        lines.append(f"description = {json.dumps(c.description, ensure_ascii=False)}")
        lines.append(f"unanswered = [{', '.join(map(str, c.unanswered_steps))}]")
        lines.append("")
        lines.append(f"[{_key('cadence', c.name, 'after')}]")
        lines.extend(f"{_key(o)} = {d}" for o, d in c.after_outcome.items())
        lines.append("")
    return "\n".join(lines)


def cadence_for(
    chosen: str | None, kind: str, status: str, cadences: Mapping[str, Cadence]
) -> Cadence:
    """The cadence a prospect follows: the one chosen for them, else the customers' cadence once
    they have bought, else their follow-up kind's default, else "persistent"."""
    kind_default = KIND_DEFAULTS.get(kind)
    for name in (
        chosen,
        "gentle" if status == "won" else None,
        kind_default.cadence if kind_default else None,
        "persistent",
    ):
        if name and name in cadences:
            return cadences[name]
    # A chosen cadence removed from the file, or a caller's partial mapping: still suggest.
    return DEFAULT_CADENCES["persistent"]


def suggest_days(cadence: Cadence, outcome: str, unanswered_streak: int) -> int | None:
    """Days until the next follow-up after a touch with `outcome`, the prospect having now gone
    `unanswered_streak` touches without an answer (this one included). None: the cadence has run
    out, time for the final note."""
    if outcome in cadence.after_outcome:
        return cadence.after_outcome[outcome]
    step = max(unanswered_streak, 1) - 1  # a logged unanswered touch is at least the 1st
    steps = cadence.unanswered_steps
    return steps[step] if step < len(steps) else None


def due_from_last_touch(last_touch: datetime.date | None, days: int, today: datetime.date) -> int:
    """Days from `today` to the next follow-up: the cadence's clock runs from the last touch (the
    rep's day of it), whoever made it — their call restarts it as much as our email does — and
    never points before today (a touch logged late is followed up today, not in the past)."""
    if last_touch is None or last_touch > today:
        return days
    return max((last_touch - today).days + days, 0)


def text_from_last_touch(days: int, last_touch: datetime.date | None, today: datetime.date) -> str:
    """The date field's text for `days` of cadence counted from the last touch (suggest_text's
    "+3d"), or "today" when those days have already run."""
    left = due_from_last_touch(last_touch, days, today)
    return suggest_text(left) if left else "today"


def cadence_exhausted(cadence: Cadence, unanswered_streak: int) -> bool:
    """True when this run of unanswered touches has gone past the cadence's last step."""
    return unanswered_streak > len(cadence.unanswered_steps)


def suggest_text(days: int) -> str:
    """The suggestion as a rep would type it (storage.dates.parse_when reads it back), so the date
    field shows and explains it: "+1m" rather than "+30d" because cadences count a month as 30."""
    if days < 1:
        raise ValueError(f"a suggestion is at least a day ahead, not {days}")
    if days % 30 == 0:
        return f"+{days // 30}m"
    if days % 7 == 0:
        return f"+{days // 7}w"
    return f"+{days}d"


# Less than this many days between unanswered follow-ups asks "are you sure?": daily notes are a
# poor strategy (PRODUCT §1).
MIN_GAP_DAYS = 2


def too_soon(last_unanswered_day: datetime.date | None, new_day: datetime.date) -> bool:
    """Would another unanswered follow-up on `new_day` come too close after the last one?"""
    if last_unanswered_day is None:
        return False
    return (new_day - last_unanswered_day).days < MIN_GAP_DAYS


# The last, open-ended note when a cadence has run out: closes the loop without guilt and leaves
# the door open, which often gets the reply the earlier notes did not.
FINAL_NOTE = (
    "Hi {first_name}, I haven't heard back, so I'll take it that now isn't the right "
    "time{for_company} and I'll stop following up. If anything changes, I'd be glad to help: "
    "just reply to this note."
)
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"}


def final_note(name: str, company: str = "") -> str:
    """FINAL_NOTE for this prospect: their first name ("Dr. Smith" keeps the title)."""
    words = name.split()
    if not words:
        greeting = "there"
    elif words[0].rstrip(".").lower() in _HONORIFICS and len(words) > 1:
        greeting = f"{words[0]} {words[-1]}"
    else:
        greeting = words[0].rstrip(",")
    company = " ".join(company.split())
    return FINAL_NOTE.format(first_name=greeting, for_company=f" for {company}" if company else "")


REVISIT_DEFAULT = "3m"  # suggested revisit for a drop after the final note (a parse_when text)
DROP_CONFIRM_BELOW = 5  # most sales need five or more follow-ups (PRODUCT §1)


def drop_warning(touch_count: int) -> str | None:
    """The confirmation to show before dropping a prospect after too few touches, or None."""
    if touch_count >= DROP_CONFIRM_BELOW:
        return None
    if touch_count <= 0:
        so_far = "No touches yet"
    else:
        so_far = f"Only {touch_count} touch{'' if touch_count == 1 else 'es'} so far"
    return f"{so_far}: about 80% of sales need five or more follow-ups. Drop anyway?"
