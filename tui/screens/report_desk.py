"""The desk's way into the reports (`r`, the palette): a screen of its own over the desk, back to
the desk as it was on escape."""

from __future__ import annotations

from tui.screens.reports import ReportsScreen


class ReportKeys:
    """A mixin of DeskScreen (tui/screens/desk.py)."""

    def action_reports(self) -> None:
        self.app.push_screen(ReportsScreen(self.tz))
