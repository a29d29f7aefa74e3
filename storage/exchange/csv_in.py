"""Reading a CSV export (a CRM's, a spreadsheet's, our own) into Incoming records.

Two steps, so the rep can look between them: `read_table` turns the file into a header and rows
(guessing the encoding and the delimiter, listing the rows it cannot read with their line), then
`records` turns the rows into people through a column mapping that `guess_mapping` proposes and the
rep may change. Nothing here writes the book: storage.exchange.imports does, by the book's rules.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from storage.rules.dates import MONTHS, WEEKDAYS, When, to_utc
from storage.book.errors import InvalidInput
from storage.exchange.incoming import Incoming, Problem
from storage.book.models import CHANNEL_LABELS, CHANNELS

IGNORE = "ignore"
# what a column can become, in the order a mapping picker lists them (IGNORE comes last)
TARGETS = (
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "email",
    "phone",
    "deal_value",
    "next_due",
    "notes",
    "source",
    "preferred_channel",
    "best_time",
    "timezone",
)
TARGET_LABELS = {
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "title": "Job title",
    "email": "Email",
    "phone": "Phone",
    "deal_value": "Deal value",
    "next_due": "Next follow-up",
    "notes": "Notes",
    "source": "Source",
    "preferred_channel": "Preferred channel",
    "best_time": "Best time",
    "timezone": "Time zone",
    IGNORE: "(ignore)",
}

DELIMITERS = ",;\t|"
# The Sniffer's regexes cost the square of the sample: 25 ms for 16 KiB (a hundred rows or
# more), 0.4 s for 64 KiB.
SNIFF_CHARS = 16 * 1024
FIELD_LIMIT = 1024 * 1024  # the csv module's default (128 KiB) refuses a long pasted note


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line where the record starts, its cells)
    encoding: str  # a name `read_table(encoding=…)` takes back
    delimiter: str
    problems: list[Problem]


# ---------------------------------------------------------------------------------------------
# Bytes → text


def guess_encoding(data: bytes) -> str:
    """The encoding of `data` (the whole file: an "é" on row 40,000 decides too). UTF-8 that
    decodes strictly is UTF-8; otherwise cp1252 (what Windows Excel and Outlook write), and
    latin-1 for the five bytes cp1252 leaves undefined. No statistical detector: they misread
    short Latin-1 samples (LESSONS)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the codec reads the BOM and drops it
    nul_pattern = _utf16_without_bom(data[:4096])
    if nul_pattern:
        return nul_pattern
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a NUL in every other byte: odd ones (LE) or even (BE)."""
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, encoding: str | None, *, field: str = "encoding") -> tuple[str, str]:
    """(text, encoding used) with NUL characters removed and no BOM; InvalidInput when the
    encoding the rep chose does not fit the bytes."""
    chosen = encoding or guess_encoding(data)
    try:
        text = data.decode(chosen)
    except LookupError:
        raise InvalidInput(field, f"There is no encoding called {encoding!r}; try utf-8, cp1252 or utf-16.") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(field, f"The file is not {chosen} (an unreadable byte on line {line}); choose another encoding.") from None
    return text.removeprefix("\ufeff").replace("\x00", ""), chosen


# Other files people pick by mistake, said plainly (magic bytes at the start).
_NOT_TEXT = (
    (b"PK\x03\x04", "a zip file (an Excel .xlsx or a Numbers file?), not CSV: save it as CSV from the spreadsheet first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Office file, not CSV: save it as CSV from the spreadsheet first"),
    (b"%PDF", "a PDF, not a CSV file"),
    (b"SQLite format 3\x00", "a SQLite database, not a CSV file"),
    (b"\x89PNG", "a picture, not a CSV file"),
    (b"\xff\xd8\xff", "a picture, not a CSV file"),
)


def _check_not_other_file(data: bytes) -> None:
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise InvalidInput("file", f"This is {what}.")


def _check_is_text(data: bytes, text: str, encoding: str) -> None:
    """Binary files are full of control bytes and NULs; text has a stray one at most."""
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v\x1b")
    if not encoding.startswith("utf-16"):  # there, NULs are half of every Latin character
        controls += data[:8192].count(0)
    if controls > 0.05 * max(len(sample), 1):
        raise InvalidInput("file", "This file is not text (it looks like a program's binary file), so it is not a CSV file.")


# ---------------------------------------------------------------------------------------------
# Text → header and rows


def _sniff_delimiter(text: str) -> str:
    """The csv module's Sniffer over the start of the file, limited to the usual four; when it
    cannot tell, or picks a character the header does not hold, the one the header holds most."""
    sample = text[: SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    header = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        if found in header:
            return found
    except csv.Error:
        pass
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}


@contextmanager
def _field_limit() -> Iterator[None]:
    """The csv module's limit is process-wide: raise it for this read only."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, FIELD_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_table(path: str | os.PathLike[str], *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """The file's header and rows. Rows the csv module cannot read, or whose cell count is not the
    header's, are listed as problems with their line; reading goes on after them."""
    data = read_bytes(path)
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise InvalidInput("file", "The file is empty.")
    if delimiter is not None and len(delimiter) != 1:
        raise InvalidInput("delimiter", "The delimiter must be one character, such as , ; | or a tab.")
    _check_not_other_file(data)
    text, used = decode(data, encoding)
    _check_is_text(data, text, used)
    if not text.strip():
        raise InvalidInput("file", "The file is empty.")
    chosen = delimiter is not None
    delimiter = delimiter or _sniff_delimiter(text)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    with _field_limit():
        for start, end, cells, error in _records(text, delimiter):
            if error is not None:
                if headers is None:
                    raise InvalidInput(
                        "delimiter" if chosen else "file",
                        f"The header row (line {start}) cannot be read with {_DELIMITER_NAMES.get(delimiter, repr(delimiter))} "
                        "between the columns (a misplaced quote): check the delimiter or the file.",
                    )
                problems.append(Problem(start, error))
            elif not any(cell.strip() for cell in cells):
                continue  # a blank row, or one of empty cells: nothing to say about it
            elif headers is None:
                headers = [cell.strip() for cell in cells]
                _check_header(headers, start)
            elif len(cells) != len(headers):
                where = f" (it runs from line {start} to {end}: a quote may be missing)" if end > start else ""
                problems.append(Problem(start, f"has {len(cells)} cells, the header has {len(headers)}{where}"))
            else:
                rows.append((start, cells))
    if headers is None:
        raise InvalidInput("file", "The file is empty.")
    return Table(headers, rows, used, delimiter, problems)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The whole file (imports read it at once: the encoding is decided over all of it)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InvalidInput("file", f"Can't read {os.fspath(path)}: {exc.strerror or exc}.") from None


