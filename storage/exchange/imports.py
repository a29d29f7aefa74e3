"""Bringing people from a file into the book (`followup import`, the desk's import screen).

The readers (csv_in, vcard_in, book_json) turn a file into Incoming records; `apply` checks each
by the same rules as the forms, finds who is already in the book (or earlier in the same file),
and writes the rest in ONE transaction: a failure half-way (a full disk, a locked book) leaves
the book exactly as it was. A dry run walks the very same path without writing, so it reports
exactly what a real run would.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from storage import actions
from storage import search
from storage.actions import NOTE_MAX, PROSPECT_FIELDS, NextStep, check_prospect_fields, transaction
from storage.book.clock import utc_now
from storage.exchange.csv_table import guess_encoding
from storage.exchange.duplicates import KnownProspects
from storage.book.errors import InvalidInput
from storage.exchange.incoming import DUPLICATE_CHOICES, ImportReport, Incoming, Problem, Progress
from storage.book.models import FollowUp, Prospect, database

CHUNK = 500  # records between two progress reports (and two flushes of new rows)
BATCH = 250  # rows per INSERT: 250 × 25 columns stays well under SQLite's 32,766 variables
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
    now = _naive_utc(now or utc_now())
    report = ImportReport(dry_run=dry_run, problems=list(problems))
    if dry_run:
        _Import(report, on_duplicate, now, write=False).run(records, progress)
    else:
        # decided under the write lock too, so nobody changes the book between deciding and writing
        with transaction():
            _Import(report, on_duplicate, now, write=True).run(records, progress)
    report.problems.sort(key=lambda problem: problem.line)
    return report


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


# the prospect's facts as columns; referred_by as its id, the way check_prospect_fields gives it
_FACTS = [getattr(Prospect, "referred_by_id" if name == "referred_by" else name) for name in PROSPECT_FIELDS]


class _Import:
    def __init__(self, report: ImportReport, on_duplicate: str, now: dt.datetime, *, write: bool):
        self.report, self.merge, self.now, self.write = report, on_duplicate == "merge", now, write
        self.known = KnownProspects()
        self.new: list[_Person] = []  # the file's new people, in order; KnownProspects knows them as -1, -2…
        self.unwritten: list[_Person] = []
        self.book: dict[int, _Person] = {}  # people of the book a record matched
        self.touched: dict[int, _Person] = {}  # written people a later record added to

    def run(self, records: list[Incoming], progress: Progress | None) -> None:
        total = len(records)
        for start in range(0, total, CHUNK):
            checked = [item for item in map(self._check, records[start : start + CHUNK]) if item is not None]
            if self.merge:
                self._load_matches(checked)
            for record, fields, due in checked:
                self._take(record, fields, due)
            if self.write:
                self._flush()
            done = min(start + CHUNK, total)
            if progress is not None and done < total:
                progress(done, total)
        if self.write:
            self._write_touched()
        if progress is not None:
            progress(total, total)

    # --- deciding ---

    def _check(self, record: Incoming) -> tuple[Incoming, dict[str, Any], dt.datetime | None] | None:
        """The record's facts by the forms' rules, or None with a problem on its line."""
        try:
            fields = check_prospect_fields(record.fields)
            if not fields.get("name"):
                raise InvalidInput("name", "A prospect needs a name.")
        except InvalidInput as exc:
            self.report.problems.append(Problem(record.line, exc.message))
            return None
        due = _naive_utc(record.next_due) if record.next_due is not None else None
        return record, fields, due

    def _match(self, fields: dict[str, Any]) -> int | None:
        return self.known.match(fields["name"], fields.get("company", ""), fields.get("email", ""))

    def _take(self, record: Incoming, fields: dict[str, Any], due: dt.datetime | None) -> None:
        match = self._match(fields)
        if match is None:
            person = _Person(fields, due=due, has_time=record.has_time and due is not None, has_step=due is not None)
            self.new.append(person)
            self.unwritten.append(person)
            self._remember(-len(self.new), person)
            self.report.added += 1
        elif not self.merge:
            self.report.skipped.append((record.line, fields["name"]))
        else:
            # _load_matches read the book's prospect; a key learnt since points to one read
            # already, or to one of the file's own (negative)
            person = self.new[-match - 1] if match < 0 else self.book[match]
            try:
                changes = _merge(person, fields, due, record.has_time)
            except InvalidInput as exc:
                self.report.problems.append(Problem(record.line, exc.message))
                return
            if person.prospect_id is not None:
                self.touched.setdefault(person.prospect_id, person)
            if "email" in changes or "company" in changes:
                self._remember(match, person)  # so a later record finds them by what was filled in
            self.report.merged += 1

    def _remember(self, key: int, person: _Person) -> None:
        fields = person.fields
        self.known.add(key, fields["name"], fields.get("company") or "", fields.get("email") or "")

    def _load_matches(self, checked: list[tuple[Incoming, dict[str, Any], dt.datetime | None]]) -> None:
        """Read the book's people this chunk will merge into, 500 at a time, not one by one."""
        wanted = {match for _, fields, _ in checked if (match := self._match(fields)) and match > 0}
        missing = sorted(wanted - self.book.keys())
        for ids in pw.chunked(missing, CHUNK):
            query = Prospect.select(Prospect.id, Prospect.status, *_FACTS).where(Prospect.id.in_(ids))
            for prospect_id, status, *values in query.tuples():
                facts = dict(zip(PROSPECT_FIELDS, values))
                self.book[prospect_id] = _Person(facts, prospect_id=prospect_id, status=status)
            open_steps = FollowUp.select(FollowUp.prospect).where(FollowUp.prospect.in_(ids) & FollowUp.done_at.is_null())
            for (prospect_id,) in open_steps.tuples():
                self.book[prospect_id].has_step = True

    # --- writing ---

    def _flush(self) -> None:
        """Write the new people decided so far: one INSERT per BATCH rows, their steps, their
        search rows (by the statement a full rebuild uses, so the index is what a rebuild makes)."""
        for batch in pw.chunked(self.unwritten, BATCH):
            ids = _insert(Prospect, [self._row(person) for person in batch], returning=True)
            steps = []
            for prospect_id, person in zip(ids, batch):
                person.prospect_id = prospect_id
                if person.due is not None:
                    steps.append(self._step_row(person))
                person.due, person.changed = None, set()
            if steps:
                _insert(FollowUp, steps)
            if isinstance(database.obj, pw.SqliteDatabase):
                marks = ", ".join("?" * len(ids))
                database.execute_sql(f"{search.REINDEX_SQL[1]} WHERE id IN ({marks})", ids)
        self.unwritten = []

    def _row(self, person: _Person) -> dict[str, Any]:
        due = person.due
        return {
            **person.fields,
            "status": "active",
            "created_at": self.now,
            "updated_at": self.now,
            # the derived fields, as refresh_derived would set them for a prospect without touches
            "touch_count": 0,
            "last_touch_at": None,
            "last_reply_at": None,
            "unanswered_streak": 0,
            "next_due_at": due,
            "next_promised": False,
            "next_kind": IMPORTED_KIND if due is not None else None,
        }

    def _step_row(self, person: _Person) -> dict[str, Any]:
        return {
            "prospect": person.prospect_id,
            "due_at": person.due,
            "has_time": person.has_time,
            "channel": _channel(person.fields),
            "what": IMPORTED_WHAT,
            "kind": IMPORTED_KIND,
            "promised": False,
            "created_at": self.now,
        }

    def _write_touched(self) -> None:
        """People already written (in the book before, or earlier in this file) that a later
        record added facts or a first step to."""
        for person in self.touched.values():
            if not person.changed and person.due is None:
                continue
            prospect = Prospect.get_by_id(person.prospect_id)
            for name in person.changed:
                setattr(prospect, name, person.fields[name])
            prospect.updated_at = self.now
            prospect.save()
            search.index_prospect(prospect)
            if person.due is not None:
                step = NextStep(due_at=person.due, has_time=person.has_time, channel=_channel(person.fields),
                                what=IMPORTED_WHAT, kind=IMPORTED_KIND)
                actions._schedule(prospect, step, self.now)
                actions.refresh_derived(prospect, self.now)


