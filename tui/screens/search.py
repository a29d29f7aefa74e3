"""Search (`/`): one box that finds prospects by name, company, email, phone, and by words in
their notes and tags, as you type. `enter` jumps to the prospect, `escape` returns.

No key is lost: `enter` typed before the results of the words have come back waits for them
and opens the first (what is typed meanwhile is kept and played to the desk after); `↑` from
the first hit and any letter typed in the results go back to the box."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from storage.search import Hit, count, search
from tui.keys import BY_ID, SEARCH_KEYS, bindings, key_for, key_string
from tui.screens.dimmed import Dialog
from tui.text import literal
from tui.widgets.dialog_footer import DialogFooter, Note
from tui.widgets.safe_fields import SafeInput

PAGE = 50  # hits shown at once; the "more" row (or pagedown at the end) brings the next ones
MORE = "more"  # the id of the "more" row
# How long the rep has stopped typing before the matches are counted ("50 of 98"). A count takes
# up to ~100 ms on a big book, and one run beside the next keystroke's search made that search
# twice as slow (python -m bench, 100k: "price" 37 -> 77 ms); while keys come, none is taken.
COUNT_AFTER = 0.3


def hit_line(hit: Hit) -> Content:
    """name · company, where it matched, and the matching line with the match in bold."""
    who = literal(hit.name + (f" · {hit.company}" if hit.company else ""), one_line=True).stylize("bold")
    line = literal(hit.snippet, one_line=True)
    if hit.span:
        line = line.stylize("bold $text-accent", *hit.span)
    status = f" ({hit.status})" if hit.status != "active" else ""
    return Content.assemble(who, Content.styled(f"{status}  {hit.where}: ", "$text-muted"), line)


def count_line(shown: int, total: int | None, capped: bool) -> str:
    """"12 found" when that is all; "50 of 98" (or "2,000+") when more match; "50 of …" while counting."""
    if total is None:
        return f"{shown:,} of …"
    if total > shown or capped:
        return f"{shown:,} of {total:,}{'+' if capped else ''}"
    return f"{shown:,} found"


class QueryBox(SafeInput):
    """The search box. While `enter` waits for the results, the keys typed after it are not the
    box's: they are held (escape still closes) and played to the desk once the first hit opens."""

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        if isinstance(screen, SearchScreen) and screen.waiting and event.key != "escape":
            event.stop()
            event.prevent_default()
            screen.held.append(event)
        # otherwise Input's own handler runs next (Textual calls each class's handler in turn)


class HitList(OptionList):
    """The results. `↑` on the first goes back to the box, a printable key is typed into the box
    (appended), and pagedown on the last row brings the next page."""

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            self.screen.query_one("#query", Input).focus()
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.highlighted is not None and self.highlighted >= self.option_count - 2 and self.screen.more():
            return
        super().action_page_down()

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            box = self.screen.query_one("#query", Input)
            box.focus()
            box.action_end()
            box.insert_text_at_cursor(event.character)


