"""One function per thing a rep does to the book. Each is one transaction (BEGIN IMMEDIATE on
SQLite), checks what it is given, and leaves the prospect's derived fields in step. This module
is the only writer of the book, with the bulk importers (storage.exchange.imports, storage.exchange.book_json)
that write a whole file inside one `transaction()` by the same rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import peewee as pw

from storage.book.clock import local_zone, rep_today, utc_now
from storage.rules.promises import promise_deadline
from storage.book.errors import DRIVER_ERRORS, BookError, InvalidInput, NotFound, translate
from storage.book.models import (
    CHANNELS,
    DIRECTIONS,
    KINDS,
    OUTCOMES,
    REPLY_OUTCOMES,
    FollowUp,
    Prospect,
    Tag,
    Touch,
    database,
)
from storage import search
from storage.rules.tags import tags_in
from storage.rules.text import clean_line, clean_text

NOTE_MAX = 20_000  # longer notes make every list slow; the form says so before it gets here
LINE_MAX = 200


@dataclass(frozen=True)
class NextStep:
    """A next follow-up as the forms hand it over."""

    due_at: dt.datetime  # naive UTC
    has_time: bool = False
    channel: str = "call"
    what: str = ""
    kind: str = "new prospect"
    promised: bool = False


PROSPECT_FIELDS = (
    "name",
    "company",
    "title",
    "email",
    "phone",
    "preferred_channel",
    "best_time",
    "timezone",
    "deal_value",
    "source",
    "referred_by",
    "cadence",
    "notes",
)


@contextmanager
def transaction() -> Iterator[None]:
    """The outermost transaction of an action (BEGIN IMMEDIATE on SQLite); driver errors come out
    as BookErrors. The bulk writers (imports) use it too, so a failure leaves the book untouched."""
    try:
        with database.atomic():
            yield
    except BookError:
        raise
    except DRIVER_ERRORS as exc:
        raise translate(_root_cause(exc)) from None


def _root_cause(exc: BaseException) -> BaseException:
    """SQLite rolls back by itself on some errors (a full disk); peewee's ROLLBACK then fails with
    "no transaction is active", hiding the error the rep needs to hear about."""
    while "no transaction is active" in str(exc) and exc.__context__ is not None:
        exc = exc.__context__
    return exc


def _get(prospect_id: int) -> Prospect:
    prospect = Prospect.get_or_none(Prospect.id == prospect_id)
    if prospect is None:
        raise NotFound("That prospect is no longer in the book.")
    return prospect


def _check_choice(field: str, value: str | None, choices: tuple[str, ...], *, optional: bool = False) -> None:
    if optional and not value:
        return
    if value not in choices:
        raise InvalidInput(field, f"{field.replace('_', ' ').capitalize()} must be one of: {', '.join(choices)}.")


def check_prospect_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The prospect's facts as they may enter the book (cleaned), or InvalidInput naming the field."""
    unknown = set(fields) - set(PROSPECT_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], f"Unknown field {sorted(unknown)[0]!r}.")
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "deal_value":
            clean[key] = _deal_value(value)
        elif key == "referred_by":
            if value and not Prospect.select().where(Prospect.id == value).exists():
                raise InvalidInput(key, "The prospect who referred them is not in the book.")
            clean[key] = value or None
        elif key == "cadence":
            from storage.reads.coaching import cadences

            if value and value not in cadences():
                raise InvalidInput(key, f"There is no cadence named {value!r}; choose one of: {', '.join(cadences())}.")
            clean[key] = value or None
        elif key == "notes":
            clean[key] = clean_text(value or "")
            if len(clean[key]) > NOTE_MAX:
                raise InvalidInput(key, f"The notes are longer than {NOTE_MAX:,} characters; shorten them.")
        elif key == "preferred_channel":
            _check_choice(key, value, CHANNELS, optional=True)
            clean[key] = value or None
        else:
            text = clean_line(value or "")
            if len(text) > LINE_MAX:
                raise InvalidInput(key, f"{key.replace('_', ' ').capitalize()} is longer than {LINE_MAX} characters.")
            clean[key] = text
    if "name" in clean and not clean["name"]:
        raise InvalidInput("name", "A prospect needs a name.")
    if clean.get("email") and ("@" not in clean["email"] or " " in clean["email"]):
        raise InvalidInput("email", "That email address has no @ — check it or leave it empty.")
    if clean.get("timezone"):
        _check_timezone(clean["timezone"])
    return clean


