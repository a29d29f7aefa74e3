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
    footer: bool = True  # the footer has room for the everyday keys at 80 columns


MOVE_KEYS = (
    Key("j,down", "j / ↓", "", "Down", "Next in the queue", palette=False),
    Key("k,up", "k / ↑", "", "Up", "Previous in the queue", palette=False),
    Key("g,home", "g", "", "First", "First in the queue", palette=False),
    Key("G,end", "G", "", "Last", "Last in the queue", palette=False),
    Key("tab", "tab/shift+tab", "", "Next pane", "Next / previous pane", palette=False),
)

DESK_KEYS = (
    Key("l", "l", "log", "Log", "Log a touch"),
    Key("s", "s", "snooze", "Snooze", "Snooze the next follow-up"),
    Key("w", "w", "won", "Won", "Close as won, book a check-in"),
    Key("x", "x", "drop", "Drop", "Drop, with a reason"),
    Key("o", "o", "reopen", "Reopen", "Reopen won or dropped", footer=False),
    Key("n", "n", "new", "New", "New prospect"),
    Key("e", "e", "edit", "Edit", "Edit the prospect", footer=False),
    Key("slash", "/", "search", "Search", "Search names, notes, #tags"),
    Key("f", "f", "filter", "Filter", "Filter the queue (esc clears)"),
    Key("i", "i", "import", "Import", "Import a CSV, vCard or JSON file", footer=False),
)

# Reached from the command palette (ctrl+p) only: PRODUCT §5's keys are a contract, and these
# are rarer moves.
PALETTE_ONLY = (
    Key("", "", "final_note", "Last note and drop", "Send the last, open-ended note, then drop with a revisit date"),
    Key("", "", "schedule('service')", "Schedule a service follow-up", "For a customer: check the service went well"),
    Key("", "", "schedule('new offering')", "Schedule a new-offering follow-up", "For a customer: tell them what's new"),
    Key("", "", "clear_filter", "Queue: clear the filter", "Show the whole queue again"),
    Key("", "", "export", "Export", "Prospects (CSV, JSON), follow-ups (iCalendar) or closed deals (CSV)"),
)

APP_KEYS = (
    Key("question_mark", "?", "help", "Help", "This help"),
    Key("ctrl+p", "ctrl+p", "command_palette", "Commands", "Every action by name", palette=False),
    Key("q", "q", "quit", "Quit", "Quit the desk"),
)


def bindings(keys: tuple[Key, ...], *, show: bool = True) -> list[Binding]:
    return [Binding(k.keys, k.action, k.title, show=show and k.footer) for k in keys if k.action]
