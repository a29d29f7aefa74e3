"""The desk's own JSON file: every prospect with its whole history, out and back in.

    {"format": "followup-desk", "version": 1, "exported_at": "2026-11-23T08:30:00Z",
     "prospects": [{"id": 1, "name": …, "referred_by": 7, …, "status": "active", …,
                    "followups": [{"id": 3, "due_at": …, …}],
                    "touches": [{"at": …, …, "followup": 3}]}, …]}

Moments are ISO UTC strings ("…T08:30:00Z"), days "YYYY-MM-DD". The ids are the exporting book's:
they only tie a referral to its referrer and a touch to the follow-up it completed, inside the file.
Derived fields (touch count, last reply, next due…) and tags are not written: the import
recomputes them from the history, as storage.actions does.

The import checks every record by the rules of a form (storage.actions.check_prospect_fields and
the vocabularies), never doubles a prospect (storage.exchange.duplicates: same email, or same name and
company, in the book or earlier in the file), and writes everything in ONE transaction of bulk
inserts: a failure half-way leaves the book as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import peewee as pw

from storage import search
from storage.actions import NOTE_MAX, PROSPECT_FIELDS, check_prospect_fields, transaction
from storage.book.clock import utc_now
from storage.exchange.duplicates import KnownProspects
from storage.book.errors import InvalidInput
from storage.exchange.incoming import DUPLICATE_CHOICES, ImportReport, Problem, Progress
from storage.book.models import (
    CHANNELS,
    DIRECTIONS,
    KINDS,
    OUTCOMES,
    REPLY_OUTCOMES,
    STATUSES,
    FollowUp,
    Prospect,
    Tag,
    Touch,
    database,
)
from storage.rules.tags import tags_in
from storage.rules.text import clean_line, clean_text, visible

FORMAT = "followup-desk"
VERSION = 1
PAGE = 1000  # prospects read per query by the export
BATCH = 500  # prospects written per round of inserts (and per progress report)
ROWS = 500  # rows per INSERT: well under SQLite's bound-variable limit for every table
RESOLUTIONS = ("done", "snoozed", "rescheduled", "closed")
FACTS = tuple(key for key in PROSPECT_FIELDS if key != "referred_by")
DEFAULTS = {key: Prospect._meta.fields[key].default for key in FACTS}

# ---------------------------------------------------------------------------------------------
# Out


# Raw reads: the export touches every row of the book, and peewee's conversion of each value
# (a datetime parsed from SQLite's text, then formatted again) was most of its time.
_PROSPECTS_SQL = (
    f"SELECT id, {', '.join(FACTS)}, referred_by_id, status, drop_reason, revisit_on, closed_at, created_at, "
    "updated_at FROM prospect WHERE id > ? ORDER BY id LIMIT ?"
)
_PAGE_STEPS_SQL = (
    "SELECT prospect_id, id, due_at, has_time, channel, what, kind, promised, created_at, done_at, resolution, kept "
    "FROM follow_up WHERE prospect_id IN ({}) ORDER BY prospect_id, id"
)
_PAGE_TOUCHES_SQL = (
    "SELECT prospect_id, at, channel, direction, outcome, note, followup_id "
    "FROM touch WHERE prospect_id IN ({}) ORDER BY prospect_id, at, id"
)


def _iso(value: dt.datetime | str | None) -> str | None:
    """A stored moment as ISO UTC text. SQLite hands back the text it stores
    ("2026-11-23 08:30:00"), other databases a naive UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 19:
            return f"{value[:10]}T{value[11:]}Z"
        value = dt.datetime.fromisoformat(value)
    return value.replace(microsecond=0).isoformat() + "Z"


