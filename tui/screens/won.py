"""Close as won (`w`): ONE choice of what comes next (a thank-you first, then the first check-in
from the customer cadence; straight to a relationship check-in; or nothing), the final amount,
a closing note, and a thank-you to whoever referred them when they can have one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, TextArea

from storage import actions
from storage.actions import NextStep
from storage.book.clock import local_now
from storage.reads.prospect import ProspectView
from storage.rules.dates import parse_when, stored
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import literal, say
from tui.widgets.date_field import DateField
from tui.workweek import offered
from tui.widgets.safe_fields import SafeInput, SafeTextArea

# The choices, in the order shown: (id, label, the date field's label, its default, the step).
THANKS, CHECKIN, NOTHING = "thanks", "checkin", "nothing"
CHOICES = {
    THANKS: ("A thank-you first (then the first check-in)", "Thank-you on", "+2d"),
    CHECKIN: ("Straight to a relationship check-in", "Check-in on", "1m"),
    NOTHING: ("Nothing scheduled", "Nothing on", ""),
}
STEPS = {
    THANKS: ("thank-you", "Thank them for their business"),
    CHECKIN: ("check-in", "How is it going? Anything we can improve?"),
}
REFERRER_THANKS = "+2d"  # when the referrer is thanked if the customer's thank-you does not set it


class WonScreen(FormScreen):
    DEFAULT_CSS = """
    WonScreen RadioSet { margin-bottom: 1; }
    WonScreen .referrer-note { color: $text-muted; height: auto; }
    """

    def __init__(self, found: ProspectView, channel: str, tz: str) -> None:
        super().__init__()
        self.prospect_id, self.who, self.channel, self.tz = found.id, found.facts.name, channel, tz
        self.referrer = found.referred_by_name
        # close_won refuses a thank-you to a dropped referrer: the dialog does not offer it
        self.referrer_dropped = found.referrer_status == "dropped"
        self.deal_value = found.facts.deal_value
        self.choice = THANKS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Close as won · [b]$name[/b]", name=self.who), classes="title")
            with RadioSet(id="after", compact=True):
                for key, (label, _, _) in CHOICES.items():
                    yield RadioButton(label, key == self.choice, id=f"after-{key}", compact=True)
            label, default = CHOICES[self.choice][1:]
            yield Horizontal(Label(label, id="when-label", classes="field-label"),
                             DateField(offered(self.app, default, self.tz), tz=self.tz, id="when"), classes="row")
            yield Label("", id="error-when", classes="error", markup=False)
            amount = f"{self.deal_value:,}" if self.deal_value else ""
            yield from labelled("Final amount", SafeInput(amount, placeholder="e.g. 12,500", compact=True, max_length=20, id="deal_value"), "deal_value")
            yield from labelled("Closing note", SafeTextArea(id="note", compact=True, soft_wrap=True, tab_behavior="focus"), "note")
            if self.referrer and self.referrer_dropped:
                yield Label(literal(f"{self.referrer} (who referred them) is dropped: reopen them (o) to thank them.", one_line=True),
                            classes="referrer-note")
            elif self.referrer:
                # schedules a thank-you for the referrer, or adds it to the next step they have
                yield Checkbox(literal(f"Thank {self.referrer} for the referral", one_line=True), True, compact=True, id="referrer")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#after").focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """One choice: the date field says what it is for, and keeps a date the rep typed."""
        event.stop()
        old, new = self.choice, (event.pressed.id or "").removeprefix("after-")
        if new not in CHOICES or new == old:
            return
        self.choice = new
        field = self.query_one("#when", DateField)
        self.query_one("#when-label", Label).update(CHOICES[new][1])
        if new == NOTHING:
            field.disabled = True
        else:
            field.disabled = False
            if field.value.strip() in ("", CHOICES[old][2]):
                field.input.value = offered(self.app, CHOICES[new][2], self.tz)

    def prepare(self):
        step = None
        if self.choice in STEPS:
            due_at, has_time = self.date(self.query_one("#when", DateField))
            kind, what = STEPS[self.choice]
            step = NextStep(due_at=due_at, has_time=has_time, channel=self.channel, what=what, kind=kind)
        thank_referrer = None
        referrer = self.query("#referrer")
        if referrer and referrer.first(Checkbox).value:
            if step is not None and self.choice == THANKS:
                due_at, has_time = step.due_at, step.has_time
            else:
                due_at, has_time = stored(parse_when(REFERRER_THANKS, local_now(self.tz)), self.tz), False
            thank_referrer = NextStep(due_at=due_at, has_time=has_time, channel=self.channel,
                                      what=f"Thank them for referring {self.who}", kind="thank-you")
        amount = self.query_one("#deal_value", Input).value
        note = self.query_one("#note", TextArea).text
        prospect_id, who, tz = self.prospect_id, self.who, self.tz

        def save() -> Saved:
            actions.close_won(prospect_id, step, thank_referrer=thank_referrer, amount=amount, note=note, tz=tz)
            return Saved(prospect_id, f"Closed {who} as won")

        return save
