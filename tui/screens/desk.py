"""The desk: queue on the left, the selected prospect's detail and history on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from storage import actions
from storage.reads import prospect as reads
from tui.keys import DESK_KEYS, bindings
from tui.watchers import forget_closed_watchers
from storage.rules.cadence import drop_warning
from tui.screens.confirm import ConfirmScreen
from tui.screens.drop import DropScreen
from storage.reads.queue import Filter
from tui.screens.filter import FilterScreen
from tui.screens.final_note import FinalNoteScreen
from tui.screens.form import Saved
from tui.screens.log_touch import LogTouchScreen
from tui.screens.prospect_form import ProspectFormScreen
from tui.screens.reopen import ReopenScreen
from tui.screens.schedule import ScheduleScreen
from tui.screens.search import SearchScreen
from tui.screens.snooze import SnoozeScreen
from tui.screens.won import WonScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.history_pane import HistoryPane
from tui.widgets.queue_view import QueueView

EMPTY_BOOK = """Your book is empty.

Press n to add your first prospect:
a name, and when to follow up first.

Press ? for every key."""


class DeskScreen(Screen):
    BINDINGS = [*bindings(DESK_KEYS), Binding("escape", "clear_filter", "Clear filter", show=False)]

    def __init__(self, tz: str) -> None:
        super().__init__()
        self.tz = tz
        self._after_id: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="queue-pane"):
                yield QueueView(self.tz, id="queue")
                yield Static(EMPTY_BOOK, id="empty", markup=False)
            with Vertical(id="side"):
                yield DetailPane(self.tz, id="detail")
                yield HistoryPane(self.tz, id="history")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#queue-pane").border_title = "Queue"
        self.query_one("#detail").border_title = "Prospect"
        self.query_one("#history").border_title = "History"
        self.refresh_desk()
        self.queue.focus()

    def on_screen_resume(self) -> None:
        # a dialog has closed: let its widgets go (see tui/watchers.py)
        forget_closed_watchers(self.app, self.query_one(Footer))

    @property
    def queue(self) -> QueueView:
        return self.query_one(QueueView)

    def refresh_desk(self, select: int | None = None) -> None:
        # dropped prospects whose revisit date has come are back in the queue
        if woken := actions.wake_revisits():
            self.notify(f"{len(woken)} dropped prospect(s) are due a revisit today.", timeout=4)
        self.queue.reload(select)
        empty = reads.prospect_count() == 0
        self.set_class(empty, "-empty-book")
        narrow = self.queue.narrow
        self.query_one("#queue-pane").border_title = f"Queue · {narrow.describe()} (esc clears)" if narrow else "Queue"
        self.query_one("#queue-pane").border_subtitle = f"{self.queue.total} queued · × touches · ○ without a reply"

    def on_queue_view_selected(self, message: QueueView.Selected) -> None:
        with self.app.batch_update():  # both panes change in one frame
            self.query_one(DetailPane).prospect_id = message.prospect_id
            self.query_one(HistoryPane).prospect_id = message.prospect_id

    # -- actions: each opens its dialog; the dialog makes one call into storage.actions ------

    def _selected(self):
        row = self.queue.selected
        if row is None:
            if reads.prospect_count() == 0:
                self.notify("Your book is empty: press n to add your first prospect.")
            else:
                self.notify("Select a prospect in the queue first.")
        return row

    def _open(self, dialog) -> None:
        self._after_id = self.queue.row_after_cursor()
        self.app.push_screen(dialog, self._saved)

    def _saved(self, result: Saved | None) -> None:
        if result is None:
            return
        self.refresh_desk(result.prospect_id if result.follow else self._after_id)
        if result.follow and self.queue.selected is None:
            self.refresh_desk(self._after_id)
        self.notify(result.message, markup=False, timeout=3 if result.prospect_id else 8)
        if result.propose_final_note:
            self.app.push_screen(FinalNoteScreen(result.prospect_id, self.tz), self._saved)

    def action_log(self) -> None:
        if row := self._selected():
            self._open(LogTouchScreen(row.prospect_id, self.tz))

    def action_snooze(self) -> None:
        if row := self._selected():
            if row.due_at is None:
                self.notify("No next follow-up to snooze: press l to log a touch and set one.")
                return
            self._open(SnoozeScreen(row.prospect_id, row.name, self.tz))

    def action_won(self) -> None:
        if row := self._selected():
            if row.status == "won":
                self.notify("Already closed as won.")
                return
            self._open(WonScreen(row.prospect_id, row.name, row.channel or "call", self.tz))

    def action_drop(self) -> None:
        if row := self._selected():
            warning = drop_warning(row.touch_count)
            if warning is None:
                self._open(DropScreen(row.prospect_id, row.name, self.tz))
                return

            def answered(yes: bool | None) -> None:
                if yes:
                    self._open(DropScreen(row.prospect_id, row.name, self.tz))

            self.app.push_screen(ConfirmScreen(warning, yes="drop anyway"), answered)

    def action_final_note(self) -> None:
        if row := self._selected():
            self._open(FinalNoteScreen(row.prospect_id, self.tz))

    def action_reopen(self) -> None:
        if row := self._selected():
            if row.status == "active":
                self.notify("This prospect is active already: nothing to reopen.")
                return
            self._open(ReopenScreen(row.prospect_id, row.name, row.channel or "call", self.tz))

    def action_schedule(self, kind: str) -> None:
        if row := self._selected():
            self._open(ScheduleScreen(row.prospect_id, row.name, kind, row.channel, self.tz))

    def action_kind_filter(self, kind: str) -> None:
        self._narrow(Filter(kind=kind))

    def action_filter(self) -> None:
        self.app.push_screen(FilterScreen(self.queue.narrow), lambda chosen: chosen is not None and self._narrow(chosen))

    def action_clear_filter(self) -> None:
        if self.queue.narrow:
            self._narrow(None)

    def _narrow(self, narrow: Filter | None) -> None:
        selected = self.queue.selected
        self.queue.narrow = narrow or None
        self.refresh_desk(selected.prospect_id if selected else None)

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(), self._found)

    def _found(self, prospect_id: int | None) -> None:
        if prospect_id is None:
            return  # escape: back where the rep was
        if self.queue.is_queued(prospect_id):
            self.refresh_desk(prospect_id)
        else:
            # won without a next step, or dropped: not in the queue, shown on the right all the same
            self.query_one(DetailPane).prospect_id = prospect_id
            self.query_one(HistoryPane).prospect_id = prospect_id
            self.notify("Not in the queue (closed, or no next step): shown on the right.", timeout=4)

    def action_import(self) -> None:
        from tui.screens.import_file import ImportScreen

        row = self.queue.selected
        self._after_id = row.prospect_id if row else None  # the cursor stays where it was
        self.app.push_screen(ImportScreen(self.tz), self._saved)

    def action_export(self) -> None:
        from tui.screens.export_file import ExportScreen

        row = self.queue.selected
        self._after_id = row.prospect_id if row else None
        self.app.push_screen(ExportScreen(), self._saved)

    def action_new(self) -> None:
        self._after_id = None
        self.app.push_screen(ProspectFormScreen(self.tz), self._saved)

    def action_edit(self) -> None:
        if row := self._selected():
            self._open(ProspectFormScreen(self.tz, row.prospect_id))
