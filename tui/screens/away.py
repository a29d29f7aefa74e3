"""Away and catch-up: many follow-ups moved at once, the plan on screen before anything is written.

Away asks for the first and last day away and shows, as they are typed, where every open
follow-up of those days would go (per day: how many, how many promised, the load against the
rep's capacity); catch-up shows the spread of the overdue at once. `ctrl+s` applies the plan shown:
one action, so one `ctrl+z` puts every follow-up back."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from storage import actions
from storage.book.clock import local_now
from storage.book.errors import InvalidInput
from storage.reads import plans
from storage.rules.dates import DateError
from storage.rules.workdays import WorkWeek
from tui.plan_text import plan_text
from tui.screens.form import FormScreen, Saved, labelled
from tui.widgets.date_field import DateField

class PlanScreen(FormScreen):
    """The plan, read off the UI thread and shown; `ctrl+s` applies what is shown."""

    DEFAULT_CSS = """
    PlanScreen #plan { color: $text; height: auto; margin-top: 1; width: 1fr; }
    """
    TITLE = ""

    def __init__(self, tz: str, week: WorkWeek, capacity: int) -> None:
        super().__init__()
        self.tz, self.week, self.capacity = tz, week, capacity
        self.plan: plans.Plan | None = None
        self._asked: tuple | None = None  # what the shown plan was read for

    def plan_reader(self):
        """(what the plan is read for, the call that reads it), or None when nothing to read yet."""
        raise NotImplementedError

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.TITLE, classes="title", markup=False)
            yield from self.compose_fields()
            yield Static("Reading the plan…", id="plan", markup=False)
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.read_plan()

    def read_plan(self) -> None:
        found = self.plan_reader()
        if found is None:
            return
        asked, call = found
        self.app.book.call(self, call, done=lambda plan: self._show(asked, plan), group="plan", exclusive=True)

    def _show(self, asked: tuple, plan: plans.Plan) -> None:
        self.plan, self._asked = plan, asked
        self.query_one("#plan", Static).update(plan_text(plan))

    def prepare(self):
        found = self.plan_reader()
        if found is None or self.plan is None or found[0] != self._asked:
            raise InvalidInput("form", "The plan is still being read: a moment, then ctrl+s again.")
        if not self.plan.moves:
            raise InvalidInput("form", "Nothing to move.")
        plan, tz = self.plan, self.tz

        def save() -> Saved:
            moved = actions.apply_plan(plan, tz=tz)
            return Saved(None, f"{plan.what.capitalize()}: {moved} follow-up(s) moved — ctrl+z puts them back")

        return save


class AwayScreen(PlanScreen):
    TITLE = "I'm away: move what falls due, without a pile-up on my return"

    def compose_fields(self) -> ComposeResult:
        yield from labelled("First day away", DateField("", tz=self.tz, id="first", placeholder="mon, dec 7…"), "first")
        yield from labelled("Last day away", DateField("", tz=self.tz, id="last", placeholder="fri, dec 11…"), "last")

    def on_mount(self) -> None:
        self.query_one("#first", DateField).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.read_plan()

    def _day(self, field_id: str) -> dt.date | None:
        field = self.query_one(f"#{field_id}", DateField)
        try:
            when = field.when()
        except DateError:
            return None
        return when.day if when is not None else None

    def plan_reader(self):
        first, last = self._day("first"), self._day("last")
        shown = self.query_one("#plan", Static)
        if first is None or last is None:
            shown.update("Type the first and the last day away: the plan shows here.")
            return None
        if last < first:
            shown.update("The last day away comes before the first.")
            return None
        tz, week, capacity = self.tz, self.week, self.capacity
        return (first, last), lambda: plans.plan_away(first, last, tz, week, capacity)


class CatchUpScreen(PlanScreen):
    TITLE = "Catch up: spread the overdue over the coming working days"

    def plan_reader(self):
        tz, week, capacity = self.tz, self.week, self.capacity
        now = local_now(tz)
        return (now.date(),), lambda: plans.plan_catch_up(now, tz, week, capacity)

