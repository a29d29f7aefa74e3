"""When a touch happened (the log form): a date field that looks back — "now", "2h ago",
"yesterday 3pm", "mon 10:00" — refuses the future, and shows the moment it resolves to beside it."""

from __future__ import annotations

import datetime as dt

from storage.book.clock import local_now
from storage.rules.dates import When, to_utc
from storage.rules.happened import is_now, parse_happened
from tui.widgets.date_field import DateField


class HappenedField(DateField):
    DEFAULT_CSS = """
    HappenedField { layout: horizontal; height: auto; }
    HappenedField > SafeInput { width: 22; }
    HappenedField > .preview { width: 1fr; margin-left: 1; }
    """

    def __init__(self, value: str = "now", *, tz: str, id: str) -> None:
        super().__init__(value, tz=tz, allow_past=True, placeholder="now, 2h ago, yesterday 3pm", id=id)

    def when(self) -> When:
        """The resolved moment (to the minute); DateError when unreadable or in the future."""
        return parse_happened(self.value, local_now(self.tz))

    @property
    def now(self) -> bool:
        """Left at "now": the moment of the save, not of the form's opening."""
        return is_now(self.value)

    def utc(self) -> tuple[dt.datetime, bool] | None:
        """None for "now" (the save's own moment); else the naive UTC moment, and True (a time)."""
        when = self.when()
        return None if self.now else (to_utc(when, self.tz), True)

    def refresh_preview(self) -> None:
        super().refresh_preview()
        if self.now:
            self._preview.update("→ now, as you save")
