"""An address book's text as cards of properties, each with the line of the file it starts on,
and a property's value as text (quoted-printable, base64, CHARSET and escapes undone).

Why not vobject.readComponents, which the reader used: it reads the whole file as one stream and
stops at the first fault, so one contact's corrupt photo, a `PROFILE:VCard` line or 8-bit
quoted-printable text with no charset in a property the desk never reads cost the whole address
book; it decodes every property (photos included) before we see any; it matches the
QUOTED-PRINTABLE parameter in upper case only (Outlook's `ENCODING=quoted-printable` was stored
as `=E2=80=A6`); and it splits FN, NOTE and ORG at unescaped commas, which Gmail and 2.1 writers
leave unescaped ("Company, The" became "Company" and " The"). So here: cards are found line by
line, a card that is never closed is one problem, a line that is no property is skipped, and only
the properties the desk uses are decoded, each on its own. vobject's line grammar (group, name,
parameters, value: `parseLine`) is still the one we use."""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import re
from dataclasses import dataclass, field

from vobject.base import VObjectError, parseLine

# Not splitlines(): a U+2028 in a note is not a line of the file. "\r\r\n" is one line end: a
# CRLF file saved again through a text-mode CRLF conversion (ez-vcard's iPhone sample is so).
_PHYSICAL = re.compile(r"\r*\n|\r")


@dataclass
class Prop:
    name: str  # upper case, without its group ("item1.TEL" → "TEL")
    params: dict[str, list[str]]  # upper-case names: {"TYPE": ["cell", "voice"], "CHARSET": ["UTF-8"]}
    flags: list[str]  # vCard 2.1's bare parameters: TEL;CELL;PREF, NOTE;QUOTED-PRINTABLE
    raw: str  # the value as written (escapes, quoted-printable and base64 not undone)
    line: int

    @functools.cached_property
    def types(self) -> frozenset[str]:
        """Every TYPE word, lower case: TYPE=cell,voice, type=pref, TYPE="voice,work", a bare CELL."""
        words = set()
        for value in self.params.get("TYPE", []) + self.flags:
            words.update(part.strip().strip('"').lower() for part in value.split(","))
        return frozenset(words - {""})

    def param(self, name: str) -> str:
        values = self.params.get(name, [])
        return values[0].strip().strip('"') if values else ""


@dataclass
class Card:
    number: int  # 1-based, in the file's order
    line: int  # of its BEGIN:VCARD
    props: list[Prop] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (line, its text): no property
    closed: bool = False

    def all(self, name: str) -> list[Prop]:
        return [prop for prop in self.props if prop.name == name]


