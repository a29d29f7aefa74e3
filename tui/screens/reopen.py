"""Reopen (`o`) a won or dropped prospect, with its next follow-up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from storage import actions
from storage.actions import NextStep
from storage.reads.prospect import ProspectView
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.safe_fields import SafeInput


class ReopenScreen(FormScreen):
    def __init__(self, found: ProspectView, channel: str, tz: str) -> None:
        super().__init__()
        self.prospect_id, self.who, self.channel, self.tz = found.id, found.facts.name, channel, tz

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Reopen · [b]$name[/b]", name=self.who), classes="title")
            yield from labelled("Next follow-up", DateField("tomorrow", tz=self.tz, id="when"), "when")
            yield from labelled("What to do", SafeInput("Pick up the conversation again", compact=True, max_length=500, id="what"), "what")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#when").focus()

    def prepare(self):
        due_at, has_time = self.date(self.query_one("#when", DateField))
        step = NextStep(due_at=due_at, has_time=has_time, channel=self.channel, what=self.query_one("#what", Input).value)
        prospect_id, name, tz = self.prospect_id, self.who, self.tz

        def save() -> Saved:
            actions.reopen(prospect_id, step, tz=tz)
            return Saved(prospect_id, f"Reopened {name}", follow=True)

        return save