class SearchScreen(Dialog[int | None]):
    BINDINGS = bindings(SEARCH_KEYS)  # tui/keys.py: every key, with its id
    DEFAULT_CSS = """
    SearchScreen { align: center top; }
    SearchScreen > Vertical {
        width: 100; max-width: 100%; height: 80%; margin-top: 2;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    SearchScreen OptionList { height: 1fr; }
    SearchScreen #status { color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown_for: str | None = None  # the words whose results are on screen
        self.hits: list[Hit] = []
        self.counted: tuple[str, int, bool] | None = None  # (words, how many match, only a floor)
        self.limit = PAGE
        self.waiting = False  # enter was pressed before the results of the words came back
        self.held: list[events.Key] = []  # the keys typed while waiting, for the desk
        self._count_timer: Timer | None = None  # the count of the words on screen, once typing stops

    def compose(self) -> ComposeResult:
        with Vertical():
            yield QueryBox(placeholder="name, company, email, phone, a word from a note, #tag…", id="query", max_length=200,
                           select_on_focus=False)  # back from the results, a key adds to the words
            yield Label("Type to search.", id="status", markup=False)
            yield HitList(id="hits", compact=True)
        yield DialogFooter()  # over the desk's footer, whose keys do nothing here

    def footer_notes(self) -> list[Note]:
        """The keys of the box or of the results, whichever has the focus (escape: a binding)."""
        if not isinstance(self.focused, HitList):
            down = key_string(BY_ID["search.results"], self.app.rep_keymap).split(",")[0].strip()
            return [Note("enter", "⏎", "Open first"), Note(down, key_for(self.app.rep_keymap, "search.results"), "Results")]
        notes = [Note("enter", "⏎", "Open"), Note("up", "↑↓", "Move")]
        if self._more_to_come():
            notes.append(Note("pagedown", "pgdn", "More"))
        return notes

    def on_input_changed(self, event: Input.Changed) -> None:
        self.limit = PAGE
        self.find(event.value)

    def find(self, text: str) -> None:
        # off the UI thread: only the latest keystroke counts
        self._count_later(None)
        self.app.book.call(self, search, text, self.limit,
                           done=lambda hits: self._show(text, hits), group="search", exclusive=True)

    def _show(self, text: str, hits: list[Hit]) -> None:
        if text != self.query_one("#query", Input).value:
            return  # a later keystroke is on its way
        if self.waiting:
            self.waiting = False
            if hits:
                self._open(hits[0].prospect_id)
                return
            self._replay()  # nothing to open: what was typed after enter goes on in the box
        results = self.query_one("#hits", OptionList)
        keep = results.highlighted if self.shown_for == text and results.has_focus else None
        self.shown_for, self.hits = text, hits
        # in one go: cleared first, the list was laid out twice (its scrollbar gone, then back)
        results.set_options([Option(hit_line(hit), id=str(hit.prospect_id)) for hit in hits])
        if keep is not None:
            results.highlighted = min(keep, results.option_count - 1)
        if len(hits) < self.limit:
            self.counted = (text, len(hits), False)  # fewer than a page: that is all of them
        elif self.counted is None or self.counted[0] != text:
            # a full page: how many match in all comes after, so the hits never wait for it
            self.counted = None
            self._count_later(text)
        self._tell()

    def _count_later(self, text: str | None) -> None:
        """Count the matches of `text` once the rep has stopped typing (None: of nothing now).
        A count of the words before, still running, is stopped: the rep is typing again."""
        if self._count_timer is not None:
            self._count_timer.stop()
        self.app.book.supersede(self, "search-count")
        self._count_timer = self.set_timer(COUNT_AFTER, lambda: self._start_count(text)) if text is not None else None

    def _start_count(self, text: str) -> None:
        self._count_timer = None
        if text == self.shown_for:
            self.app.book.call(self, count, text, done=lambda found: self._count(text, *found),
                               group="search-count", exclusive=True)

    def _count(self, text: str, total: int, capped: bool) -> None:
        if text == self.shown_for:
            self.counted = (text, max(total, len(self.hits)), capped)
            self._tell()

    def _tell(self) -> None:
        """The count over the results, and the "more" row under them when more match."""
        text, shown = self.shown_for or "", len(self.hits)
        total, capped = self.counted[1:] if self.counted else (None, False)
        results = self.query_one("#hits", OptionList)
        if results.option_count > shown:
            results.remove_option(MORE)
        if total is not None and (total > shown or capped):
            left = f"{total - shown:,}{'+' if capped else ''}"
            results.add_option(Option(Content.styled(f"… {left} more: enter here or pagedown", "$text-muted"), id=MORE))
        status = "Type to search." if not text.strip() else count_line(shown, total, capped) if shown else "Nothing found."
        self.query_one("#status", Label).update(status + (" · enter opens the first, ↓ to choose" if shown else ""))
        if results.has_focus:  # whether pagedown brings more may have changed
            self.query_one(DialogFooter).refresh(recompose=True)

    def _more_to_come(self) -> bool:
        """More may match than are shown: a full page, and no count yet or a bigger one."""
        total = self.counted[1] if self.counted else None
        return not (self.shown_for is None or len(self.hits) < self.limit or (total is not None and total <= len(self.hits)))

    def more(self) -> bool:
        """Bring the next page of hits, if more may match than are shown. True when it did."""
        if not self._more_to_come():
            return False
        self.limit = len(self.hits) + PAGE
        self.find(self.shown_for)
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.shown_for != event.value and event.value:  # (an empty box was never searched for)
            self.waiting = True  # the results of these words are on their way: open the first then
            self.query_one("#status", Label).update("Opening the first hit…")
            return
        results = self.query_one("#hits", OptionList)
        if results.option_count:
            self._open(int(results.get_option_at_index(0).id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == MORE:
            self.more()
        else:
            self._open(int(event.option.id))

    def _open(self, prospect_id: int) -> None:
        held, self.held = self.held, []
        gone = self.dismiss(prospect_id)
        if held:
            async def replay() -> None:
                await gone  # the desk has the focus again: the keys typed after enter are its
                for event in held:
                    self.app.post_message(events.Key(event.key, event.character))

            self.app.call_later(replay)

    def _replay(self) -> None:
        held, self.held = self.held, []
        for event in held:
            self.app.post_message(events.Key(event.key, event.character))

    def action_to_results(self) -> None:
        results = self.query_one("#hits", OptionList)
        if results.option_count and not results.has_focus:
            results.focus()
            results.highlighted = 0

    def action_close(self) -> None:
        self.waiting = False
        self.held = []
        self.dismiss(None)
