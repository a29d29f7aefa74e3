"""Assign (`A`, a team's server book): give the prospect on screen to a rep of the team, or share it
with the team. The team is listed whole, the rep at this desk marked "you" and the prospect's owner
"now"; enter (or ctrl+s) saves the one highlighted through storage.actions.owners.assign. What the
book refuses (a rep giving the team's shared prospect to another rep: a manager gives those) is
said in the dialog, in the action's words, and nothing is saved; ctrl+z on the desk undoes an
assignment (a rep's own given to a colleague is off their desk: ctrl+z says who gives it back)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from storage.actions.owners import assign
from storage.book.errors import InvalidInput
from storage.reads.prospect import ProspectView
from storage.reads.team import Team
from tui.screens.form import FormScreen, Saved
from tui.text import literal, say

SHARE = "the team (shared)"


class AssignScreen(FormScreen):
    DEFAULT_CSS = """
    AssignScreen > .dialog { width: 60; }
    AssignScreen #owner { height: auto; max-height: 12; margin-top: 1; }
    AssignScreen #error-owner { padding-left: 0; }
    AssignScreen .now { color: $text-muted; }
    """

    def __init__(self, found: ProspectView, team: Team) -> None:
        super().__init__()
        self.prospect_id, self.who, self.owner, self.team = found.id, found.facts.name, found.facts.owner, team
        # who each option gives the prospect to, in the list's order: the team's reps, then nobody
        self.choices: list[str | None] = [rep.name for rep in team.reps] + [None]

    def _option(self, owner: str | None) -> Option:
        if owner is None:
            words = SHARE
        else:
            manager = any(rep.name == owner and rep.manager for rep in self.team.reps)
            words = owner + (" (manager)" if manager else "") + (" — you" if owner == self.team.me else "")
        if owner == self.owner:
            words += "  ← now"
        return Option(literal(words, one_line=True))  # a role's name is the server's: never markup

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(say("Assign · [b]$name[/b]", name=self.who), classes="title")
            yield Label(literal(f"Now {self.team.whose(self.owner)}. Give it to:", one_line=True), classes="now")
            yield OptionList(*(self._option(owner) for owner in self.choices), id="owner", compact=True)
            yield Label("", id="error-owner", classes="error", markup=False)
            yield from self.form_footer()

    def form_footer(self) -> ComposeResult:
        yield Label("", id="error-form", classes="error", markup=False)
        yield Label("enter gives it to the one highlighted · esc cancel", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#owner", OptionList)
        options.highlighted = self.choices.index(self.owner) if self.owner in self.choices else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_save()  # enter on a rep: that one

    def prepare(self):
        index = self.query_one("#owner", OptionList).highlighted
        if index is None:
            raise InvalidInput("owner", "Pick a rep, or the team.")
        prospect_id, owner = self.prospect_id, self.choices[index]

        def save() -> Saved:
            return Saved(prospect_id, assign(prospect_id, owner), follow=True)

        return save
