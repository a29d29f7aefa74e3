"""Bringing people from a file into the book (`followup import`, the desk's import screen).

The readers (csv_columns, vcard_in) turn a file into Incoming records; `apply` checks each by
the same rules as the forms, finds who is already in the book (or earlier in the same file), and
writes the rest as ONE action (storage.actions.bulk_load: one transaction, one journal entry): a
failure half-way (a full disk, a locked book) leaves the book exactly as it was, and no entry.
A dry run walks the very same path without writing, so it reports exactly what a real run would.
(Our own JSON export comes in through json_in, by the same write path.)
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from storage import search
from storage.actions import NOTE_MAX, PROSPECT_FIELDS, WHAT_MAX, BulkLoad, NextStep, bulk_load, check_prospect_fields
from storage.actions.writing import naive_utc, refresh_derived, schedule
from storage.book.clock import utc_now
from storage.book.errors import InvalidInput
from storage.book.models import FollowUp, Prospect
from storage.exchange.csv_table import guess_encoding
from storage.exchange.duplicates import KnownProspects, fill_in
from storage.exchange.incoming import DUPLICATE_CHOICES, ImportReport, Incoming, Problem, Progress
from storage.rules.derived import OpenStep, derived_fields
from storage.rules.text import clean_line

CHUNK = 500  # records between two progress reports (and two flushes of new rows)
IMPORTED_WHAT = "Follow up (imported)"
IMPORTED_KIND = "new prospect"
_HEAD = 64 * 1024
_OUR_JSON = re.compile(r'"format"\s*:\s*"followup-desk"')


def detect_format(path: str | os.PathLike[str]) -> str:
    """"json" (our own book export), "vcard" or "csv", by what the file holds, not its name."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        raise InvalidInput("file", f"Can't read {os.fspath(path)}: {exc.strerror or exc}.") from None
    # only ASCII markers matter here, so a character cut at the end of the sample is harmless
    text = head.decode(guess_encoding(head), errors="replace").lstrip("\ufeff")
    if text.lstrip().startswith("{") and _OUR_JSON.search(text):
        return "json"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return "vcard" if first.upper() == "BEGIN:VCARD" else "csv"


# ---------------------------------------------------------------------------------------------


@dataclass
class _Person:
    """A prospect as the import leaves it: one new from the file, or one already in the book."""

    fields: dict[str, Any]  # its facts, clean
    prospect_id: int | None = None  # None until written
    status: str = "active"
    has_step: bool = False  # an open follow-up, in the book or planned
    due: dt.datetime | None = None  # a step still to write
    has_time: bool = False
    changed: set[str] = field(default_factory=set)  # facts still to write to its row
    closed_why: str = ""  # a new one the file says is lost: its words, as the drop's reason


def apply(
    records: list[Incoming],
    *,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    problems: Iterable[Problem] = (),
) -> ImportReport:
    """Add the records' people to the book; a person already there (same email, or same name and
    company) is skipped or merged (`on_duplicate`), never doubled. `problems` are those the
    reader found; the report lists them with the records refused here, by line."""
    if on_duplicate not in DUPLICATE_CHOICES:
        raise ValueError(f"on_duplicate must be one of {DUPLICATE_CHOICES}, not {on_duplicate!r}")
    now = naive_utc(now or utc_now())
    report = ImportReport(dry_run=dry_run, problems=list(problems))
    if dry_run:
        _Import(report, on_duplicate, now, None).run(records, progress)
    else:
        # decided under the write lock too, so nobody changes the book between deciding and writing
        with bulk_load("import", now=now) as load:
            _Import(report, on_duplicate, now, load).run(records, progress)
            load.change.summary = report.as_change()
    report.problems.sort(key=lambda problem: problem.line)
    return report


# the prospect's facts as columns; referred_by as its id, the way check_prospect_fields gives it
_FACTS = [getattr(Prospect, "referred_by_id" if name == "referred_by" else name) for name in PROSPECT_FIELDS]
# every column of a new prospect and of its first step (what a row leaves out: the model's default)


