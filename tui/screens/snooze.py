"""Snooze (`s`): move the next follow-up to tomorrow, +3 days, next week, or a typed date."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from storage import actions
from storage.reads import coaching
from storage.book.clock import local_now, utc_now
from storage.reads.prospect import ProspectView
from storage.rules.dates import describe, parse_when, stored
from tui.keys import SNOOZE_KEYS, bindings
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import say
from tui.widgets.date_field import DateField
from tui.workweek import offered

# "In a week" is a week on, not "next mon": on a Sunday that was tomorrow. Each lands on the rep's
# next working day when it falls on a day off (tui/workweek.py).
CHOICES = (("tomorrow", "Tomorrow"), ("+3d", "In 3 days"), ("+1w", "In a week"))


# Said before any choice: the customer was told a day, and a snooze moves it (the book records the
# move, and the old step is not kept: storage.actions.contact.snooze).
PROMISE_WARNING = "★ This was promised to the customer: snoozing moves a promise."


class SnoozeScreen(FormScreen):
    BINDINGS = bindings(SNOOZE_KEYS)  # tui/keys.py: every key, with its id
    DEFAULT_CSS = """
    SnoozeScreen .promise-warning { color: $text-warning; text-style: bold; width: 100%; height: auto; }
    """

    def __init__(self, found: ProspectView, tz: str) -> None:
        super().__init__()
        self.found = found
        self.prospect_id, self.who, self.tz = found.id, found.facts.name, tz
        self._picked: str | None = None
        self._offered: list[str] = []  # each choice's date as offered: on a working day

    def compose(self) -> ComposeResult:
        now = local_now(self.tz)
        self._offered = [offered(self.app, text, self.tz) for text, _ in CHOICES]
        choices = [
            Option(f"{n}  {label:<10} → {describe(parse_when(text, now), now)}", id=text)
            for n, (text, (_, label)) in enumerate(zip(self._offered, CHOICES), start=1)
        ]
        with Vertical(classes="dialog"):
            yield Label(say("Snooze · [b]$name[/b]", name=self.who), classes="title")
            if self.found.next_step is not None and self.found.next_step.promised:
                yield Label(PROMISE_WARNING, classes="promise-warning", markup=False)
            yield OptionList(*choices, id="choices", compact=True)
            yield from labelled("Or a date", DateField("", tz=self.tz, id="when", optional=True), "when")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#choices").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._picked = event.option.id
        self.action_save()

    def action_pick(self, index: int) -> None:
        if self.focused is not None and self.focused.id == "when-input":
            return
        self._picked = self._offered[index]
        self.action_save()

    def question(self) -> str | None:
        if coaching.too_soon_after_silence(self.found.last_unanswered_at, self._due_at, logging_unanswered=False,
                                           now=utc_now(), tz=self.tz, has_time=self._has_time):
            return ("The last follow-up went unanswered less than two days before that date. "
                    "Daily notes are a poor strategy: snooze there anyway?")
        return None

    def prepare(self):
        field = self.query_one("#when", DateField)
        if field.value.strip():
            moment = self.date(field)
        elif self._picked:
            when = parse_when(self._picked, local_now(self.tz))
            moment = (stored(when, self.tz), when.time is not None)
        else:
            moment = None
        if moment is None:
            from storage.book.errors import InvalidInput

            raise InvalidInput("when", "Pick a choice or type a date.")
        prospect_id, name, tz = self.prospect_id, self.who, self.tz
        due_at, has_time = moment
        self._due_at, self._has_time = due_at, has_time

        def save() -> Saved:
            actions.snooze(prospect_id, due_at, has_time, tz=tz)
            return Saved(prospect_id, f"Snoozed {name}")

        return save
