"""The next step (`d`): when, channel, what to do, kind and promised, set or changed without a
touch. Filled from the open step when there is one; for a prospect with none, the date comes
from their cadence as the quick-log suggests it. The customer follow-ups of the palette
(tui/screens/schedule.py) are this form with their kind chosen."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select

from storage import actions
from storage.actions import NextStep
from storage.book.clock import local_now, utc_now
from storage.book.vocabulary import CHANNELS, KINDS
from storage.reads import coaching
from storage.reads.prospect import ProspectView
from storage.reads.queue import is_late
from storage.rules.cadence import KIND_DEFAULTS, suggest_days, text_from_last_touch
from tui.workweek import offered
from storage.rules.dates import When, from_utc, local_due, typed
from tui.screens.form import FormScreen, Saved, labelled
from tui.screens.log_touch import options
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.safe_fields import SafeInput

# the cadence has run out: the field still needs a date (the last note is the palette's)
EXHAUSTED_TEXT = "+1w"


class StepDateField(DateField):
    """A date field holding the open step's own moment: kept exactly as it is, even once it has
    passed (changing the channel of an overdue step leaves it overdue); any other text is read
    as typed, today or later."""

    def __init__(self, value: str, *, tz: str, kept: tuple[str, dt.datetime, bool] | None, id: str) -> None:
        super().__init__(value, tz=tz, id=id)
        self.kept = kept  # (the text it was filled with, the step's naive UTC moment, has_time)

    def _is_kept(self) -> bool:
        return self.kept is not None and self.value.strip() == self.kept[0]

    def when(self) -> When | None:
        if self._is_kept():
            local = local_due(self.kept[1], self.kept[2], self.tz)
            return When(local.date(), local.time() if self.kept[2] else None)
        return super().when()

    def utc(self) -> tuple[dt.datetime, bool] | None:
        if self._is_kept():
            return self.kept[1], self.kept[2]
        return super().utc()


def default_kind(found: ProspectView) -> str:
    """A step's kind when the prospect has none: a customer's is the relationship check-in."""
    if found.next_step is not None:
        return found.next_step.kind
    return "check-in" if found.facts.status == "won" else "new prospect"


class NextStepScreen(FormScreen):
    def __init__(self, found: ProspectView, tz: str) -> None:
        super().__init__()
        self.found, self.tz = found, tz
        self.prospect_id, self.who, self.step = found.id, found.facts.name, found.next_step
        self._date_edited = False
        self._first_text = ""

    # -- what the form starts from (ScheduleScreen starts elsewhere) ----------------------------

    def heading(self) -> Content:
        return say("Next step · [b]$name[/b]", name=self.who)

    def kind(self) -> str | None:
        """The kind picked in the form; a subclass may fix it (None: the form offers the kinds)."""
        return str(self.query_one("#kind", Select).value)

    def first_kind(self) -> str:
        return default_kind(self.found)

    def first_date(self) -> tuple[str, tuple[str, dt.datetime, bool] | None]:
        if self.step is None:
            return self.suggestion(self.first_kind()), None
        text = typed(local_due(self.step.due_at, self.step.has_time, self.tz), self.step.has_time)
        return text, (text, self.step.due_at, self.step.has_time)

    def first_channel(self) -> str:
        f = self.found
        return (self.step.channel if self.step else None) or f.answers_on or f.facts.preferred_channel or "call"

    def first_what(self, kind: str) -> str:
        return self.step.what if self.step else KIND_DEFAULTS[kind].what

    def first_promised(self) -> bool:
        return bool(self.step and self.step.promised)

    def suggestion(self, kind: str) -> str:
        """A date from the prospect's cadence, counted from their last touch (never before today),
        after the touches they have gone without a reply (the quick-log's suggestion, with no touch
        being logged)."""
        facts = self.found.facts
        cadence = coaching.prospect_cadence(facts, kind)
        days = suggest_days(cadence, "", facts.unanswered_streak)
        if days is None:
            return offered(self.app, EXHAUSTED_TEXT, self.tz)
        last = from_utc(facts.last_touch_at, self.tz).date() if facts.last_touch_at else None
        return offered(self.app, text_from_last_touch(days, last, local_now(self.tz).date()), self.tz)

    # -- the form -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        kind = self.first_kind()
        text, kept = self.first_date()
        self._first_text = text
        promised = self.first_promised()
        with Vertical(classes="dialog"):
            yield Label(self.heading(), classes="title")
            yield from labelled("When", StepDateField(text, tz=self.tz, kept=kept, id="when"), "when")
            yield Label("", id="coach", classes="coach", markup=False)
            yield from labelled("Channel", Select(options(CHANNELS), value=self.first_channel(), allow_blank=False,
                                                  compact=True, id="channel"), "channel")
            yield from labelled("What to do", SafeInput(self.first_what(kind), compact=True, max_length=500, id="what"), "what")
            yield from self.kind_field(kind)
            yield Checkbox("I promised this follow-up to the customer", promised, compact=True, id="promised")
            yield from self.form_footer()

    def kind_field(self, kind: str) -> ComposeResult:
        yield from labelled("Kind", Select(options(KINDS), value=kind, allow_blank=False, compact=True, id="kind"), "kind")

    def on_mount(self) -> None:
        self.query_one("#when").focus()
        self._coach()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "kind":
            return
        kind = str(event.value)
        if self.step is None and not self._date_edited:  # the cadence follows the kind
            field = self.query_one("#when", DateField)
            with field.input.prevent(Input.Changed):
                field.input.value = self.suggestion(kind)
            field.refresh_preview()
        what = self.query_one("#what", Input)
        if not what.value or what.value in {d.what for d in KIND_DEFAULTS.values()}:
            what.value = KIND_DEFAULTS[kind].what
        self._coach()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "when-input":
            self._date_edited = event.value != self._first_text
            self._coach()

    def _coach(self) -> None:
        """One line under the date: where the suggestion comes from, or that the step is late."""
        note = ""
        if self.step is None and not self._date_edited:
            facts = self.found.facts
            cadence = coaching.prospect_cadence(facts, self.kind())
            note = f"suggested by the {cadence.name} cadence"
            if facts.unanswered_streak:
                note += f" after {facts.unanswered_streak} without a reply"
            if suggest_days(cadence, "", facts.unanswered_streak) is None:
                note = f"the {cadence.name} cadence has run out: the last note (ctrl+p) may be the better step"
        elif self.step is not None and self.query_one("#when", StepDateField)._is_kept():
            if is_late(self.step.due_at, self.step.has_time, local_now(self.tz), self.tz):
                note = "late: keep this date, or type a new one"
        self.query_one("#coach", Label).update(note)

    # -- saving ---------------------------------------------------------------------------------

    def read_step(self) -> NextStep:
        due_at, has_time = self.date(self.query_one("#when", DateField))
        return NextStep(
            due_at=due_at,
            has_time=has_time,
            channel=str(self.query_one("#channel", Select).value),
            what=self.query_one("#what", Input).value,
            kind=self.kind() or "new prospect",
            promised=self.query_one("#promised", Checkbox).value,
        )

    def saved_message(self, step: NextStep) -> str:
        return f"Next step set for {self.who}"

    def prepare(self):
        step = self.read_step()
        self._new = step
        prospect_id, who, message, tz = self.prospect_id, self.who, self.saved_message(step), self.tz

        def save() -> Saved:
            changed = actions.set_next_step(prospect_id, step, tz=tz)
            return Saved(prospect_id, message if changed else f"Nothing changed: {who}'s next step is as it was", follow=True)

        return save

    def question(self) -> str | None:
        """The two-day rule, as the snooze asks it: only for a date the rep typed."""
        if not self.query_one("#when", StepDateField)._is_kept() and coaching.too_soon_after_silence(
            self.found.last_unanswered_at, self._new.due_at, logging_unanswered=False, now=utc_now(), tz=self.tz,
            has_time=self._new.has_time,
        ):
            return ("The last follow-up went unanswered less than two days before that date. "
                    "Daily notes are a poor strategy: set it anyway?")
        return None
