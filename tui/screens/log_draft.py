"""Nothing typed in the log form is lost: while the rep types, what the form holds is kept in the
book as a draft (storage.actions.drafts: a side table, not a journalled action), a second after
the last key and off the UI thread; the next `l` on that prospect — after a restart or a kill
too — opens the form with it and says so. The save deletes the draft in its own transaction
(log_touch); escape, once the rep said yes, deletes it too."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.timer import Timer
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from storage import actions
from storage.book.errors import BookError
from storage.book.vocabulary import CHANNELS, KINDS, OUTCOMES
from storage.reads.drafts import FormDraft, draft_for
from storage.rules.dates import MONTH_NAMES, WEEKDAY_NAMES, from_utc
from storage.rules.text import visible
from tui.widgets.date_field import DateField

FORM = "log"
DRAFT_AFTER = 1.0  # seconds after the last key: a draft per pause, not per keystroke
WAIT_FOR_DRAFTS = 10.0  # seconds a save or a discard waits for a draft on its way to land first
_SELECTS = {"direction": ("out", "in"), "channel": CHANNELS, "outcome": OUTCOMES, "next-channel": CHANNELS, "kind": KINDS}
_INPUTS = {"when": "#when-input", "next": "#next-input", "what": "#what"}
_CHANGES = (Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed)


def draft_time(draft: FormDraft, tz: str) -> str:
    """"Mon 23 Nov 09:40": when the draft was last kept, in the rep's zone."""
    at = from_utc(draft.updated_at, tz)
    return f"{WEEKDAY_NAMES[at.weekday()]} {at.day} {MONTH_NAMES[at.month - 1]} {at:%H:%M}"


class Opening:
    """The drafts of one opening of the form. A form kept for the next prospect
    (tui/screens/desk_forms.py) opens again while the last opening's draft may still be on its
    way to the book (or back from it): each write, read and wait belongs to its opening, never
    to the next prospect's."""

    def __init__(self, prospect_id: int, fields: dict[str, Any]) -> None:
        self.prospect_id = prospect_id
        self.fields = fields  # the form as it opened: a change from none is told from these
        self.found = False  # the book holds a draft of this form (recovered, or kept since)
        self.lock = threading.Lock()
        self.pending = threading.Condition()
        self.waiting = self.sequence = self.written = 0  # drafts on their way; the last sent; the last landed

    def landed(self) -> None:
        with self.pending:
            self.waiting -= 1
            self.pending.notify_all()

    def wait(self) -> None:
        """Off the UI thread, before a save or a discard: until the drafts on their way have landed
        (the save then deletes the last; none lands after it)."""
        with self.pending:
            self.pending.wait_for(lambda: self.waiting == 0, timeout=WAIT_FOR_DRAFTS)


