"""The desk's footer at any width: below 100 columns it keeps the keys a rep needs most, so the
last ones are not cut off the end ("? Help", which leads to every other key, and "q Quit").
Seen in tmux: at 80 columns a focused pane's "↑↓ Scroll" pushed "q Quit" off the footer, at 60
"? Help" went too. The keys left out stay in help (?), F1 and the palette."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets._footer import FooterKey

from tui.widgets.dialog_footer import SteadyFooter

# (narrower than, the desk actions the footer then keeps), narrowest first
KEPT = (
    (70, frozenset({"log", "snooze", "search", "app.help", "help", "app.quit", "quit"})),
    (100, frozenset({"log", "snooze", "won", "drop", "search", "app.help", "help", "app.quit", "quit"})),
)


def kept_at(width: int) -> frozenset[str] | None:
    """The actions a footer this wide keeps; None: all of them."""
    return next((keep for below, keep in KEPT if width < below), None)


class DeskFooter(SteadyFooter):
    def shows(self) -> tuple:
        return super().shows(), kept_at(self.app.size.width)

    def compose(self) -> ComposeResult:
        keep = kept_at(self.app.size.width)
        shown = 0
        for widget in super().compose():
            grouped = widget.has_class("-grouped")  # the pane's scroll keys: what works there, kept
            if keep is not None and isinstance(widget, FooterKey) and not grouped and widget.action not in keep:
                continue
            shown += 1
            yield widget
        if keep is not None:
            self.styles.grid_size_columns = max(shown, 1)

    def on_resize(self) -> None:
        self._rebuild_if_changed()
