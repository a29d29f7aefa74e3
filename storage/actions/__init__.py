"""One function per thing a rep does to the book: the only writer. Each is one transaction
(BEGIN IMMEDIATE on SQLite), checks what it is given, leaves the prospect's derived fields in
step (storage.rules.derived) and writes one journal entry with every row it changed
(storage.actions.journal). Whole files and generated books go through storage.actions.bulk by
the same rules, in one transaction and one entry too."""

from storage.actions.bulk import BulkLoad, bulk_load
from storage.actions.checks import LINE_MAX, NOTE_MAX, PROSPECT_FIELDS, WHAT_MAX, NextStep, check_prospect_fields
from storage.actions.closing import close_won, drop, final_note_and_drop, reopen, wake_revisits
from storage.actions.contact import log_touch, promise, set_next_step, snooze
from storage.actions.drafts import discard_draft, keep_draft
from storage.actions.prospects import add_prospect, edit_prospect
from storage.actions.shifts import apply_plan
from storage.actions.undo import Undone, redo, undo
from storage.actions.writing import recording, refresh_derived, transaction

__all__ = [
    "LINE_MAX",
    "NOTE_MAX",
    "PROSPECT_FIELDS",
    "WHAT_MAX",
    "BulkLoad",
    "NextStep",
    "Undone",
    "add_prospect",
    "apply_plan",
    "bulk_load",
    "check_prospect_fields",
    "close_won",
    "discard_draft",
    "drop",
    "edit_prospect",
    "final_note_and_drop",
    "keep_draft",
    "log_touch",
    "promise",
    "recording",
    "refresh_derived",
    "redo",
    "reopen",
    "set_next_step",
    "snooze",
    "transaction",
    "undo",
    "wake_revisits",
]
