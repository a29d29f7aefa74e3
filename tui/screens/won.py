"""Close as won (`w`), optionally scheduling the first relationship check-in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label

from storage import actions
from storage.actions import NextStep
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import say
from tui.widgets.date_field import DateField


class WonScreen(FormScreen):
    def __init__(self, prospect_id: int, name: str, channel: str, tz: str) -> None:
        super().__init__()
        self.prospect_id, self.who, self.channel, self.tz = prospect_id, name, channel, tz

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Close as won · [b]$name[/b]", name=self.who), classes="title")
            yield Checkbox("Schedule a relationship check-in", True, compact=True, id="checkin")
            yield from labelled("Check-in on", DateField("1m", tz=self.tz, id="when", optional=True), "when")
            yield from labelled("What to do", Input("How is it going? Anything we can improve?", compact=True, max_length=500, id="what"), "what")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#checkin").focus()

    def prepare(self):
        checkin = None
        if self.query_one("#checkin", Checkbox).value:
            moment = self.date(self.query_one("#when", DateField))
            if moment is not None:
                checkin = NextStep(
                    due_at=moment[0],
                    has_time=moment[1],
                    channel=self.channel,
                    what=self.query_one("#what", Input).value,
                    kind="check-in",
                )
        prospect_id, name = self.prospect_id, self.who

        def save() -> Saved:
            actions.close_won(prospect_id, checkin)
            return Saved(prospect_id, f"Closed {name} as won")

        return save
