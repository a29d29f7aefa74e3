"""Every key of the desk (PRODUCT §5), in one table: the bindings of each screen and widget, the
help screens and the command palette are all made from it, so they cannot disagree.

Each key has a stable id, `<place>.<what>`, that the rep's keys.toml (tui/keymap.py) remaps:

  app.*      anywhere on the desk: app.help (?), app.help_pane (F1), app.palette (ctrl+p), app.quit (q)
  desk.*     the desk screen: desk.log, desk.snooze, desk.won, desk.drop, desk.reopen, desk.new,
             desk.edit, desk.search, desk.filter, desk.clear_filter, desk.import,
             desk.next_step, desk.promise, desk.closed_book, desk.undo, desk.redo, desk.agenda,
             desk.reports, desk.assign, desk.next_pane, desk.previous_pane
  queue.*    the queue pane: queue.down, queue.up, queue.first, queue.last, queue.page_down, queue.page_up
  pane.*     the prospect and history panes, focused: pane.down, pane.up, pane.first, pane.last,
             pane.page_down, pane.page_up
  form.*     every dialog that writes to the book: form.save, form.cancel
  snooze.*   the snooze dialog: snooze.tomorrow, snooze.in_3_days, snooze.next_week
  log.*      the quick-log form, from any of its fields: log.talked, log.replied, log.left_message,
             log.no_answer, log.meeting_booked, log.not_now, log.not_interested (the outcome),
             log.direction (out / in)
  search.*   search: search.back, search.results
  closed.*   the closed book (won and dropped): closed.down, closed.up, closed.first, closed.last,
             closed.page_down, closed.page_up, closed.show, closed.reopen, closed.search,
             closed.filter, closed.back
  confirm.*  a yes/no question: confirm.yes, confirm.no
  help.*     the help screens: help.close
  agenda.*   the agenda (the next working days): agenda.back
  reports.*  the reports: reports.30d, reports.90d, reports.1y, reports.all (the period),
             reports.next_period, reports.kind, reports.down, reports.up, reports.first,
             reports.last, reports.csv, reports.svg, reports.back

An id, once released, keeps its meaning: a rep's file names it. Add keys; never rename them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import format_key


@dataclass(frozen=True)
class Key:
    id: str  # "<place>.<what>": what keys.toml names
    keys: str  # the default Textual key names, comma-separated
    action: str
    title: str  # as the footer and the command palette name it
    help: str  # as the help screens describe it
    palette: bool = True  # offered in the command palette (actions of the desk screen only)
    footer: bool = True  # the footer has room for the everyday keys at 80 columns
    priority: bool = False  # works even where a field has the focus
    group: str = ""  # keys the footer shows together under this one title ("j k Scroll")


@dataclass(frozen=True)
class Command:
    """An action reached from the command palette only: it has no key (PRODUCT §5's keys are a
    contract, and these are rarer moves)."""

    action: str
    title: str
    help: str


MOVE_KEYS = (  # the queue pane (tui/widgets/queue_view.py)
    Key("queue.down", "j,down", "cursor(1)", "Down", "Next in the queue", palette=False, footer=False),
    Key("queue.up", "k,up", "cursor(-1)", "Up", "Previous in the queue", palette=False, footer=False),
    Key("queue.first", "g,home", "first", "First", "First in the queue", palette=False, footer=False),
    Key("queue.last", "G,end", "last", "Last", "Last in the queue", palette=False, footer=False),
    Key("queue.page_down", "pagedown", "page(1)", "Page down", "A page down", palette=False, footer=False),
    Key("queue.page_up", "pageup", "page(-1)", "Page up", "A page up", palette=False, footer=False),
)

SCROLL_KEYS = (  # the prospect and history panes (tui/widgets/detail_pane.py, history_pane.py), focused
    Key("pane.down", "j,down", "scroll_down", "Scroll", "Scroll the pane down a line", palette=False,
        group="Scroll"),
    Key("pane.up", "k,up", "scroll_up", "Up", "Scroll the pane up a line", palette=False, group="Scroll"),
    Key("pane.first", "g,home", "scroll_home", "Top", "To the top of the pane", palette=False, footer=False),
    Key("pane.last", "G,end", "scroll_end", "Bottom", "To the bottom of the pane", palette=False, footer=False),
    Key("pane.page_down", "pagedown", "page_down", "Page down", "A page down in the pane", palette=False,
        footer=False),
    Key("pane.page_up", "pageup", "page_up", "Page up", "A page up in the pane", palette=False, footer=False),
)

FOLLOW_UP_KEYS = (  # the desk screen's actions: each acts on the prospect the detail pane shows
    Key("desk.log", "l", "log", "Log", "Log a touch"),
    Key("desk.snooze", "s", "snooze", "Snooze", "Snooze the next follow-up"),
    Key("desk.won", "w", "won", "Won", "Close as won, book a check-in"),
    Key("desk.drop", "x", "drop", "Drop", "Drop, with a reason"),
    Key("desk.reopen", "o", "reopen", "Reopen", "Reopen won or dropped", footer=False),
    Key("desk.new", "n", "new", "New", "New prospect"),
    Key("desk.edit", "e", "edit", "Edit", "Edit the prospect", footer=False),
    Key("desk.search", "slash", "search", "Search", "Search names, notes, #tags"),
    Key("desk.filter", "f", "filter", "Filter", "Filter the queue"),
    Key("desk.clear_filter", "escape", "clear_filter", "Queue: clear the filter", "Clear the filter", footer=False),
    Key("desk.import", "i", "import", "Import", "Import a CSV, vCard or JSON file", footer=False),
    Key("desk.next_step", "d", "next_step", "Next step", "Set or change the next step, without a touch", footer=False),
    Key("desk.promise", "p", "promise", "Promise", "Mark the next step promised to the customer, or not", footer=False),
    Key("desk.closed_book", "c", "closed_book", "Closed book", "Won and dropped prospects; o reopens", footer=False),
    Key("desk.undo", "ctrl+z", "undo", "Undo", "Undo the last change", footer=False),
    Key("desk.redo", "ctrl+y", "redo", "Redo", "Redo what was undone", footer=False),
    Key("desk.agenda", "a", "week", "Agenda", "The next working days: what is due each day, against your capacity",
        footer=False),
    Key("desk.reports", "r", "reports", "Reports", "Reports: how long you persist, promises kept, channels, outcomes",
        footer=False),
    # a team's server book (issue 18): `a` is the agenda, so the capital
    Key("desk.assign", "A", "assign", "Assign", "Give to a rep of the team, or share with the team", footer=False),
)

PANE_KEYS = (  # the desk screen too; Textual's own tab/shift+tab do the same in dialogs
    Key("desk.next_pane", "tab", "app.focus_next", "Next pane", "Next pane", palette=False, footer=False),
    Key("desk.previous_pane", "shift+tab", "app.focus_previous", "Previous pane", "Previous pane",
        palette=False, footer=False),
)

DESK_KEYS = FOLLOW_UP_KEYS + PANE_KEYS  # every binding of the desk screen

APP_KEYS = (
    Key("app.help", "question_mark", "help", "Help", "Every key"),
    # F1 works in every dialog too, so it is a priority key (no field types F1)
    Key("app.help_pane", "f1", "help_pane", "Keys here", "This pane's keys", footer=False, priority=True),
    Key("app.palette", "ctrl+p", "command_palette", "Commands", "Every action by name", palette=False, footer=False,
        priority=True),
    Key("app.quit", "q", "quit", "Quit", "Quit the desk"),
)

FORM_KEYS = (  # tui/screens/form.py: every dialog that writes to the book
    Key("form.save", "ctrl+s", "save", "Save", "Save, from any field", priority=True),
    Key("form.cancel", "escape", "cancel", "Cancel", "Cancel, write nothing"),
)
# Said in help beside the form keys; not a binding (a one-line field's own enter), so no id.
FORM_NOTES = (("enter", "Save (one-line field)"),)

SNOOZE_KEYS = (
    Key("snooze.tomorrow", "1", "pick(0)", "Tomorrow", "Snooze to tomorrow", footer=False),
    Key("snooze.in_3_days", "2", "pick(1)", "In 3 days", "Snooze by 3 days", footer=False),
    Key("snooze.next_week", "3", "pick(2)", "Next week", "Snooze to next week", footer=False),
)

# The quick-log's outcome, one key each from any field: the note types letters and digits, and
# alt+digit does not arrive (Textual 8.2 reads ESC 1 … ESC 0 as the characters macOS's Option key
# types: ¡ ™ £ ¢ ∞ …), so F-keys, which every terminal sends (F1 is help).
LOG_KEYS = (
    Key("log.talked", "f2", "outcome('talked')", "Talked", "Outcome: talked", footer=False, priority=True),
    Key("log.replied", "f3", "outcome('replied')", "Replied", "Outcome: replied", footer=False, priority=True),
    Key("log.left_message", "f4", "outcome('left message')", "Left message", "Outcome: left message",
        footer=False, priority=True),
    Key("log.no_answer", "f5", "outcome('no answer')", "No answer", "Outcome: no answer", footer=False, priority=True),
    Key("log.meeting_booked", "f6", "outcome('meeting booked')", "Meeting booked",
        "Outcome: meeting booked (asks when)", footer=False, priority=True),
    Key("log.not_now", "f7", "outcome('not now')", "Not now", "Outcome: not now", footer=False, priority=True),
    Key("log.not_interested", "f8", "outcome('not interested')", "Not interested", "Outcome: not interested",
        footer=False, priority=True),
    Key("log.direction", "f9", "direction", "Out / in", "Who got in touch: we did (out) or they did (in)",
        footer=False, priority=True),
)

CLOSED_KEYS = (  # the closed book (tui/screens/closed_book.py), `c` on the desk
    Key("closed.down", "j,down", "cursor(1)", "Down", "Next in the closed book", palette=False, footer=False),
    Key("closed.up", "k,up", "cursor(-1)", "Up", "Previous in the closed book", palette=False, footer=False),
    Key("closed.first", "g,home", "first", "First", "Newest closed", palette=False, footer=False),
    Key("closed.last", "G,end", "last", "Last", "Oldest closed", palette=False, footer=False),
    Key("closed.page_down", "pagedown", "page(1)", "Page down", "A page down", palette=False, footer=False),
    Key("closed.page_up", "pageup", "page(-1)", "Page up", "A page up", palette=False, footer=False),
    Key("closed.show", "enter", "show", "Show", "Show them on the desk", palette=False),
    Key("closed.reopen", "o", "reopen", "Reopen", "Reopen (next step)", palette=False),
    Key("closed.search", "slash", "search", "Words", "Narrow by words", palette=False),
    Key("closed.filter", "f", "filter", "Filter", "Won/dropped, reason", palette=False),
    Key("closed.back", "escape", "back", "Back", "Back to the desk", palette=False),
)

SEARCH_KEYS = (
    Key("search.back", "escape", "close", "Back", "Back to the desk"),
    Key("search.results", "down", "to_results", "Results", "From the words to the results", footer=False),
)

CONFIRM_KEYS = (  # every question asks about a discouraged choice: enter, pressed by habit, is the safe no
    Key("confirm.yes", "y", "answer(True)", "Yes", "Yes"),
    Key("confirm.no", "n,escape,enter", "answer(False)", "No", "No (enter too: the safe answer)"),
)

HELP_KEYS = (Key("help.close", "escape,question_mark,q", "close", "Close", "Close the help"),)

WEEK_KEYS = (  # tui/screens/week.py; its list's own ↑/↓ and enter pick a day
    Key("agenda.back", "escape,q", "close", "Back", "Back to the desk", palette=False),
)

REPORT_KEYS = (  # tui/screens/reports.py; its scroll's own ↑/↓ and pgup/pgdn scroll too
    Key("reports.30d", "1", "period('30d')", "30 days", "The last 30 days", palette=False, footer=False),
    Key("reports.90d", "2", "period('90d')", "90 days", "The last 90 days", palette=False, footer=False),
    Key("reports.1y", "3", "period('1y')", "A year", "The last year", palette=False, footer=False),
    Key("reports.all", "4", "period('all')", "All", "The whole book", palette=False, footer=False),
    Key("reports.next_period", "p", "next_period", "Period", "The next period (30 days, 90, a year, all)",
        palette=False),
    Key("reports.kind", "h", "kind", "Kind", "The hours heat map of the next kind of prospect, then all",
        palette=False),
    Key("reports.down", "j", "scroll(1)", "Scroll", "Scroll down a line", palette=False, group="Scroll"),
    Key("reports.up", "k", "scroll(-1)", "Up", "Scroll up a line", palette=False, group="Scroll"),
    Key("reports.first", "g", "scroll_to('home')", "Top", "To the first figure", palette=False, footer=False),
    Key("reports.last", "G", "scroll_to('end')", "Bottom", "To the last figure", palette=False, footer=False),
    Key("reports.csv", "c", "csv", "CSV", "Save the figures as CSV, readable by you only", palette=False),
    Key("reports.svg", "s", "svg", "SVG", "Save the screen as an SVG picture, readable by you only",
        palette=False),
    Key("reports.back", "escape,q", "back", "Back", "Back to the desk", palette=False),
)

PALETTE_ONLY = (
    Command("final_note", "Last note and drop", "Send the last, open-ended note, then drop with a revisit date"),
    Command("schedule('service')", "Schedule a service follow-up", "For a customer: check the service went well"),
    Command("schedule('new offering')", "Schedule a new-offering follow-up", "For a customer: tell them what's new"),
    Command("export", "Export", "Prospects (CSV, JSON), follow-ups (iCalendar) or closed deals (CSV)"),
    Command("away", "I'm away…", "Move what falls due while you're away to the working days after, within your daily capacity"),
    Command("catch_up", "Catch up", "Spread the overdue (never the promised) over the next working days, by your capacity"),
)

# How the help screens head each group, in the order they list them.
GROUPS: tuple[tuple[str, tuple[Key, ...]], ...] = (
    ("Queue", MOVE_KEYS),
    ("Panes", PANE_KEYS),
    ("Prospect and history panes", SCROLL_KEYS),
    ("Follow-ups", FOLLOW_UP_KEYS),
    ("Desk", APP_KEYS),
    ("Forms", FORM_KEYS),
    ("Snooze", SNOOZE_KEYS),
    ("Log a touch", LOG_KEYS),
    ("Search", SEARCH_KEYS),
    ("Closed book", CLOSED_KEYS),
    ("Yes or no", CONFIRM_KEYS),
    ("Help", HELP_KEYS),
    ("Agenda", WEEK_KEYS),
    ("Reports", REPORT_KEYS),
)

ALL_KEYS: tuple[Key, ...] = tuple(key for _, keys in GROUPS for key in keys)
BY_ID: dict[str, Key] = {key.id: key for key in ALL_KEYS}
assert len(BY_ID) == len(ALL_KEYS), "two keys share an id"

_APP_ANYWHERE = tuple(k for k in APP_KEYS if k.priority)  # priority keys reach into dialogs
# The keys that are live at the same time, where: one key may do one thing in each. Textual binds
# ctrl+q (quit) and ctrl+c (copy) itself, everywhere, and tab/shift+tab (next field) in dialogs.
TOGETHER: tuple[tuple[str, tuple[Key, ...], tuple[str, ...]], ...] = (
    ("on the desk", APP_KEYS + DESK_KEYS + MOVE_KEYS, ("ctrl+q", "ctrl+c")),
    ("in the prospect or history pane", APP_KEYS + DESK_KEYS + SCROLL_KEYS, ("ctrl+q", "ctrl+c")),
    ("in a form", _APP_ANYWHERE + FORM_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in the snooze dialog", _APP_ANYWHERE + FORM_KEYS + SNOOZE_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in the log form", _APP_ANYWHERE + FORM_KEYS + LOG_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in search", _APP_ANYWHERE + SEARCH_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in the closed book", APP_KEYS + CLOSED_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in a yes/no question", _APP_ANYWHERE + CONFIRM_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in help", _APP_ANYWHERE + HELP_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in the agenda", _APP_ANYWHERE + WEEK_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
    ("in the reports", _APP_ANYWHERE + REPORT_KEYS, ("ctrl+q", "ctrl+c", "tab", "shift+tab")),
)


def bindings(keys: Iterable[Key], *, show: bool = True) -> list[Binding]:
    """The Textual bindings of `keys`, each with its id, so the rep's keymap can move it."""
    return [
        Binding(k.keys, k.action, k.title, show=show and k.footer, priority=k.priority, id=k.id, tooltip=k.help,
                group=Binding.Group(k.group) if k.group else None)
        for k in keys
    ]