def _records(text: str, delimiter: str) -> Iterator[tuple[int, int, list[str], str | None]]:
    """(first line, last line, cells, None) per record, or (first, last, [], reason) for one the
    csv module refused. strict=True: without it one stray quote swallows the rest of the file
    into a cell without a word (LESSONS)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True, skipinitialspace=True)
    last = 0  # the line the previous record ended on
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = reader.line_num
            yield start, last, [], _csv_reason(str(exc), start, last)
            continue
        last = reader.line_num
        yield start, last, cells, None


def _csv_reason(message: str, start: int, end: int) -> str:
    """The csv module's words, for the rep, with what was lost. After a refused record the
    module goes on at the next line: the lines of that record are what is lost."""
    lines = f"line {start}" if end == start else f"lines {start}–{end}"
    if "expected after" in message:
        if end == start:
            return 'a stray quote: a " inside a cell that is not quoted properly; this line was not imported'
        return f"a stray quote: a quoted cell opened on line {start} runs on to line {end}; {lines} were not imported"
    if "unexpected end of data" in message:
        return f"a quote opened on line {start} is never closed, so {lines} (to the end of the file) could not be read"
    if "field larger than field limit" in message:
        return f"a cell is longer than {FIELD_LIMIT // (1024 * 1024)} MiB (a quote may be missing); {lines} were not read"
    return f"{message}; {lines} could not be read"


_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_header(headers: list[str], line: int) -> None:
    """Column names, not a first row of people (an export saved without its header)."""
    if any(_EMAIL_LIKE.fullmatch(cell) for cell in headers):
        raise InvalidInput(
            "file",
            f"The first row (line {line}) holds an email address, so it is data, not column names: the file has no header row.",
        )


# ---------------------------------------------------------------------------------------------
# Headers → a mapping


def _norm(header: str) -> str:
    """'E-mail 1 - Value' → 'emailvalue': no case, accents, digits, spaces or punctuation."""
    text = unicodedata.normalize("NFKD", header.casefold())
    return "".join(ch for ch in text if ch.isalpha() and not unicodedata.combining(ch))


def _aliases(target: str, *names: str) -> dict[str, str]:
    return {_norm(name): target for name in names}


# Header names (normalised) → target. STRONG names win over WEAK ones whatever the column order
# (Outlook's "Title" is "Mr." or "Dr." when "Job Title" is there too); among equals, the first
# column wins ("Phone" over a later "Mobile").
STRONG = {
    **_aliases("name", "Name", "Full Name", "Contact Name", "Display Name", "Person - Name", "Lead Name", "Contact Full Name"),
    **_aliases("first_name", "First Name", "Given Name", "First", "Forename", "Prénom", "Vorname", "Nombre"),
    **_aliases("last_name", "Last Name", "Family Name", "Surname", "Last", "Nachname", "Apellido", "Apellidos"),
    **_aliases(
        "company",
        "Company", "Company Name", "Organization", "Organisation", "Organization Name", "Organisation Name",
        "Organization - Name", "Organization 1 - Name", "Account", "Account Name", "Org Name", "Employer",
        "Business Name", "Société", "Entreprise", "Firma", "Empresa",
    ),
    **_aliases("title", "Job Title", "Organization Title", "Organization 1 - Title", "Position", "Job Position", "Role", "Job Role", "Designation", "Person - Job title", "Fonction", "Poste"),
    **_aliases(
        "email",
        "Email", "E-mail", "Email Address", "E-mail Address", "Mail", "E-mail 1 - Value", "Email 1 - Value",
        "Work Email", "Business Email", "Primary Email", "Person - Email", "Courriel", "Adresse e-mail",
    ),
    **_aliases(
        "phone",
        "Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Mobile Phone", "Mobile Phone Number",
        "Mobile Number", "Cell", "Cell Phone", "Business Phone", "Work Phone", "Primary Phone", "Home Phone",
        "Direct Phone", "Office Phone", "Phone 1 - Value", "Person - Phone", "Téléphone", "Portable", "Telefon",
        "Teléfono",
    ),
    **_aliases("deal_value", "Deal Value", "Amount", "Deal Amount", "Opportunity Amount", "Expected Revenue", "Deal - Value", "Montant"),
    **_aliases(
        "next_due",
        "Next Follow-up", "Next Follow-up Date", "Follow-up Date", "Follow Up Date", "Followup", "Due Date",
        "Next Activity Date", "Deal - Next activity date", "Person - Next activity date", "Next Step Date",
        "Next Contact Date", "Reminder Date", "Relance",
    ),
    **_aliases("notes", "Notes", "Note", "Description", "Comments", "Comment", "Remarks", "Person - Notes", "Background Info", "Remarques"),
    **_aliases("source", "Source", "Lead Source", "Original Source", "Contact Source", "Origin", "Person - Source"),
    **_aliases("preferred_channel", "Preferred Channel", "Preferred Contact Method", "Contact Method", "Preferred Contact"),
    **_aliases("best_time", "Best Time", "Best Time to Call", "Best Time to Reach", "Best Time to Contact"),
    **_aliases("timezone", "Time Zone", "Timezone", "TZ"),
}
WEAK = {
    **_aliases("name", "Contact", "Person", "Customer", "Customer Name", "Nom complet"),
    **_aliases("company", "Associated Company", "Org"),
    **_aliases("title", "Title"),
    **_aliases("email", "Other Email", "Personal Email"),
}
# Prefixes of a person's own columns ("Person - Email", "Contact Email"), tried when the whole
# name is unknown; an organization's or a deal's prefix is spelled out in the tables instead.
PERSON_PREFIXES = ("person", "contact", "lead", "primarycontact", "customer")


def _target(header: str) -> tuple[str, int]:
    """(target, strength: 0 strong, 1 weak, 2 unknown) of one header."""
    key = _norm(header)
    candidates = [key] + [key[len(p):] for p in PERSON_PREFIXES if key.startswith(p) and len(key) > len(p)]
    for strength, table in enumerate((STRONG, WEAK)):
        for candidate in candidates:
            if candidate in table:
                return table[candidate], strength
    return IGNORE, 2


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → target for every column (IGNORE when unknown, or when an earlier or
    stronger column already took its target)."""
    mapping = {index: IGNORE for index in range(len(headers))}
    guesses = sorted(
        ((strength, index, target) for index, (target, strength) in enumerate(map(_target, headers)) if target != IGNORE)
    )
    taken: set[str] = set()
    for _, index, target in guesses:
        if target not in taken:
            mapping[index] = target
            taken.add(target)
    return mapping