def _deal_value(value: Any) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace(",", "").replace("_", "").lstrip("$€£")
        try:
            number = round(float(text))
        except (ValueError, OverflowError):
            raise InvalidInput("deal_value", f"Deal value must be a number, like 12000 (got {value!r}).") from None
    if number < 0:
        raise InvalidInput("deal_value", "Deal value cannot be negative.")
    if number > 10**12:
        raise InvalidInput("deal_value", "Deal value is too large.")
    return number


def _check_timezone(name: str) -> None:
    import pendulum

    try:
        pendulum.timezone(name)
    except Exception:
        raise InvalidInput("timezone", f"Unknown time zone {name!r}; use a name like Europe/Paris.") from None


def _check_step(step: NextStep) -> None:
    _check_choice("channel", step.channel, CHANNELS)
    _check_choice("kind", step.kind, KINDS)
    if len(step.what) > 500:
        raise InvalidInput("what", "What to do is longer than 500 characters.")


def _open_followup(prospect: Prospect) -> FollowUp | None:
    return (
        FollowUp.select()
        .where((FollowUp.prospect == prospect.id) & FollowUp.done_at.is_null())
        .order_by(FollowUp.id.desc())
        .first()
    )


def _close_open_followup(prospect: Prospect, now: dt.datetime, resolution: str) -> FollowUp | None:
    open_step = _open_followup(prospect)
    if open_step is not None:
        open_step.done_at = now
        open_step.resolution = resolution
        if open_step.promised:
            open_step.kept = _promise_outcome(open_step, now, resolution)
        open_step.save()
    return open_step


def _promise_outcome(step: FollowUp, now: dt.datetime, resolution: str) -> bool | None:
    """Was the promise kept on time? A touch by the deadline keeps it; moving or closing it
    before the deadline is neither (the new date carries the promise); after it, it was broken."""
    on_time = now <= promise_deadline(step.due_at, step.has_time, local_zone())
    if resolution == "done":
        return on_time
    return None if on_time else False


def _schedule(prospect: Prospect, step: NextStep, now: dt.datetime) -> FollowUp:
    _check_step(step)
    return FollowUp.create(
        prospect=prospect.id,
        due_at=step.due_at.replace(microsecond=0, tzinfo=None),
        has_time=step.has_time,
        channel=step.channel,
        what=clean_line(step.what),
        kind=step.kind,
        promised=step.promised,
        created_at=now,
    )


def _tag(touch: Touch) -> None:
    rows = [{"prospect": touch.prospect_id, "touch": touch.id, "name": name} for name in tags_in(touch.note)]
    if rows:
        Tag.insert_many(rows).execute()


def index_tags() -> None:
    """Tag the touches a bulk load wrote without tags (the demo, an import)."""
    untagged = Touch.select().where(Touch.note.contains("#") & Touch.id.not_in(Tag.select(Tag.touch)))
    rows = [{"prospect": t.prospect_id, "touch": t.id, "name": name} for t in untagged for name in tags_in(t.note)]
    with transaction():
        for start in range(0, len(rows), 500):
            Tag.insert_many(rows[start : start + 500]).execute()


def refresh_derived(prospect: Prospect, now: dt.datetime) -> None:
    """Recompute the prospect's derived fields from its touches and its open follow-up."""
    touches = Touch.select().where(Touch.prospect == prospect.id)
    prospect.touch_count = touches.count()
    prospect.last_touch_at = touches.select(pw.fn.MAX(Touch.at)).scalar()
    # the history's order, (at, id), decides what came after the last reply
    reply = (
        touches.where(Touch.outcome.in_(sorted(REPLY_OUTCOMES)))
        .order_by(Touch.at.desc(), Touch.id.desc())
        .first()
    )
    prospect.last_reply_at = reply.at if reply else None
    since_reply = (
        touches.where((Touch.at > reply.at) | ((Touch.at == reply.at) & (Touch.id > reply.id))) if reply else touches
    )
    prospect.unanswered_streak = since_reply.count()
    step = _open_followup(prospect)
    prospect.next_due_at = step.due_at if step else None
    prospect.next_promised = bool(step and step.promised)
    prospect.next_kind = step.kind if step else None
    prospect.updated_at = now
    prospect.save()


