"""Reading an address book (.vcf: vCard 2.1, 3.0 or 4.0, as Apple Contacts, Google, Outlook or
Android export it) into Incoming records, through vobject: folding, escaping, quoted-printable
and the versions' differences are a solved problem we do not solve again."""

from __future__ import annotations

import binascii
import os
import re
from typing import Any

import vobject
from vobject.base import VObjectError

from storage.exchange.csv_table import read_bytes
from storage.book.errors import InvalidInput
from storage.exchange.incoming import Incoming, Problem


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else cp1252 (Outlook's vCards on
    Windows), else latin-1 for the bytes cp1252 leaves undefined."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


_BEGIN = re.compile(r"^(?:[\w-]+\.)?BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^(?:[\w-]+\.)?END:VCARD\s*$", re.IGNORECASE)


def _card_lines(lines: list[str]) -> list[int]:
    """The line (1-based) where each top-level card begins. vobject's own line numbers are not
    the file's (it counts CRLF twice and folded lines its own way), so we count them here."""
    starts, depth = [], 0
    for number, line in enumerate(lines, start=1):
        if _BEGIN.match(line):
            if depth == 0:
                starts.append(number)
            depth += 1
        elif _END.match(line):
            depth = max(depth - 1, 0)
    return starts


def read_cards(path: str | os.PathLike[str]) -> tuple[list[Incoming], list[Problem]]:
    """The people of a .vcf file, each with the line of its BEGIN:VCARD. A card with neither a
    name nor an email is a problem; a file vobject cannot read (cut short, malformed) raises
    InvalidInput naming the line, so nothing of it is imported half-way."""
    text = _decode(read_bytes(path)).replace("\x00", "")
    lines = re.split(r"\r\n|\r|\n", text)  # not splitlines(): a U+2028 in a note is not a line of the file
    starts = _card_lines(lines)
    if not starts:
        raise InvalidInput("file", "This file holds no vCard (no BEGIN:VCARD line), so it is not an address book.")
    cards: list[Any] = []
    try:
        # allowQP: vCard 2.1 (Android, Outlook) writes quoted-printable with soft line breaks
        for component in vobject.readComponents(text, allowQP=True):
            cards.append(component)
    # vobject's own errors, and what a damaged value raises on decoding (base64, a CHARSET)
    except (VObjectError, binascii.Error, ValueError, UnicodeError, LookupError) as exc:
        raise InvalidInput("file", _parse_failure(exc, lines, starts, len(cards))) from None
    people: list[Incoming] = []
    problems: list[Problem] = []
    cards = [card for card in cards if card.name.upper() == "VCARD"]
    for line, card in zip(starts, cards):
        person = _person(line, card)
        if person is None:
            problems.append(Problem(line, "a card with no name and no email"))
        else:
            people.append(person)
    return people, problems


def _parse_failure(exc: Exception, lines: list[str], starts: list[int], read: int) -> str:
    """One sentence that says where: the line vobject could not parse when it says which, else
    the card it was reading."""
    message = str(exc)
    card = starts[read] if read < len(starts) else None
    if "never closed" in message and card is not None:
        return f"The card that begins on line {card} is never closed (the file looks cut short); nothing was imported."
    bad = re.search(r"Failed to parse line: (.*)$", message)
    if bad:
        wanted = bad[1].strip()
        after = (card or 1) - 1
        for number, line in enumerate(lines[after:], start=after + 1):
            if line.strip() == wanted:
                return f"Line {number} of the address book cannot be read ({_short(wanted)}); nothing was imported."
    where = f"the card that begins on line {card}" if card is not None else "the end of the file"
    reason = re.sub(r"^At line \d+: ", "", message.splitlines()[0] if message else type(exc).__name__)
    return f"The address book cannot be read at {where} ({_short(reason)}); nothing was imported."


def _short(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 60 else text[:59] + "…"


def _params(prop: Any) -> set[str]:
    """Every TYPE word of a property, lower case: TYPE=cell,voice, type=pref, a bare 2.1 CELL."""
    words = set()
    for value in prop.params.get("TYPE", []) + list(prop.singletonparams):
        words.update(part.strip().strip('"').lower() for part in str(value).split(","))
    return words


def _pref_rank(prop: Any) -> int:
    """vCard 4's PREF=1 (1 is most preferred), vCard 3's TYPE=pref: lower is better."""
    pref = prop.params.get("PREF")
    if pref:
        try:
            return int(str(pref[0]))
        except ValueError:
            return 1
    return 1 if "pref" in _params(prop) else 101


def _flat(value: Any, sep: str = " ") -> str:
    """A property's value as one string (structured values are lists, of lists at times)."""
    if isinstance(value, (list, tuple)):
        return sep.join(part for part in (_flat(item, ", ") for item in value) if part)
    return str(value or "").strip()


def _text(prop: Any) -> str:
    return _flat(prop.value)


def _best(card: Any, name: str, *, favoured: str | None = None) -> str:
    """The preferred value of a repeated property (the first one among equals)."""
    props = [prop for prop in card.contents.get(name.lower(), []) if _text(prop)]
    if not props:
        return ""
    ranked = sorted(
        enumerate(props),
        key=lambda item: (_pref_rank(item[1]), 0 if favoured and favoured in _params(item[1]) else 1, item[0]),
    )
    return _text(ranked[0][1])


def _phone(card: Any) -> str:
    """A TEL value without vCard 4's tel: scheme ("tel:+1-555-0101;ext=12" → "+1-555-0101 ext. 12")."""
    value = _best(card, "TEL", favoured="cell")
    if value.lower().startswith("tel:"):
        value = value[4:]
        number, _, rest = value.partition(";")
        extension = re.search(r"(?:^|;)ext=([^;]+)", rest)
        value = f"{number} ext. {extension[1]}" if extension else number
    return value


def _name(card: Any) -> str:
    fn = _best(card, "FN")
    if fn:
        return fn
    n = card.contents.get("n")
    if not n:
        return ""
    value = n[0].value
    if isinstance(value, vobject.vcard.Name):
        # given, middle, family: "Rear Adm." and "Jr." are forms of address, not the name
        parts = (value.given, value.additional, value.family)
        return " ".join(" ".join(p) if isinstance(p, list) else str(p) for p in parts if p).strip()
    return " ".join(str(value).replace(";", " ").split())


def _person(line: int, card: Any) -> Incoming | None:
    email = _best(card, "EMAIL")
    if email.lower().startswith("mailto:"):
        email = email[7:]
    name = _name(card) or email
    if not name:
        return None
    fields: dict[str, Any] = {"name": name}
    org = card.contents.get("org")
    if org:
        value = org[0].value
        # ORG is "company;department;…": the company alone, so duplicates still match by it
        company = _flat(value[0] if isinstance(value, (list, tuple)) and value else value)
        if company:
            fields["company"] = company
    for field, value in (("title", _best(card, "TITLE")), ("email", email), ("phone", _phone(card))):
        if value:
            fields[field] = value
    notes = [_text(note) for note in card.contents.get("note", []) if _text(note)]
    if notes:
        fields["notes"] = "\n\n".join(notes)
    return Incoming(line, fields)