def key_string(key: Key, keymap: Mapping[str, str]) -> str:
    """The keys that do it now: the rep's, else the default."""
    return keymap.get(key.id) or key.keys


# as PRODUCT §5 and the help always named them (Textual's footer says esc, ⏎ and ^p)
_SHOWN = {"up": "↑", "down": "↓", "left": "←", "right": "→", "pagedown": "pgdn", "pageup": "pgup",
          "escape": "escape", "enter": "enter", "backspace": "backspace", "delete": "delete"}


def show_key(key: str) -> str:
    """One Textual key name as a person reads it: "question_mark" -> "?", "f1" -> "F1"."""
    *modifiers, name = key.split("+")
    if name in _SHOWN:
        shown = _SHOWN[name]
    elif len(name) > 1 and name[0] == "f" and name[1:].isdigit():
        shown = name.upper()
    else:
        shown = format_key(name)  # "slash" -> "/", a letter stays itself
        if len(shown) == 1 and (not shown.isprintable() or shown.isspace()):
            shown = name
    return "+".join([*modifiers, shown])


def show_keys(keys: str) -> str:
    """A comma-separated key string as help and the palette print it: "j,down" -> "j / ↓"."""
    return " / ".join(show_key(k.strip()) for k in keys.split(",") if k.strip())


def shown(key: Key, keymap: Mapping[str, str]) -> str:
    return show_keys(key_string(key, keymap))


def key_for(keymap: Mapping[str, str], key_id: str) -> str:
    """What a hint should name for `key_id` ("press l to log"): the rep's first key for it."""
    first = key_string(BY_ID[key_id], keymap).split(",")[0]
    return show_key(first.strip())
