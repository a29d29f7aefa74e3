"""The book going out: a CSV of prospects for a spreadsheet, a closed-deals CSV for accounting,
and an iCalendar file of the scheduled follow-ups for the rep's calendar.

Every writer reads the book in pages through the primary key (never a whole table in memory)
and writes to a text stream; `private_file` gives a stream onto a file that only its owner can
read (it holds other people's contact details) and that appears whole or not at all.

Days and hours are written in `tz`, the rep's zone as the desk or the command resolved it
(tui/config.py): the day a follow-up shows on the desk is the day in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import peewee as pw

from storage.book.clock import utc_now
from storage.rules.dates import When, due_day, to_utc, zone
from storage.book.errors import InvalidInput
from storage.exchange.incoming import Progress
from storage.book.models import DropReason, FollowUp, Prospect, Touch
from storage.rules.text import visible

PAGE = 1000  # prospects read per query
# Excel reads a CSV as UTF-8 (accents intact) only when it starts with a BOM. The CSV writers
# put it first themselves, so a file and standard output alike open right; private_file stays
# plain UTF-8 for every format.
BOM = "\ufeff"

# ---------------------------------------------------------------------------------------------
# The file


@contextmanager
def private_file(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text stream (newline='' so CSV and iCalendar keep their CRLF) onto `path.tmp`,
    created 0600; moved onto `path` when the block ends well, removed when it does not, so the
    destination is never half-written. OSError comes out as InvalidInput("file", …)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    shown = visible(str(path), one_line=True)
    try:
        tmp.unlink(missing_ok=True)  # left by a crash; O_EXCL below refuses to follow a planted link
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise InvalidInput("file", f"Can't write {shown}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InvalidInput("file", f"Can't write {shown}: {exc.strerror or exc}; nothing was written.") from None
        raise


def writer(kind: str, tz: str) -> Callable[[TextIO], int]:
    """The writer of an export kind (csv, json, ics, deals), given the rep's zone where it writes
    days and hours. JSON keeps moments as the book does (UTC): it is a book to read back."""
    if kind == "json":
        from storage.exchange.json_out import write_json

        return write_json
    return partial({"csv": write_csv, "ics": write_ics, "deals": write_closed_deals_csv}[kind], tz=tz)


# ---------------------------------------------------------------------------------------------
# CSV

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"):
# `=HYPERLINK(…)` in a name would phone home when the file is opened.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

CSV_HEADERS = (
    "Name", "Company", "Title", "Email", "Phone", "Preferred Channel", "Best Time", "Time Zone",
    "Deal Value", "Source", "Status", "Next Follow-up", "Next Channel", "Kind", "Promised",
    "Touches", "Last Touch", "Notes", "Drop Reason", "Why Dropped",
)
CLOSED_HEADERS = ("Name", "Company", "Email", "Closed", "Deal Value", "Touches", "Days to Close", "Source", "Referred By",
                  "Closing Note")


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet shows as text: a leading `'` when it could start a formula.
    (Our CSV importer takes the `'` off again.)"""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _cells(values: list[Any]) -> list[Any]:
    """Text neutralised, numbers left as numbers (a `-5` deal value stays summable)."""
    return [neutralise(v) if isinstance(v, str) else v for v in values]


def _writer(out: TextIO) -> Any:
    out.write(BOM)
    return csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")


def _local(moment: dt.datetime, tz: str) -> dt.datetime:
    """The rep's wall-clock time of a naive UTC moment. (datetime.astimezone with the zone object:
    storage.dates.from_utc builds a pendulum DateTime, 5x slower, a cost paid on every row.)"""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(zone(tz))


def _local_day(moment: dt.datetime | None, tz: str) -> str:
    return _local(moment, tz).strftime("%Y-%m-%d") if moment else ""


