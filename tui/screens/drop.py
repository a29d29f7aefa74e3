"""Drop (`x`): stop following up, with a reason, a last note and a date to revisit (optional)."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, TextArea

from storage import actions
from storage.reads.prospect import ProspectView
from storage.rules.dates import DateError
from storage.book.errors import InvalidInput
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.safe_fields import SafeInput, SafeTextArea


class DropScreen(FormScreen):
    def __init__(self, found: ProspectView, tz: str) -> None:
        super().__init__()
        self.prospect_id, self.who, self.tz = found.id, found.facts.name, tz

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Drop · [b]$name[/b]", name=self.who), classes="title")
            yield from labelled("Reason", SafeInput(placeholder="why stop now?", compact=True, max_length=500, id="reason"), "reason")
            yield from labelled("Last note", SafeTextArea(id="note", compact=True, soft_wrap=True, tab_behavior="focus"), "note")
            yield from labelled("Revisit on", DateField("", tz=self.tz, id="revisit", optional=True, placeholder="optional: 3m, mar 1…"), "revisit")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#reason").focus()

    def prepare(self):
        reason = self.query_one("#reason", Input).value
        if not reason.strip():
            raise InvalidInput("reason", "Say why you are dropping this prospect.")
        note = self.query_one("#note", TextArea).text
        field = self.query_one("#revisit", DateField)
        try:
            when = field.when()
        except DateError as exc:
            raise InvalidInput("revisit", str(exc)) from None
        revisit: dt.date | None = when.day if when else None
        prospect_id, name = self.prospect_id, self.who

        def save() -> Saved:
            actions.drop(prospect_id, reason, last_note=note, revisit_on=revisit)
            return Saved(prospect_id, f"Dropped {name}")

        return save
