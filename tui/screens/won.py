"""Close as won (`w`): a thank-you, then the first relationship check-in (the customer cadence),
and a thank-you to whoever referred them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label

from storage import actions
from storage.reads.prospect import ProspectView
from storage.actions import NextStep
from tui.screens.form import FormScreen, Saved, labelled
from tui.text import literal, say
from tui.widgets.date_field import DateField


class WonScreen(FormScreen):
    def __init__(self, found: ProspectView, channel: str, tz: str) -> None:
        super().__init__()
        self.prospect_id, self.who, self.channel, self.tz = found.id, found.facts.name, channel, tz
        self.referrer = found.referred_by_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Close as won · [b]$name[/b]", name=self.who), classes="title")
            yield Checkbox("Send a thank-you (then a relationship check-in a month later)", True, compact=True, id="thanks")
            yield from labelled("Thank-you on", DateField("+2d", tz=self.tz, id="thanks-when", optional=True), "thanks-when")
            yield Checkbox("No thank-you: schedule the first check-in straight away", False, compact=True, id="checkin")
            yield from labelled("Check-in on", DateField("1m", tz=self.tz, id="checkin-when", optional=True), "checkin-when")
            if self.referrer:
                # schedules a thank-you for the referrer, or adds it to the next step they have
                yield Checkbox(literal(f"Thank {self.referrer} for the referral"), True, compact=True, id="referrer")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#thanks").focus()

    def _step(self, field_id: str, kind: str, what: str) -> NextStep | None:
        moment = self.date(self.query_one(f"#{field_id}", DateField))
        if moment is None:
            return None
        return NextStep(due_at=moment[0], has_time=moment[1], channel=self.channel, what=what, kind=kind)

    def prepare(self):
        step = None
        if self.query_one("#thanks", Checkbox).value:
            step = self._step("thanks-when", "thank-you", "Thank them for their business")
        elif self.query_one("#checkin", Checkbox).value:
            step = self._step("checkin-when", "check-in", "How is it going? Anything we can improve?")
        thank_referrer = None
        if self.referrer and self.query_one("#referrer", Checkbox).value:
            thank_referrer = self._step("thanks-when", "thank-you", f"Thank them for referring {self.who}")
            if thank_referrer is None:
                thank_referrer = self._step("checkin-when", "thank-you", f"Thank them for referring {self.who}")
        prospect_id, who = self.prospect_id, self.who

        def save() -> Saved:
            actions.close_won(prospect_id, step, thank_referrer=thank_referrer)
            return Saved(prospect_id, f"Closed {who} as won")

        return save
