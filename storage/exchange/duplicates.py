"""Who is already in the book, so an import never silently doubles a prospect: the same email,
or the same name and company (case, accents of spacing aside) is the same person."""

from __future__ import annotations

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
