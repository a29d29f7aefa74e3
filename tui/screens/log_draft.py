"""Nothing typed in the log form is lost: while the rep types, what the form holds is kept in the
book as a draft (storage.actions.drafts: a side table, not a journalled action), a second after
the last key and off the UI thread; the next `l` on that prospect — after a restart or a kill
too — opens the form with it and says so. The save deletes the draft in its own transaction
(log_touch); escape, once the rep said yes, deletes it too."""

from __future__ import annotations

import threading
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


class DraftKeeping:
    """The log form's drafts (a mixin of LogTouchScreen: it has prospect_id, tz, saving)."""

    _draft_timer: Timer | None = None
    _draft_found = False  # the book holds a draft of this form (recovered, or kept since)

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
        self._draft_lock = threading.Lock()
        self._drafts_pending = threading.Condition()
        self._pending = self._sequence = self._written = 0
        self._opening = self.draft_fields()
        # on the app, not this dialog: a dialog that closes cancels its workers, and a draft's
        # write must land whole (the save waits for it); what comes back checks the dialog is up
        self.app.book.call(self.app, draft_for, self.prospect_id, FORM, done=self._recovered, group="draft")

    def _recovered(self, draft: FormDraft | None) -> None:
        if draft is None or self.saving or self not in self.app.screen_stack:
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
        self._draft_found = True
        self.restored(self._opening)
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
        if not hasattr(self, "_opening"):
            return  # still composing
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_AFTER, self._keep_draft, name="draft")

    def _keep_draft(self) -> None:
        """A second after the last key: the form as it is, into the book (a new form, unchanged,
        keeps nothing; changed back to how it opened, its draft goes)."""
        self._draft_timer = None
        if self.saving or self not in self.app.screen_stack:
            return
        fields = self.draft_fields()
        unchanged = fields == self._opening
        if unchanged and not self._draft_found:
            return
        self._draft_found = not unchanged
        self._sequence += 1
        sequence = self._sequence
        with self._drafts_pending:
            self._pending += 1
        prospect_id = self.prospect_id

        def write() -> None:
            try:
                with self._draft_lock:
                    if sequence < self._written:
                        return  # a later draft landed first
                    self._written = sequence
                    if unchanged:
                        actions.discard_draft(prospect_id, FORM)
                    else:
                        actions.keep_draft(prospect_id, FORM, fields)
            finally:
                self._landed()

        self.app.book.call(self.app, write, failed=self._not_kept, group="draft")

    def _landed(self) -> None:
        with self._drafts_pending:
            self._pending -= 1
            self._drafts_pending.notify_all()

    def _not_kept(self, error: BaseException) -> bool:
        """The form stays as typed; the draft line says the book did not keep it."""
        if not isinstance(error, BookError) or self not in self.app.screen_stack:
            return False
        label = self.query_one("#draft", Label)
        label.update(f"Draft not kept: {visible(str(error), one_line=True)}")
        label.add_class("-shown")
        return True

    def drafts_written(self) -> None:
        """Off the UI thread, before a save or a discard: until the drafts on their way have landed
        (the save then deletes the last; none lands after it)."""
        with self._drafts_pending:
            self._drafts_pending.wait_for(lambda: self._pending == 0, timeout=WAIT_FOR_DRAFTS)

    def stop_drafts(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def discard(self) -> None:
        """escape, and the rep said yes: no draft is kept any more, and the one in the book goes."""
        self.stop_drafts()
        if not hasattr(self, "_opening"):
            return
        wait, prospect_id = self.drafts_written, self.prospect_id

        def discard() -> None:
            wait()
            actions.discard_draft(prospect_id, FORM)

        self.app.book.call(self.app, discard, group="draft")
