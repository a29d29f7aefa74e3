"""Closing a prospect (won `w`, dropped `x`, the last note), reopening one (`o`), and bringing
back the dropped whose revisit date has come."""

from __future__ import annotations

import datetime as dt

from storage.actions.checks import WHAT_MAX, NextStep, check_choice, check_note, check_prospect_fields
from storage.actions.journal import Change
from storage.actions.writing import add_touch, close_open_step, get, locked, open_step, recording, refresh_derived, schedule
from storage.book.clock import rep_today, utc_now
from storage.book.errors import Conflict, InvalidInput, NotFound
from storage.book.models import DropReason, Prospect
from storage.book.vocabulary import CHANNELS
from storage.engines import current
from storage.rules.dates import When, stored
from storage.rules.text import clean_line, clean_text


REASON_MAX = 100  # a reason in the list is a few words; the rep's own words go in drop_reason


def close_won(
    prospect_id: int,
    checkin: NextStep | None = None,
    *,
    thank_referrer: NextStep | None = None,
    amount: int | str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    tz: str | None = None,
) -> None:
    """Close as a sale; optionally schedule the customer's next step (a thank-you, a check-in)
    and a thank-you to whoever referred them. `amount`: the final value of the deal, read as the
    prospect form reads a deal value ("12,500"), kept as the prospect's deal_value (what "value
    won" adds up); None keeps it. `note`: what closed it, kept on the prospect (closing_note)."""
    value = None if amount is None else check_prospect_fields({"deal_value": amount})["deal_value"]
    note = check_note(note, "The closing note")
    with recording("close_won", prospect_id, now=now, tz=tz) as change:
        if thank_referrer is None:
            prospect = get(prospect_id)
        else:
            prospect, referrer = _with_referrer(prospect_id)
            _thank_referrer(change, referrer, thank_referrer)
        if prospect.status == "won":
            raise InvalidInput("status", "This prospect is already closed as won.")
        change.summary = f"{prospect.name} closed as won"
        close_open_step(change, prospect, "closed")
        prospect.status = "won"
        prospect.closed_at = change.now
        prospect.drop_reason, prospect.picked_reason = "", None
        prospect.closing_note = note
        if value is not None:
            prospect.deal_value = value
        prospect.revisit_on = None
        if checkin is not None:
            schedule(change, prospect, checkin)
        refresh_derived(change, prospect)


def _with_referrer(prospect_id: int) -> tuple[Prospect, Prospect]:
    """The prospect and whoever referred them, both locked at once, in id order like every
    action's locks: two desks closing each other's referrals at the same moment take turns. (The
    prospect then the referrer would deadlock: each desk holding one, waiting for the other's.)
    The referrer is looked up first without a lock, and checked again under it."""
    referred = Prospect.select(Prospect.referred_by).where(Prospect.id == prospect_id).scalar()
    rows = locked([prospect_id] if referred is None else [prospect_id, referred])
    prospect = rows.get(prospect_id)
    if prospect is None:
        raise NotFound("That prospect is no longer in the book.")
    if prospect.referred_by_id is None:
        raise InvalidInput("referrer", "Nobody is recorded as having referred this prospect.")
    if prospect.referred_by_id != referred:  # changed between the look and the lock
        raise Conflict(f"{prospect.name}'s referrer was changed meanwhile on another desk: look again, then close.")
    if referred not in rows:
        raise NotFound("That prospect is no longer in the book.")
    return prospect, rows[referred]


def _thank_referrer(change: Change, referrer: Prospect, step: NextStep) -> None:
    """The referrer keeps one next step: a thank-you either becomes it, or joins the one they have
    (moved earlier if need be), never a second open step."""
    if referrer.status == "dropped":  # a dropped prospect has no next step (set_next_step's rule)
        raise InvalidInput("referrer", f"{referrer.name} is dropped: reopen them first (o) to schedule the thank-you.")
    current = open_step(referrer.id)
    if current is None:
        schedule(change, referrer, step)
    else:
        current.what = clean_line(f"{step.what}; {current.what}" if current.what else step.what)[:WHAT_MAX]
        if step.due_at < current.due_at:
            current.due_at, current.has_time = step.due_at, step.has_time
        change.save(current)
    refresh_derived(change, referrer)


def wake_revisits(*, tz: str, now: dt.datetime | None = None) -> list[int]:
    """Dropped prospects whose revisit date has come in the rep's zone `tz` are active again, due
    that day (one action: all of them, one journal entry). Returns who came back."""
    now = now or utc_now()
    today = rep_today(now, tz)
    due = (Prospect.status == "dropped") & Prospect.revisit_on.is_null(False) & (Prospect.revisit_on <= today)
    if not Prospect.select().where(due).exists():
        return []
    woken = []
    with recording("wake_revisits", now=now, tz=tz) as change:
        # read again under the lock (the rows' locks too, on a server)
        for prospect in current().locked(Prospect.select().where(due).order_by(Prospect.id)):
            when = stored(When(prospect.revisit_on, None), tz)
            reason = prospect.drop_reason
            prospect.status, prospect.drop_reason, prospect.revisit_on, prospect.closed_at = "active", "", None, None
            prospect.picked_reason = None
            close_open_step(change, prospect, "rescheduled")
            schedule(change, prospect, NextStep(due_at=when, channel=prospect.preferred_channel or "email",
                                                what=f"Revisit (dropped: {reason})"[:WHAT_MAX], kind="hard-to-reach"))
            refresh_derived(change, prospect)
            woken.append(prospect.id)
        change.prospect_id = woken[0] if len(woken) == 1 else None
        change.summary = f"{len(woken)} dropped prospect(s) back for a revisit"
    return woken


