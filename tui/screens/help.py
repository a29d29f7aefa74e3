"""`?`: every key of the desk, in place over it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static
from textual.content import Content

from tui.keys import APP_KEYS, DESK_KEYS, MOVE_KEYS

FORM_KEYS = (
    ("ctrl+s", "Save the form, from any field"),
    ("enter", "Save, from a one-line field"),
    ("escape", "Cancel: nothing is written"),
)


def key_table() -> Content:
    lines: list[Content] = []
    for heading, rows in (
        ("Queue", [(k.shown, k.help) for k in MOVE_KEYS]),
        ("Follow-ups", [(k.shown, k.help) for k in DESK_KEYS]),
        ("Forms", list(FORM_KEYS)),
        ("Desk", [(k.shown, k.help) for k in APP_KEYS]),
    ):
        lines.append(Content.from_markup("[b $text-accent]$h[/]", h=heading))
        lines += [Content.from_markup("  [b]$k[/]$pad$h", k=keys, pad=" " * max(16 - len(keys), 1), h=text) for keys, text in rows]
        lines.append(Content(""))
    lines.append(Content("Dates: today, tomorrow, fri, next tue, +3d, 2w, 1m, in 3 days, dec 1, 2026-12-01, with 9am or 14:30."))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    HelpScreen .title { text-style: bold; color: $text-accent; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Keys · esc to close", classes="title")
            yield Static(key_table())

    def action_dismiss(self) -> None:
        self.dismiss(None)
