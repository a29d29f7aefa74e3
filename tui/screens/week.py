"""The weeks at a glance: the next working days, how many follow-ups fall due on each, the promised
among them, and the load against the rep's daily capacity. `enter` on a day narrows the queue to
it; `escape` goes back."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from storage.book.clock import local_now
from storage.reads.load import DayCount, week_ahead
from storage.reads.queue import Filter, days_span
from storage.rules.workdays import WorkWeek
from tui.keys import WEEK_KEYS, bindings
from tui.screens.dimmed import Dialog
from tui.widgets.dialog_footer import DialogFooter, Note

BAR = 20  # cells of the load bar at capacity


def day_line(count: DayCount, capacity: int, today: dt.date) -> str:
    name = "Today" if count.day == today else f"{count.day:%a %-d %b}"
    filled = min(BAR, round(BAR * count.due / capacity)) if capacity else 0
    bar = "█" * filled + "·" * (BAR - filled)
    over = f"  {count.due - capacity} over" if count.due > capacity else ""
    promised = f"{count.promised} ★" if count.promised else ""
    return f"{name:<11} {count.due:>4} due  {promised:<6} {bar} {count.due}/{capacity}{over}"


class WeekScreen(Dialog[Filter | None]):
    BINDINGS = bindings(WEEK_KEYS)  # tui/keys.py: every key, with its id
    DEFAULT_CSS = """
    WeekScreen { align: center middle; }
    WeekScreen > .dialog {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    WeekScreen .title { text-style: bold; color: $text-accent; }
    WeekScreen #days { height: auto; max-height: 100%; }
    WeekScreen .hint { color: $text-muted; }
    """

    def __init__(self, tz: str, week: WorkWeek, capacity: int) -> None:
        super().__init__()
        self.tz, self.week, self.capacity = tz, week, capacity
        self.days: list[DayCount] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"The next working days · capacity {self.capacity} a day", classes="title", markup=False)
            yield OptionList(Option("Reading the days…", disabled=True), id="days", compact=True)
            yield Label("enter shows that day's follow-ups in the queue · esc back", classes="hint")
        yield DialogFooter()

    def footer_notes(self) -> list[Note]:
        """The list's own keys, named in the footer beside the screen's escape."""
        return [Note("enter", "⏎", "Show the day"), Note("up", "↑↓", "Move")]

    def on_mount(self) -> None:
        self.query_one("#days").focus()
        today, tz, week = local_now(self.tz).date(), self.tz, self.week
        day = dt.date(today.year, today.month, today.day)
        self.app.book.call(self, lambda: week_ahead(day, tz, week), done=self._show, group="week")

    def _show(self, days: list[DayCount]) -> None:
        self.days = days
        today = local_now(self.tz).date()
        listing = self.query_one("#days", OptionList)
        listing.clear_options()
        listing.add_options([Option(day_line(d, self.capacity, today), id=d.day.isoformat()) for d in days])
        listing.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        day = dt.date.fromisoformat(event.option.id)
        # the day as the agenda counted it: its date-only steps by their date, its timed ones by their moment
        self.dismiss(Filter(days=days_span(day, day + dt.timedelta(days=1), self.tz), day=f"{day:%a %-d %b}"))

    def action_close(self) -> None:
        self.dismiss(None)
