"""The draft a form left (storage.actions.drafts): what the rep typed and had not saved, and when."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from storage.book.models import Draft


@dataclass(frozen=True)
class FormDraft:
    fields: dict[str, Any]  # the form's fields by name, as typed
    updated_at: dt.datetime  # naive UTC: when it was last kept


def draft_for(prospect_id: int, form: str) -> FormDraft | None:
    """The draft of `form` for this prospect, or None. A draft the book cannot read (written by
    something else) is no draft: the form opens as new."""
    row = Draft.get_or_none((Draft.prospect == prospect_id) & (Draft.form == form))
    if row is None:
        return None
    try:
        fields = json.loads(row.fields)
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    return FormDraft({k: v for k, v in fields.items() if isinstance(v, (str, bool))}, row.updated_at)
