"""A date field that shows, as the rep types, the moment it resolves to (PRODUCT §6)."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from storage.book.clock import local_now
from storage.rules.dates import DateError, When, describe, parse_when, stored
from tui.widgets.safe_fields import SafeInput
from tui.workweek import work_week


class DateField(Vertical):
    PLACEHOLDER = "tomorrow, fri 9am, +3d, dec 1…"
    DEFAULT_CSS = """
    DateField { height: auto; }
    DateField > .preview { color: $text-muted; width: 1fr; }  /* wraps, not cut at the dialog's edge */
    DateField > .preview.-invalid { color: $text-error; }
    """

    def __init__(
        self, value: str = "", *, tz: str, optional: bool = False, allow_past: bool = False, placeholder: str = "", id: str
    ) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.optional = optional
        self.allow_past = allow_past
        self._input = SafeInput(value, placeholder=placeholder or self.PLACEHOLDER, id=f"{id}-input", compact=True)
        self._preview = Label("", classes="preview", markup=False)

    def compose(self) -> ComposeResult:
        yield self._input
        yield self._preview

    def on_mount(self) -> None:
        self.refresh_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_preview()

    @property
    def input(self) -> Input:
        return self._input

    @property
    def value(self) -> str:
        return self._input.value

    def when(self) -> When | None:
        """The resolved moment; None when optional and empty; DateError when unreadable."""
        text = self._input.value.strip()
        if not text:
            if self.optional:
                return None
            raise DateError("Type a date — try tomorrow, fri, +3d, dec 1 or 2026-12-01")
        return parse_when(text, local_now(self.tz), allow_past=self.allow_past)

    def utc(self) -> tuple[dt.datetime, bool] | None:
        when = self.when()
        if when is None:
            return None
        return stored(when, self.tz), when.time is not None

    def refresh_preview(self) -> None:
        try:
            when = self.when()
        except DateError as exc:
            self._said = str(exc)
            self._preview.update(self._said)
            self._preview.add_class("-invalid")
            return
        self._said = ""
        self._preview.remove_class("-invalid")
        if when is None:
            self._preview.update("(none)")
            return
        now = local_now(self.tz)
        text = "→ " + describe(when, now)
        # a day ahead that the rep does not work (typed on purpose: it stays, and is said); a day
        # gone by (when a touch happened) is what it was
        if when.day >= now.date() and (off := work_week(self.app).why_off(when.day)) is not None:
            text += f" · {off}: not a working day"
        self._preview.update(text)

    def says(self, message: str) -> bool:
        """Whether the line under the field says `message` already (what was typed is no date)."""
        return bool(message) and getattr(self, "_said", "") == message

    def focus(self, scroll_visible: bool = True):
        self._input.focus(scroll_visible)
        return self
