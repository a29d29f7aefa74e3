"""Who is already in the book, so an import never silently doubles a prospect: the same email,
or the same name and company (case, accents of spacing aside) is the same person; and what a
record of that person adds when the rep chose to merge."""

from __future__ import annotations

from typing import Any

from storage.actions import NOTE_MAX
from storage.book.models import Prospect
from storage.search import fold


def email_key(email: str) -> str | None:
    email = (email or "").strip().casefold()
    return email or None


def name_key(name: str, company: str) -> tuple[str, str] | None:
    name = " ".join(fold(name or "").split())
    if not name:
        return None
    return name, " ".join(fold(company or "").split())


class KnownProspects:
    """The book's identities, read once (three short columns) when an import starts, then kept
    up to date as the import adds rows, so a file that repeats a person finds its own earlier row."""

    def __init__(self) -> None:
        self._by_email: dict[str, int] = {}
        self._by_name: dict[tuple[str, str], int] = {}
        query = Prospect.select(Prospect.id, Prospect.name, Prospect.company, Prospect.email).order_by(Prospect.id)
        for prospect_id, name, company, email in query.tuples().iterator():
            self.add(prospect_id, name, company, email)

    def match(self, name: str, company: str, email: str) -> int | None:
        """The prospect this person already is, or None."""
        key = email_key(email)
        if key is not None and key in self._by_email:
            return self._by_email[key]
        names = name_key(name, company)
        return self._by_name.get(names) if names is not None else None

    def add(self, prospect_id: int, name: str, company: str, email: str) -> None:
        """Remember a prospect (the first one seen keeps a key)."""
        key = email_key(email)
        if key is not None:
            self._by_email.setdefault(key, prospect_id)
        names = name_key(name, company)
        if names is not None:
            self._by_name.setdefault(names, prospect_id)


def fill_in(mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """What a record of a prospect adds to the prospect (never overwriting what the rep typed):
    the facts they lack, and the record's notes appended unless already there. Returns (the facts
    to change, whether the notes were left out: together they would pass NOTE_MAX)."""
    changes = {
        name: value
        for name, value in theirs.items()
        if name not in ("name", "notes") and _empty(mine.get(name)) and not _empty(value)
    }
    notes, old = theirs.get("notes") or "", mine.get("notes") or ""
    if notes and notes not in old:
        joined = f"{old}\n\n{notes}" if old else notes
        if len(joined) > NOTE_MAX:
            return changes, True
        changes["notes"] = joined
    return changes, False


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == 0