def _is_qp(head: str) -> bool:
    """Quoted-printable, in any spelling: ENCODING=QUOTED-PRINTABLE, a bare QUOTED-PRINTABLE
    (2.1), either case."""
    return "quoted-printable" in head.lower()


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(line where it starts, the property's line unfolded). A line starting with a space or a tab
    continues the one before (the space or tab is the fold's, dropped); in a quoted-printable value
    a line ending with "=" (a soft line break) runs on to the next, whatever that one starts with."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    soft = False  # the line so far is quoted-printable and ends with a soft line break
    for number, line in enumerate(_PHYSICAL.split(text), start=1):
        # a writer's stray "=" at the end of a value's last line does not swallow the card's end
        soft = soft and line.strip().upper() not in ("END:VCARD", "BEGIN:VCARD")
        if soft:
            current.append("\n" + line)  # "=\n" is the soft break quoted-printable decoding drops
        elif current and line[:1] in (" ", "\t"):
            current.append(line[1:])
        else:
            if current:
                out.append((start, "".join(current)))
            current, start = ([line], number) if line.strip() else ([], number)
        joined = current[-1] if current else ""
        soft = bool(current) and joined.endswith("=") and _is_qp("".join(current).split(":", 1)[0])
    if current:
        out.append((start, "".join(current)))
    return out


_NAME = re.compile(r"(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)[;:]")
_CARD = re.compile(r"(?:[A-Za-z0-9_-]+\.)?(BEGIN|END):VCARD\s*$", re.IGNORECASE)  # Apple groups them at times


def read(text: str, wanted: frozenset[str]) -> list[Card]:
    """The top-level cards of the file, in order, each closed or not, with the properties named
    in `wanted` (upper case). Any other property is not even parsed: a photo is most of a card's
    bytes (parsing every line cost 3.5 of 9 s for 10,000 Apple cards with photos). An AGENT's
    embedded card (2.1) is left out; a BEGIN:VCARD inside a card otherwise means that card was
    never closed."""
    cards: list[Card] = []
    card: Card | None = None
    nested = 0  # depth inside an AGENT's card
    for number, line in logical_lines(text):
        edge = _CARD.match(line)
        if edge is None:
            named = _NAME.match(line)
            if named and named[1].upper() not in wanted and named[1].upper() != "AGENT":
                continue
            try:
                name, params, value, _ = parseLine(line, number)
            except VObjectError:
                if card is not None and not nested:
                    card.unreadable.append((number, line))
                continue
            if card is not None and not nested:
                card.props.append(_prop(name.upper(), params, value, number))
        elif edge[1].upper() == "BEGIN":
            agent = card is not None and bool(card.props) and card.props[-1].name == "AGENT" and not card.props[-1].raw.strip()
            if agent or nested:
                nested += 1
                continue
            card = Card(len(cards) + 1, number)
            cards.append(card)
        elif nested:
            nested -= 1
        elif card is not None:
            card.closed = True
            card = None
    return cards


def _prop(name: str, params: list[list[str]], value: str, line: int) -> Prop:
    named: dict[str, list[str]] = {}
    flags: list[str] = []
    for param in params:
        if len(param) == 1:
            flags.append(param[0])
        else:
            named.setdefault(param[0].upper(), []).extend(param[1:])
    return Prop(name, named, flags, value, line)


# ---------------------------------------------------------------------------------------------
# A value as text


def decoded(prop: Prop) -> tuple[str, str]:
    """(the value's text with quoted-printable or base64 undone, a warning or ""). Bytes are read
    in the CHARSET the property names, else UTF-8; bytes that are not that are read as cp1252 (a
    2.1 writer on Windows), which the warning says. Escapes are not undone here: see `text` and
    `components`."""
    encoding = prop.param("ENCODING").lower()
    raw = prop.raw
    if _is_qp(encoding) or any(_is_qp(flag) for flag in prop.flags):
        data = codecs.decode(raw.encode("utf-8", "surrogateescape"), "quoted-printable")
    elif encoding in ("b", "base64") or any(flag.lower() == "base64" for flag in prop.flags):
        try:
            data = base64.b64decode("".join(raw.split()), validate=False)
        except (binascii.Error, ValueError):
            return "", f"its {prop.name} on line {prop.line} is damaged base64; left out"
    else:
        return raw, ""  # the file's own text: its encoding was the file's (encodings.py)
    charset = prop.param("CHARSET")
    try:
        return data.decode(charset or "utf-8"), ""
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    said = f"says {charset}, which it is not" if charset else "is not UTF-8 and names no charset"
    return text, f"its {prop.name} on line {prop.line} {said}: read as cp1252 ({_short(text)!r}); check it"


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
# \" and \' are no vCard escapes, but Gmail writes \" for a quote in a note
_ESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"', "'": "'"}


def unescape(value: str) -> str:
    """\\n is a new line, \\, \\; \\\\ \\: \\" themselves; any other backslash stays as written
    ("C:\\Users" in a note)."""
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m[1], m[0]), value)


def split(value: str, separator: str) -> list[str]:
    """The value cut at each `separator` (";" or ",") that is not escaped ("\\;" is a
    backslash, then a separator); the parts keep their escapes."""
    parts, part, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            part.append(value[i : i + 2])
            i += 2
            continue
        if ch == separator:
            parts.append("".join(part))
            part = []
        else:
            part.append(ch)
        i += 1
    parts.append("".join(part))
    return parts


def components(value: str) -> list[str]:
    """A structured value (N, ORG, ADR) split at its semicolons, each part unescaped. Commas
    stay: "Company, The" is one company, "1 Main St, Suite 5" one street."""
    return [unescape(part).strip() for part in split(value, ";")]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"
