"""The desk's keys (PRODUCT §5), in one table: the bindings, the help screen and the command
palette are all made from it, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated
    shown: str  # as the help screen prints it
    action: str
    title: str  # as the footer and the command palette name it
    help: str
    palette: bool = True


MOVE_KEYS = (
    Key("j,down", "j / ↓", "", "Down", "Move down the queue", palette=False),
    Key("k,up", "k / ↑", "", "Up", "Move up the queue", palette=False),
    Key("g,home", "g", "", "First", "First item in the queue", palette=False),
    Key("G,end", "G", "", "Last", "Last item in the queue", palette=False),
    Key("tab", "tab / shift+tab", "", "Next pane", "Move focus between the panes", palette=False),
)

DESK_KEYS = (
    Key("l", "l", "log", "Log", "Log a touch for the selected prospect"),
    Key("s", "s", "snooze", "Snooze", "Reschedule the next follow-up"),
    Key("w", "w", "won", "Won", "Close as won (and schedule a check-in)"),
    Key("x", "x", "drop", "Drop", "Drop, with a reason, a last note and a revisit date"),
    Key("o", "o", "reopen", "Reopen", "Reopen a won or dropped prospect"),
    Key("n", "n", "new", "New", "Add a new prospect"),
    Key("e", "e", "edit", "Edit", "Edit the selected prospect"),
)

APP_KEYS = (
    Key("question_mark", "?", "help", "Help", "Show every key"),
    Key("ctrl+p", "ctrl+p", "command_palette", "Commands", "Every action by name", palette=False),
    Key("q", "q", "quit", "Quit", "Leave the desk"),
)


def bindings(keys: tuple[Key, ...], *, show: bool = True) -> list[Binding]:
    return [Binding(k.keys, k.action, k.title, show=show) for k in keys if k.action]
