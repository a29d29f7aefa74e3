"""A pane of the desk that shows text and scrolls: the prospect and the history. Focused (tab), it
answers the pane keys (tui/keys.py SCROLL_KEYS: j/k a line, g/G top and bottom, a page), and the
desk's own keys still act on the prospect on screen. One class, so each key id is bound once."""

from __future__ import annotations

from textual.containers import VerticalScroll

from tui.keys import SCROLL_KEYS, bindings


class ScrollingPane(VerticalScroll, can_focus=True):
    BINDINGS = bindings(SCROLL_KEYS)  # beside the container's own arrows, with their ids
    DEFAULT_CSS = """
    ScrollingPane { scrollbar-size-vertical: 1; }
    """