class DraftKeeping:
    """The log form's drafts (a mixin of LogTouchScreen: it has prospect_id, tz, saving)."""

    _draft_timer: Timer | None = None
    _drafts: Opening | None = None  # this opening's drafts (None: still composing)

    # -- the form's fields, as a draft holds them -----------------------------------------------

    def draft_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"note": self.query_one("#note", TextArea).text}
        fields.update({name: str(self.query_one(f"#{name}", Select).value) for name in _SELECTS})
        fields.update({name: self.query_one(selector, Input).value for name, selector in _INPUTS.items()})
        fields["promised"] = bool(self.query_one("#promised", Checkbox).value)
        return fields

    # -- recovering ------------------------------------------------------------------------------

    def recover_draft(self) -> None:
        """On opening: the form as it opened (to tell a change from none), and the draft, if any."""
        self.stop_drafts()  # a kept form: the last opening's draft-to-be is not this one's
        self._drafts = opening = Opening(self.prospect_id, self.draft_fields())
        # on the app, not this dialog: a dialog that closes cancels its workers, and a draft's
        # write must land whole (the save waits for it); what comes back checks the dialog is up
        self.app.book.call(self.app, draft_for, self.prospect_id, FORM, done=partial(self._recovered, opening),
                           group="draft")

    def _recovered(self, opening: Opening, draft: FormDraft | None) -> None:
        if draft is None or opening is not self._drafts or self.saving or self not in self.app.screen_stack:
            return
        fields = draft.fields
        typed_meanwhile = self.query_one("#note", TextArea).text
        with self.prevent(*_CHANGES):  # the form fills itself in: no suggestion reacts, no draft starts
            for name, allowed in _SELECTS.items():
                if fields.get(name) in allowed:
                    self.query_one(f"#{name}", Select).value = fields[name]
            for name, selector in _INPUTS.items():
                if isinstance(fields.get(name), str):
                    self.query_one(selector, Input).value = fields[name]
            if isinstance(fields.get("promised"), bool):
                self.query_one("#promised", Checkbox).value = fields["promised"]
            note = fields.get("note") if isinstance(fields.get("note"), str) else ""
            if typed_meanwhile.strip() and typed_meanwhile != note:
                note = f"{note}\n{typed_meanwhile}" if note else typed_meanwhile  # keys beat the read here
            self.query_one("#note", TextArea).load_text(note)
            self.query_one("#note", TextArea).move_cursor(self.query_one("#note", TextArea).document.end)
        opening.found = True
        self.restored(opening.fields)
        for field in self.query(DateField).results(DateField):
            field.refresh_preview()
        label = self.query_one("#draft", Label)
        label.update(f"Draft from {draft_time(draft, self.tz)} recovered")
        label.add_class("-shown")

    def restored(self, opening: dict[str, Any]) -> None:
        """The form's own state after a draft filled it in (what the rep had edited): the form's."""

    # -- keeping ---------------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._draft_soon()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._draft_soon()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._draft_soon()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._draft_soon()

    def _draft_soon(self) -> None:
        if self._drafts is None:
            return  # still composing
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_AFTER, partial(self._keep_draft, self._drafts), name="draft")

    def _keep_draft(self, opening: Opening) -> None:
        """A second after the last key: the form as it is, into the book (a new form, unchanged,
        keeps nothing; changed back to how it opened, its draft goes)."""
        self._draft_timer = None
        if self.saving or opening is not self._drafts or self not in self.app.screen_stack:
            return
        fields = self.draft_fields()
        unchanged = fields == opening.fields
        if unchanged and not opening.found:
            return
        opening.found = not unchanged
        opening.sequence += 1
        sequence = opening.sequence
        with opening.pending:
            opening.waiting += 1
        prospect_id = opening.prospect_id

        def write() -> None:
            try:
                with opening.lock:
                    if sequence < opening.written:
                        return  # a later draft landed first
                    opening.written = sequence
                    if unchanged:
                        actions.discard_draft(prospect_id, FORM)
                    else:
                        actions.keep_draft(prospect_id, FORM, fields)
            finally:
                opening.landed()

        self.app.book.call(self.app, write, failed=partial(self._not_kept, opening=opening), group="draft")

    def _not_kept(self, error: BaseException, opening: Opening | None = None) -> bool:
        """The form stays as typed; the draft line says the book did not keep it (a draft of an
        opening before this one: the one handler says so, not this form)."""
        if not isinstance(error, BookError) or opening not in (None, self._drafts) or self not in self.app.screen_stack:
            return False
        label = self.query_one("#draft", Label)
        label.update(f"Draft not kept: {visible(str(error), one_line=True)}")
        label.add_class("-shown")
        return True

    def drafts_written(self) -> Callable[[], None]:
        """What waits, off the UI thread, for this opening's drafts on their way (Opening.wait)."""
        opening = self._drafts
        return opening.wait if opening is not None else (lambda: None)

    def stop_drafts(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def discard(self) -> None:
        """escape, and the rep said yes: no draft is kept any more, and the one in the book goes."""
        self.stop_drafts()
        if self._drafts is None:
            return
        wait, prospect_id = self.drafts_written(), self._drafts.prospect_id

        def discard() -> None:
            wait()
            actions.discard_draft(prospect_id, FORM)

        self.app.book.call(self.app, discard, group="draft")
