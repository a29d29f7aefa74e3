"""What an import of our JSON file will write: who each checked record is (a new prospect, or one
already in the book or earlier in the file: storage.exchange.duplicates) and, for a merge, what
it adds that the prospect lacks. Reads only, so a dry run plans exactly what a real run writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.actions import NOTE_MAX
from storage.book.models import Prospect, Touch, database
from storage.exchange.duplicates import KnownProspects, fill_in
from storage.exchange.incoming import ImportReport, Problem
from storage.exchange.json_out import FACTS
from storage.exchange.json_records import ProspectRecord, StepRecord, TouchRecord, who


def _touch_key(row: dict) -> tuple:
    return row["at"], row["channel"], row["note"]


def _step_key(row: dict) -> tuple:
    return row["created_at"], row["due_at"], row["channel"], row["kind"], row["what"]


def _select(sql: str, params: tuple) -> list[tuple]:
    """A raw read, for the per-prospect lookups of a merge: peewee takes ~0.5 ms to build a
    query that SQLite answers in 0.03 ms."""
    return database.execute_sql(sql.replace("?", database.obj.param), params).fetchall()


_FACTS_SQL = f"SELECT {', '.join(FACTS)}, referred_by_id FROM prospect WHERE id = ?"
_STEPS_SQL = "SELECT created_at, due_at, channel, kind, what, id, done_at FROM follow_up WHERE prospect_id = ?"
_TOUCHES_SQL = "SELECT at, channel, note FROM touch WHERE prospect_id = ?"


@dataclass(eq=False)
class Target:
    """A prospect the import writes to: a new one (from a record) or one already in the book."""

    id: int | None  # the book's id; a new prospect's is given when it is written
    facts: dict[str, Any]
    referrer: int | Target | None  # who referred them, once known: the book's id, or a new prospect
    referrer_in_file: int | None  # … or their id in the file, until it is resolved
    record: ProspectRecord | None = None  # a new prospect's record (its state)
    steps: list[StepRecord] = field(default_factory=list)  # to write
    touches: list[TouchRecord] = field(default_factory=list)  # to write
    step_keys: dict[tuple, StepRecord | int] = field(default_factory=dict)
    touch_keys: set[tuple] = field(default_factory=set)
    has_open: bool = False  # an open follow-up, in the book or to write
    merged: bool = False
    before: dict[str, Any] | None = None  # a prospect already in the book: its facts as they are

    @classmethod
    def new(cls, record: ProspectRecord) -> Target:
        target = cls(None, dict(record.facts), None, record.referrer, record=record)
        target.steps, target.touches = list(record.steps), list(record.touches)
        target.step_keys = {_step_key(s.row): s for s in target.steps}
        target.touch_keys = {_touch_key(t.row) for t in target.touches}
        target.has_open = any(s.row["done_at"] is None for s in target.steps)
        return target

    @classmethod
    def existing(cls, prospect_id: int) -> Target:
        *values, referrer = _select(_FACTS_SQL, (prospect_id,))[0]
        facts = {key: Prospect._meta.fields[key].python_value(v) for key, v in zip(FACTS, values)}
        target = cls(prospect_id, facts, referrer, None, before=dict(facts))
        moment = Touch.at.python_value  # a stored moment as the models read it (SQLite's text, or a datetime)
        for created, due, channel, kind, what, step_id, done in _select(_STEPS_SQL, (prospect_id,)):
            row = {"created_at": moment(created), "due_at": moment(due), "channel": channel, "kind": kind, "what": what}
            target.step_keys[_step_key(row)] = step_id
            target.has_open = target.has_open or done is None
        for at, channel, note in _select(_TOUCHES_SQL, (prospect_id,)):
            target.touch_keys.add((moment(at), channel, note))
        return target

    @property
    def referrer_id(self) -> int | None:
        """The book's id of who referred them (a new referrer's once it is written)."""
        return self.referrer.id if isinstance(self.referrer, Target) else self.referrer

    def merge(self, record: ProspectRecord) -> str | None:
        """Add what the record knows and this prospect does not: empty facts filled, notes
        appended, touches and follow-ups it lacks (one open follow-up at most: the one here
        wins). Returns a problem to report, if any."""
        self.merged = True
        changes, notes_left_out = fill_in(self.facts, record.facts)
        self.facts.update(changes)
        problem = f"their notes were not merged: together they pass {NOTE_MAX:,} characters" if notes_left_out else None
        if self.referrer is None and self.referrer_in_file is None:
            self.referrer_in_file = record.referrer
        same: dict[int, StepRecord | int | None] = {}  # the record's steps → what they are here
        for step in record.steps:
            key = _step_key(step.row)
            if key in self.step_keys:
                same[id(step)] = self.step_keys[key]
            elif step.row["done_at"] is None and self.has_open:
                same[id(step)] = None
            else:
                self.step_keys[key] = step
                self.steps.append(step)
                self.has_open = self.has_open or step.row["done_at"] is None
        for touch in record.touches:
            key = _touch_key(touch.row)
            if key in self.touch_keys:
                continue
            self.touch_keys.add(key)
            if isinstance(touch.step, StepRecord) and id(touch.step) in same:
                touch.step = same[id(touch.step)]
            self.touches.append(touch)
        return problem


def plan(records: list[ProspectRecord], on_duplicate: str, report: ImportReport) -> list[Target]:
    """Who each record is (a new prospect, or one already in the book or the file) and what it
    adds; the prospects to write, the new ones first (in the file's order), counted in `report`."""
    known = KnownProspects()  # the book's prospects by their ids; the file's new ones as -1, -2…
    new: list[Target] = []
    merged: dict[int, Target] = {}
    in_file: dict[int, int] = {}  # file id → who it is (a key of `known`), for referrals
    for record in records:
        facts = record.facts
        match = known.match(facts["name"], facts["company"], facts["email"])
        if match is None:
            new.append(Target.new(record))
            match = -len(new)
            known.add(match, facts["name"], facts["company"], facts["email"])
            report.added += 1
        elif on_duplicate == "skip":
            report.skipped.append((record.number, facts["name"]))
        else:
            target = new[-match - 1] if match < 0 else merged.get(match)
            if target is None:
                target = merged[match] = Target.existing(match)
            problem = target.merge(record)
            if problem:
                report.problems.append(Problem(0, f"prospect {record.number} in the file ({who(facts)}): {problem}."))
            known.add(match, target.facts["name"], target.facts["company"], target.facts["email"])  # a filled email
            report.merged += 1
        if record.file_id is not None:
            in_file.setdefault(record.file_id, match)
    targets = new + [merged[key] for key in sorted(merged)]
    for target in targets:
        if target.referrer is None and target.referrer_in_file is not None:
            match = in_file.get(target.referrer_in_file)
            referrer = new[-match - 1] if match is not None and match < 0 else match
            is_self = referrer is target or (target.id is not None and referrer == target.id)
            target.referrer = None if is_self else referrer
    return targets
