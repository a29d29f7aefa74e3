"""`?`: every key of the desk, in place over it (two columns, so it fits 80×24)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.keys import APP_KEYS, DESK_KEYS, MOVE_KEYS

FORM_KEYS = (
    ("ctrl+s", "Save, from any field"),
    ("enter", "Save (one-line field)"),
    ("escape", "Cancel, write nothing"),
)
DATES = "today · tomorrow · fri · next tue\n+3d · 2w · 1m · in 3 days\ndec 1 · 2026-12-01 · with 9am or 14:30"


def key_column(*groups: tuple[str, list[tuple[str, str]]]) -> Content:
    lines: list[Content] = []
    width = max(len(keys) for _, rows in groups for keys, _ in rows) + 2
    for heading, rows in groups:
        if lines:
            lines.append(Content(""))
        lines.append(Content.from_markup("[b $text-accent]$h[/]", h=heading))
        lines += [Content.from_markup("  [b]$k[/]$pad$h", k=keys, pad=" " * (width - len(keys)), h=text) for keys, text in rows]
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    HelpScreen .title { text-style: bold; color: $text-accent; margin-bottom: 1; }
    HelpScreen Horizontal { height: auto; }
    HelpScreen Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Every key · esc closes", classes="title")
            with Horizontal():
                yield Static(
                    key_column(
                        ("Queue", [(k.shown, k.help) for k in MOVE_KEYS]),
                        ("Forms", list(FORM_KEYS)),
                        ("Desk", [(k.shown, k.help) for k in APP_KEYS]),
                    )
                )
                yield Static(
                    key_column(("Follow-ups", [(k.shown, k.help) for k in DESK_KEYS]))
                    + Content("\n\n")
                    + Content.from_markup("[b $text-accent]Dates you can type[/]\n")
                    + Content(DATES)
                )

    def action_close(self) -> None:
        self.dismiss(None)