def _insert(model: type[pw.Model], rows: list[dict[str, Any]], *, returning: bool = False) -> list[int]:
    """One multi-row INSERT (a column a row lacks gets the field's default); with `returning`,
    the new ids in the rows' order. Built here rather than by insert_many, which builds a query
    node per value: that took 15 of the 20 seconds of a 50,000-row import."""
    fields = [field for field in model._meta.sorted_fields if not field.primary_key]
    quote = database.quote  # the quote characters of this database, e.g. '""'
    columns = ", ".join(f"{quote[0]}{field.column_name}{quote[1]}" for field in fields)
    marks = "(" + ", ".join([database.param] * len(fields)) + ")"
    sql = f"INSERT INTO {quote[0]}{model._meta.table_name}{quote[1]} ({columns}) VALUES {', '.join([marks] * len(rows))}"
    # text and numbers were checked already and pass as they are; dates and the like convert
    spec = [
        (field.name, field.default, None if isinstance(field, (pw.CharField, pw.TextField, pw.IntegerField)) else field.db_value)
        for field in fields
    ]
    params = []
    for row in rows:
        for name, default, convert in spec:
            value = row[name] if name in row else (default() if callable(default) else default)
            params.append(value if convert is None or value is None else convert(value))
    if not returning:
        database.execute_sql(sql, params)
        return []
    cursor = database.execute_sql(f"{sql} RETURNING {quote[0]}id{quote[1]}", params)
    # ids grow in the order the rows are inserted (SQLite and PostgreSQL alike), whatever order
    # RETURNING hands them back in
    ids = sorted(row[0] for row in cursor.fetchall())
    if len(ids) != len(rows):
        raise RuntimeError("the book did not return an id for every new row")
    return ids


def _channel(fields: dict[str, Any]) -> str:
    """The first step's channel: the one they prefer, else a call when there is a number."""
    if fields.get("preferred_channel"):
        return fields["preferred_channel"]
    if fields.get("phone"):
        return "call"
    return "email" if fields.get("email") else "call"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == 0


def _merge(person: _Person, fields: dict[str, Any], due: dt.datetime | None, has_time: bool) -> dict[str, Any]:
    """Fill in only what the person lacks (never overwrite what the rep typed), add notes not
    already there, and give an active person without a next step the record's date. Returns
    the facts it filled in."""
    changes = {
        name: value
        for name, value in fields.items()
        if name not in ("name", "notes") and _empty(person.fields.get(name)) and not _empty(value)
    }
    notes, old = fields.get("notes") or "", person.fields.get("notes") or ""
    if notes and notes not in old:
        combined = f"{old}\n\n{notes}" if old else notes
        if len(combined) > NOTE_MAX:
            raise InvalidInput("notes", f"Merged, their notes would be longer than {NOTE_MAX:,} characters; nothing was merged.")
        changes["notes"] = combined
    person.fields.update(changes)
    person.changed.update(changes)
    if due is not None and person.status == "active" and not person.has_step:
        person.due, person.has_time, person.has_step = due, has_time, True
    return changes
