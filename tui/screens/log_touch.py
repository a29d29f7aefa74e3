"""The quick-log form (`l`): what happened, and when to follow up next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from storage import actions, cadence, reads
from storage.actions import NOTE_MAX, NextStep
from storage.errors import InvalidInput
from storage.models import CHANNELS, KINDS, OUTCOMES, REPLY_OUTCOMES
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.detail_pane import channel_name


def options(values: tuple[str, ...], labels=None) -> list[tuple[str, str]]:
    return [((labels or {}).get(v, channel_name(v) if v in CHANNELS else v), v) for v in values]


class LogTouchScreen(FormScreen):
    def __init__(self, prospect_id: int, tz: str) -> None:
        super().__init__()
        self.prospect_id = prospect_id
        self.tz = tz
        found = reads.detail(prospect_id)
        assert found is not None
        self.prospect = found.prospect
        self.step = found.next_step
        self._date_edited = False

    def compose(self) -> ComposeResult:
        p, step = self.prospect, self.step
        channel = (step.channel if step else None) or p.preferred_channel or "call"
        outcome = "no answer"
        with Vertical(classes="dialog"):
            yield Label(say("Log a touch · [b]$name[/b]", name=p.name + (f" · {p.company}" if p.company else "")))
            yield from labelled("Channel", Select(options(CHANNELS), value=channel, allow_blank=False, compact=True, id="channel"), "channel")
            yield from labelled("Outcome", Select(options(OUTCOMES), value=outcome, allow_blank=False, compact=True, id="outcome"), "outcome")
            yield from labelled("Note", TextArea(id="note", compact=True, soft_wrap=True, tab_behavior="focus"), "note")
            yield from labelled(
                "Next follow-up", DateField(self._suggestion(outcome), tz=self.tz, id="next"), "next"
            )
            yield from labelled("Next channel", Select(options(CHANNELS), value=channel, allow_blank=False, compact=True, id="next-channel"), "next-channel")
            yield from labelled("Kind", Select(options(KINDS), value=step.kind if step else "new prospect", allow_blank=False, compact=True, id="kind"), "kind")
            # the step being logged is done: what comes next, and any promise, is new
            yield from labelled("What to do", Input(placeholder="e.g. send the price list", compact=True, max_length=500, id="what"), "what")
            yield Checkbox("I promised this follow-up to the customer", False, compact=True, id="promised")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    def _suggestion(self, outcome: str) -> str:
        streak = 0 if outcome in REPLY_OUTCOMES else self.prospect.unanswered_streak + 1
        return cadence.suggest_text(outcome, streak)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "outcome" and not self._date_edited:
            field = self.query_one("#next", DateField)
            with field.input.prevent(Input.Changed):
                field.input.value = self._suggestion(str(event.value))
            field.refresh_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "next-input" and event.value != self._suggestion(self._outcome()):
            self._date_edited = True

    def _outcome(self) -> str:
        return str(self.query_one("#outcome", Select).value)

    def prepare(self):
        note = self.query_one("#note", TextArea).text
        if len(note) > NOTE_MAX:
            raise InvalidInput("note", f"The note is {len(note):,} characters; the most a note holds is {NOTE_MAX:,}.")
        moment = self.date(self.query_one("#next", DateField))
        next_step = None
        if moment is not None:
            due_at, has_time = moment
            next_step = NextStep(
                due_at=due_at,
                has_time=has_time,
                channel=str(self.query_one("#next-channel", Select).value),
                what=self.query_one("#what", Input).value,
                kind=str(self.query_one("#kind", Select).value),
                promised=self.query_one("#promised", Checkbox).value,
            )
        channel = str(self.query_one("#channel", Select).value)
        outcome = str(self.query_one("#outcome", Select).value)
        prospect_id, name = self.prospect_id, self.prospect.name

        def save() -> Saved:
            actions.log_touch(prospect_id, channel=channel, outcome=outcome, note=note, next_step=next_step)
            return Saved(prospect_id, f"Logged a touch for {name}")

        return save
