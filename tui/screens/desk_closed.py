"""The desk's way into the closed book (`c`, the palette, and the queue filter's won or dropped),
and back: the prospect chosen there is the one on screen when the rep is back on the desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import replace

from storage.reads.closed import CLOSED, ClosedFilter
from storage.reads.queue import Filter
from tui.text import tell
from tui.screens import dialogs  # each imported as it first opens

if TYPE_CHECKING:
    from tui.screens.closed_book import BackToDesk


class ClosedBookKeys:
    """A mixin of DeskScreen (tui/screens/desk.py)."""

    def action_closed_book(self, status: str | None = None) -> None:
        self.app.push_screen(dialogs.ClosedBookScreen(self.tz, ClosedFilter(status=status)), self._back_from_closed_book)

    def _back_from_closed_book(self, back: BackToDesk | None) -> None:
        if back is None:
            return  # escape: the desk as it was
        # shown as a search's jump shows them: in the queue (reopened) with the cursor on them, or
        # beside it (enter on a closed one), with no cursor row pretending to be them
        self._found_one(back.prospect_id)
        if back.message:
            tell(self, back.message, timeout=3)

    def _filter_chosen(self, chosen: Filter) -> None:
        """The queue holds no dropped prospect, and won ones only while a check-in is due: a status
        filter of won or dropped is the closed book, filtered so (the rest narrows the queue)."""
        if chosen.status in CLOSED:
            rest = replace(chosen, status=None)
            if rest != (self.queue.narrow or Filter()):
                self._narrow(rest)
            self.action_closed_book(chosen.status)
            return
        self._narrow(chosen)
