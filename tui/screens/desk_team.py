"""The desk on a team's server book (issue 18, point 2), a mixin of DeskScreen: who is at the desk
and the team, read once as the desk comes up (storage.reads.team); then the detail pane says whose
the prospect is, a manager's queue names each row's rep where the pane has room, the filter offers
"rep", and `A` gives the prospect on screen to a rep or shares it (tui/screens/assign.py).

A book in a file has one rep: none of this shows, and `A` says so in the action's own words. Who
sees what is the server's to enforce (row-level security): the desk only reads what it is given."""

from __future__ import annotations

from storage.actions.owners import assign
from storage.book.errors import InvalidInput
from storage.reads.team import Team, team
from tui.text import tell
from tui.widgets.detail_pane import DetailPane
from tui.screens import dialogs  # each imported as it first opens


class TeamDesk:
    """Needs DeskScreen's `queue`, `_selected` and `_open`."""

    team: Team | None = None  # None until read

    def on_mount(self) -> None:
        # Textual runs every class's on_mount: the desk's own first, then this
        self.app.book.call(self, team, done=self._team_read, group="team")

    def _team_read(self, known: Team) -> None:
        self.team = known
        if not known.is_team:
            return
        pane = self.query_one(DetailPane)
        pane.team = known
        pane.view = pane.view  # said again, with whose it is
        if known.manager:  # a rep's queue is theirs and the shared: no owner column to tell apart
            self.queue.show_owners(known.tag)

    def action_assign(self) -> None:
        found = self._selected("assign")
        if found is None:
            return
        if self.team is None:  # the read at start is on its way, or failed (said then): read again
            self.app.book.call(self, team, done=self._team_read, group="team")
            self.notify("Reading who is on the team: press it again in a moment.")
        elif not self.team.is_team:
            # a file's book: the action refuses before writing anything, and says why
            self.app.book.call(self, assign, found.id, None, failed=self._refused, group="save")
        else:
            self._open(dialogs.AssignScreen(found, self.team), after=found.id)

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, InvalidInput):
            tell(self, error.message, severity="warning", timeout=6)
            return True
        return False