def _local_time(moment: dt.datetime | None, tz: str) -> str:
    return _local(moment, tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def prospect_pages(query: pw.ModelSelect, size: int | None = None) -> Iterator[list[Any]]:
    """The rows of a prospect query, a page at a time, by id (`WHERE id > last … LIMIT n`)."""
    last = 0
    while True:
        page = list(query.where(Prospect.id > last).order_by(Prospect.id).limit(size or PAGE))
        if not page:
            return
        yield page
        last = page[-1].id


def write_csv(out: TextIO, *, tz: str, progress: Progress | None = None) -> int:
    """Every prospect (all statuses) with their next follow-up; returns the rows written."""
    writer = _writer(out)
    writer.writerow(CSV_HEADERS)
    total = Prospect.select().count() if progress else 0
    written = 0
    reasons = dict(DropReason.select(DropReason.id, DropReason.label).tuples())  # a short list
    for page in prospect_pages(Prospect.select()):
        steps = FollowUp.open_of([p.id for p in page])
        for p in page:
            step = steps.get(p.id)
            when = ""
            if step is not None:
                # a date-only step is its date, the same whatever the zone
                when = _local_time(step.due_at, tz) if step.has_time else due_day(step.due_at, False, tz).isoformat()
            writer.writerow(_cells([
                p.name, p.company, p.title, p.email, p.phone, p.preferred_channel or "", p.best_time,
                p.timezone, p.deal_value, p.source, p.status, when,
                step.channel if step else "", step.kind if step else "",
                ("yes" if step.promised else "no") if step else "",
                p.touch_count, _local_time(p.last_touch_at, tz), p.notes,
                # the reason picked from the list (what to count) and the rep's own words
                reasons.get(p.picked_reason_id, ""), p.drop_reason if p.status == "dropped" else "",
            ]))
        written += len(page)
        if progress:
            progress(written, total)
    return written


def write_closed_deals_csv(out: TextIO, *, tz: str, since: dt.date | None = None,
                           progress: Progress | None = None) -> int:
    """Won prospects for accounting: who, when (local day), value, the touches it took (those up
    to the close, not the check-ins after) and the days from first contact to the close."""
    writer = _writer(out)
    writer.writerow(CLOSED_HEADERS)
    query = Prospect.select().where(Prospect.status == "won")
    if since is not None:
        query = query.where(Prospect.closed_at >= to_utc(When(since, None), tz))
    total = query.count() if progress else 0
    written = 0
    for page in prospect_pages(query):
        ids = [p.id for p in page]
        history = _history_to_close(ids)
        referrers = _names({p.referred_by_id for p in page if p.referred_by_id})
        for p in page:
            first_touch, touches = history.get(p.id, (None, 0))
            start = min(m for m in (p.created_at, first_touch) if m is not None)
            days = ""
            if p.closed_at is not None:
                days = (_local(p.closed_at, tz).date() - _local(start, tz).date()).days
            writer.writerow(_cells([
                p.name, p.company, p.email, _local_day(p.closed_at, tz), p.deal_value, touches, days,
                p.source, referrers.get(p.referred_by_id, ""), p.closing_note,
            ]))
        written += len(page)
        if progress:
            progress(written, total)
    return written


def _history_to_close(ids: list[int]) -> dict[int, tuple[dt.datetime | None, int]]:
    """prospect id → (first touch, touches up to the close), one grouped query for a page."""
    before_close = pw.Case(None, [(Touch.at <= Prospect.closed_at, 1)], 0)
    query = (
        Touch.select(Touch.prospect, pw.fn.MIN(Touch.at), pw.fn.SUM(before_close))
        .join(Prospect)
        .where(Touch.prospect.in_(ids))
        .group_by(Touch.prospect)
    )
    # an aggregate comes back as the driver gives it (text on SQLite): read as the model reads the column
    return {pid: (Touch.at.python_value(first), int(count or 0)) for pid, first, count in query.tuples()}


def _names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(Prospect.select(Prospect.id, Prospect.name).where(Prospect.id.in_(sorted(ids))).tuples())


# ---------------------------------------------------------------------------------------------
# iCalendar

PRODID = "-//Followup Desk//Followup Desk//EN"
UID_DOMAIN = "followup-desk"
TIMED_MINUTES = 30
_VERBS = {
    "call": "Call", "email": "Email", "text": "Text", "social": "Message", "meeting": "Meet",
    "letter": "Write to", "card": "Send a card to", "other": "Follow up with",
}


def event_uid(prospect_id: int) -> str:
    """One UID per prospect, not per follow-up row: a snooze or the next step after a touch is the
    same calendar entry moved (a calendar that re-imports the file updates it, never doubles it)."""
    return f"prospect-{prospect_id}@{UID_DOMAIN}"


def write_ics(out: TextIO, *, tz: str, now: dt.datetime | None = None, progress: Progress | None = None) -> int:
    """One VEVENT per open follow-up of an active or won prospect; returns the events written.
    Written component by component (header, zone, events, footer), so a big book never holds
    the whole calendar in memory; every component is made by the icalendar library."""
    from icalendar import Calendar, Timezone

    now = now or utc_now()
    now = now.replace(tzinfo=dt.timezone.utc) if now.tzinfo is None else now.astimezone(dt.timezone.utc)
    prospects = Prospect.select().where(Prospect.status.in_(("active", "won")))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Follow-ups")
    span = _timed_span(prospects, tz)
    if span is not None:  # a VTIMEZONE covering the timed events, so every client agrees on the hour
        cal.add_component(Timezone.from_tzid(tz, first_date=span[0], last_date=span[1]))
    header = cal.to_ical().decode("utf-8")
    footer = "END:VCALENDAR\r\n"
    assert header.endswith(footer)
    out.write(header[: -len(footer)])
    total = prospects.count() if progress else 0
    done = written = 0
    for page in prospect_pages(prospects):
        ids = [p.id for p in page]
        steps = FollowUp.open_of(ids)
        sequences = dict(
            FollowUp.select(FollowUp.prospect, pw.fn.COUNT(FollowUp.id))
            .where(FollowUp.prospect.in_(ids))
            .group_by(FollowUp.prospect)
            .tuples()
        )
        for p in page:
            step = steps.get(p.id)
            if step is not None:
                out.write(_event(p, step, sequences.get(p.id, 1), now, tz).to_ical().decode("utf-8"))
                written += 1
        done += len(page)
        if progress:
            progress(done, total)
    out.write(footer)
    return written


def _timed_span(prospects: pw.ModelSelect, tz: str) -> tuple[dt.date, dt.date] | None:
    """The local days the timed open steps fall on (first, last + 1), or None when there are none."""
    first, last = (
        FollowUp.select(pw.fn.MIN(FollowUp.due_at), pw.fn.MAX(FollowUp.due_at))
        .where(
            FollowUp.done_at.is_null()
            & (FollowUp.has_time == True)  # noqa: E712 (a SQL comparison)
            & FollowUp.prospect.in_(prospects.select(Prospect.id))
        )
        .tuples()
        .get()
    )
    if first is None:
        return None
    moment = FollowUp.due_at.python_value  # an aggregate comes back as the driver gives it (text on SQLite)
    return _local(moment(first), tz).date(), _local(moment(last), tz).date() + dt.timedelta(days=2)


def _event(p: Prospect, step: FollowUp, sequence: int, now: dt.datetime, tz: str) -> Any:
    from icalendar import Event

    event = Event()
    event.add("uid", event_uid(p.id))
    event.add("dtstamp", now)
    # SEQUENCE counts the prospect's follow-ups: every reschedule, snooze or new step adds one,
    # so a calendar takes the file's version of the event over the one it has.
    event.add("sequence", sequence)
    if step.has_time:  # the zone's name becomes the TZID of the VTIMEZONE written in the header
        local = _local(step.due_at, tz)
        event.add("dtstart", local)
        event.add("dtend", local + dt.timedelta(minutes=TIMED_MINUTES))
    else:  # a date-only step: an all-day event (VALUE=DATE) on its date, the same in any zone
        day = due_day(step.due_at, False, tz)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a reminder for the day: it does not make the rep busy
    # icalendar escapes , ; \ and newlines but passes control characters through: make them visible
    who = visible(p.name) + (f" · {visible(p.company)}" if p.company else "")
    summary = f"{_VERBS.get(step.channel, 'Follow up with')} {who}"
    if step.promised:
        summary = "★ Promised: " + summary
        event.add("categories", ["Promised"])
        event.add("priority", 1)
    event.add("summary", summary)
    lines = [
        step.what,
        f"Kind: {step.kind}",
        f"Phone: {p.phone}" if p.phone else "",
        f"Email: {p.email}" if p.email else "",
        f"Best time: {p.best_time}" if p.best_time else "",
    ]
    event.add("description", visible("\n".join(line for line in lines if line)))
    return event
