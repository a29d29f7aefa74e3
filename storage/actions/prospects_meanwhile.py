"""An edit of a prospect's facts saved against what the rep saw when the form opened (issue 18,
point 4: no lost update). The form sends every field; the ones the rep left as they saw them are
not written, so another desk's change to them since stays; a field the rep changed that another
desk changed too (to something else) refuses the save whole, saying who changed it and to what."""

from __future__ import annotations

from typing import Any

from storage.actions.journal import changes_of, desk_who
from storage.book.errors import Conflict
from storage.book.models import Journal, Prospect
from storage.rules.text import visible

LOOKED_BACK = 50  # the prospect's latest journal entries searched for who made the change
SHOWN_MAX = 60  # characters of the value now in the book, in the message
_LABELS = {"referred_by": "referrer", "preferred_channel": "preferred channel", "notes": "notes"}


def to_write(prospect: Prospect, clean: dict[str, Any], seen: dict[str, Any] | None) -> dict[str, Any]:
    """Of the checked fields of the form (`clean`), those to write on `prospect` (read under its
    lock): the ones the rep changed from what they `seen` (as stored: Facts' values). None: the
    caller saw nothing to compare with (an import, a script): every field is written."""
    if seen is None:
        return clean
    writes = {}
    for key, value in clean.items():
        if key in seen and value == seen[key]:
            continue  # as the rep saw it: the book's value now stays, whoever changed it since
        now = _stored(prospect, key)
        if key in seen and now != seen[key] and now != value:
            raise Conflict(_changed_meanwhile(prospect, key, now))
        writes[key] = value
    return writes


def _stored(prospect: Prospect, key: str) -> Any:
    return prospect.referred_by_id if key == "referred_by" else getattr(prospect, key)


def _changed_meanwhile(prospect: Prospect, key: str, now: Any) -> str:
    """'ben changed the phone meanwhile: it is now "+1 555 0100". …', from the journal."""
    who = _who_changed(prospect.id, "referred_by_id" if key == "referred_by" else key)
    me = desk_who()
    label = _LABELS.get(key, key.replace("_", " "))
    if who == me:
        head = f"You changed the {label} on another desk meanwhile"
    else:
        head = f"{who or 'Someone'} changed the {label} meanwhile"
    return f"{head}: it is now {_shown(key, now)}. Nothing was saved: look again, then save."


def _who_changed(prospect_id: int, column: str) -> str | None:
    entries = (Journal.select(Journal.who, Journal.changes).where(Journal.prospect == prospect_id)
               .order_by(Journal.id.desc()).limit(LOOKED_BACK))
    for entry in entries:
        for item in changes_of(entry):
            if item.get("table") != "prospect" or item.get("id") != prospect_id:
                continue
            before, after = item.get("before") or {}, item.get("after") or {}
            if before.get(column) != after.get(column):
                return entry.who
    return None


def _shown(key: str, value: Any) -> str:
    if value in (None, ""):
        return "empty"
    if key == "referred_by":
        found = Prospect.select(Prospect.name).where(Prospect.id == value).scalar()
        value = found or f"prospect {value}"
    elif key == "deal_value":
        return f"{value:,}" if value else "empty"
    text = visible(str(value), one_line=True)
    return f'"{text[:SHOWN_MAX]}…"' if len(text) > SHOWN_MAX else f'"{text}"'