# ---------------------------------------------------------------------------------------------
# Rows → records

# What our own export (and OWASP's advice) puts before a cell a spreadsheet would run as a formula.
_INJECTION_PREFIX = re.compile("'(?=[=+\\-@\t\r\n\uff1d\uff0b\uff0d\uff20])")


def _cell(cell: str) -> str:
    """A cell's text: our export's ' before a formula-looking cell taken off, spaces trimmed."""
    if cell[:1] == "'" and _INJECTION_PREFIX.match(cell):
        cell = cell[1:]
    return cell.strip()


def records(table: Table, mapping: dict[int, str], tz: str) -> tuple[list[Incoming], list[Problem]]:
    """The people in the table's rows by `mapping` (column index → target; a column not in it is
    ignored). When several columns share a target, the first non-empty cell wins, except notes,
    which are joined. Dates without a zone are the rep's (`tz`). The fields are not checked
    against the book's rules yet: storage.imports.apply does that, for a dry run too."""
    columns: dict[str, list[int]] = {}
    for index in sorted(mapping):
        target = mapping[index]
        if target != IGNORE and target not in TARGETS:
            raise ValueError(f"unknown import target {target!r}")
        if target != IGNORE and 0 <= index < len(table.headers):
            columns.setdefault(target, []).append(index)
    day_first = {index: _day_first(table, index) for index in columns.get("next_due", [])}
    people: list[Incoming] = []
    problems: list[Problem] = []
    for line, cells in table.rows:
        try:
            people.append(_record(line, cells, columns, table.headers, day_first, tz))
        except _RowProblem as problem:
            problems.append(Problem(line, str(problem)))
    return people, problems


