"""The closed book (`c` on the desk, or the palette): won and dropped prospects, newest closed
first, with the day they closed, why, the deal value, the touches it took and the revisit date.

`/` narrows it by words (the search of the desk), `f` by status, drop reason and a revisit coming
up; `o` reopens the highlighted one with a next step and `enter` shows them on the desk (detail and
history) without reopening; either way the rep is back on the desk with that prospect on screen.
`escape` goes back. Every read goes off the UI thread through the desk's one way to the book."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from storage.book.clock import local_now
from storage.reads.closed import ClosedFilter, ClosedPage, first_page
from storage.reads.prospect import ProspectView, view
from tui.keys import CLOSED_KEYS, bindings, key_for
from tui.screens.closed_filter import ClosedFilterScreen
from tui.screens.form import Saved
from tui.screens.reopen import ReopenScreen
from tui.text import literal
from tui.widgets.closed_view import PAGE, ClosedView, heading
from tui.widgets.safe_fields import SafeInput


@dataclass(frozen=True)
class BackToDesk:
    """What the closed book hands the desk: the prospect to show, and what to tell (a reopen)."""

    prospect_id: int
    message: str = ""


class ClosedBookScreen(Screen[BackToDesk | None]):
    BINDINGS = bindings(CLOSED_KEYS)  # tui/keys.py: every key, with its id
    DEFAULT_CSS = """
    ClosedBookScreen #closed-pane { height: 1fr; border: round $primary; }
    ClosedBookScreen #words { margin: 0 0 0 1; width: 1fr; }
    ClosedBookScreen #closed-filter { color: $text-muted; padding: 0 1; height: auto; }  /* wraps: never cut */
    ClosedBookScreen #closed-heading { color: $text-accent; text-style: bold; height: 1; }
    ClosedBookScreen #closed { height: 1fr; }
    ClosedBookScreen #closed-empty { color: $text-muted; padding: 1 2; display: none; }
    ClosedBookScreen.-nothing #closed-empty { display: block; }
    ClosedBookScreen.-nothing #closed { display: none; }
    """

    def __init__(self, tz: str, narrow: ClosedFilter | None = None) -> None:
        super().__init__()
        self.tz = tz
        self.narrow = narrow or ClosedFilter()
        self.reasons: list[str] = []
        self._reading = False  # a filter's first read is on its way: enter and o wait for it

    def compose(self) -> ComposeResult:
        keymap = getattr(self.app, "rep_keymap", {})
        with Vertical(id="closed-pane"):
            yield SafeInput(self.narrow.words, placeholder=f"{key_for(keymap, 'closed.search')} words: a name, a company, "
                            "a word from a note, #tag", compact=True, max_length=200, id="words")
            yield Static("", id="closed-filter", markup=False)
            yield Static("", id="closed-heading", markup=False)
            yield ClosedView(self.tz, id="closed")
            yield Static("", id="closed-empty", markup=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#closed-pane").border_title = "Closed book"
        self.rows.focus()
        self.read()

    def on_resize(self) -> None:
        self.query_one("#closed-heading", Static).update(heading(self.rows.scrollable_content_region.width))
        # below 80 columns the footer's keys close up, so ? Help and q Quit still fit at 60
        self.query_one(Footer).compact = self.size.width < 80

    @property
    def rows(self) -> ClosedView:
        return self.query_one(ClosedView)

    # -- reading ------------------------------------------------------------------------

    def read(self) -> None:
        """The filter's count and first page (only the latest filter counts)."""
        self._reading = True
        today = local_now(self.tz).date()
        self.app.book.call(self, first_page, self.narrow, PAGE, today, done=self._shown, failed=self._not_read,
                           group="closed", exclusive=True)

    def _not_read(self, error: BaseException) -> bool:
        self._reading = False
        return False  # the one handler says why

    def _shown(self, first: ClosedPage) -> None:
        self._reading = False
        self.narrow, self.reasons = first.narrow, first.reasons
        keymap = getattr(self.app, "rep_keymap", {})
        with self.app.batch_update():
            self.rows.show_first(first)
            pane = self.query_one("#closed-pane")
            pane.border_title = f"Closed book · {first.won:,} won · {first.dropped:,} dropped"
            pane.border_subtitle = f"{first.total:,} shown · newest closed first"
            # the words typed are the rep's: literal, never markup
            self.query_one("#closed-filter", Static).update(literal(
                f"Showing {first.narrow.describe()} · {key_for(keymap, 'closed.filter')} filters · "
                f"{key_for(keymap, 'closed.reopen')} reopens · {key_for(keymap, 'closed.show')} shows on the desk",
                one_line=True))
            self.query_one("#closed-heading", Static).update(heading(self.rows.scrollable_content_region.width))
            self.set_class(first.total == 0, "-nothing")
            if first.total == 0:
                nothing = "Nothing closed yet: won and dropped prospects are listed here." if not (
                    first.won or first.dropped) else "Nothing closed matches: f or / to change what is shown."
                self.query_one("#closed-empty", Static).update(nothing)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value != self.narrow.words:
            self.narrow = replace(self.narrow, words=event.value, matched=None)
            self.read()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.rows.focus()  # enter in the words: back to the list, on the newest match

    # -- keys -----------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.rows.cursor_by(step)

    def action_first(self) -> None:
        self.rows.first()

    def action_last(self) -> None:
        self.rows.last()

    def action_page(self, direction: int) -> None:
        self.rows.page(direction)

    def action_search(self) -> None:
        self.query_one("#words", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#words", Input).has_focus:
            self.rows.focus()  # from the words to the list; escape again leaves
            return
        self.dismiss(None)

    def action_filter(self) -> None:
        def chosen(narrow: ClosedFilter | None) -> None:
            if narrow is not None:
                self.narrow = replace(narrow, words=self.narrow.words, matched=None)
                self.read()

        self.app.push_screen(ClosedFilterScreen(self.narrow, self.reasons), chosen)

    def _highlighted(self) -> int | None:
        row = None if self._reading else self.rows.selected
        if row is None:
            self.notify("Nothing highlighted: move to a prospect first." if not self._reading else "Still reading…",
                        timeout=3)
            return None
        return row.prospect_id

    def action_show(self) -> None:
        if (prospect_id := self._highlighted()) is not None:
            self.dismiss(BackToDesk(prospect_id))

    def action_reopen(self) -> None:
        if (prospect_id := self._highlighted()) is not None:
            self.app.book.call(self, view, prospect_id, done=self._reopen, group="closed-reopen", exclusive=True)

    def _reopen(self, found: ProspectView | None) -> None:
        if found is None or found.facts.status == "active":
            self.notify("Not closed any more (reopened meanwhile?): the list is read again.", timeout=4)
            self.read()
            return
        channel = (found.next_step.channel if found.next_step else None) or found.facts.preferred_channel or "call"

        def saved(result: Saved | None) -> None:
            if result is not None:  # reopened: back on the desk, the cursor on them
                self.dismiss(BackToDesk(found.id, result.message))

        self.app.push_screen(ReopenScreen(found, channel, self.tz), saved)
