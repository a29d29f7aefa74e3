"""Schedule a follow-up of a chosen kind (service, new offering…) for any customer: it becomes
the prospect's next step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select

from storage import actions
from storage.reads.prospect import ProspectView
from storage.actions import NextStep
from storage.rules.cadence import KIND_DEFAULTS
from storage.book.vocabulary import CHANNELS
from tui.screens.form import FormScreen, Saved, labelled
from tui.screens.log_touch import options
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.safe_fields import SafeInput


class ScheduleScreen(FormScreen):
    def __init__(self, found: ProspectView, kind: str, channel: str, tz: str) -> None:
        super().__init__()
        self.prospect_id, self.who, self.kind, self.tz = found.id, found.facts.name, kind, tz
        self.channel = found.answers_on or channel or "call"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Schedule a $kind follow-up · [b]$name[/b]", kind=self.kind, name=self.who), classes="title")
            yield from labelled("When", DateField("+1w", tz=self.tz, id="when"), "when")
            yield from labelled("Channel", Select(options(CHANNELS), value=self.channel, allow_blank=False, compact=True, id="channel"), "channel")
            yield from labelled("What to do", SafeInput(KIND_DEFAULTS[self.kind].what, compact=True, max_length=500, id="what"), "what")
            yield Checkbox("I promised this follow-up to the customer", False, compact=True, id="promised")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#when").focus()

    def prepare(self):
        due_at, has_time = self.date(self.query_one("#when", DateField))
        step = NextStep(
            due_at=due_at,
            has_time=has_time,
            channel=str(self.query_one("#channel", Select).value),
            what=self.query_one("#what", Input).value,
            kind=self.kind,
            promised=self.query_one("#promised", Checkbox).value,
        )
        prospect_id, who = self.prospect_id, self.who

        def save() -> Saved:
            actions.set_next_step(prospect_id, step)
            return Saved(prospect_id, f"Scheduled a {step.kind} follow-up for {who}", follow=True)

        return save
