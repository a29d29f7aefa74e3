"""Schedule a follow-up of a chosen kind (service, new offering…) for any customer, from the
palette: the next-step form (tui/screens/next_step.py) with its kind chosen. It becomes the
prospect's next step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content

from storage.actions import NextStep
from storage.reads.prospect import ProspectView
from storage.rules.cadence import KIND_DEFAULTS
from tui.screens.next_step import NextStepScreen
from tui.text import say


class ScheduleScreen(NextStepScreen):
    def __init__(self, found: ProspectView, kind: str, channel: str, tz: str) -> None:
        super().__init__(found, tz)
        self.chosen = kind
        self.channel = found.answers_on or channel or "call"

    def heading(self) -> Content:
        return say("Schedule a $kind follow-up · [b]$name[/b]", kind=self.chosen, name=self.who)

    def kind(self) -> str | None:
        return self.chosen

    def kind_field(self, kind: str) -> ComposeResult:
        yield from ()  # chosen from the palette

    def first_kind(self) -> str:
        return self.chosen

    def first_date(self):
        return "+1w", None  # a new step of its own, whatever the open one is

    def first_channel(self) -> str:
        return self.channel

    def first_what(self, kind: str) -> str:
        return KIND_DEFAULTS[kind].what

    def first_promised(self) -> bool:
        return False

    def _coach(self) -> None:
        pass  # no cadence suggestion: a week, as typed

    def saved_message(self, step: NextStep) -> str:
        return f"Scheduled a {step.kind} follow-up for {self.who}"
