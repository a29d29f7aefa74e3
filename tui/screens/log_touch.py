"""The quick-log form (`l`): what happened, and when to follow up next — with the cadence's
suggestion, the channel this prospect answers, their best time, and the two-day rule."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from storage import actions
from storage.reads import coaching
from storage.reads.prospect import ProspectView
from storage.actions import NOTE_MAX, NextStep
from storage.rules.cadence import KIND_DEFAULTS, suggest_text
from storage.book.clock import utc_now
from storage.rules.dates import DateError
from storage.book.errors import InvalidInput
from storage.book.vocabulary import CHANNELS, KINDS, OUTCOMES, REPLY_OUTCOMES
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.detail_pane import channel_name
from tui.widgets.safe_fields import SafeInput, SafeTextArea

# when the cadence has run out, the date field still needs something: a week, as a placeholder
# for the final note the desk proposes after the save
EXHAUSTED_TEXT = "+1w"


def options(values: tuple[str, ...], labels=None) -> list[tuple[str, str]]:
    return [((labels or {}).get(v, channel_name(v) if v in CHANNELS else v), v) for v in values]


def next_kind(kind: str | None) -> str:
    """After a thank-you comes the first relationship check-in; other kinds carry on."""
    return "check-in" if kind == "thank-you" else (kind or "new prospect")


class LogTouchScreen(FormScreen):
    def __init__(self, found: ProspectView, tz: str) -> None:
        super().__init__()
        self.found = found
        self.prospect_id = found.id
        self.tz = tz
        self.prospect = found.facts
        self.step = found.next_step
        self.answers_on = found.answers_on
        self._date_edited = False

    def compose(self) -> ComposeResult:
        p, step = self.prospect, self.step
        channel = (step.channel if step else None) or p.preferred_channel or "call"
        kind = next_kind(step.kind if step else None)
        with Vertical(classes="dialog"):
            yield Label(say("Log a touch · [b]$name[/b]", name=p.name + (f" · {p.company}" if p.company else "")))
            yield from labelled("Channel", Select(options(CHANNELS), value=channel, allow_blank=False, compact=True, id="channel"), "channel")
            yield from labelled("Outcome", Select(options(OUTCOMES), value="no answer", allow_blank=False, compact=True, id="outcome"), "outcome")
            yield from labelled("Note", SafeTextArea(id="note", compact=True, soft_wrap=True, tab_behavior="focus"), "note")
            yield from labelled("Next follow-up", DateField(self._suggestion("no answer", kind), tz=self.tz, id="next"), "next")
            yield Label("", id="coach", classes="coach", markup=False)
            next_channel = self.answers_on or channel
            yield from labelled("Next channel", Select(options(CHANNELS), value=next_channel, allow_blank=False, compact=True, id="next-channel"), "next-channel")
            yield from labelled("Kind", Select(options(KINDS), value=kind, allow_blank=False, compact=True, id="kind"), "kind")
            yield from labelled("What to do", SafeInput(KIND_DEFAULTS[kind].what, compact=True, max_length=500, id="what"), "what")
            yield Checkbox("I promised this follow-up to the customer", False, compact=True, id="promised")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()
        self._coach()

    # -- coaching as the rep fills the form ------------------------------------------------

    def _value(self, selector: str) -> str:
        return str(self.query_one(selector, Select).value)

    def _suggestion(self, outcome: str, kind: str) -> str:
        if self.step is not None and self.step.kind == "thank-you":
            return "1m"  # the first relationship check-in, a month after the thanks
        days = coaching.suggest(self.prospect, kind, outcome).days
        return EXHAUSTED_TEXT if days is None else suggest_text(days)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("outcome", "kind") and not self._date_edited:
            field = self.query_one("#next", DateField)
            with field.input.prevent(Input.Changed):
                field.input.value = self._suggestion(self._value("#outcome"), self._value("#kind"))
            field.refresh_preview()
        if event.select.id == "kind":
            what = self.query_one("#what", Input)
            if what.value in {d.what for d in KIND_DEFAULTS.values()} or not what.value:
                what.value = KIND_DEFAULTS[str(event.value)].what
        self._coach()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "next-input":
            if event.value != self._suggestion(self._value("#outcome"), self._value("#kind")):
                self._date_edited = True
            self._coach()

    def _coach(self) -> None:
        """One line under the date: the cadence, the best-time check, the channel they answer."""
        outcome = self._value("#outcome")
        suggestion = coaching.suggest(self.prospect, self._value("#kind"), outcome)
        notes = []
        if suggestion.days is None:
            notes.append(f"No reply {suggestion.streak} times: the {suggestion.cadence.name} cadence has run out — "
                         "after saving, the desk offers the last, open-ended note")
        elif outcome not in REPLY_OUTCOMES:
            notes.append(f"touch {self.prospect.touch_count + 1}, {suggestion.streak} without a reply "
                         f"({suggestion.cadence.name} cadence)")
        try:
            moment = self.query_one("#next", DateField).utc()
        except DateError:
            moment = None
        if moment and (warning := coaching.best_time_warning(self.prospect, *moment)):
            notes.append("⚠ " + warning)
        if self.answers_on:
            notes.append(f"answers {channel_name(self.answers_on)}")
        self.query_one("#coach", Label).update(" · ".join(notes))

    # -- saving ---------------------------------------------------------------------------------

    def prepare(self):
        note = self.query_one("#note", TextArea).text
        if len(note) > NOTE_MAX:
            raise InvalidInput("note", f"The note is {len(note):,} characters; the most a note holds is {NOTE_MAX:,}.")
        due_at, has_time = self.date(self.query_one("#next", DateField))
        next_step = NextStep(
            due_at=due_at,
            has_time=has_time,
            channel=self._value("#next-channel"),
            what=self.query_one("#what", Input).value,
            kind=self._value("#kind"),
            promised=self.query_one("#promised", Checkbox).value,
        )
        channel, outcome = self._value("#channel"), self._value("#outcome")
        self._next_step, self._outcome = next_step, outcome
        prospect_id, name = self.prospect_id, self.prospect.name
        exhausted = coaching.suggest(self.prospect, next_step.kind, outcome).days is None

        def save() -> Saved:
            actions.log_touch(prospect_id, channel=channel, outcome=outcome, note=note, next_step=next_step)
            return Saved(prospect_id, f"Logged a touch for {name}", propose_final_note=exhausted)

        return save

    def question(self) -> str | None:
        unanswered = self._outcome not in REPLY_OUTCOMES
        if unanswered and coaching.too_soon_after_silence(
            self.found.last_unanswered_at, self._next_step.due_at, logging_unanswered=True, now=utc_now()
        ):
            return ("Another follow-up less than two days after one that went unanswered? "
                    "Daily notes are a poor strategy: spacing them out works better.")
        return None
