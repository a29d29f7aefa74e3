"""A yes/no question over the desk, always about a discouraged choice (drop anyway, save anyway,
discard the note): y says yes; n, escape or enter says no, so a habitual enter is the safe answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.keys import CONFIRM_KEYS, bindings
from tui.screens.dimmed import Dialog
from tui.text import literal
from tui.widgets.dialog_footer import DialogFooter


class ConfirmScreen(Dialog[bool]):
    BINDINGS = bindings(CONFIRM_KEYS)  # tui/keys.py: every key, with its id
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto; border: thick $warning; background: $panel; padding: 0 1;
    }
    /* a Label is as wide as its text and cut at the dialog's edge: the whole question wraps */
    ConfirmScreen #question { width: 1fr; }
    ConfirmScreen .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, question: str, yes: str = "yes") -> None:
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.question), id="question")
            yield Label(f"y {self.yes} · n or enter no", classes="hint")
        yield DialogFooter()  # over the desk's footer, whose keys do nothing here

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
