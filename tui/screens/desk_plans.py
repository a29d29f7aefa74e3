"""The desk's moves of many follow-ups at once and its look at the days ahead: away and catch-up
(from the palette; the plan on screen before it is applied) and the agenda (`a`: the next working
days, their load; `enter` narrows the queue to a day). The rep's working week and daily capacity
come from their settings (tui/config.py), read as each opens so an edit of the file counts at once."""

from __future__ import annotations

from storage.reads.queue import Filter
from tui.config import ConfigFileError, work_settings
from tui.text import tell
from tui.screens import dialogs  # each imported as it first opens


class PlanKeys:
    def _work(self):
        """(working week, capacity), or None after saying why the settings cannot be used."""
        try:
            return work_settings()
        except ConfigFileError as exc:  # a settings file the rep broke: said where they look, defaults not guessed
            tell(self, str(exc), severity="error", timeout=10)
            return None

    def action_away(self) -> None:
        if (work := self._work()) is not None:
            self._open(dialogs.AwayScreen(self.tz, *work), after=self.queue.row_after_cursor())

    def action_catch_up(self) -> None:
        if (work := self._work()) is not None:
            self._open(dialogs.CatchUpScreen(self.tz, *work), after=self.queue.row_after_cursor())

    def action_week(self) -> None:
        if (work := self._work()) is not None:
            self.app.push_screen(dialogs.WeekScreen(self.tz, *work), self._day_chosen)

    def _day_chosen(self, chosen: Filter | None) -> None:
        if chosen is not None:
            self._narrow(chosen)
