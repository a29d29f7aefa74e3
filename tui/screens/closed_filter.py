"""Filter the closed book (`f` in it): won, dropped or both; a drop reason of the list; only those
whose revisit date is coming up. The words are typed in the closed book itself (`/`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Label, Select

from storage.reads.closed import REVISIT_SOON_DAYS, ClosedFilter
from tui.screens.form import FormScreen, labelled

STATUS_CHOICES = (("won and dropped", ""), ("won", "won"), ("dropped", "dropped"))


class ClosedFilterScreen(FormScreen):
    """Dismisses with the new ClosedFilter (its words are the closed book's)."""

    def __init__(self, current: ClosedFilter, reasons: list[str]) -> None:
        super().__init__()
        self.current = current
        # a reason filtered by that has left the list since stays choosable
        self.reasons = reasons + ([current.reason] if current.reason and current.reason not in reasons else [])

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(classes="dialog"):
            yield Label("Filter the closed book", classes="title")
            yield from labelled("Status", Select(STATUS_CHOICES, value=c.status or "", allow_blank=False, compact=True,
                                                 id="status"), "status")
            reasons = [(reason, reason) for reason in self.reasons]
            yield from labelled("Drop reason", Select(reasons, value=c.reason or Select.NULL, prompt="(any reason)",
                                                      compact=True, id="reason"), "reason")
            yield Checkbox(f"Revisit due within {REVISIT_SOON_DAYS} days", c.revisit_due, compact=True, id="revisit")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#status").focus()

    def prepare(self):
        status = self.query_one("#status", Select).value
        reason = self.query_one("#reason", Select).value
        chosen = ClosedFilter(
            status=str(status) or None,
            reason=None if reason is Select.NULL else str(reason),
            revisit_due=self.query_one("#revisit", Checkbox).value,
        )
        return lambda: chosen
