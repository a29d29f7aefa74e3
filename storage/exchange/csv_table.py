"""A CSV file as a header and rows: the bytes decoded (the encoding guessed over the whole file,
or the rep's choice), the delimiter sniffed, every record read with the line it starts on, and the
rows that cannot be read listed as problems by line. What the columns mean is csv_columns' part.

Records are read one by one, strictly (csv's strict=True). A record that goes wrong within its
line costs that line. One that goes wrong across lines (a quote opened and never closed, or closed
in the middle of a cell, or a record that spans lines and has the wrong number of cells) costs its
first line only: reading starts again on the next line, so one stray " no longer takes the rest of
the file with it, and a note properly quoted over several lines still reads as one cell.

The header is the first row unless a later one among the first lines names more columns we know
(csv_headers.known): LinkedIn writes a few lines of notes above its header. A row may end with empty
cells the header does not have (a mail client's trailing comma); those are not a problem.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from storage.book.errors import InvalidInput
from storage.exchange.csv_headers import known
from storage.exchange.encodings import decode, guess_encoding  # noqa: F401 (imports.py takes guess_encoding from here)
from storage.exchange.incoming import Problem

DELIMITERS = ",;\t|"
# The Sniffer's regexes cost the square of the sample: 25 ms for 16 KiB (a hundred rows or
# more), 0.4 s for 64 KiB.
SNIFF_CHARS = 16 * 1024
FIELD_LIMIT = 1024 * 1024  # the csv module's default (128 KiB) refuses a long pasted note
HEADER_SEARCH = 30  # records looked at for a header below a preamble


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line where the record starts, its cells)
    encoding: str  # a name `read_table(encoding=…)` takes back
    delimiter: str
    problems: list[Problem]
    header_line: int = 1  # the line the header starts on (below a preamble: LinkedIn's notes)
    preamble: int = 0  # lines of text above it that were left out


# ---------------------------------------------------------------------------------------------
# Bytes → text


# guess_encoding and decode live in encodings.py, the one home for every import's bytes (vCards too)


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
    if not encoding.startswith(("utf-16", "utf-32")):  # there, NULs are half (or 3/4) of every Latin character
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
    lines = [line for line in sample.splitlines() if line.strip()]
    # the first line holding a delimiter: a preamble's "Notes:" holds none
    header = next((line for line in lines if any(d in line for d in DELIMITERS)), lines[0] if lines else "")
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
    preamble = 0
    with _field_limit():
        header_line = _header_line(text, delimiter)
        records = _Records(text, delimiter)
        for start, end, cells, error in records:
            if start < header_line:
                preamble += end - start + 1 if error is None and any(cell.strip() for cell in cells) else 0
                continue
            if error is not None:
                if headers is None:
                    raise InvalidInput(
                        "delimiter" if chosen else "file",
                        f"The header row (line {start}) cannot be read with {_DELIMITER_NAMES.get(delimiter, repr(delimiter))} "
                        "between the columns (a misplaced quote): check the delimiter or the file.",
                    )
                if end > start:
                    records.resync()
                problems.append(Problem(start, error))
            elif not any(cell.strip() for cell in cells):
                continue  # a blank row, or one of empty cells: nothing to say about it
            elif headers is None:
                headers = [cell.strip() for cell in cells]
                while len(headers) > 1 and not headers[-1]:  # "Notes," : a trailing comma names nothing
                    headers.pop()
                _check_header(headers, start)
                header_line = start
            elif len(cells) > len(headers) and not any(cell.strip() for cell in cells[len(headers):]):
                rows.append((start, cells[: len(headers)]))  # empty cells beyond the header: a trailing comma
            elif len(cells) != len(headers):
                counts = f"has {len(cells)} cells, the header has {len(headers)}"
                if end > start:  # a quote that closed somewhere it should not have
                    records.resync()
                    counts += f": a quote opened on line {start} runs on to line {end}; {_ONLY_THIS_LINE}"
                problems.append(Problem(start, counts))
            else:
                rows.append((start, cells))
    if headers is None:
        raise InvalidInput("file", "The file is empty.")
    return Table(headers, rows, used, delimiter, problems, header_line, preamble)


def _header_line(text: str, delimiter: str) -> int:
    """The line the header starts on: the first row, unless a later one among the first
    HEADER_SEARCH names more columns we know, at least two, and has more cells filled than the
    first row (a preamble's "Notes:" line is one cell; a data row holding the words "Email" and
    "Phone" under a header we do not know is as wide as that header, and stays data)."""
    best, best_line, first_width = -1, 0, 0
    for count, (start, _, cells, error) in enumerate(_Records(text, delimiter)):
        if count >= HEADER_SEARCH:
            break
        width = sum(1 for cell in cells if cell.strip())
        if error is not None or not width:
            continue
        score = sum(1 for cell in cells if cell.strip() and known(cell))
        if best < 0:
            best, best_line, first_width = score, start, width
        elif score > best and score >= 2 and width > first_width:
            best, best_line = score, start
    return best_line


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The whole file (imports read it at once: the encoding is decided over all of it)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InvalidInput("file", f"Can't read {os.fspath(path)}: {exc.strerror or exc}.") from None


_ONLY_THIS_LINE = "only this line was skipped"


class _Records:
    """(first line, last line, cells, None) per record, or (first, last, [], reason) for one the
    csv module refused. strict=True: without it one stray quote swallows the rest of the file
    into a cell without a word (LESSONS); with it alone, the record the stray quote opens still
    runs on to the next quote or the end of the file. So after a record that went wrong across
    lines the reader calls `resync()`, and reading starts again on the line after that record's
    first: what is lost is that one line."""

    def __init__(self, text: str, delimiter: str) -> None:
        # newline="": lines end at \n, \r\n or \r, as the csv module's own; no translation.
        self._file = io.StringIO(text, newline="")
        self._delimiter = delimiter
        self._restart(0, 0)

    def _restart(self, offset: int, lines_before: int) -> None:
        self._file.seek(offset)
        self._lines_before = lines_before
        # The reader pulls one line at a time, as a record needs it, and never reads ahead (nor
        # does StringIO): the file's position is always the start of the next record.
        self._reader = csv.reader(self._file, delimiter=self._delimiter, strict=True, skipinitialspace=True)

    def __iter__(self) -> Iterator[tuple[int, int, list[str], str | None]]:
        while True:  # a resync() between two records swaps the reader under this loop
            reader, before = self._reader, self._lines_before
            self._offset = self._file.tell()
            start = self._start = before + reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                end = before + reader.line_num
                yield start, end, [], _csv_reason(str(exc), start, end)
                continue
            yield start, before + reader.line_num, cells, None

    def resync(self) -> None:
        """Read again from the line after the first of the record just read."""
        self._file.seek(self._offset)
        self._file.readline()
        self._restart(self._file.tell(), self._start)


def _csv_reason(message: str, start: int, end: int) -> str:
    """The csv module's words, for the rep, with what was lost: the record's line when it went
    wrong within it; its first line only (read_table resynchronises) when it ran on."""
    if "expected after" in message:
        if end == start:
            return 'a stray quote: a " inside a cell that is not quoted properly; this line was not imported'
        return f"a stray quote: a quoted cell opened on line {start} runs on to line {end}; {_ONLY_THIS_LINE}"
    if "unexpected end of data" in message:
        if end == start:
            return f"a quote opened on line {start} is never closed; this line was not imported"
        return f"a quote opened on line {start} is never closed (it runs to the end of the file); {_ONLY_THIS_LINE}"
    if "field larger than field limit" in message:
        lost = "this line was not imported" if end == start else _ONLY_THIS_LINE
        return f"a cell is longer than {FIELD_LIMIT // (1024 * 1024)} MiB (a quote may be missing); {lost}"
    lost = "this line was not imported" if end == start else f"it runs on to line {end}; {_ONLY_THIS_LINE}"
    return f"{message}; {lost}"


_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_header(headers: list[str], line: int) -> None:
    """Column names, not a first row of people (an export saved without its header)."""
    if any(_EMAIL_LIKE.fullmatch(cell) for cell in headers):
        raise InvalidInput(
            "file",
            f"The first row (line {line}) holds an email address, so it is data, not column names: the file has no header row.",
        )