class _RowProblem(Exception):
    pass


def _record(
    line: int, cells: list[str], columns: dict[str, list[int]], headers: list[str], day_first: dict[int, bool], tz: str
) -> Incoming:
    found: dict[str, tuple[str, int]] = {}  # target -> (text, column it came from)
    for target, indices in columns.items():
        if target == "notes":
            notes = "\n\n".join(text for text in (_cell(cells[index]) for index in indices) if text)
            if notes:
                found[target] = (notes, indices[0])
            continue
        for index in indices:
            if text := _cell(cells[index]):
                found[target] = (text, index)
                break
    fields: dict[str, object] = {
        target: found[target][0]
        for target in ("company", "title", "phone", "source", "best_time", "timezone", "notes")
        if target in found
    }
    if "email" in found:
        fields["email"] = _one_email(found["email"][0])
    if "preferred_channel" in found:
        fields["preferred_channel"] = _channel(found["preferred_channel"][0])
    if "deal_value" in found:
        text, index = found["deal_value"]
        fields["deal_value"] = _amount(text, headers[index])
    parts = (found.get(target, ("", 0))[0] for target in ("first_name", "last_name"))
    name = found.get("name", ("", 0))[0] or " ".join(part for part in parts if part) or str(fields.get("email", ""))
    if not name:
        raise _RowProblem("has no name (no name, first or last name, nor email)")
    due, has_time = None, False
    if "next_due" in found:
        text, index = found["next_due"]
        due, has_time = _due(text, headers[index], day_first[index], tz)
    return Incoming(line, {"name": name, **fields}, due, has_time)


