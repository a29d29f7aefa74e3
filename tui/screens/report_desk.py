"""The desk's way into the reports (`r`, the palette): a screen of its own over the desk, back to
the desk as it was on escape."""

from __future__ import annotations


class ReportKeys:
    """A mixin of DeskScreen (tui/screens/desk.py)."""

    def action_reports(self) -> None:
        # imported on the first `r`, not at start: the plots (plotext, textual-plotext) and the
        # figures' widgets are 33 ms of a desk's start that most sessions never use
        from tui.screens.reports import ReportsScreen

        self.app.push_screen(ReportsScreen(self.tz))