def _day(value: dt.date | str | None) -> str | None:
    if value is None:
        return None
    return value[:10] if isinstance(value, str) else value.isoformat()


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _by_prospect(sql: str, ids: list[int]) -> dict[int, list[tuple]]:
    rows: dict[int, list[tuple]] = {}
    marks = ", ".join([database.obj.param] * len(ids))
    for prospect_id, *row in database.execute_sql(sql.format(marks), ids):
        rows.setdefault(prospect_id, []).append(row)
    return rows


def write_json(out: TextIO, *, progress: Progress | None = None) -> int:
    """Every prospect with its whole history, read and written a page at a time (never the whole
    book in memory); returns the prospects written."""
    header = {"format": FORMAT, "version": VERSION, "exported_at": _iso(utc_now())}
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "prospects": [')
    total = Prospect.select().count() if progress else 0
    sql = _PROSPECTS_SQL.replace("?", database.obj.param)
    written = last = 0
    while page := database.execute_sql(sql, (last, PAGE)).fetchall():
        ids = [row[0] for row in page]
        steps = _by_prospect(_PAGE_STEPS_SQL, ids)
        touches = _by_prospect(_PAGE_TOUCHES_SQL, ids)
        for prospect_id, *facts, referrer, status, reason, revisit, closed, created, updated in page:
            record = {
                "id": prospect_id,
                **dict(zip(FACTS, facts)),
                "referred_by": referrer,
                "status": status,
                "drop_reason": reason,
                "revisit_on": _day(revisit),
                "closed_at": _iso(closed),
                "created_at": _iso(created),
                "updated_at": _iso(updated),
                "followups": [
                    {"id": step_id, "due_at": _iso(due), "has_time": bool(timed), "channel": channel, "what": what,
                     "kind": kind, "promised": bool(promised), "created_at": _iso(made), "done_at": _iso(done),
                     "resolution": resolution, "kept": _bool(kept)}
                    for step_id, due, timed, channel, what, kind, promised, made, done, resolution, kept
                    in steps.get(prospect_id, ())
                ],
                "touches": [
                    {"at": _iso(at), "channel": channel, "direction": direction, "outcome": outcome, "note": note,
                     "followup": step_id}
                    for at, channel, direction, outcome, note, step_id in touches.get(prospect_id, ())
                ],
            }
            out.write(("\n" if written == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
            written += 1
        last = ids[-1]
        if progress:
            progress(written, total)
    out.write("\n]}\n")
    return written


# ---------------------------------------------------------------------------------------------
# Reading the file


def read_json(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed file, once it is known to be ours and of a version this desk reads."""
    path = Path(path)
    name = visible(path.name, one_line=True)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise InvalidInput("file", f"There is no file {name}.") from None
    except OSError as exc:
        raise InvalidInput("file", f"Can't read {name}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise InvalidInput("file", f"{name} is not UTF-8 text, so not a Followup Desk export.") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "file", f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise InvalidInput("file", f"{name} is nested too deeply to be a Followup Desk export.") from None
    check_header(data, name)
    return data


def check_header(data: Any, name: str = "The file") -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput("file", f'{name} is not a Followup Desk export (it has no "format": "{FORMAT}").')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput("file", f"{name} has no format version this desk knows ({version!r}).")
    if version > VERSION:
        raise InvalidInput(
            "file",
            f"{name} was written by a newer Followup Desk (format version {version}); "
            f"this one reads version {VERSION} — update the desk to import it.",
        )
    if not isinstance(data.get("prospects"), list):
        raise InvalidInput("file", f'{name} has no list of "prospects".')


class _Bad(ValueError):
    """One record of the file cannot be imported; str() says why."""


@dataclass(eq=False)
class _Step:
    row: dict[str, Any]  # FollowUp columns, without id and prospect
    id: int = 0  # the book's id, once given


@dataclass(eq=False)
class _Touch:
    row: dict[str, Any]  # Touch columns, without id, prospect and followup
    step: _Step | int | None  # the follow-up it completed: from the file, or already in the book
    id: int = 0


@dataclass(eq=False)
class _Record:
    number: int  # 1-based place in the file
    file_id: int | None
    referrer: int | None  # the referrer's id in the file
    facts: dict[str, Any]  # checked prospect fields (FACTS)
    state: dict[str, Any]  # status, drop_reason, revisit_on, closed_at, created_at, updated_at
    steps: list[_Step]
    touches: list[_Touch]


def _text(raw: dict, key: str, limit: int | None = None, *, one_line: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{key} must be text")
    text = clean_line(value) if one_line else clean_text(value)
    if limit is not None and len(text) > limit:
        raise _Bad(f"{key} is longer than {limit:,} characters")
    return text


def _moment(raw: dict, key: str, *, required: bool = True) -> dt.datetime | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{key} is missing" if value is None else f"{key} is not a date and time")
    if len(value) == 20 and value[-1] == "Z" and value[10] == "T":  # as we write them: 5x faster
        try:
            return dt.datetime.fromisoformat(value[:-1])
        except ValueError:
            pass
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{key} is not a date and time ({value[:40]!r})") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _date(raw: dict, key: str) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Bad(f"{key} is not a date ({str(value)[:40]!r})") from None


def _choice(raw: dict, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
    value = raw.get(key, default)
    if value not in choices:
        raise _Bad(f"{key} must be one of: {', '.join(choices)} (not {str(value)[:40]!r})")
    return value


def _flag(raw: dict, key: str, *, optional: bool = False) -> bool | None:
    value = raw.get(key, None if optional else False)
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        raise _Bad(f"{key} must be true or false")
    return value


def _id(raw: dict, key: str) -> int | None:
    value = raw.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _Bad(f"{key} must be a number")
    return value


def _list(raw: dict, key: str) -> list:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise _Bad(f"{key} must be a list")
    if not all(isinstance(item, dict) for item in value):
        raise _Bad(f"every entry of {key} must be an object")
    return value


class _Checker:
    """Turns the file's records into checked _Records. Time zones are checked once per name:
    looking one up costs ~0.12 ms, which would be most of the import of a big file."""

    def __init__(self) -> None:
        self._zones: dict[str, str | None] = {}  # name → why it is refused (None: fine)

    def record(self, raw: Any, number: int) -> _Record:
        if not isinstance(raw, dict):
            raise _Bad("it is not a prospect record")
        fields = {}
        for key in FACTS:
            value = raw.get(key)
            if key == "deal_value":
                if isinstance(value, bool) or not isinstance(value, (int, float, str, type(None))):
                    raise _Bad("deal_value must be a number")
            elif value is not None and not isinstance(value, str):
                raise _Bad(f"{key} must be text")
            if key in raw:
                fields[key] = value
        zone = fields.pop("timezone", None)
        try:
            facts = check_prospect_fields(fields)
        except InvalidInput as exc:
            raise _Bad(exc.message.rstrip(".")) from None
        if "name" not in facts:
            raise _Bad("a prospect needs a name")
        facts["timezone"] = self._zone(zone)
        facts = {**DEFAULTS, **facts}  # every fact, so records merge and insert alike
        steps = [self.step(item) for item in _list(raw, "followups")]
        if sum(1 for step in steps if step.row["done_at"] is None) > 1:
            raise _Bad("it has more than one open follow-up")
        by_id: dict[int, _Step] = {}
        for item, step in zip(raw.get("followups", []), steps):
            step_id = _id(item, "id")
            if step_id is not None:
                by_id[step_id] = step
        touches = [self.touch(item, by_id) for item in _list(raw, "touches")]
        state = {
            "status": _choice(raw, "status", STATUSES, "active"),
            "drop_reason": _text(raw, "drop_reason", 500),
            "revisit_on": _date(raw, "revisit_on"),
            "closed_at": _moment(raw, "closed_at", required=False),
            "created_at": _moment(raw, "created_at"),
            "updated_at": _moment(raw, "updated_at", required=False),
        }
        state["updated_at"] = state["updated_at"] or state["created_at"]
        return _Record(number, _id(raw, "id"), _id(raw, "referred_by"), facts, state, steps, touches)

    def _zone(self, name: Any) -> str:
        if not name:
            return ""
        if name not in self._zones:
            try:
                check_prospect_fields({"timezone": name})
                self._zones[name] = None
            except InvalidInput as exc:
                self._zones[name] = exc.message.rstrip(".")
        if self._zones[name] is not None:
            raise _Bad(self._zones[name])
        return clean_line(name)

    @staticmethod
    def step(raw: dict) -> _Step:
        done_at = _moment(raw, "done_at", required=False)
        return _Step({
            "due_at": _moment(raw, "due_at"),
            "has_time": _flag(raw, "has_time"),
            "channel": _choice(raw, "channel", CHANNELS),
            "what": _text(raw, "what", 500),
            "kind": _choice(raw, "kind", KINDS, "new prospect"),
            "promised": _flag(raw, "promised"),
            "created_at": _moment(raw, "created_at"),
            "done_at": done_at,
            "resolution": _choice(raw, "resolution", RESOLUTIONS) if done_at else None,
            "kept": _flag(raw, "kept", optional=True),
        })

    @staticmethod
    def touch(raw: dict, steps: dict[int, _Step]) -> _Touch:
        step_id = _id(raw, "followup")
        if step_id is not None and step_id not in steps:
            raise _Bad(f"a touch points to follow-up {step_id}, which is not theirs in the file")
        return _Touch(
            {
                "at": _moment(raw, "at"),
                "channel": _choice(raw, "channel", CHANNELS),
                "direction": _choice(raw, "direction", DIRECTIONS, "out"),
                "outcome": _choice(raw, "outcome", OUTCOMES),
                "note": _text(raw, "note", NOTE_MAX, one_line=False),
            },
            steps.get(step_id) if step_id is not None else None,
        )


def _who(raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    text = visible(" ".join(name.split()), one_line=True) if isinstance(name, str) else ""
    return (text[:59] + "…" if len(text) > 60 else text) or "no name"


# ---------------------------------------------------------------------------------------------
# What the import will write


def _touch_key(row: dict) -> tuple:
    return row["at"], row["channel"], row["note"]


def _step_key(row: dict) -> tuple:
    return row["created_at"], row["due_at"], row["channel"], row["kind"], row["what"]


def _empty(value: Any) -> bool:
    return value in (None, "", 0)


def _select(sql: str, params: tuple) -> list[tuple]:
    """A raw read, for the per-prospect lookups of a merge: peewee takes ~0.5 ms to build a
    query that SQLite answers in 0.03 ms."""
    return database.execute_sql(sql.replace("?", database.obj.param), params).fetchall()


_FACTS_SQL = f"SELECT {', '.join(FACTS)}, referred_by_id FROM prospect WHERE id = ?"
_STEPS_SQL = "SELECT id, created_at, due_at, channel, kind, what, done_at, promised FROM follow_up WHERE prospect_id = ?"
_TOUCHES_SQL = "SELECT id, at, channel, note, outcome FROM touch WHERE prospect_id = ?"


def _stored(value: Any) -> dt.datetime | None:
    """A moment as a raw read gives it: SQLite's text ("2026-11-23 08:30:00"), or a datetime."""
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


@dataclass(eq=False)
class _Target:
    """A prospect the import writes to: a new one (from a record) or one already in the book."""

    id: int
    facts: dict[str, Any]
    referrer: int | None  # the book's id of who referred them, once known
    referrer_in_file: int | None  # … or their id in the file, until it is resolved
    record: _Record | None = None  # a new prospect's record (its state)
    steps: list[_Step] = field(default_factory=list)  # to write
    touches: list[_Touch] = field(default_factory=list)  # to write
    step_keys: dict[tuple, _Step | int] = field(default_factory=dict)
    touch_keys: set[tuple] = field(default_factory=set)
    has_open: bool = False
    merged: bool = False
    # a prospect already in the book: as it is, with its history (at, id, outcome) and open step
    before: dict[str, Any] | None = None
    history: list[tuple] = field(default_factory=list)
    open_step: dict[str, Any] | None = None

    @classmethod
    def new(cls, prospect_id: int, record: _Record) -> _Target:
        target = cls(prospect_id, dict(record.facts), None, record.referrer, record=record)
        target.steps, target.touches = list(record.steps), list(record.touches)
        target.step_keys = {_step_key(s.row): s for s in target.steps}
        target.touch_keys = {_touch_key(t.row) for t in target.touches}
        target.has_open = any(s.row["done_at"] is None for s in target.steps)
        return target

    @classmethod
    def existing(cls, prospect_id: int) -> _Target:
        *values, referrer = _select(_FACTS_SQL, (prospect_id,))[0]
        facts = {key: Prospect._meta.fields[key].python_value(v) for key, v in zip(FACTS, values)}
        target = cls(prospect_id, facts, referrer, None, before=dict(facts))
        moment = _stored
        for step_id, created, due, channel, kind, what, done, promised in _select(_STEPS_SQL, (prospect_id,)):
            row = {"created_at": moment(created), "due_at": moment(due), "channel": channel, "kind": kind, "what": what}
            target.step_keys[_step_key(row)] = step_id
            if done is None and (target.open_step is None or step_id > target.open_step["id"]):
                target.open_step = {**row, "id": step_id, "promised": bool(promised)}
        target.has_open = target.open_step is not None
        for touch_id, at, channel, note, outcome in _select(_TOUCHES_SQL, (prospect_id,)):
            target.touch_keys.add((moment(at), channel, note))
            target.history.append((moment(at), touch_id, outcome))
        return target

    def merge(self, record: _Record) -> str | None:
        """Add what the record knows and this prospect does not: empty facts filled, notes
        appended, touches and follow-ups it lacks (one open follow-up at most: the one here
        wins). Returns a problem to report, if any."""
        self.merged = True
        problem = None
        for key, value in record.facts.items():
            if key == "notes":
                mine = self.facts["notes"] or ""
                if value and value not in mine:
                    joined = f"{mine}\n\n{value}" if mine else value
                    if len(joined) <= NOTE_MAX:
                        self.facts["notes"] = joined
                    else:
                        problem = f"their notes were not merged: together they pass {NOTE_MAX:,} characters"
            elif _empty(self.facts[key]) and not _empty(value):
                self.facts[key] = value
        if self.referrer is None and self.referrer_in_file is None:
            self.referrer_in_file = record.referrer
        same: dict[int, _Step | int | None] = {}  # the record's steps → what they are here
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
            if isinstance(touch.step, _Step) and id(touch.step) in same:
                touch.step = same[id(touch.step)]
            self.touches.append(touch)
        return problem


def _plan(records: list[_Record], on_duplicate: str, report: ImportReport) -> list[_Target]:
    """Who each record is (a new prospect, or one already in the book or the file) and what it
    adds; the prospects to write, the new ones first. Reads only."""
    known = KnownProspects()
    next_id = (Prospect.select(pw.fn.MAX(Prospect.id)).scalar() or 0) + 1
    first_new = next_id
    targets: dict[int, _Target] = {}
    in_file: dict[int, int] = {}  # file id → book id, for referrals
    for record in records:
        facts = record.facts
        match = known.match(facts["name"], facts["company"], facts["email"])
        if match is None:
            targets[next_id] = _Target.new(next_id, record)
            known.add(next_id, facts["name"], facts["company"], facts["email"])
            match, next_id = next_id, next_id + 1
            report.added += 1
        elif on_duplicate == "skip":
            report.skipped.append((record.number, facts["name"]))
        else:
            if match not in targets:
                targets[match] = _Target.existing(match)
            target = targets[match]
            problem = target.merge(record)
            if problem:
                report.problems.append(Problem(0, f"prospect {record.number} in the file ({_who(facts)}): {problem}."))
            known.add(match, target.facts["name"], target.facts["company"], target.facts["email"])  # a filled email
            report.merged += 1
        if record.file_id is not None:
            in_file.setdefault(record.file_id, match)
    for target in targets.values():
        if target.referrer is None and target.referrer_in_file is not None:
            referrer = in_file.get(target.referrer_in_file)
            target.referrer = referrer if referrer != target.id else None
    return sorted(targets.values(), key=lambda t: (t.id < first_new, t.id))


# ---------------------------------------------------------------------------------------------
# Writing it


def _derived(history: list[tuple], step: dict[str, Any] | None) -> dict[str, Any]:
    """The derived fields exactly as storage.actions.refresh_derived computes them, from the
    touches' (at, id, outcome) in the history's order and the open follow-up."""
    reply = max((i for i, t in enumerate(history) if t[2] in REPLY_OUTCOMES), default=None)
    return {
        "touch_count": len(history),
        "last_touch_at": max((t[0] for t in history), default=None),
        "last_reply_at": history[reply][0] if reply is not None else None,
        "unanswered_streak": len(history) - (reply + 1 if reply is not None else 0),
        "next_due_at": step["due_at"] if step else None,
        "next_promised": bool(step and step["promised"]),
        "next_kind": step["kind"] if step else None,
    }


def _insert(model: type[pw.Model], rows: list[dict[str, Any]]) -> None:
    """Rows (all with the same keys, values already of their Python types) in chunks through
    executemany: peewee's insert_many spends ~25 µs building SQL for each value, which was most
    of an import's time."""
    if not rows:
        return
    db = database.obj
    names = list(rows[0])
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(db.quote[0] + f.column_name + db.quote[1] for f in fields)
    sql = f"INSERT INTO {model._meta.table_name} ({columns}) VALUES ({', '.join([db.param] * len(fields))})"
    cursor = db.cursor()
    for chunk in pw.chunked(rows, ROWS):
        cursor.executemany(sql, [tuple(row[n] for n in names) for row in chunk])


def _rebuild_index(new_notes: int) -> bool:
    """The search index learns of the new rows one by one, unless the file brings more notes
    than the book holds: then one rebuild at the end is cheaper (~7 µs a note, not ~19)."""
    return new_notes > Touch.select().count()


class _Writer:
    def __init__(self, now: dt.datetime, targets: list[_Target]) -> None:
        self.now = now
        self.next_step = (FollowUp.select(pw.fn.MAX(FollowUp.id)).scalar() or 0) + 1
        self.next_touch = (Touch.select(pw.fn.MAX(Touch.id)).scalar() or 0) + 1
        self.late_referrals: list[tuple[int, int]] = []  # (prospect, referrer) written after both exist
        self.rebuild_index = _rebuild_index(sum(len(t.touches) for t in targets))

    def write(self, targets: list[_Target]) -> None:
        prospects, steps, touches, tags = [], [], [], []
        for target in targets:
            # the history's order is (at, id): ids given in time order (equal moments keep the file's)
            target.touches.sort(key=lambda t: t.row["at"])
            for step in target.steps:
                step.id, self.next_step = self.next_step, self.next_step + 1
                steps.append({"id": step.id, "prospect": target.id, **step.row})
            for touch in target.touches:
                touch.id, self.next_touch = self.next_touch, self.next_touch + 1
                link = touch.step.id if isinstance(touch.step, _Step) else touch.step
                touches.append({"id": touch.id, "prospect": target.id, "followup": link, **touch.row})
                tags += [{"prospect": target.id, "touch": touch.id, "name": n} for n in tags_in(touch.row["note"])]
            if target.record is not None:
                prospects.append(self._new_row(target))
        for model, rows in ((Prospect, prospects), (FollowUp, steps), (Touch, touches), (Tag, tags)):
            _insert(model, rows)
        for target in targets:
            if target.record is None:
                self._update(target)
            if self.rebuild_index:
                continue
            if target.record is not None:
                search.index_prospect(Prospect(id=target.id, **target.facts))
            for touch in target.touches:
                search.index_touch(Touch(id=touch.id, prospect=target.id, note=touch.row["note"]))

    def _new_row(self, target: _Target) -> dict[str, Any]:
        referrer = target.referrer
        if referrer is not None and referrer > target.id:  # not written yet: the foreign key waits
            self.late_referrals.append((target.id, referrer))
            referrer = None
        state = dict(target.record.state)
        if target.merged:
            state["updated_at"] = self.now
        history = [(t.row["at"], t.id, t.row["outcome"]) for t in target.touches]
        step = next((s.row for s in reversed(target.steps) if s.row["done_at"] is None), None)
        return {"id": target.id, **target.facts, "referred_by": referrer, **state, **_derived(history, step)}

    def _update(self, target: _Target) -> None:
        """A prospect already in the book, when the merge changed something."""
        changed = target.facts != target.before
        referrer = target.referrer if target.referrer_in_file is not None else None
        if not (changed or referrer or target.steps or target.touches):
            return  # the file had nothing new about them: the row stays as it was
        history = sorted(target.history + [(t.row["at"], t.id, t.row["outcome"]) for t in target.touches])
        step = target.open_step or next((s.row for s in target.steps if s.row["done_at"] is None), None)
        values = {**target.facts, **_derived(history, step), "updated_at": self.now}
        if referrer:
            values["referred_by"] = referrer
        Prospect.update(values).where(Prospect.id == target.id).execute()
        if changed and not self.rebuild_index:
            search.index_prospect(Prospect(id=target.id, **target.facts))

    def finish(self) -> None:
        for prospect_id, referrer in self.late_referrals:
            Prospect.update(referred_by=referrer).where(Prospect.id == prospect_id).execute()
        if self.rebuild_index:
            search.reindex()
        _advance_sequences()


def _advance_sequences() -> None:
    """The rows were written with explicit ids; a PostgreSQL book's id sequences must learn of
    them (SQLite takes max(id) + 1 by itself)."""
    if not isinstance(database.obj, pw.PostgresqlDatabase):
        return
    for model in (Prospect, FollowUp, Touch):
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


# ---------------------------------------------------------------------------------------------
# The import


def import_json(
    data: dict[str, Any],
    *,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Bring a file of ours (read_json) into the book. A record that cannot be imported is
    reported and left out; a prospect already in the book (or earlier in the file) is skipped or
    merged into, as the rep chose; all the rest is written in one transaction, or nothing is.
    A dry run reads the book and reports the same counts, writing nothing."""
    if on_duplicate not in DUPLICATE_CHOICES:
        raise ValueError(f"on_duplicate must be one of {DUPLICATE_CHOICES}")
    check_header(data)
    now = (now or utc_now()).replace(microsecond=0, tzinfo=None)
    report = ImportReport(dry_run=dry_run)
    checker = _Checker()
    records = []
    for number, raw in enumerate(data["prospects"], start=1):
        try:
            records.append(checker.record(raw, number))
        except _Bad as exc:
            report.problems.append(Problem(0, f"prospect {number} in the file ({_who(raw)}): {exc}."))
    if dry_run:
        _plan(records, on_duplicate, report)
        if progress:
            progress(len(records), len(records))
        return report
    with transaction():
        targets = _plan(records, on_duplicate, report)
        writer = _Writer(now, targets)
        for start in range(0, len(targets), BATCH):
            writer.write(targets[start : start + BATCH])
            if progress:
                progress(min(start + BATCH, len(targets)), len(targets))
        writer.finish()
    return report
