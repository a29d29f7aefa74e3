"""The history pane: every touch of the prospect on screen, newest first. It shows the first page
the desk hands it with the prospect, and asks for the next (`NeedMore`) as the rep scrolls."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message

from storage.reads.prospect import ProspectView, TouchLine
from storage.rules.dates import from_utc
from tui.text import literal
from tui.widgets.scrolling_pane import ScrollingPane


class HistoryPane(ScrollingPane):
    DEFAULT_CSS = """
    HistoryPane { padding: 0 1; }
    """

    class NeedMore(Message):
        """The rep scrolled to the end of what is shown: the next page, please."""

        def __init__(self, prospect_id: int, offset: int) -> None:
            super().__init__()
            self.prospect_id, self.offset = prospect_id, offset

    def __init__(self, tz: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tz = tz
        self.prospect_id: int | None = None
        self._loaded = 0
        self._complete = True
        self._asked = False
        self._parts: list[Content] = []

    def show(self, view: ProspectView | None) -> None:
        """Another prospect (or the same one, read again): its first page."""
        self.prospect_id = view.id if view else None
        self._loaded, self._complete, self._asked, self._parts = 0, True, False, []
        self.scroll_home(animate=False, immediate=True)
        if view is None:
            self.show_text("")
            return
        self.add(view.id, view.history, view.history_complete)

    def add(self, prospect_id: int, touches: list[TouchLine], complete: bool) -> None:
        """A page the desk read for this pane (dropped if the prospect changed meanwhile)."""
        if prospect_id != self.prospect_id:
            return
        self._asked = False
        self._loaded += len(touches)
        self._complete = complete
        for touch in touches:
            at = from_utc(touch.at, self.tz)
            head = f"{at.format('ddd D MMM YYYY HH:mm')} · {touch.channel} · {touch.direction} · {touch.outcome}"
            entry = Content.from_markup("[b]$head[/b]", head=head)
            if touch.note:
                entry = entry + Content("\n") + literal(touch.note)
            self._parts.append(entry)
        if not self._parts:
            self.show_text(Content.from_markup("[$text-muted]No touches yet.[/]"))
            return
        body = Content("\n\n").join(self._parts)
        if not self._complete:
            body += Content.from_markup("\n\n[$text-muted]… older touches load as you scroll[/]")
        self.show_text(body)  # a page added as the rep scrolls: they stay where they are
        if not self._complete:
            self.call_after_refresh(self._fill)

    def _more(self) -> None:
        if self._complete or self._asked or self.prospect_id is None:
            return
        self._asked = True
        self.post_message(self.NeedMore(self.prospect_id, self._loaded))

    def _fill(self) -> None:
        """Short notes may not fill the pane: then there is no scroll to load more with."""
        if self.max_scroll_y <= 2:
            self._more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new >= self.max_scroll_y - 2:
            self._more()
