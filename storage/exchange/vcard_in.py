"""Reading an address book (.vcf: vCard 2.1, 3.0 or 4.0, as Apple Contacts, Google, Outlook,
Thunderbird or Android export it) into Incoming records: every card it can read, and each one it
cannot listed by its number and line with why. A property the desk does not use (a photo, an
X- field) is never even decoded, so a damaged one costs nothing; a used one that cannot be read
costs that property, said as a warning. How the text is cut into cards: vcard_lines."""

from __future__ import annotations

import os
import re
from typing import Any

from storage.book.errors import InvalidInput
from storage.exchange import vcard_lines
from storage.exchange.csv_table import read_bytes
from storage.exchange.encodings import decode, decode_lines
from storage.exchange.incoming import Incoming, Problem
from storage.exchange.vcard_lines import Card, Prop, components, split, unescape

# The properties the desk reads; no other is parsed or decoded (vcard_lines.read).
USED = frozenset({"FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "NOTE", "ADR"})
# The words of a TYPE that say nothing of which phone or email it is.
_PLAIN = {"pref", "internet", "voice", "x400", "text"}


def read_cards(path: str | os.PathLike[str], *, encoding: str | None = None) -> tuple[list[Incoming], list[Problem]]:
    """The people of a .vcf file, each with the line of its BEGIN:VCARD (the encoding guessed as
    encodings.py does, or the rep's choice)."""
    text, _, _ = decode_book(read_bytes(path), encoding)
    return read_text(text)


def decode_book(data: bytes, encoding: str | None) -> tuple[str, str, list[str]]:
    """(text, encoding, the lines read as cp1252 in a book that is UTF-8 elsewhere). A book that
    is not UTF-8 as a whole, whose encoding the rep did not choose, is read line by line when
    some of its lines are UTF-8 (encodings.decode_lines): read whole as cp1252, their "Zoë"
    became "ZoÃ«"."""
    text, used = decode(data, encoding)
    if encoding is None and used in ("cp1252", "latin-1"):
        mixed, odd, utf8 = decode_lines(data)
        if utf8:
            return mixed, "utf-8", odd
    return text, used, []


def read_text(text: str) -> tuple[list[Incoming], list[Problem]]:
    """A card never closed (a file cut short) or with neither a name nor an email is a problem,
    with its number and line; the others come in. A file with no card at all is InvalidInput."""
    cards = vcard_lines.read(text, USED)
    if not cards:
        raise InvalidInput("file", "This file holds no vCard (no BEGIN:VCARD line), so it is not an address book.")
    people: list[Incoming] = []
    problems: list[Problem] = []
    for card in cards:
        if not card.closed:
            cut = " (the file looks cut short)" if card is cards[-1] else " (no END:VCARD before the next card)"
            problems.append(Problem(card.line, f"card {card.number} is never closed{cut}; not imported"))
            continue
        person = _person(card)
        if person is None:
            problems.append(Problem(card.line, f"card {card.number} has no name and no email; not imported"))
        else:
            people.append(person)
    return people, problems


class _Reading:
    """One card's values as text, with the warnings its used properties gave."""

    def __init__(self, card: Card) -> None:
        self.card = card
        self.warnings = [
            f"its line {line} is not a vCard property ({_short(text)!r}); left out" for line, text in card.unreadable
        ]

    def raw(self, prop: Prop) -> str:
        value, warning = vcard_lines.decoded(prop)
        if warning:
            self.warnings.append(warning)
        return value

    def text(self, prop: Prop) -> str:
        """A NOTE keeps its lines (a 2.1 "=0D=0A" is one new line); other values are one line."""
        value = unescape(self.raw(prop))
        if prop.name == "NOTE":
            return "\n".join(line.rstrip() for line in re.split(r"\r\n|\r|\n", value)).strip()
        return " ".join(value.split())

    def ranked(self, name: str, favoured: str | None = None) -> list[tuple[Prop, str]]:
        """The property's non-empty values, the preferred first (PREF=1, TYPE=pref, then
        `favoured`, then the file's order)."""
        found = [(prop, self.text(prop)) for prop in self.card.all(name)]
        found = [(prop, value) for prop, value in found if value]
        return sorted(found, key=lambda item: (_pref_rank(item[0]), 0 if favoured in item[0].types else 1))


def _pref_rank(prop: Prop) -> int:
    """vCard 4's PREF=1 (1 is most preferred), vCard 3's TYPE=pref: lower is better."""
    pref = prop.param("PREF")
    if pref:
        try:
            return int(pref)
        except ValueError:
            return 1
    return 1 if "pref" in prop.types else 101


def _phone(value: str) -> str:
    """A TEL value without vCard 4's tel: scheme ("tel:+1-555-0101;ext=12" → "+1-555-0101 ext. 12")."""
    if value.lower().startswith("tel:"):
        number, _, rest = value[4:].partition(";")
        extension = re.search(r"(?:^|;)ext=([^;]+)", rest)
        return f"{number} ext. {extension[1]}" if extension else number
    return value


def _email(value: str) -> str:
    return value[7:] if value.lower().startswith("mailto:") else value


def _kind(prop: Prop) -> str:
    words = sorted(prop.types - _PLAIN)
    return f" ({', '.join(words)})" if words else ""


def _name(reading: _Reading) -> str:
    """FN as written (commas kept), else N's given, middle and family names: a component's
    several values ("Philip,Paul") joined by spaces, an escaped comma kept; "Rear Adm." and
    "Jr." (prefix, suffix) are forms of address, not the name."""
    fn = reading.ranked("FN")
    if fn:
        return fn[0][1]
    for prop in reading.card.all("N"):
        parts = split(reading.raw(prop), ";") + [""] * 5
        family, given, middle = (
            " ".join(" ".join(unescape(v).split()) for v in split(part, ",") if v.strip()) for part in parts[:3]
        )
        name = " ".join(part for part in (given, middle, family) if part)
        if name:
            return name
    return ""


def _address(reading: _Reading, prop: Prop) -> str:
    """ADR's post office box; extended; street; locality; region; postal code; country as one
    line, commas inside a part kept ("1 Main St, Suite 5, Springfield, IL 62701, USA")."""
    parts = components(reading.raw(prop)) + [""] * 7
    box, extended, street, locality, region, code, country = (" ".join(p.split()) for p in parts[:7])
    return ", ".join(p for p in (box, extended, street, locality, " ".join(filter(None, (region, code))), country) if p)


def _person(card: Card) -> Incoming | None:
    reading = _Reading(card)
    emails = [(prop, _email(value)) for prop, value in reading.ranked("EMAIL")]
    phones = [(prop, _phone(value)) for prop, value in reading.ranked("TEL", favoured="cell")]
    name = _name(reading) or (emails[0][1] if emails else "")
    if not name:
        return None
    fields: dict[str, Any] = {"name": name}
    for prop in card.all("ORG"):
        # ORG is "company;department;…": the company alone, so duplicates still match by it
        company = components(reading.raw(prop))[0]
        if company := " ".join(company.split()):
            fields["company"] = company
            break
    titles = reading.ranked("TITLE")
    for field, value in (("title", titles[0][1] if titles else ""), ("email", emails[0][1] if emails else ""),
                         ("phone", phones[0][1] if phones else "")):
        if value:
            fields[field] = value
    notes = [value for _, value in reading.ranked("NOTE")]
    # the other phones and emails, and the addresses, go to the notes (as a CSV's other columns)
    others = [f"Phone{_kind(prop)}: {value}" for prop, value in phones[1:] if value != phones[0][1]]
    others += [f"Email{_kind(prop)}: {value}" for prop, value in emails[1:] if value != emails[0][1]]
    others += [f"Address{_kind(prop)}: {line}" for prop in card.all("ADR") if (line := _address(reading, prop))]
    if others:
        notes.append("\n".join(others))
    if notes:
        fields["notes"] = "\n\n".join(notes)
    return Incoming(card.line, fields, warnings=reading.warnings)


def _short(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 60 else text[:59] + "…"
