"""The last, open-ended note, proposed when the cadence has run out: logged as the final touch,
then the prospect is dropped, with a date to revisit (one transaction); the reason is picked
from the list like any drop's ("No answer", as it opens)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, TextArea

from storage import actions
from storage.reads.prospect import ProspectView
from storage.rules.cadence import REVISIT_DEFAULT, final_note
from storage.rules.dates import DateError
from storage.book.errors import InvalidInput
from storage.book.vocabulary import CHANNELS
from tui.screens.drop import PicksReason
from tui.screens.form import Saved, labelled
from tui.screens.log_touch import options
from tui.text import say
from tui.widgets.date_field import DateField
from tui.workweek import offered
from tui.widgets.safe_fields import SafeTextArea


class FinalNoteScreen(PicksReason):
    preset = "No answer"  # the cadence ran out without a reply

    def __init__(self, found: ProspectView, tz: str) -> None:
        super().__init__()
        self.found = found
        self.prospect_id, self.tz = found.id, tz
        self.prospect = found.facts

    def compose(self) -> ComposeResult:
        p = self.prospect
        channel = self.found.answers_on or p.preferred_channel or "email"
        with Vertical(classes="dialog"):
            yield Label(say("The last note · [b]$name[/b]", name=p.name), classes="title")
            yield Label(
                f"{p.unanswered_streak} touches without a reply: the cadence has run its course. A last, "
                "open-ended note closes the loop and leaves the door open; then the prospect is dropped.",
                classes="coach-intro",
                markup=False,
            )
            yield from labelled("Note", SafeTextArea(final_note(p.name, p.company), id="note", compact=True, soft_wrap=True, tab_behavior="focus"), "note")
            yield from labelled("Channel", Select(options(CHANNELS), value=channel, allow_blank=False, compact=True, id="channel"), "channel")
            yield from self.reason_rows(f"No reply after {p.touch_count} touches")
            yield from labelled("Revisit on", DateField(offered(self.app, REVISIT_DEFAULT, self.tz), tz=self.tz, id="revisit", optional=True), "revisit")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#note").focus()

    def prepare(self):
        note = self.query_one("#note", TextArea).text
        picked = self.picked()
        reason = self.query_one("#reason", Input).value
        channel = str(self.query_one("#channel", Select).value)
        try:
            when = self.query_one("#revisit", DateField).when()
        except DateError as exc:
            raise InvalidInput("revisit", str(exc)) from None
        revisit = when.day if when else None
        prospect_id, name, tz = self.prospect_id, self.prospect.name, self.tz

        def save() -> Saved:
            actions.final_note_and_drop(prospect_id, note, channel=channel, reason=reason, picked=picked,
                                         revisit_on=revisit, tz=tz)
            return Saved(prospect_id, f"Sent the last note to {name} and dropped them")

        return save