_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")


def _one_email(text: str) -> str:
    """The first address of a cell that holds several ("a@x.com; b@y.com"), without mailto:."""
    first = _EMAIL_SEPARATORS.split(text.strip())[0]
    return first[7:] if first.lower().startswith("mailto:") else first


_CHANNEL_WORDS = {
    **{label: name for name, label in CHANNEL_LABELS.items()},
    "phone": "call", "telephone": "call", "phone call": "call", "mobile": "call",
    "e-mail": "email", "mail": "email", "sms": "text", "text message": "text", "whatsapp": "text",
    "linkedin": "social", "postcard": "letter", "post": "letter", "greeting card": "card", "in person": "meeting",
}


def _channel(text: str) -> str:
    """A channel word as the book spells it; anything else is left for the check to refuse."""
    word = " ".join(text.casefold().split())
    return word if word in CHANNELS else _CHANNEL_WORDS.get(word, text)


def _quote(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:39] + "…")


# --- amounts ---

_CURRENCY = re.compile(r"^(?:[A-Za-z]{3}|[$€£¥₹]|US\$)\s*|\s*(?:[A-Za-z]{3}|[$€£¥₹])$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")  # thousands spaced out, or with ' (Swiss)
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_THOUSANDS = {",": re.compile(r"\d{1,3}(,\d{3})+"), ".": re.compile(r"\d{1,3}(\.\d{3})+")}


def _amount(text: str, header: str) -> int:
    """A money cell as whole units: "$12,000", "12000.00", "€ 12 000", "12.000,50" (a European
    decimal comma), "CHF 12'000". With both separators the last is the decimal one; with one
    kind only, groups of exactly three digits are thousands ("12.000" is twelve thousand: nobody
    counts a deal in thousandths), anything else is a decimal point."""
    if text.isascii() and text.isdigit():  # most cells, at once
        return int(text)
    value = _SPACES.sub("", _CURRENCY.sub("", text.strip()))
    if "," in value and "." in value:
        decimal = "," if value.rindex(",") > value.rindex(".") else "."
        value = value.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    else:
        for sep in (",", "."):
            if sep in value:
                value = value.replace(sep, "") if _THOUSANDS[sep].fullmatch(value) else value.replace(sep, ".")
    if not _NUMBER.fullmatch(value):
        raise _RowProblem(f"{header} {_quote(text)} is not an amount (like 12000 or $12,000.00)")
    # half up, as people round money (round() would make 12000.50 into 12000)
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- dates ---

_A = re.ASCII
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})", _A)
_YEAR_FIRST = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})", _A)
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", _A)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \-]([a-z]+)\.?,?[ \-](\d{4}|\d{2})", _A)
_TIME = re.compile(r",? (?:at )?(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?(?:\.\d+)? ?(am|pm)?$", _A)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+\-]\d{2}:?\d{2})?", _A)


