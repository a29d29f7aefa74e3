"""The desk's undo and redo, a mixin of DeskScreen: `ctrl+z` undoes this desk's last change (read
from the book's journal, so it reaches back past a restart), `ctrl+y` redoes what was undone. No
dialog: the change is undone at once, the queue and the prospect it was about are read again in
the same trip to the book (the cursor on them, or them held on screen when the queue does not
hold them), and a toast says what was undone in the rep's words, or why it cannot be."""

from __future__ import annotations

from collections.abc import Callable

from storage import actions
from storage.actions import Undone
from storage.book.errors import InvalidInput
from tui.text import tell


class UndoKeys:
    """Needs DeskScreen's `queue`, `_show_state` and `refresh_desk`."""

    def action_undo(self) -> None:
        self._reverse(actions.undo, "Undo")

    def action_redo(self) -> None:
        self._reverse(actions.redo, "Redo")

    def _reverse(self, step: Callable[[], Undone], title: str) -> None:
        read = self.queue.reader()

        def step_then_read():
            """The undo (or redo), then the queue as it now is, on the prospect it was about."""
            result = step()
            if not result.done:
                return result, None
            try:
                if result.prospect_id is None:
                    return result, read([None])
                return result, read([result.prospect_id], result.prospect_id)
            except Exception:  # undone all the same: the desk reads the queue again itself
                return result, None

        def done(answer: tuple[Undone, object]) -> None:
            result, state = answer
            if state is not None:
                self._show_state(state)
            elif result.done:
                self.refresh_desk(result.prospect_id)
            tell(self, result.message, timeout=4)  # a name: the rep's words, shown literally

        def failed(error: BaseException) -> bool:
            if isinstance(error, InvalidInput):  # refused, with the reason; nothing was written
                tell(self, error.message, title=title, severity="warning", timeout=10)
                return True
            return False  # the desk's one handler says it

        self.app.book.call(self, step_then_read, done=done, failed=failed, group="save")
