"""A pane of the desk that shows text and scrolls: the prospect and the history. Focused (tab), it
answers the pane keys (tui/keys.py SCROLL_KEYS: j/k a line, g/G top and bottom, a page), and the
desk's own keys still act on the prospect on screen. One class, so each key id is bound once.

Drawn line by line (a Line-API ScrollView, as the queue is): the text is wrapped at the pane's
width once, and a new text is a repaint of the pane. A Static in a scrolling container asked for
a layout of the whole desk at each new text, and the layout for the sizes it changed: on the 100k
bench book, 2.2 layout passes for each `j`. The scrollbar always shows, so the width the text
wraps at never depends on the text's length."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from tui.keys import SCROLL_KEYS, bindings


class ScrollingPane(ScrollView, can_focus=True):
    BINDINGS = bindings(SCROLL_KEYS)  # beside the container's own arrows, with their ids
    DEFAULT_CSS = """
    ScrollingPane { scrollbar-size-vertical: 1; overflow-x: hidden; overflow-y: scroll; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Content("")
        self._lines: list[Strip] = []
        self._wrapped_at = -1  # the width the lines were wrapped at

    @property
    def visual(self) -> Content:
        """What the pane shows."""
        return self._text

    def show_text(self, text: Content | str) -> int:
        """Show `text`; returns its height in lines at the pane's width."""
        self._text = text if isinstance(text, Content) else Content(text)
        return self.wrap()

    def wrap(self) -> int:
        """Wrap the text at the pane's width, and show it: a repaint of this pane, no layout (the
        scroll range and the bar set as a layout would set them)."""
        width = self._wrapped_at = self.scrollable_content_region.width
        self._lines = Visual.to_strips(self, self._text, width, None, self.visual_style) if width > 0 else []
        size = Size(width, len(self._lines))
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        self.refresh()
        return len(self._lines)

    def on_resize(self) -> None:
        # only a new width wraps the text anew: a new height (the prospect pane's own, which
        # resizes the history under it) changes nothing in it, and the scroll range follows by itself
        if self.scrollable_content_region.width != self._wrapped_at:
            self.resized(self.wrap())

    def resized(self, height: int) -> None:
        """The text wrapped again at the pane's new width is `height` lines."""

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_offset.y)
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return Strip.blank(self.scrollable_content_region.width, self.visual_style.rich_style)
