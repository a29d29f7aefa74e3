"""Drafts: what the rep has typed in a form and not saved yet, kept in the book while they type,
so a crash (or a kill) loses nothing; offered back the next time they open that form.

Not a user action, and so not journalled: a draft is not part of the book's story (undo never
sees it, reports never count it) and never changes the prospect's `updated_at`. It lives in its
own side table (models.Draft), one per prospect and form; the save it was for deletes it in the
save's own transaction (storage.actions.contact.log_touch), and discarding the form deletes it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from storage.actions.writing import transaction
from storage.book.clock import utc_now
from storage.book.errors import InvalidInput
from storage.book.models import Draft, Prospect
from storage.rules.text import typed

FORMS = ("log",)  # the forms that keep drafts: the quick-log (its note)
# A draft holds what a form can hold (a note of NOTE_MAX, a few one-line fields), with room for
# what the rep typed past the note's limit before the form told them: nothing typed is refused.
DRAFT_MAX = 100_000


def keep_draft(prospect_id: int, form: str, fields: dict[str, Any], *, now: dt.datetime | None = None) -> None:
    """Keep (or replace) the draft of `form` for this prospect. `fields`: the form's fields by
    name, as typed (text, true/false). A prospect no longer in the book has nothing to keep."""
    text = _checked(form, fields)
    with transaction():
        if not Prospect.select().where(Prospect.id == prospect_id).exists():
            return  # gone meanwhile (another desk): the form's save will say so
        (Draft.insert(prospect=prospect_id, form=form, fields=text, updated_at=now or utc_now())
         .on_conflict(conflict_target=[Draft.prospect, Draft.form], preserve=[Draft.fields, Draft.updated_at])
         .execute())


def discard_draft(prospect_id: int, form: str) -> None:
    """The rep threw the form away (or saved it elsewhere): its draft goes."""
    with transaction():
        delete_draft(prospect_id, form)


def delete_draft(prospect_id: int, form: str) -> None:
    """Inside an action's transaction: the draft its save replaces."""
    Draft.delete().where((Draft.prospect == prospect_id) & (Draft.form == form)).execute()


def _checked(form: str, fields: dict[str, Any]) -> str:
    if form not in FORMS:
        raise InvalidInput("form", f"No form {form!r} keeps drafts.")
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if not isinstance(name, str) or not isinstance(value, (str, bool)):
            raise InvalidInput("form", f"A draft keeps text and ticks, not {type(value).__name__}.")
        clean[name] = typed(value) if isinstance(value, str) else value  # as typed: not trimmed
    text = json.dumps(clean, ensure_ascii=False)
    if len(text) > DRAFT_MAX:
        raise InvalidInput("note", f"The draft is longer than {DRAFT_MAX:,} characters; it is not kept.")
    return text