def final_note_and_drop(
    prospect_id: int,
    note: str,
    *,
    channel: str,
    reason: str = "",
    picked: str | None = None,
    revisit_on: dt.date | None = None,
    now: dt.datetime | None = None,
    tz: str | None = None,
) -> None:
    """The last, open-ended note, logged as the final touch, then the drop: one transaction."""
    if not clean_text(note):
        raise InvalidInput("note", "Write the last note (or press escape to keep following up).")
    _drop("final_note_and_drop", prospect_id, reason, picked, note, channel, revisit_on, now, tz)


def drop(
    prospect_id: int,
    reason: str = "",
    *,
    picked: str | None = None,
    last_note: str = "",
    last_note_channel: str | None = None,
    revisit_on: dt.date | None = None,
    now: dt.datetime | None = None,
    tz: str | None = None,
) -> None:
    """Stop following up, with a reason: `picked` from the list of drop reasons (one the list
    does not hold yet joins it, for next time), and/or the rep's own words (`reason`); a reason
    typed that is exactly one of the list counts as it. Optionally a last note and a date to
    revisit."""
    _drop("drop", prospect_id, reason, picked, last_note, last_note_channel, revisit_on, now, tz)


def _drop(action: str, prospect_id: int, reason: str, picked: str | None, last_note: str,
          last_note_channel: str | None, revisit_on: dt.date | None, now: dt.datetime | None,
          tz: str | None) -> None:
    reason, picked = clean_line(reason), clean_line(picked or "")
    if not reason and not picked:
        raise InvalidInput("reason", "Say why you are dropping this prospect.")
    if len(reason) > WHAT_MAX:
        raise InvalidInput("reason", f"The reason is longer than {WHAT_MAX} characters.")
    if len(picked) > REASON_MAX:
        raise InvalidInput("picked", f"A reason in the list is {REASON_MAX} characters at most; say more below it.")
    last_note = check_note(last_note, "The last note")
    # "today" is the rep's (UTC's for a caller that does not say the rep's zone)
    if revisit_on is not None and revisit_on <= rep_today(now or utc_now(), tz or "UTC"):
        raise InvalidInput("revisit", "The revisit date must be in the future.")
    with recording(action, prospect_id, now=now, tz=tz) as change:
        prospect = get(prospect_id)
        if prospect.status == "dropped":
            raise InvalidInput("status", "This prospect is already dropped.")
        change.summary = f"{prospect.name} dropped"
        step = close_open_step(change, prospect, "closed")
        if last_note:
            channel = last_note_channel or (step.channel if step else None) or prospect.preferred_channel or "email"
            check_choice("channel", channel, CHANNELS)
            add_touch(change, prospect, at=change.now, channel=channel, direction="out", outcome="left message",
                      note=last_note, followup=None)
        prospect.status = "dropped"
        listed = _listed_reason(change, picked or reason, add=bool(picked))
        prospect.picked_reason = listed.id if listed else None
        prospect.drop_reason = reason or (listed.label if listed else picked)
        prospect.closing_note = ""
        prospect.revisit_on = revisit_on
        prospect.closed_at = change.now
        refresh_derived(change, prospect)


def _listed_reason(change: Change, label: str, *, add: bool) -> DropReason | None:
    """The drop reason in the list with this label (case aside); with `add`, a new one joins the
    end of the list (journalled with the drop: undoing the drop takes it away again)."""
    wanted = label.casefold()
    reasons = list(DropReason.select().order_by(DropReason.position, DropReason.id))  # a short list
    found = next((r for r in reasons if r.label.casefold() == wanted), None)
    if found is not None or not add:
        return found
    position = max((r.position for r in reasons), default=0) + 1
    return change.create(DropReason, label=label, position=position)


def reopen(prospect_id: int, next_step: NextStep | None = None, *, now: dt.datetime | None = None,
           tz: str | None = None) -> None:
    """Bring a won or dropped prospect back to active follow-up."""
    with recording("reopen", prospect_id, now=now, tz=tz) as change:
        prospect = get(prospect_id)
        if prospect.status == "active":
            raise InvalidInput("status", "This prospect is already active.")
        change.summary = f"{prospect.name} reopened"
        prospect.status = "active"
        prospect.drop_reason, prospect.picked_reason, prospect.closing_note = "", None, ""
        prospect.revisit_on = None
        prospect.closed_at = None
        if next_step is not None:
            close_open_step(change, prospect, "rescheduled")
            schedule(change, prospect, next_step)
        refresh_derived(change, prospect)
