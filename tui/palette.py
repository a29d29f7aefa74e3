"""The command palette (ctrl+p) is the desk's (issue 14, point 6).

With nothing typed it lists the desk's actions first, in the order a rep uses them, each named for
what it does to the prospect on screen ("Log a touch with Clémence Dufour (l)"), then the rest of
the desk. Textual's own commands (theme, maximize, screenshot, keys, quit…) are kept, but only
found when typed, and then under "Textual:", so they never crowd the desk's.

Textual's SystemCommandsProvider sorts what it discovers by title and reads every title and help
text as markup (a prospect named "[b]x[/i]" would break the palette); this provider keeps the
order it is given and shows every title and help as literal text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from storage.rules.text import visible
from tui.keys import DESK_KEYS, PALETTE_ONLY, shown

TEXTUAL = "Textual: "  # what Textual's own commands are found under

# What a key or command does to the prospect on screen, by key id or action: "{}" is their name.
ON_PROSPECT = {
    "desk.log": "Log a touch with {}",
    "desk.snooze": "Snooze {}",
    "desk.won": "Mark {} won",
    "desk.drop": "Drop {}",
    "desk.next_step": "Set the next step for {}",
    "desk.promise": "Promise the next step to {}",
    "desk.edit": "Edit {}",
    "desk.reopen": "Reopen {}",
    "desk.assign": "Give {} to a rep, or share with the team",
    "final_note": "Last note to {}, then drop",
    "schedule('service')": "Schedule a service follow-up for {}",
    "schedule('new offering')": "Schedule a new-offering follow-up for {}",
}
# The desk's other keys, as the palette names them (the footer's one word says less).
NAMED = {"desk.new": "New prospect", "desk.search": "Search the book", "desk.filter": "Filter the queue"}


def desk_commands(screen, keymap: Mapping[str, str]) -> Iterator[SystemCommand]:
    """The desk screen's actions, those on the prospect on screen first (named for them, only those
    that can do something to them), each with the rep's key."""
    found = getattr(screen, "shown", None)
    name = visible(found.facts.name, one_line=True) if found else ""
    status = found.facts.status if found else ""
    step = found.next_step if found else None

    def run(action: str):
        return lambda: screen.run_action(action)

    keys = [key for key in DESK_KEYS if key.palette]
    on_prospect: list[tuple[str, str, str, str]] = [  # (id or action, the action, its help, its key)
        (key.id, key.action, key.help, shown(key, keymap)) for key in keys if key.id in ON_PROSPECT
    ]
    on_prospect += [(c.action, c.action, c.help, "") for c in PALETTE_ONLY if c.action in ON_PROSPECT]
    order = list(ON_PROSPECT)
    on_prospect.sort(key=lambda entry: order.index(entry[0]))
    for what, action, help_text, key in on_prospect:
        if (what == "desk.reopen" and status == "active") or (what == "desk.won" and status == "won"):
            continue  # nothing to do to them
        if found and step is None and what in ("desk.snooze", "desk.promise"):
            continue  # no next step to move or promise
        if what == "desk.assign" and not getattr(getattr(screen, "team", None), "is_team", False):
            continue  # a book of one rep (a file): nobody to give them to
        title = ON_PROSPECT[what].format(name) if name else help_text
        if what == "desk.promise" and step is not None and step.promised:
            title = f"Take back the promise to {name}"  # p takes it back
        said = title.startswith(help_text)  # "Log a touch with …" needs no "Log a touch" under it
        yield SystemCommand(f"{title} ({key})" if key else title, "" if said else help_text, run(action))
    for key in keys:
        if key.id not in ON_PROSPECT:
            yield SystemCommand(f"{NAMED.get(key.id, key.title)} ({shown(key, keymap)})", key.help, run(key.action))
    for command in PALETTE_ONLY:
        if command.action not in ON_PROSPECT:
            yield SystemCommand(command.title, command.help, run(command.action))


def tucked_away(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's own commands: found when typed, under "Textual:", never in the list as it opens."""
    for command in commands:
        yield SystemCommand(TEXTUAL + command.title, command.help, command.callback, discover=False)


def highlighted(matcher: Matcher, title: str) -> Content:
    """The title as typed (never markup), the letters the search matched in the match style."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class DeskCommands(Provider):
    """Every command of `app.get_system_commands`, in its order, as literal text."""

    def _commands(self) -> list[SystemCommand]:
        return list(self.app.get_system_commands(self.screen))

    async def discover(self) -> Hits:
        for title, help_text, callback, discover in self._commands():
            if discover:
                yield DiscoveryHit(Content(title), callback, text=title, help=Content(help_text) if help_text else None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, _ in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, highlighted(matcher, title), callback, text=title,
                          help=Content(help_text) if help_text else None)
