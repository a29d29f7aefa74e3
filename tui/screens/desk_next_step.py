"""The desk's keys for the next step, a mixin of DeskScreen: `d` sets or changes it without a
touch (the next-step form), `p` promises it or takes the promise back in one key, no dialog.
Both act on the prospect the detail pane shows (DeskScreen._selected)."""

from __future__ import annotations

from storage import actions
from storage.book.errors import InvalidInput
from storage.reads.prospect import ProspectView
from tui.keys import key_for
from tui.screens.next_step import NextStepScreen
from tui.text import tell


class NextStepKeys:
    """Needs DeskScreen's `_selected`, `_open`, `_show_state`, `refresh_desk` and `queue`."""

    def _rep_key(self, key_id: str) -> str:
        return key_for(getattr(self.app, "rep_keymap", {}), key_id)

    def action_next_step(self) -> None:
        if found := self._selected("next_step"):
            if found.facts.status == "dropped":  # the action refuses it too: reopening comes first
                self.notify(f"Dropped: reopen them first ({self._rep_key('desk.reopen')}).")
                return
            self._open(NextStepScreen(found, self.tz))

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
        prospect_id, promised = found.id, not found.next_step.promised
        read = self.queue.reader()

        def promise_then_read():
            """The promise, then the queue as it now is (the row moves in or out of Promised and the
            cursor goes with it), in one trip to the book."""
            summary = actions.promise(prospect_id, promised)
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
