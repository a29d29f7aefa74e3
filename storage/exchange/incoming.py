"""What an import hands over, whatever file it came from (CSV, vCard, our own JSON), and what it
reports back: one record per person with the line it started on, the problems with line numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# (done, total): called now and then while an import writes, for a progress bar
Progress = Callable[[int, int], None]

DUPLICATE_CHOICES = ("skip", "merge")


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based line of the file where the record starts (0: the file as a whole)
    reason: str  # one sentence for the rep

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class Incoming:
    """One person from a file. `fields` are prospect fields as storage.actions takes them
    (name, company, title, email, phone, deal_value, notes, source…), not yet checked."""

    line: int
    fields: dict[str, Any]
    next_due: dt.datetime | None = None  # naive UTC
    has_time: bool = False
    # where each field came from in the file ("E-mail Address"), to name it in a warning
    columns: dict[str, str] = field(default_factory=dict)
    # cells that could not be read and were left empty (the person comes in without them)
    warnings: list[str] = field(default_factory=list)
    status: str = "active"  # won or dropped when the file says so (a CRM's stage)
    closed_why: str = ""  # what the file said of a closed one ("Stage: Closed Lost")


@dataclass
class ImportReport:
    dry_run: bool = False
    added: int = 0
    merged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, who) duplicates left alone
    problems: list[Problem] = field(default_factory=list)  # rows that could not be read
    warnings: list[Problem] = field(default_factory=list)  # cells left empty of people who came in

    def summary(self) -> str:
        counts = (
            f"{self.added:,} added, {self.merged:,} merged into prospects already in the book, "
            f"{len(self.skipped):,} duplicates skipped, {len(self.problems):,} rows unreadable"
        )
        if self.warnings:
            counts += f", {len(self.warnings):,} unreadable cell{'' if len(self.warnings) == 1 else 's'} left empty"
        return f"Dry run, nothing written: {counts}." if self.dry_run else f"Imported: {counts}."

    def as_change(self) -> str:
        """The import as the journal names it, and the undo's toast: "import of 3 new prospects"."""
        said = f"import of {self.added:,} new prospect{'' if self.added == 1 else 's'}"
        return f"{said} ({self.merged:,} merged)" if self.merged else said
