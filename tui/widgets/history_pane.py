"""The history pane: every touch of the selected prospect, newest first, read a page at a time."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from storage.reads import prospect as reads
from storage.rules.dates import from_utc
from tui.text import literal

PAGE = 15  # enough to fill the pane; wrapping every note costs each time the cursor moves


class HistoryPane(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    HistoryPane { padding: 0 1; }
    HistoryPane > Static { width: 1fr; }
    """
    prospect_id: reactive[int | None] = reactive(None, always_update=True)

    def __init__(self, tz: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tz = tz
        self._loaded = 0
        self._complete = True
        self._body = Static(markup=False)

    def compose(self):
        yield self._body

    def watch_prospect_id(self, prospect_id: int | None) -> None:
        self._loaded, self._complete = 0, prospect_id is None
        self._parts: list[Content] = []
        self.scroll_home(animate=False)
        if prospect_id is None:
            self._body.update("")
            return
        self._load_more()

    def _load_more(self) -> None:
        if self._complete or self.prospect_id is None:
            return
        touches = reads.history_page(self.prospect_id, self._loaded, PAGE)
        self._loaded += len(touches)
        self._complete = len(touches) < PAGE
        for touch in touches:
            at = from_utc(touch.at, self.tz)
            head = f"{at.format('ddd D MMM YYYY HH:mm')} · {touch.channel} · {touch.direction} · {touch.outcome}"
            entry = Content.from_markup("[b]$head[/b]", head=head)
            if touch.note:
                entry = entry + Content("\n") + literal(touch.note)
            self._parts.append(entry)
        if not self._parts:
            self._body.update(Content.from_markup("[$text-muted]No touches yet.[/]"))
            return
        body = Content("\n\n").join(self._parts)
        if not self._complete:
            body += Content.from_markup("\n\n[$text-muted]… older touches load as you scroll[/]")
        self._body.update(body)
        if not self._complete:
            self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """Short notes may not fill the pane: then there is no scroll to load more with."""
        if self.max_scroll_y <= 2:
            self._load_more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new >= self.max_scroll_y - 2:
            self._load_more()
