"""The desk: queue on the left, the prospect on screen and its history on the right.

Every read and write goes through the desk's one way to the book (`app.book.call`, off the UI
thread); the panes show what the desk hands them (attributes down) and ask for more with messages
(messages up). Every action acts on the prospect the detail pane shows (`shown`)."""

from __future__ import annotations

from concurrent.futures import Future
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from storage import actions
from storage.book.clock import local_now
from storage.book.upkeep import checkpoint_when_idle
from storage.reads.prospect import HISTORY_PAGE, ProspectView, history_page, view
from storage.reads.queue import Filter
from storage.rules.cadence import drop_warning
from tui.keys import DESK_KEYS, bindings
from tui.screens import dialogs  # each imported as it first opens
from tui.screens.desk_closed import ClosedBookKeys
from tui.screens.desk_forms import KeptForms
from tui.screens.desk_live import LiveBook
from tui.screens.desk_next_step import NextStepKeys
from tui.screens.desk_plans import PlanKeys
from tui.screens.desk_team import TeamDesk
from tui.screens.desk_undo import UndoKeys
from tui.screens.form import Saved
from tui.screens.prospect_form import ProspectFormScreen
from tui.screens.report_desk import ReportKeys
from tui.text import literal, tell
from tui.watchers import forget_closed_lines, forget_closed_watchers
from tui.widgets.detail_pane import DetailPane
from tui.widgets.desk_footer import DeskFooter
from tui.widgets.history_pane import HistoryPane
from tui.widgets.queue_layout import QueueState
from tui.widgets.queue_view import QueueView

FIRST_READ_WAIT = 0.25  # seconds the desk waits for its first read before coming up without it
IDLE_CHECKPOINT = 10.0  # seconds between the book's checkpoints while the desk waits for nothing

EMPTY_BOOK = """Your book is empty.

Press n to add your first prospect:
a name, and when to follow up first.

Press ? for every key."""


