"""Drop (`x`): stop following up, with a reason picked from the book's list (one typed anew joins
it for next time) and the rep's own words, a last note and a date to revisit (optional).

The picked reason is what reports count ("why we lose"); the words are what the rep reads later."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TextArea

from storage import actions
from storage.book.errors import InvalidInput
from storage.reads.drop_reasons import drop_reasons
from storage.reads.prospect import ProspectView
from storage.rules.dates import DateError
from storage.rules.text import visible
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.safe_fields import SafeInput, SafeTextArea

NEW_REASON = "\x00new"  # the list's last entry: type a reason it does not hold yet


class PicksReason(FormScreen):
    """A dialog that drops: the reason's list, read from the book as the dialog opens (off the UI
    thread), a field for a new reason when the rep picks "a new reason…", and the rep's words."""

    DEFAULT_CSS = """
    PicksReason #new-reason-row { display: none; }
    PicksReason.-new-reason #new-reason-row { display: block; }
    """
    preset = ""  # the reason picked as the dialog opens, when it is in the list

    def reason_rows(self, words: str = "") -> ComposeResult:
        yield from labelled("Reason", Select([], prompt="pick one (enter)", compact=True, id="picked"), "picked")
        yield Horizontal(Label("New reason", classes="field-label"),
                         SafeInput(placeholder="joins the list for next time", compact=True, max_length=100, id="new-reason"),
                         id="new-reason-row", classes="row")
        yield Label("", id="error-new-reason", classes="error", markup=False)
        yield from labelled("In your words", SafeInput(words, placeholder="optional: what they said", compact=True,
                                                       max_length=500, id="reason"), "reason")

    def on_mount(self) -> None:
        self.app.book.call(self, drop_reasons, done=self._listed, group="drop-reasons")

    def _listed(self, reasons: list[str]) -> None:
        picker = self.query_one("#picked", Select)
        # rich Text, literal like Content, because the list's type-to-search reads only Text or str
        picker.set_options([(Text(visible(r, one_line=True)), r) for r in reasons] + [("＋ a new reason…", NEW_REASON)])
        if self.preset in reasons and picker.value is Select.NULL:
            picker.value = self.preset

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "picked":
            return
        event.stop()
        new = event.value == NEW_REASON
        self.set_class(new, "-new-reason")
        if new:
            self.query_one("#new-reason").focus()

    def picked(self) -> str:
        """The reason picked (or typed anew), or InvalidInput pointing at the list."""
        value = self.query_one("#picked", Select).value
        if value == NEW_REASON:
            typed = self.query_one("#new-reason", Input).value
            if not typed.strip():
                raise InvalidInput("new-reason", "Type the new reason (it joins the list), or pick one above.")
            return typed
        if value is Select.NULL:
            raise InvalidInput("picked", "Pick a reason from the list (enter opens it), so the reports can count it.")
        return str(value)


class DropScreen(PicksReason):
    def __init__(self, found: ProspectView, tz: str) -> None:
        super().__init__()
        self.prospect_id, self.who, self.tz = found.id, found.facts.name, tz

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Drop · [b]$name[/b]", name=self.who), classes="title")
            yield from self.reason_rows()
            yield from labelled("Last note", SafeTextArea(id="note", compact=True, soft_wrap=True, tab_behavior="focus"), "note")
            yield from labelled("Revisit on", DateField("", tz=self.tz, id="revisit", optional=True, placeholder="optional: 3m, mar 1…"), "revisit")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#picked").focus()

    def prepare(self):
        picked = self.picked()
        reason = self.query_one("#reason", Input).value
        note = self.query_one("#note", TextArea).text
        field = self.query_one("#revisit", DateField)
        try:
            when = field.when()
        except DateError as exc:
            raise InvalidInput("revisit", str(exc)) from None
        revisit: dt.date | None = when.day if when else None
        prospect_id, name, tz = self.prospect_id, self.who, self.tz

        def save() -> Saved:
            actions.drop(prospect_id, reason, picked=picked, last_note=note, revisit_on=revisit, tz=tz)
            return Saved(prospect_id, f"Dropped {name}")

        return save
