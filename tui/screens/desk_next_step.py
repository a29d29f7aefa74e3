"""The desk's keys for the next step, a mixin of DeskScreen: `d` sets or changes it without a
touch (the next-step form), `p` promises it or takes the promise back in one key, no dialog.
Both act on the prospect the detail pane shows (DeskScreen._selected). And late first on a desk
left open: when a timed step of today passes its time, the queue is cut again (Today → Overdue)."""

from __future__ import annotations

import datetime as dt

from storage import actions
from storage.book.clock import utc_now
from storage.reads.queue import next_cut
from storage.book.errors import InvalidInput
from storage.reads.prospect import ProspectView
from tui.keys import key_for
from tui.text import tell
from tui.widgets.queue_view import QueueView
from tui.screens import dialogs  # each imported as it first opens

RECUT_RETRY = 5.0  # seconds: a dialog is open or the desk is reading; the queue is cut again after


class NextStepKeys:
    """Needs DeskScreen's `_selected`, `_open`, `_show_state`, `refresh_desk`, `waiting` and `queue`."""

    _recut_timer = None

    # -- a timed step passing its time -----------------------------------------------------------

    def on_queue_view_reloaded(self, message: QueueView.Reloaded) -> None:
        """The queue was cut at its `now` (DeskScreen handles this message too): ask the book when
        the next timed step of today passes its time, and cut the queue again then."""
        self.app.book.call(self, next_cut, self.queue.cut_at, self.tz, done=self._arm_recut,
                           failed=lambda error: True, group="recut", exclusive=True)  # midnight still comes

    def _arm_recut(self, moment: dt.datetime | None, delay: float | None = None) -> None:
        if self._recut_timer is not None:
            self._recut_timer.stop()
            self._recut_timer = None
        if moment is not None:
            wait = delay if delay is not None else max((moment - utc_now()).total_seconds(), 0.0)
            self._recut_timer = self.set_timer(wait, lambda: self._recut(moment), name="recut")

    def _recut(self, moment: dt.datetime) -> None:
        if self.app.screen is not self or self.waiting:  # never under a dialog: a little later
            self._arm_recut(moment, RECUT_RETRY)
            return
        self.refresh_desk(self.shown.id if self.shown else None)

    def _rep_key(self, key_id: str) -> str:
        return key_for(getattr(self.app, "rep_keymap", {}), key_id)

    def action_next_step(self) -> None:
        if found := self._selected("next_step"):
            if found.facts.status == "dropped":  # the action refuses it too: reopening comes first
                self.notify(f"Dropped: reopen them first ({self._rep_key('desk.reopen')}).")
                return
            self._open(dialogs.NextStepScreen(found, self.tz))

    def action_promise(self) -> None:
        found: ProspectView | None = self._selected("promise")
        if found is None:
            return
        if found.next_step is None:
            if found.facts.status == "dropped":
                self.notify(f"Dropped: reopen them first ({self._rep_key('desk.reopen')}).")
            else:
                self.notify(f"No next step to promise: press {self._rep_key('desk.next_step')} to set one.")
            return
        prospect_id, promised, tz = found.id, not found.next_step.promised, self.tz
        read = self.queue.reader()

        def promise_then_read():
            """The promise, then the queue as it now is (the row moves in or out of Promised and the
            cursor goes with it), in one trip to the book."""
            summary = actions.promise(prospect_id, promised, tz=tz)
            try:
                return summary, read([prospect_id])
            except Exception:  # promised all the same: the desk reads the queue again itself
                return summary, None

        def done(result) -> None:
            summary, state = result
            if state is not None:
                self._show_state(state)
            else:
                self.refresh_desk(prospect_id)
            tell(self, summary[:1].upper() + summary[1:], timeout=3)  # a name: the rep's words

        def failed(error: BaseException) -> bool:
            if isinstance(error, InvalidInput):  # changed meanwhile (another desk): said plainly
                tell(self, error.message)
                self.refresh_desk(prospect_id)
                return True
            return False  # the desk's one handler says it

        self.app.book.call(self, promise_then_read, done=done, failed=failed, group="save")