class _Import:
    def __init__(self, report: ImportReport, on_duplicate: str, now: dt.datetime, load: BulkLoad | None):
        self.report, self.merge, self.now, self.load = report, on_duplicate == "merge", now, load
        self.known = KnownProspects()
        self.new: list[_Person] = []  # the file's new people, in order; KnownProspects knows them as -1, -2…
        self.unwritten: list[_Person] = []
        self.book: dict[int, _Person] = {}  # people of the book a record matched
        self.touched: dict[int, _Person] = {}  # written people a later record added to

    def run(self, records: list[Incoming], progress: Progress | None) -> None:
        total = len(records)
        chunks = (records[start : start + CHUNK] for start in range(0, total, CHUNK))
        checked_chunks = ([item for item in map(self._check, chunk) if item is not None] for chunk in chunks)
        if self.merge:
            # every prospect the file merges into is read and locked before the first is changed,
            # all in one id order (a chunk's matches after another's, each in id order, would meet
            # another desk's lock of the same rows the other way round: a deadlock)
            checked_chunks = list(checked_chunks)
            self._load_matches([item for checked in checked_chunks for item in checked])
        for start, checked in zip(range(0, total, CHUNK), checked_chunks):
            for record, fields, due, warnings in checked:
                if self._take(record, fields, due):  # a cell left empty matters for who comes in
                    self.report.warnings.extend(warnings)
            if self.load is not None:
                self._flush(self.load)
            done = min(start + CHUNK, total)
            if progress is not None and done < total:
                progress(done, total)
        if self.load is not None:
            self._write_touched(self.load)
        if progress is not None:
            progress(total, total)

    # --- deciding ---

    def _check(self, record: Incoming) -> tuple[Incoming, dict[str, Any], dt.datetime | None, list[Problem]] | None:
        """The record's facts by the forms' rules, or None with a problem on its line. A fact the
        rules refuse (an email without @, an unknown time zone) is left out and said as a warning:
        it costs that cell, never the person; only a name that cannot be is the record's end."""
        facts = dict(record.fields)
        warnings = [Problem(record.line, warning) for warning in record.warnings]
        while True:
            try:
                fields = check_prospect_fields(facts)
                if not fields.get("name"):
                    raise InvalidInput("name", "A prospect needs a name.")
                break
            except InvalidInput as exc:
                if exc.field == "name" or exc.field not in facts:
                    self.report.problems.append(Problem(record.line, exc.message))
                    return None
                column = record.columns.get(exc.field) or exc.field.replace("_", " ").capitalize()
                why = exc.message.rstrip(".").split(" — ")[0]  # the form's advice ("— check it …") aside
                warnings.append(Problem(record.line, f"{column} {_quote(facts.pop(exc.field))}: {why[:1].lower()}{why[1:]}; left empty"))
        closed = record.status != "active"
        due = naive_utc(record.next_due) if record.next_due is not None and not closed else None
        return record, fields, due, warnings

    def _match(self, fields: dict[str, Any]) -> int | None:
        return self.known.match(fields["name"], fields.get("company", ""), fields.get("email", ""))

    def _take(self, record: Incoming, fields: dict[str, Any], due: dt.datetime | None) -> bool:
        """Add or merge the person (True), or skip them as already in the book (False)."""
        match = self._match(fields)
        if match is None:
            person = _Person(fields, due=due, has_time=record.has_time and due is not None, has_step=due is not None,
                             status=record.status, closed_why=record.closed_why)
            self.new.append(person)
            self.unwritten.append(person)
            self._remember(-len(self.new), person)
            self.report.added += 1
        elif not self.merge:
            self.report.skipped.append((record.line, fields["name"]))
            return False
        else:
            # _load_matches read the book's prospect; a key learnt since points to one read
            # already, or to one of the file's own (negative)
            person = self.new[-match - 1] if match < 0 else self.book[match]
            try:
                changes = _merge(person, fields, due, record.has_time)
            except InvalidInput as exc:
                self.report.problems.append(Problem(record.line, exc.message))
                return False
            if person.prospect_id is not None:
                self.touched.setdefault(person.prospect_id, person)
            if "email" in changes or "company" in changes:
                self._remember(match, person)  # so a later record finds them by what was filled in
            self.report.merged += 1
        return True

    def _remember(self, key: int, person: _Person) -> None:
        fields = person.fields
        self.known.add(key, fields["name"], fields.get("company") or "", fields.get("email") or "")

    def _load_matches(self, checked: list[tuple[Incoming, dict[str, Any], dt.datetime | None, list[Problem]]]) -> None:
        """Read the book's people the file will merge into, 500 at a time in id order, not one by
        one. A record's match is the book's prospect it names before the import adds anyone: a
        later record can only match one of these, or one of the file's own."""
        wanted = {match for _, fields, *_ in checked if (match := self._match(fields)) and match > 0}
        missing = sorted(wanted - self.book.keys())
        for ids in pw.chunked(missing, CHUNK):
            query = Prospect.select(Prospect.id, Prospect.status, *_FACTS).where(Prospect.id.in_(ids)).order_by(Prospect.id)
            if self.load is not None:  # merged into: locked, as an action locks its prospect (writing.get)
                query = self.load.engine.locked(query)
            for prospect_id, status, *facts in query.tuples():
                self.book[prospect_id] = _Person(dict(zip(PROSPECT_FIELDS, facts)), prospect_id=prospect_id, status=status)
            for prospect_id in FollowUp.open_of(ids):
                self.book[prospect_id].has_step = True

    # --- writing ---

    def _flush(self, load: BulkLoad) -> None:
        """Write the new people decided so far, their first steps and their search rows (by the
        statement a full rebuild uses, so the index is what a rebuild makes)."""
        people, self.unwritten = self.unwritten, []
        ids = load.ids(Prospect, len(people))
        for prospect_id, person in zip(ids, people):
            person.prospect_id = prospect_id
        load.insert_dicts(Prospect, [self._row(person) for person in people])
        first = [person for person in people if person.due is not None]
        steps = zip(load.ids(FollowUp, len(first)), first)
        load.insert_dicts(FollowUp, [self._step_row(i, person) for i, person in steps])
        for person in people:
            person.due, person.changed = None, set()
        search.reindex(ids)

    def _row(self, person: _Person) -> dict[str, Any]:
        step = OpenStep(person.due, False, IMPORTED_KIND, person.has_time) if person.due is not None else None
        return {
            "id": person.prospect_id,
            **person.fields,
            "status": person.status,
            # a CRM's won or lost deal comes in closed, on the day of the import (the file does
            # not say when), without a next step
            "closed_at": None if person.status == "active" else self.now,
            "drop_reason": clean_line(person.closed_why)[:WHAT_MAX] if person.status == "dropped" else "",
            "created_at": self.now,
            "updated_at": self.now,
            **derived_fields([], step),
        }

    def _step_row(self, step_id: int, person: _Person) -> dict[str, Any]:
        return {
            "id": step_id,
            "prospect": person.prospect_id,
            "due_at": person.due,
            "has_time": person.has_time,
            "channel": _channel(person.fields),
            "what": IMPORTED_WHAT,
            "kind": IMPORTED_KIND,
            "promised": False,
            "created_at": self.now,
        }

    def _write_touched(self, load: BulkLoad) -> None:
        """People already written (in the book before, or earlier in this file) that a later
        record added facts or a first step to: through the load's change, so the journal holds
        them as they were and as they became."""
        for person in self.touched.values():
            if not person.changed and person.due is None:
                continue
            prospect = Prospect.get_by_id(person.prospect_id)
            for name in person.changed:
                setattr(prospect, name, person.fields[name])
            if person.due is not None:
                step = NextStep(due_at=person.due, has_time=person.has_time, channel=_channel(person.fields),
                                what=IMPORTED_WHAT, kind=IMPORTED_KIND)
                schedule(load.change, prospect, step)
            refresh_derived(load.change, prospect)  # saves the facts too, and updated_at
            search.index_prospect(prospect)


def _quote(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _channel(fields: dict[str, Any]) -> str:
    """The first step's channel: the one they prefer, else a call when there is a number."""
    if fields.get("preferred_channel"):
        return fields["preferred_channel"]
    if fields.get("phone"):
        return "call"
    return "email" if fields.get("email") else "call"


def _merge(person: _Person, fields: dict[str, Any], due: dt.datetime | None, has_time: bool) -> dict[str, Any]:
    """Fill in only what the person lacks (never overwrite what the rep typed), add notes not
    already there (or refuse the record whole when they would grow too long), and give an active
    person without a next step the record's date. Returns the facts it filled in."""
    changes, notes_left_out = fill_in(person.fields, fields)
    if notes_left_out:
        raise InvalidInput("notes", f"Merged, their notes would be longer than {NOTE_MAX:,} characters; nothing was merged.")
    person.fields.update(changes)
    person.changed.update(changes)
    if due is not None and person.status == "active" and not person.has_step:
        person.due, person.has_time, person.has_step = due, has_time, True
    return changes
