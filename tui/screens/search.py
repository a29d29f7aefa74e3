"""Search (`/`): one box that finds prospects by name, company, email, phone, and by words in
their notes and tags, as you type. `enter` jumps to the prospect, `escape` returns."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from storage.search import Hit, search
from tui.keys import SEARCH_KEYS, bindings
from tui.text import literal
from tui.widgets.safe_fields import SafeInput


def hit_line(hit: Hit) -> Content:
    """name · company, where it matched, and the matching line with the match in bold."""
    who = literal(hit.name + (f" · {hit.company}" if hit.company else ""), one_line=True).stylize("bold")
    line = literal(hit.snippet, one_line=True)
    if hit.span:
        line = line.stylize("bold $text-accent", *hit.span)
    status = f" ({hit.status})" if hit.status != "active" else ""
    return Content.assemble(who, Content.styled(f"{status}  {hit.where}: ", "$text-muted"), line)


class SearchScreen(ModalScreen[int | None]):
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

    def compose(self) -> ComposeResult:
        with Vertical():
            yield SafeInput(placeholder="name, company, email, phone, a word from a note, #tag…", id="query", max_length=200)
            yield Label("Type to search.", id="status", markup=False)
            yield OptionList(id="hits", compact=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.find(event.value)

    def find(self, text: str) -> None:
        # off the UI thread: only the latest keystroke counts
        self.app.book.call(self, search, text, done=lambda hits: self._show(text, hits), group="search", exclusive=True)

    def _show(self, text: str, hits: list[Hit]) -> None:
        if text != self.query_one("#query", Input).value:
            return  # a later keystroke is on its way
        results = self.query_one("#hits", OptionList)
        results.clear_options()
        results.add_options([Option(hit_line(hit), id=str(hit.prospect_id)) for hit in hits])
        status = "Type to search." if not text.strip() else f"{len(hits)} found" if hits else "Nothing found."
        self.query_one("#status", Label).update(status + (" · enter opens the first, ↓ to choose" if hits else ""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#hits", OptionList)
        if results.option_count:
            self.dismiss(int(results.get_option_at_index(0).id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_to_results(self) -> None:
        results = self.query_one("#hits", OptionList)
        if results.option_count and not results.has_focus:
            results.focus()
            results.highlighted = 0

    def action_close(self) -> None:
        self.dismiss(None)