def add_prospect(fields: dict[str, Any], next_step: NextStep | None = None, *, now: dt.datetime | None = None) -> int:
    now = now or utc_now()
    clean = check_prospect_fields(fields)
    if "name" not in clean:
        raise InvalidInput("name", "A prospect needs a name.")
    with transaction():
        prospect = Prospect.create(created_at=now, updated_at=now, **clean)
        search.index_prospect(prospect)
        if next_step is not None:
            _schedule(prospect, next_step, now)
        refresh_derived(prospect, now)
    return prospect.id


def edit_prospect(
    prospect_id: int, fields: dict[str, Any], next_step: NextStep | None = None, *, now: dt.datetime | None = None
) -> None:
    """Change the prospect's facts and, when given, replace the next follow-up."""
    now = now or utc_now()
    clean = check_prospect_fields(fields)
    if clean.get("referred_by") == prospect_id:
        raise InvalidInput("referred_by", "A prospect cannot refer themselves.")
    with transaction():
        prospect = _get(prospect_id)
        for key, value in clean.items():
            setattr(prospect, key, value)
        search.index_prospect(prospect)
        if next_step is not None:
            _close_open_followup(prospect, now, "rescheduled")
            _schedule(prospect, next_step, now)
        refresh_derived(prospect, now)


def log_touch(
    prospect_id: int,
    *,
    channel: str,
    outcome: str,
    note: str = "",
    direction: str = "out",
    next_step: NextStep | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Record a contact, mark the open follow-up done, and schedule the next one."""
    now = now or utc_now()
    _check_choice("channel", channel, CHANNELS)
    _check_choice("outcome", outcome, OUTCOMES)
    _check_choice("direction", direction, DIRECTIONS)
    note = clean_text(note)
    if len(note) > NOTE_MAX:
        raise InvalidInput("note", f"The note is longer than {NOTE_MAX:,} characters; shorten it.")
    if next_step is not None:
        _check_step(step=next_step)
    with transaction():
        prospect = _get(prospect_id)
        done = _close_open_followup(prospect, now, "done")
        touch = Touch.create(
            prospect=prospect.id,
            at=(at or now).replace(microsecond=0, tzinfo=None),
            channel=channel,
            direction=direction,
            outcome=outcome,
            note=note,
            followup=done.id if done else None,
        )
        _tag(touch)
        search.index_touch(touch)
        if next_step is not None:
            _schedule(prospect, next_step, now)
        refresh_derived(prospect, now)
    return touch.id


def set_next_step(prospect_id: int, step: NextStep, *, now: dt.datetime | None = None) -> None:
    """Replace the next follow-up (a service or new-offering call for a customer, say)."""
    now = now or utc_now()
    with transaction():
        prospect = _get(prospect_id)
        if prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is dropped: reopen them first (o).")
        _close_open_followup(prospect, now, "rescheduled")
        _schedule(prospect, step, now)
        refresh_derived(prospect, now)


def snooze(prospect_id: int, due_at: dt.datetime, has_time: bool = False, *, now: dt.datetime | None = None) -> None:
    """Move the next follow-up to another moment, keeping what it is for."""
    now = now or utc_now()
    with transaction():
        prospect = _get(prospect_id)
        old = _close_open_followup(prospect, now, "snoozed")
        if old is None:
            raise InvalidInput("when", "This prospect has no next follow-up to snooze; log a touch or edit it instead.")
        _schedule(
            prospect,
            NextStep(
                due_at=due_at,
                has_time=has_time,
                channel=old.channel,
                what=old.what,
                kind=old.kind,
                promised=old.promised,
            ),
            now,
        )
        refresh_derived(prospect, now)


def close_won(
    prospect_id: int,
    checkin: NextStep | None = None,
    *,
    thank_referrer: NextStep | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Close as a sale; optionally schedule the customer's next step (a thank-you, a check-in)
    and a thank-you to whoever referred them."""
    now = now or utc_now()
    with transaction():
        if thank_referrer is not None:
            _thank_referrer(_get(prospect_id), thank_referrer, now)
        prospect = _get(prospect_id)
        if prospect.status == "won":
            raise InvalidInput("status", "This prospect is already closed as won.")
        _close_open_followup(prospect, now, "closed")
        prospect.status = "won"
        prospect.closed_at = now
        prospect.drop_reason = ""
        prospect.revisit_on = None
        if checkin is not None:
            _schedule(prospect, checkin, now)
        refresh_derived(prospect, now)


def _thank_referrer(prospect: Prospect, step: NextStep, now: dt.datetime) -> None:
    """The referrer keeps one next step: a thank-you either becomes it, or joins the one they have
    (moved earlier if need be), never a second open step."""
    if prospect.referred_by_id is None:
        raise InvalidInput("referrer", "Nobody is recorded as having referred this prospect.")
    referrer = _get(prospect.referred_by_id)
    current = _open_followup(referrer)
    if current is None:
        _schedule(referrer, step, now)
    else:
        current.what = clean_line(f"{step.what}; {current.what}" if current.what else step.what)[:500]
        if step.due_at < current.due_at:
            current.due_at, current.has_time = step.due_at, step.has_time
        current.save()
    refresh_derived(referrer, now)


def wake_revisits(*, now: dt.datetime | None = None) -> list[int]:
    """Dropped prospects whose revisit date has come are active again, due that day.
    Returns who came back."""
    now = now or utc_now()
    today = rep_today(now)
    due = list(
        Prospect.select(Prospect.id)
        .where((Prospect.status == "dropped") & Prospect.revisit_on.is_null(False) & (Prospect.revisit_on <= today))
        .tuples()
    )
    if not due:
        return []
    from storage.rules.dates import When, to_utc

    woken = []
    with transaction():
        for (prospect_id,) in due:
            prospect = _get(prospect_id)
            when = to_utc(When(prospect.revisit_on, None), local_zone())
            reason = prospect.drop_reason
            prospect.status, prospect.drop_reason, prospect.revisit_on, prospect.closed_at = "active", "", None, None
            _close_open_followup(prospect, now, "rescheduled")
            _schedule(prospect, NextStep(due_at=when, channel=prospect.preferred_channel or "email",
                                         what=f"Revisit (dropped: {reason})"[:500], kind="hard-to-reach"), now)
            refresh_derived(prospect, now)
            woken.append(prospect_id)
    return woken


def final_note_and_drop(
    prospect_id: int,
    note: str,
    *,
    channel: str,
    reason: str,
    revisit_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> None:
    """The last, open-ended note, logged as the final touch, then the drop: one transaction."""
    if not clean_text(note):
        raise InvalidInput("note", "Write the last note (or press escape to keep following up).")
    drop(prospect_id, reason, last_note=note, last_note_channel=channel, revisit_on=revisit_on, now=now)


def drop(
    prospect_id: int,
    reason: str,
    *,
    last_note: str = "",
    last_note_channel: str | None = None,
    revisit_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Stop following up, with a reason; optionally log a last note and a date to revisit."""
    now = now or utc_now()
    reason = clean_line(reason)
    if not reason:
        raise InvalidInput("reason", "Say why you are dropping this prospect.")
    if len(reason) > 500:
        raise InvalidInput("reason", "The reason is longer than 500 characters.")
    last_note = clean_text(last_note)
    if len(last_note) > NOTE_MAX:
        raise InvalidInput("note", f"The last note is longer than {NOTE_MAX:,} characters; shorten it.")
    if revisit_on is not None and revisit_on <= rep_today(now):
        raise InvalidInput("revisit", "The revisit date must be in the future.")
    with transaction():
        prospect = _get(prospect_id)
        if prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is already dropped.")
        step = _close_open_followup(prospect, now, "closed")
        if last_note:
            channel = last_note_channel or (step.channel if step else None) or prospect.preferred_channel or "email"
            _check_choice("channel", channel, CHANNELS)
            touch = Touch.create(prospect=prospect.id, at=now, channel=channel, outcome="left message", note=last_note)
            _tag(touch)
            search.index_touch(touch)
        prospect.status = "dropped"
        prospect.drop_reason = reason
        prospect.revisit_on = revisit_on
        prospect.closed_at = now
        refresh_derived(prospect, now)


def reopen(prospect_id: int, next_step: NextStep | None = None, *, now: dt.datetime | None = None) -> None:
    """Bring a won or dropped prospect back to active follow-up."""
    now = now or utc_now()
    with transaction():
        prospect = _get(prospect_id)
        if prospect.status == "active":
            raise InvalidInput("status", "This prospect is already active.")
        prospect.status = "active"
        prospect.drop_reason = ""
        prospect.revisit_on = None
        prospect.closed_at = None
        if next_step is not None:
            _close_open_followup(prospect, now, "rescheduled")
            _schedule(prospect, next_step, now)
        refresh_derived(prospect, now)
