"""Reading our JSON file (json_out writes it): the file parsed and known to be ours, of a version
this desk reads; then each prospect record checked by the rules of a form
(storage.actions.check_prospect_fields and the vocabularies) into a ProspectRecord with its
follow-ups and touches, or BadRecord saying why it cannot be imported."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.actions import NOTE_MAX, WHAT_MAX, check_prospect_fields
from storage.actions.writing import naive_utc
from storage.book.errors import InvalidInput
from storage.book.models import Prospect
from storage.book.vocabulary import CHANNELS, DIRECTIONS, KINDS, OUTCOMES, STATUSES
from storage.exchange.json_out import FACTS, FORMAT, VERSION
from storage.rules.dates import DateError, When, from_utc, stored
from storage.rules.text import clean_line, clean_text, visible

RESOLUTIONS = ("done", "snoozed", "rescheduled", "closed")
DEFAULTS = {key: Prospect._meta.fields[key].default for key in FACTS}


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


class BadRecord(ValueError):
    """One record of the file cannot be imported; str() says why."""


@dataclass(eq=False)
class StepRecord:
    row: dict[str, Any]  # FollowUp columns, without id and prospect
    id: int = 0  # the book's id, once given


@dataclass(eq=False)
class TouchRecord:
    row: dict[str, Any]  # Touch columns, without id, prospect and followup
    step: StepRecord | int | None  # the follow-up it completed: from the file, or already in the book
    id: int = 0


@dataclass(eq=False)
class ProspectRecord:
    number: int  # 1-based place in the file
    file_id: int | None
    referrer: int | None  # the referrer's id in the file
    facts: dict[str, Any]  # checked prospect fields (FACTS)
    state: dict[str, Any]  # status, drop_reason, revisit_on, closed_at, created_at, updated_at
    steps: list[StepRecord]
    touches: list[TouchRecord]


def _text(raw: dict, key: str, limit: int | None = None, *, one_line: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{key} must be text")
    text = clean_line(value) if one_line else clean_text(value)
    if limit is not None and len(text) > limit:
        raise BadRecord(f"{key} is longer than {limit:,} characters")
    return text


def _moment(raw: dict, key: str, *, required: bool = True) -> dt.datetime | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise BadRecord(f"{key} is missing" if value is None else f"{key} is not a date and time")
    if len(value) == 20 and value[-1] == "Z" and value[10] == "T":  # as we write them: 5x faster
        try:
            return dt.datetime.fromisoformat(value[:-1])
        except ValueError:
            pass
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadRecord(f"{key} is not a date and time ({value[:40]!r})") from None
    return naive_utc(moment)


def _date(raw: dict, key: str) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadRecord(f"{key} is not a date ({str(value)[:40]!r})") from None


def _choice(raw: dict, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
    value = raw.get(key, default)
    if value not in choices:
        raise BadRecord(f"{key} must be one of: {', '.join(choices)} (not {str(value)[:40]!r})")
    return value


def _flag(raw: dict, key: str, *, optional: bool = False) -> bool | None:
    value = raw.get(key, None if optional else False)
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        raise BadRecord(f"{key} must be true or false")
    return value


def _id(raw: dict, key: str) -> int | None:
    value = raw.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise BadRecord(f"{key} must be a number")
    return value


def _list(raw: dict, key: str) -> list:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise BadRecord(f"{key} must be a list")
    if not all(isinstance(item, dict) for item in value):
        raise BadRecord(f"every entry of {key} must be an object")
    return value


class Checker:
    """Turns the file's records into checked ProspectRecords. Time zones are checked once per name:
    looking one up costs ~0.12 ms, which would be most of the import of a big file."""

    def __init__(self, tz: str | None = None) -> None:
        self._zones: dict[str, str | None] = {}  # name → why it is refused (None: fine)
        # a version-1 file kept a date-only due as the moment of the rep's midnight: read in `tz`
        self._tz = tz

    def record(self, raw: Any, number: int) -> ProspectRecord:
        if not isinstance(raw, dict):
            raise BadRecord("it is not a prospect record")
        fields = {}
        for key in FACTS:
            value = raw.get(key)
            if key == "deal_value":
                if isinstance(value, bool) or not isinstance(value, (int, float, str, type(None))):
                    raise BadRecord("deal_value must be a number")
            elif value is not None and not isinstance(value, str):
                raise BadRecord(f"{key} must be text")
            if key in raw:
                fields[key] = value
        zone = fields.pop("timezone", None)
        try:
            facts = check_prospect_fields(fields)
        except InvalidInput as exc:
            raise BadRecord(exc.message.rstrip(".")) from None
        if "name" not in facts:
            raise BadRecord("a prospect needs a name")
        facts["timezone"] = self._zone(zone)
        facts = {**DEFAULTS, **facts}  # every fact, so records merge and insert alike
        steps = [self.step(item) for item in _list(raw, "followups")]
        if sum(1 for step in steps if step.row["done_at"] is None) > 1:
            raise BadRecord("it has more than one open follow-up")
        by_id: dict[int, StepRecord] = {}
        for item, step in zip(raw.get("followups", []), steps):
            step_id = _id(item, "id")
            if step_id is not None:
                by_id[step_id] = step
        touches = [self.touch(item, by_id) for item in _list(raw, "touches")]
        state = {
            "status": _choice(raw, "status", STATUSES, "active"),
            "drop_reason": _text(raw, "drop_reason", WHAT_MAX),
            "picked_reason": _text(raw, "picked_reason", 100) or None,  # a label: json_in finds or adds it
            "closing_note": _text(raw, "closing_note", NOTE_MAX, one_line=False),
            "revisit_on": _date(raw, "revisit_on"),
            "closed_at": _moment(raw, "closed_at", required=False),
            "created_at": _moment(raw, "created_at"),
            "updated_at": _moment(raw, "updated_at", required=False),
        }
        state["updated_at"] = state["updated_at"] or state["created_at"]
        return ProspectRecord(number, _id(raw, "id"), _id(raw, "referred_by"), facts, state, steps, touches)

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
            raise BadRecord(self._zones[name])
        return clean_line(name)

    def _due_day(self, raw: dict) -> dt.datetime:
        """A date-only due as the book keeps it (dates.stored): its day ("2026-12-03", as version 2
        writes it), or the day in the rep's zone of a moment (as version 1 wrote it: local midnight)."""
        value = raw.get("due_at")
        if isinstance(value, str) and len(value) == 10:
            day = _date(raw, "due_at")
        else:  # a moment: version 1's midnight, or a file written by hand (UTC without a zone)
            day = from_utc(_moment(raw, "due_at"), self._tz or "UTC").date()
        try:
            return stored(When(dt.date(day.year, day.month, day.day), None), self._tz or "UTC")
        except DateError as exc:
            raise BadRecord(f"due_at: {exc}") from None

    def step(self, raw: dict) -> StepRecord:
        done_at = _moment(raw, "done_at", required=False)
        has_time = _flag(raw, "has_time")
        return StepRecord({
            "due_at": _moment(raw, "due_at") if has_time else self._due_day(raw),
            "has_time": has_time,
            "channel": _choice(raw, "channel", CHANNELS),
            "what": _text(raw, "what", WHAT_MAX),
            "kind": _choice(raw, "kind", KINDS, "new prospect"),
            "promised": _flag(raw, "promised"),
            "created_at": _moment(raw, "created_at"),
            "done_at": done_at,
            "resolution": _choice(raw, "resolution", RESOLUTIONS) if done_at else None,
            "kept": _flag(raw, "kept", optional=True),
        })

    @staticmethod
    def touch(raw: dict, steps: dict[int, StepRecord]) -> TouchRecord:
        step_id = _id(raw, "followup")
        if step_id is not None and step_id not in steps:
            raise BadRecord(f"a touch points to follow-up {step_id}, which is not theirs in the file")
        return TouchRecord(
            {
                "at": _moment(raw, "at"),
                "channel": _choice(raw, "channel", CHANNELS),
                "direction": _choice(raw, "direction", DIRECTIONS, "out"),
                "outcome": _choice(raw, "outcome", OUTCOMES),
                "note": _text(raw, "note", NOTE_MAX, one_line=False),
                "kind": steps[step_id].row["kind"] if step_id is not None else "",  # models.Touch.kind
            },
            steps.get(step_id) if step_id is not None else None,
        )


def who(raw: Any) -> str:
    """A record's name as a report shows it: one line, at most 60 characters."""
    name = raw.get("name") if isinstance(raw, dict) else None
    text = visible(" ".join(name.split()), one_line=True) if isinstance(name, str) else ""
    return (text[:59] + "…" if len(text) > 60 else text) or "no name"
