"""What may enter the book: the checks every form, import and action applies to what it is
given, naming the field at fault (InvalidInput) so a form can point at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storage.book.errors import InvalidInput
from storage.book.models import Prospect
from storage.book.vocabulary import CHANNELS, KINDS
from storage.rules.amounts import AmountError, amount
from storage.rules.text import clean_line, clean_text
from storage.rules.zones import ZoneError, resolve_zone

NOTE_MAX = 20_000  # longer notes make every list slow; the form says so before it gets here
LINE_MAX = 200
WHAT_MAX = 500


@dataclass(frozen=True)
class NextStep:
    """A next follow-up as the forms hand it over."""

    due_at: dt.datetime  # naive UTC
    has_time: bool = False
    channel: str = "call"
    what: str = ""
    kind: str = "new prospect"
    promised: bool = False


PROSPECT_FIELDS = (
    "name",
    "company",
    "title",
    "email",
    "phone",
    "preferred_channel",
    "best_time",
    "timezone",
    "deal_value",
    "source",
    "referred_by",
    "cadence",
    "notes",
)


def check_choice(field: str, value: str | None, choices: tuple[str, ...], *, optional: bool = False) -> None:
    if optional and not value:
        return
    if value not in choices:
        raise InvalidInput(field, f"{field.replace('_', ' ').capitalize()} must be one of: {', '.join(choices)}.")


def check_note(note: str, what: str = "The note") -> str:
    note = clean_text(note)
    if len(note) > NOTE_MAX:
        raise InvalidInput("note", f"{what} is longer than {NOTE_MAX:,} characters; shorten it.")
    return note


def check_prospect_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The prospect's facts as they may enter the book (cleaned), or InvalidInput naming the field."""
    unknown = set(fields) - set(PROSPECT_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], f"Unknown field {sorted(unknown)[0]!r}.")
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "deal_value":
            clean[key] = _deal_value(value)
        elif key == "referred_by":
            if value and not Prospect.select().where(Prospect.id == value).exists():
                raise InvalidInput(key, "The prospect who referred them is not in the book.")
            clean[key] = value or None
        elif key == "cadence":
            from storage.reads.coaching import cadences

            if value and value not in cadences():
                raise InvalidInput(key, f"There is no cadence named {value!r}; choose one of: {', '.join(cadences())}.")
            clean[key] = value or None
        elif key == "notes":
            clean[key] = clean_text(value or "")
            if len(clean[key]) > NOTE_MAX:
                raise InvalidInput(key, f"The notes are longer than {NOTE_MAX:,} characters; shorten them.")
        elif key == "preferred_channel":
            check_choice(key, value, CHANNELS, optional=True)
            clean[key] = value or None
        else:
            text = clean_line(value or "")
            if len(text) > LINE_MAX:
                raise InvalidInput(key, f"{key.replace('_', ' ').capitalize()} is longer than {LINE_MAX} characters.")
            clean[key] = text
    if "name" in clean and not clean["name"]:
        raise InvalidInput("name", "A prospect needs a name.")
    if clean.get("email") and ("@" not in clean["email"] or " " in clean["email"]):
        raise InvalidInput("email", "That email address has no @ — check it or leave it empty.")
    if clean.get("timezone"):
        clean["timezone"] = _timezone(clean["timezone"])
    return clean


def _deal_value(value: Any) -> int:
    """A deal value as typed anywhere ("12k", "€12,500", "1.5m"), read by the one amount reader."""
    if value in (None, ""):
        return 0
    try:
        return amount(str(value))
    except AmountError as exc:
        if exc.unreadable:
            raise InvalidInput(
                "deal_value", f"Deal value must be a number, like 12000, 12,500, 12.5k or 1.5m (got {value!r})."
            ) from None
        raise InvalidInput("deal_value", f"Deal value: {exc}") from None


def _timezone(text: str) -> str:
    """The zone's IANA name for what was typed: "Paris", "new york", "Japan" or "Europe/Paris"."""
    try:
        return resolve_zone(text)
    except ZoneError as exc:
        raise InvalidInput("timezone", str(exc)) from None


def check_step(step: NextStep) -> None:
    check_choice("channel", step.channel, CHANNELS)
    check_choice("kind", step.kind, KINDS)
    if len(step.what) > WHAT_MAX:
        raise InvalidInput("what", f"What to do is longer than {WHAT_MAX} characters.")