def _day_first(table: Table, index: int) -> bool:
    """How to read 01/12/2026 in this column. The column's own evidence decides: a first number
    above 12 means day first (25/11/2026), a second above 12 means month first (11/25/2026).
    Without any, the file's: a `;` delimiter is what Excel writes where the decimal point is a
    comma (Europe), so day first; otherwise month first, as US CRMs write. Dotted dates
    (01.12.2026) are always day first."""
    for _, cells in table.rows:
        if index < len(cells) and (m := _NUMERIC_DATE.match(cells[index].strip())):
            if int(m[1]) > 12:
                return True
            if int(m[3]) > 12:
                return False
    return table.delimiter == ";"


def _due(text: str, header: str, day_first: bool, tz: str) -> tuple[dt.datetime, bool]:
    """(naive UTC, has_time) of a follow-up cell. A date alone is local midnight in `tz`; so is a
    time of exactly 00:00, which is how exports write a date-only field. A zoned timestamp is
    converted; past dates are fine (they land in "overdue")."""
    try:
        return _parse_due(" ".join(text.split()), day_first, tz)
    except (ValueError, OverflowError):
        raise _RowProblem(f"{header} {_quote(text)} is not a date (like 2026-12-01 or Dec 1, 2026)") from None


def _parse_due(text: str, day_first: bool, tz: str) -> tuple[dt.datetime, bool]:
    if _ISO.fullmatch(text):
        moment = dt.datetime.fromisoformat(text.replace(" ", "T"))
        if moment.tzinfo is not None:
            if moment.time() == dt.time(0, 0):
                return _to_utc(moment.date(), None, tz), False
            utc = moment.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
            return utc, True
        return _local(moment.date(), moment.time().replace(microsecond=0), tz)
    lowered = text.lower()
    time = None
    if (m := _TIME.search(lowered)) and (m[2] or m[4]):  # a bare trailing number is a year, not an hour
        time = _time(int(m[1]), int(m[2] or 0), int(m[3] or 0), m[4])
        lowered = lowered[: m.start()].strip()
    return _local(_day(lowered, day_first), time, tz)


def _local(day: dt.date, time: dt.time | None, tz: str) -> tuple[dt.datetime, bool]:
    if time == dt.time(0, 0):
        time = None
    return _to_utc(day, time, tz), time is not None


@functools.lru_cache(maxsize=4096)
def _to_utc(day: dt.date, time: dt.time | None, tz: str) -> dt.datetime:
    """to_utc costs ~20 µs (pendulum) and the dates of a big file repeat a lot."""
    return to_utc(When(day, time), tz)


def _time(hour: int, minute: int, second: int, half: str | None) -> dt.time:
    if half:
        if not 1 <= hour <= 12:
            raise ValueError("not a 12-hour time")
        hour = hour % 12 + (12 if half == "pm" else 0)
    return dt.time(hour, minute, second)


def _day(text: str, day_first: bool) -> dt.date:
    words = text.replace(",", " ").split()
    if words and words[0].rstrip(".") in WEEKDAYS:  # "Tue, Dec 1, 2026"
        text = " ".join(words[1:])
    if m := _YEAR_FIRST.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC_DATE.fullmatch(text):
        first, second = int(m[1]), int(m[3])
        day, month = (first, second) if day_first or m[2] == "." else (second, first)
        return dt.date(_year(m[4]), month, day)
    if (m := _MONTH_DAY_YEAR.fullmatch(text)) and m[1] in MONTHS:
        return dt.date(int(m[3]), MONTHS[m[1]], int(m[2]))
    if (m := _DAY_MONTH_YEAR.fullmatch(text)) and m[2] in MONTHS:
        return dt.date(_year(m[3]), MONTHS[m[2]], int(m[1]))
    raise ValueError("not a date")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)
