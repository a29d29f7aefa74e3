"""The desk's own JSON file going out: every prospect with its whole history (json_in brings it
back).

    {"format": "followup-desk", "version": 1, "exported_at": "2026-11-23T08:30:00Z",
     "prospects": [{"id": 1, "name": …, "referred_by": 7, …, "status": "active", …,
                    "followups": [{"id": 3, "due_at": …, …}],
                    "touches": [{"at": …, …, "followup": 3}]}, …]}

Moments are ISO UTC strings ("…T08:30:00Z"), days "YYYY-MM-DD"; a follow-up without a time is due
on a day (version 2; version 1 wrote it as the moment of the rep's local midnight). The ids are the exporting book's:
they only tie a referral to its referrer and a touch to the follow-up it completed, inside the file.
Derived fields (touch count, last reply, next due…) and tags are not written: the import
recomputes them from the history, by the book's own rules.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TextIO

from storage.actions import PROSPECT_FIELDS
from storage.book.clock import utc_now
from storage.book.models import Prospect, database
from storage.exchange.incoming import Progress

FORMAT = "followup-desk"
VERSION = 2  # 2: a date-only follow-up's due_at is its day, the same in every zone (issue 15)
PAGE = 1000  # prospects read per query by the export
FACTS = tuple(key for key in PROSPECT_FIELDS if key != "referred_by")  # a prospect's facts in the file


# Raw reads: the export touches every row of the book, and peewee's conversion of each value
# (a datetime parsed from SQLite's text, then formatted again) was most of its time.
_PROSPECTS_SQL = (
    f"SELECT p.id, {', '.join('p.' + f for f in FACTS)}, p.referred_by_id, p.status, p.drop_reason, r.label, "
    "p.closing_note, p.revisit_on, p.closed_at, p.created_at, p.updated_at "
    "FROM prospect p LEFT JOIN drop_reason r ON r.id = p.picked_reason_id WHERE p.id > ? ORDER BY p.id LIMIT ?"
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
    """A stored day as ISO text: a date, or the day of a date-only step's moment (its noon), which
    SQLite hands back as text and a server as a datetime (whose isoformat would carry the time)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
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
        for prospect_id, *facts, referrer, status, reason, picked, closing, revisit, closed, created, updated in page:
            record = {
                "id": prospect_id,
                **dict(zip(FACTS, facts)),
                "referred_by": referrer,
                "status": status,
                "drop_reason": reason,
                "picked_reason": picked,  # the drop reason from the list (what reports count), or null
                "closing_note": closing,
                "revisit_on": _day(revisit),
                "closed_at": _iso(closed),
                "created_at": _iso(created),
                "updated_at": _iso(updated),
                "followups": [
                    {"id": step_id, "due_at": _iso(due) if timed else _day(due), "has_time": bool(timed), "channel": channel, "what": what,
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