class DeskScreen(KeptForms, NextStepKeys, ClosedBookKeys, UndoKeys, PlanKeys, ReportKeys, TeamDesk, LiveBook, Screen):
    BINDINGS = bindings(DESK_KEYS)  # tui/keys.py: every key, with its id
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]  # app.tcss: below 80 columns the prospect takes more height

    def __init__(self, tz: str, first: Future | None = None) -> None:
        super().__init__()
        self.tz = tz
        self._first = first  # the first read, started before the desk was up (FollowupApp.run)
        self.shown: ProspectView | None = None  # what the detail pane shows: what every key acts on
        self._after_id: int | None = None
        self._held_at_open: int | None = None  # the prospect held on screen when the dialog opened
        self._reading = False  # the prospect the cursor moved to is on its way from the book
        self._waking = False  # the revisits' wake-up is on its way
        self._deferred: str | None = None  # an action pressed meanwhile: run on that prospect once here
        self._heard: int | None = None  # the prospect of the last cursor move this desk has heard of
        self._day = local_now(tz).date()

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="queue-pane"):
                yield QueueView(self.tz, id="queue")
                yield Static(EMPTY_BOOK, id="empty", markup=False)
            with Vertical(id="side"):
                yield DetailPane(self.tz, id="detail")
                yield HistoryPane(self.tz, id="history")
        yield DeskFooter(show_command_palette=False)  # fewer keys in a narrow window

    def on_mount(self) -> None:
        self.query_one("#queue-pane").border_title = "Queue"
        self.query_one("#detail").border_title = "Prospect"
        self.query_one("#history").border_title = "History"
        self.queue.focus()
        first, self._first = self._first, None
        if first is None:
            self.refresh_desk()
        elif self._arrives(first):  # the first frame shows the queue
            self._show_state(first.result())
        else:  # a slow book: the desk comes up, and the queue when it comes
            self._reading = True
            self.app.book.call(self, first.result, done=self._show_state, failed=self._not_shown, group="queue")
        self.wake_revisits()
        self.set_interval(60, self._tick)
        self.set_interval(IDLE_CHECKPOINT, self._checkpoint_when_idle)
        # Up: from here a fault is survived. Set here, not after the first refresh: a key typed as
        # the first frame showed could reach the desk before an after-refresh callback ran, and a
        # fault in it ended the desk as if at start-up (seen under load).
        self.app.up = True

    @staticmethod
    def _arrives(first: Future) -> bool:
        """Whether the first read comes back within a frame or so. Nothing is on screen yet to
        freeze, and while the desk waits the read has the processor to itself (a local book: ~10 ms);
        a book that takes longer (a far server) gets the desk up first."""
        try:
            first.exception(timeout=FIRST_READ_WAIT)
        except TimeoutError:
            return False
        return first.exception() is None

    def on_screen_resume(self) -> None:
        # a dialog has closed: let its widgets go (see tui/watchers.py)
        forget_closed_watchers(self.app, self.query_one(Footer))
        forget_closed_lines()
        self.app.collector.after_this_frame(self)  # the closed dialog is garbage now (tui/idle_gc.py)

    @property
    def waiting(self) -> bool:
        """The desk is waiting for the book (a read of the queue or a prospect, or the wake-up)."""
        return self._reading or self._waking

    @property
    def queue(self) -> QueueView:
        return self.query_one(QueueView)

    # -- reading -------------------------------------------------------------------------------

    def refresh_desk(self, select: int | None = None, fallback: int | None = None, keep: int | None = ...) -> None:
        """Read the queue again (off the UI thread); the cursor goes to `select`, else `fallback`.
        A prospect held on screen outside the queue (a search's jump) stays there (`keep`)."""
        self._reading = True
        self.queue.reload(select, fallback, keep)

    def wake_revisits(self) -> None:
        """Dropped prospects whose revisit date has come are back in the queue: an action of its own
        (one transaction, one journal entry), never a write hidden in a refresh."""
        self._waking = True
        self.app.book.call(self, partial(actions.wake_revisits, tz=self.tz), done=self._woken, failed=self._not_woken,
                           group="wake")

    def _not_woken(self, error: BaseException) -> bool:
        self._waking = False
        return False  # the one handler says why; the next start or midnight tries again

    def _woken(self, woken: list[int]) -> None:
        self._waking = False
        if woken:
            self.notify(f"{len(woken)} dropped prospect(s) are due a revisit today.", timeout=4)
            self.refresh_desk(self.shown.id if self.shown else None)

    def _tick(self) -> None:
        """Past midnight the sections are cut again, and the day's revisits come back: from the
        midnight timer (tui/screens/desk_live.py), and every minute should a clock jump (a laptop
        waking up) pass it by."""
        today = local_now(self.tz).date()
        if today != self._day:
            self._day = today
            self.refresh_desk(self.shown.id if self.shown else None)
            self.wake_revisits()

    def _checkpoint_when_idle(self) -> None:
        """While the desk waits for nothing, the book's WAL goes back into it and is cut short (a
        long reader elsewhere let it grow); a damage the book's check found is said here, once."""
        if not self.waiting:
            self.app.book.call(self, checkpoint_when_idle, group="upkeep")

    def on_queue_view_reloaded(self, message: QueueView.Reloaded) -> None:
        self.set_class(message.empty_book, "-empty-book")
        pane = self.query_one("#queue-pane")
        self.on_resize()
        pane.border_subtitle = f"{self.queue.total} queued · × touches · ○ without a reply"

    def on_resize(self) -> None:
        """The queue's title: its filter, then the rep's day so far, in full where the pane has room."""
        pane, narrow, progress = self.query_one("#queue-pane"), self.queue.narrow, self.queue.progress
        parts = ["Queue"] + ([f"{narrow.describe()} (esc clears)"] if narrow else [])
        if progress is not None and not self.queue.empty_book:  # inside ╭─ and ─╮: a space each side
            room = pane.size.width - 4 - len(" · ".join(parts + [""]))
            if len(words := progress.words(room)) <= room or not narrow:  # no stub after a filter: "0…"
                parts.append(words)
        # the filter holds a typed tag: a title is markup unless it is Content
        pane.border_title = literal(" · ".join(parts), one_line=True)

    def on_queue_view_read_failed(self, message: QueueView.ReadFailed) -> None:
        self._reading, self._deferred = False, None  # nothing is coming: keys act on what is shown
        self.app.release_keys(self)
        if self.queue.holding is not None and (self.shown is None or self.shown.id != self.queue.holding):
            self.queue.hold(None)  # a jump whose read failed: the cursor's row is still the one shown

    def on_queue_view_selected(self, message: QueueView.Selected) -> None:
        self._heard = message.prospect_id
        if message.prospect_id is None:
            self._show(None)
        elif message.view is not None and message.view is self.shown:
            pass  # on screen already
        elif message.view is not None:  # read with the queue: on screen in the same frame
            self.app.book.supersede(self, "detail")  # a read of another prospect on its way is stale
            self._show(message.view)
        else:
            self.show_prospect(message.prospect_id)

    def show_prospect(self, prospect_id: int) -> None:
        self._reading = True
        self.app.book.call(self, view, prospect_id, done=self._show, failed=self._not_shown, group="detail",
                           exclusive=True)

    def _not_shown(self, error: BaseException) -> bool:
        self._reading, self._deferred = False, None  # said by the one handler; keys act again
        self.app.release_keys(self)
        return False

    def _show(self, found: ProspectView | None) -> None:
        self.shown = found
        # held on screen outside the queue: the pane says where they are, and which keys apply
        outside = found is not None and found.id == self.queue.holding
        self.query_one(DetailPane).place(outside, filtered=bool(self.queue.narrow))
        self._reading = False
        if self._deferred is not None:  # pressed while this prospect was on its way: it acts on them
            action, self._deferred = self._deferred, None
            self.call_later(self.run_action, action)
            self.call_later(self.app.release_keys, self)
        with self.app.batch_update():  # both panes change in one frame
            self.query_one(DetailPane).view = found
            self.query_one(HistoryPane).show(found)

    def on_history_pane_need_more(self, message: HistoryPane.NeedMore) -> None:
        pane = self.query_one(HistoryPane)
        pid = message.prospect_id
        self.app.book.call(self, history_page, pid, message.offset, HISTORY_PAGE, group="history",
                           done=lambda touches: pane.add(pid, touches, len(touches) < HISTORY_PAGE))

    # -- actions: each opens its dialog on the prospect shown; the dialog makes one call -------

    def _selected(self, action: str) -> ProspectView | None:
        """The prospect an action acts on: the one the detail pane shows. While the one the cursor
        moved to is still on its way, the action waits for them (it must not land on the last)."""
        if self._reading or self.queue.announced != self._heard:  # a move still on its way
            self._deferred = action
            self.app.hold_keys(self)  # the keys typed after it wait for it (tui/dialog_keys.py)
            return None
        if self.shown is None:
            if self.queue.empty_book:
                self.notify("Your book is empty: press n to add your first prospect.")
            else:
                self.notify("Select a prospect in the queue first.")
        return self.shown

    def _open(self, dialog, after: int | None = ...) -> None:
        """Open a dialog that writes; once it has saved, the cursor goes to the prospect it was
        about (`follow`) or to `after` (by default the row after the cursor: the next one due; for
        a prospect held on screen outside the queue, themselves: they stay on screen)."""
        held = self._held_at_open = self.queue.holding
        if after is ...:
            after = held if held is not None else self.queue.row_after_cursor()
        self._after_id = after
        read = self.queue.reader()
        dialog.then = lambda saved: read(*self._read_after(saved, after, held))
        dialog.applied = self._apply
        self.app.push_screen(dialog, self._saved)

    @staticmethod
    def _read_after(saved: Saved, after: int | None, held: int | None) -> tuple[list[int | None], int | None]:
        """Where the cursor goes after a save (`wanted`), and who stays on screen if the queue does
        not hold them (`keep`): the one held, unless the save was about someone else (a new one)."""
        if saved.follow:
            return [saved.prospect_id, after], held if saved.prospect_id == held else None
        return [after], held

    def _apply(self, result: Saved) -> None:
        """The queue as the save's worker read it, on screen in the frame that closes the dialog."""
        if result.queue is not None:
            self._show_state(result.queue)

    def _show_state(self, state: QueueState) -> None:
        """A read of the queue with the prospect the cursor lands on, shown in one go."""
        self.queue.show_state(state)
        self.app.book.supersede(self, "detail")
        self._show(state.shown)

    def _saved(self, result: Saved | None) -> None:
        if result is None:
            return
        if result.queue is not None:
            pass  # shown already (_apply)
        else:
            wanted, keep = self._read_after(result, self._after_id, self._held_at_open)
            self.refresh_desk(*wanted, keep=keep)
        tell(self, result.message, timeout=3 if result.prospect_id else 8)  # names, paths: the rep's words
        if result.propose_final_note and result.prospect_id is not None:
            self.app.book.call(self, view, result.prospect_id, done=self._propose_final_note, group="final-note")

    def _propose_final_note(self, found: ProspectView | None) -> None:
        if found is not None:
            self._open(dialogs.FinalNoteScreen(found, self.tz))

    @staticmethod
    def _channel(found: ProspectView) -> str:
        return (found.next_step.channel if found.next_step else None) or found.facts.preferred_channel or "call"

    def action_log(self) -> None:
        if found := self._selected("log"):
            self._open(self.log_form(found))  # kept and filled in again (tui/screens/desk_forms.py)

    def action_snooze(self) -> None:
        if found := self._selected("snooze"):
            if found.next_step is None:
                self.notify(f"No next follow-up to snooze: press {self._rep_key('desk.next_step')} to set one.")
                return
            self._open(dialogs.SnoozeScreen(found, self.tz))

    def action_won(self) -> None:
        if found := self._selected("won"):
            if found.facts.status == "won":
                self.notify("Already closed as won.")
                return
            self._open(dialogs.WonScreen(found, self._channel(found), self.tz))

    def action_drop(self) -> None:
        if found := self._selected("drop"):
            warning = drop_warning(found.facts.touch_count)
            if warning is None:
                self._open(dialogs.DropScreen(found, self.tz))
                return

            def answered(yes: bool | None) -> None:
                if yes:
                    self._open(dialogs.DropScreen(found, self.tz))

            self.app.push_screen(dialogs.ConfirmScreen(warning, yes="drop anyway"), answered)

    def action_final_note(self) -> None:
        if found := self._selected("final_note"):
            self._open(dialogs.FinalNoteScreen(found, self.tz))

    def action_reopen(self) -> None:
        if found := self._selected("reopen"):
            if found.facts.status == "active":
                self.notify("This prospect is active already: nothing to reopen.")
                return
            self._open(dialogs.ReopenScreen(found, self._channel(found), self.tz))

    def action_schedule(self, kind: str) -> None:
        if found := self._selected(f"schedule({kind!r})"):
            self._open(dialogs.ScheduleScreen(found, kind, self._channel(found), self.tz))

    def action_kind_filter(self, kind: str) -> None:
        self._narrow(Filter(kind=kind))

    def action_filter(self) -> None:
        self.app.push_screen(dialogs.FilterScreen(self.queue.narrow, self.team), lambda chosen: chosen is not None and self._filter_chosen(chosen))

    def action_clear_filter(self) -> None:
        if self.queue.narrow:
            self._narrow(None)

    def _narrow(self, narrow: Filter | None) -> None:
        self.queue.narrow = narrow or None
        self.refresh_desk(self.shown.id if self.shown else None)

    def action_search(self) -> None:
        self.app.push_screen(dialogs.SearchScreen(), self._found_one)

    def _found_one(self, prospect_id: int | None) -> None:
        if prospect_id is None:
            return  # escape: back where the rep was
        # they stay on screen whether the queue holds them or not (closed, filtered out); the desk's
        # own first read, should it still be on its way, no longer counts either
        self.app.book.supersede(self, "queue")
        self.queue.hold(prospect_id)
        self.refresh_desk(prospect_id)

    def action_import(self) -> None:
        from tui.screens.import_file import ImportScreen

        self._open(ImportScreen(self.tz), after=self.shown.id if self.shown else None)  # the cursor stays

    def action_export(self) -> None:
        from tui.screens.export_file import ExportScreen

        self._open(ExportScreen(self.tz), after=self.shown.id if self.shown else None)

    def action_new(self) -> None:
        self._open(self.new_prospect_form(), after=None)

    def action_edit(self) -> None:
        if found := self._selected("edit"):
            self._open(ProspectFormScreen(self.tz, found))
