"""How a file's bytes become text, for every file an import reads (CSV, vCard, the format
detection): the encoding guessed over the whole file, or the rep's choice; and, when the guess
could garble (it is not declared by a byte-order mark nor proved by strict UTF-8), what to show
the rep so they can see it and choose another.

The guess, in order: a byte-order mark (UTF-32's before UTF-16's: FF FE 00 00 starts with FF FE);
UTF-32 or UTF-16 without one, by where the NUL bytes fall (Latin text in UTF-16 has a NUL in every
other byte, in UTF-32 three in every four: read as cp1252 with the NULs dropped it became
mojibake); strict UTF-8; cp1252 (what Windows Excel and Outlook write); latin-1 for the five bytes
cp1252 leaves undefined. No statistical detector: they misread short Latin-1 samples (LESSONS)."""

from __future__ import annotations

import codecs
import re

from storage.book.errors import InvalidInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # the codec reads the BOM and drops it
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
NUL_SAMPLE = 4096  # bytes looked at for a NUL pattern
SAMPLE_CHARS = 70  # of the line shown to the rep


def guess_encoding(data: bytes) -> str:
    """The encoding of `data` (the whole file: an "é" on row 40,000 decides too), as a name
    `decode` takes back."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    nul_pattern = _nul_pattern(data[:NUL_SAMPLE])
    if nul_pattern:
        return nul_pattern
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _nul_pattern(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, by the share of NUL bytes at each position: in UTF-32 LE of
    Latin text bytes 1-3 of every four are NUL (0-2 in BE), in UTF-16 LE odd bytes (BE: even)."""
    quarter = len(sample) // 4
    if quarter >= 2:
        zeros = [sample[i::4].count(0) for i in range(4)]
        if all(z > 0.9 * quarter for z in zeros[1:]) and zeros[0] < 0.1 * quarter:
            return "utf-32-le"
        if all(z > 0.9 * quarter for z in zeros[:3]) and zeros[3] < 0.1 * quarter:
            return "utf-32-be"
    half = len(sample) // 2
    if half < 2:
        return None
    # Cyrillic or Greek in UTF-16 has a NUL only beside its ASCII (commas, digits, the markup):
    # 30% of the bytes in a Russian CSV, so a tenth is enough when they all fall on one side
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.1 * half and even <= 0.05 * odd:
        return "utf-16-le"
    if even > 0.1 * half and odd <= 0.05 * even:
        return "utf-16-be"
    return None


def decode(data: bytes, encoding: str | None, *, field: str = "encoding") -> tuple[str, str]:
    """(text, encoding used) with NUL characters removed and no BOM; InvalidInput when the
    encoding the rep chose does not exist or does not fit the bytes."""
    chosen = (encoding or "").strip() or guess_encoding(data)
    # a wide encoding told by its NULs alone is a guess: an odd byte at the end (a writer's lone
    # "\n") or a stray surrogate is one character shown as U+FFFD, not a file refused
    lenient = not (encoding or "").strip() and chosen.startswith(("utf-16-", "utf-32-"))
    try:
        text = data.decode(chosen, "replace" if lenient else "strict")
    except LookupError:
        raise InvalidInput(field, f"There is no encoding called {chosen!r}; try utf-8, cp1252, latin-1 or utf-16.") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(field, f"The file is not {chosen} (an unreadable byte on line {line}); choose another encoding.") from None
    return text.removeprefix("\ufeff").replace("\x00", ""), chosen


_LINE_END = re.compile(rb"\r*\n|\r")


def decode_lines(data: bytes) -> tuple[str, list[str], int]:
    """A line-based file (an address book) read line by line: a line that is UTF-8 as UTF-8, any
    other as cp1252 (latin-1 for the five bytes cp1252 leaves undefined). An address book put
    together from several programs mixes them: one card's 8-bit text is not the others'. (text
    with "\n" line ends, the lines read as cp1252, how many lines beyond ASCII were UTF-8)."""
    lines, odd, utf8 = [], [], 0
    for raw in _LINE_END.split(data):
        try:
            line = raw.decode("utf-8")
            utf8 += not raw.isascii()
        except UnicodeDecodeError:
            try:
                line = raw.decode("cp1252")
            except UnicodeDecodeError:
                line = raw.decode("latin-1")
            odd.append(line)
        lines.append(line)
    return "\n".join(lines).removeprefix("\ufeff").replace("\x00", ""), odd, utf8


def could_garble(data: bytes, encoding: str) -> bool:
    """True when `encoding` is a guess the bytes do not prove: the file is not strict UTF-8 and
    carries no BOM (a cp1252 or latin-1 fallback, or UTF-16/32 told by its NULs alone). The rep's
    own choice counts too: what it makes of the file is shown the same way."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return codecs.lookup(encoding).name != "utf-8"


def sample_line(text: str) -> str:
    """The first line holding a character beyond ASCII, as read (cut to SAMPLE_CHARS around the
    first such character), so the rep sees at once whether "Zoë" came out as "ZoÃ«"; "" when every
    character is ASCII (then no encoding could garble it)."""
    for line in text.splitlines():
        line = line.strip()
        first = next((i for i, ch in enumerate(line) if ord(ch) > 127), None)
        if first is None:
            continue
        start = max(0, min(first - SAMPLE_CHARS // 3, len(line) - SAMPLE_CHARS))
        cut = line[start : start + SAMPLE_CHARS]
        return ("…" if start else "") + cut + ("…" if start + SAMPLE_CHARS < len(line) else "")
    return ""
