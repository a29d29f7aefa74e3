"""A file to import, whatever it holds: a CSV (with the mapping of its columns, which the rep may
change), an address book (vCard), or the desk's own JSON export. The command line and the desk
both read a file through here, show what it would do (a dry run), then run it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from storage.exchange import csv_columns
from storage.exchange import csv_headers
from storage.exchange import csv_table
from storage.exchange import encodings
from storage.exchange import imports
from storage.exchange import json_in
from storage.exchange import vcard_in
from storage.book.errors import InvalidInput
from storage.exchange.incoming import ImportReport, Incoming, Problem, Progress

KIND_NAMES = {"csv": "CSV", "vcard": "vCard address book", "json": "Followup Desk export (JSON)"}


@dataclass
class Source:
    path: Path
    kind: str  # csv, vcard or json
    tz: str
    table: csv_table.Table | None = None  # a CSV's header and rows
    mapping: dict[int, str] = field(default_factory=dict)  # a CSV's column index -> target
    records: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows the reader could not read
    data: dict[str, Any] | None = None  # a JSON export, parsed
    encoding: str = ""  # how a CSV's or vCard's bytes were read (a name open_source(encoding=…) takes back)
    chosen: bool = False  # the rep's choice, not the guess
    sample: str = ""  # a line with non-ASCII characters as read, when the encoding could garble them
    fallback: int = 0  # lines of a UTF-8 address book that are not UTF-8, read as cp1252

    @property
    def size(self) -> int:
        """People in the file (for a CSV, the rows that could be read)."""
        if self.data is not None:
            return len(self.data.get("prospects", []))
        return len(self.records)

    def describe(self) -> str:
        what = KIND_NAMES[self.kind]
        if self.table is not None:
            delimiter = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(self.table.delimiter, self.table.delimiter)
            what += f", {self.table.encoding}, {delimiter}-separated"
            if self.table.preamble:
                lines = "1 line" if self.table.preamble == 1 else f"{self.table.preamble} lines"
                what += f", header on line {self.table.header_line} ({lines} of notes above it left out)"
        people = "1 person" if self.size == 1 else f"{self.size:,} people"
        return f"{self.path.name}: {what}, {people}"

    def encoding_note(self) -> str:
        """What the rep should check when the bytes do not prove the encoding (encodings.
        could_garble): which one was used and a line as it reads; "" when nothing could garble.
        The command line and the desk each add how to choose another."""
        if not self.sample:
            return ""
        if self.fallback:
            lines = "1 line" if self.fallback == 1 else f"{self.fallback:,} lines"
            return f"Read as UTF-8, {lines} not UTF-8 as cp1252 (a guess); a line as read: {self.sample}"
        if self.chosen:
            how = "as chosen"
        elif self.encoding.startswith(("utf-16", "utf-32")):
            how = "a guess by its NUL bytes: it has no byte-order mark"
        else:
            how = "a guess: it is not UTF-8"
        return f"Read as {self.encoding} ({how}); a line as read: {self.sample}"

    def mapped(self) -> list[tuple[str, str]]:
        """(column header, what it becomes) for each column of a CSV."""
        if self.table is None:
            return []
        return [
            (header, csv_columns.TARGET_LABELS[self.mapping.get(index, csv_columns.IGNORE)])
            for index, header in enumerate(self.table.headers)
        ]

    def samples(self, rows: int = 200) -> list[str]:
        """Each CSV column's first non-empty cell among the first `rows` rows: what the column
        holds, shown beside its name when the rep chooses its field."""
        if self.table is None:
            return []
        found = [""] * len(self.table.headers)
        for _, cells in self.table.rows[:rows]:
            for index, cell in enumerate(cells[: len(found)]):
                if not found[index] and cell.strip():
                    found[index] = cell.strip()
            if all(found):
                break
        return found

    def remap(self, mapping: dict[int, str]) -> Source:
        """The same CSV read with other column targets."""
        assert self.table is not None
        people, problems = csv_columns.records(self.table, mapping, self.tz)
        return replace(self, mapping=dict(mapping), records=people, problems=self.table.problems + problems)

    def run(self, *, on_duplicate: str = "skip", dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
        if self.data is not None:
            return json_in.import_json(self.data, on_duplicate=on_duplicate, dry_run=dry_run, progress=progress,
                                       tz=self.tz)
        return imports.apply(self.records, on_duplicate=on_duplicate, dry_run=dry_run, progress=progress, problems=self.problems)


def open_source(
    path: str | os.PathLike[str],
    tz: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Source:
    """Read the file and tell what it is by its content. `overrides` maps a CSV column (by its
    header) to a target, over the guess; InvalidInput for a header or target that does not exist."""
    path = Path(path)
    kind = imports.detect_format(path)
    if kind == "json":
        return Source(path, kind, tz, data=json_in.read_json(path))
    encoding = (encoding or "").strip() or None  # the one choice, for a vCard as for a CSV
    if kind == "vcard":
        text, used, odd = vcard_in.decode_book(csv_table.read_bytes(path), encoding)
        people, problems = vcard_in.read_text(text)
        source = _read_as(Source(path, kind, tz, records=people, problems=problems, fallback=len(odd)), encoding, used, text)
        if odd:  # the sample is one of the lines that were a guess
            source.sample = encodings.sample_line("\n".join(odd))
        return source
    table = csv_table.read_table(path, encoding=encoding, delimiter=delimiter)
    mapping = csv_columns.guess_mapping(table.headers)
    for header, target in (overrides or {}).items():
        mapping = with_column(table, mapping, header, target)
    return _read_as(Source(path, kind, tz, table=table).remap(mapping), encoding, table.encoding, None)


def _read_as(source: Source, chosen: str | None, used: str, text: str | None) -> Source:
    """The source with the encoding it was read in, and a sample line when that could garble."""
    source.encoding, source.chosen = used, chosen is not None
    data = csv_table.read_bytes(source.path)
    if encodings.could_garble(data, used):
        if text is None:  # a CSV: read_table keeps no text; decoding again costs ~10 ms per 10 MB
            text, _ = encodings.decode(data, used)
        source.sample = encodings.sample_line(text)
    return source


def with_column(table: csv_table.Table, mapping: dict[int, str], header: str, target: str) -> dict[int, str]:
    """The mapping with the column named `header` (case aside) set to `target`, named by its id or
    by the label the dry run prints ("last_name" or "Last name", case aside). A column that had
    that target before is ignored now, so no two columns fill one field, except phones and emails,
    which many columns may fill (the first non-empty by csv_headers.preference wins)."""
    folded = [h.casefold() for h in table.headers]
    if header.casefold() not in folded:
        raise InvalidInput("map", f"The file has no column {header!r}; its columns are: {', '.join(table.headers)}.")
    named = csv_columns.target_named(target)
    if named is None:
        labels = ", ".join(
            label if label.casefold().strip("()") == t.replace("_", " ") else f"{label} ({t})"
            for t, label in csv_columns.TARGET_LABELS.items()
        )
        raise InvalidInput("map", f"{target!r} is not a field; use one of: {labels}.")
    index = folded.index(header.casefold())
    shared = named == csv_columns.IGNORE or named in csv_headers.MANY
    changed = {i: (csv_columns.IGNORE if t == named and not shared else t) for i, t in mapping.items()}
    changed[index] = named
    return changed
