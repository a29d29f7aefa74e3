"""What a window too small for the desk shows instead of it: how big it is, and how big it must be.

The app mounts one on whichever screen is on top when the window is too small (the desk, a
dialog, help…) and shows it over everything there, while the screens beneath stay exactly as
they were: growing the window back shows them again with the same dialog, typed text and cursor.
Keys still act meanwhile, as typed (a window squeezed for a moment loses none of them)."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget

from rich.text import Text

# The smallest window the desk is usable in. At 60 columns the queue pane keeps 40 (app.tcss):
# a row's due date, 11 cells of the name, and the touch count, with the prospect beside it in 18;
# at 15 lines the queue shows 12 rows and a dialog its first fields (note, next date).
MIN_WIDTH = 60
MIN_HEIGHT = 15


def too_small(size: Size) -> bool:
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def message(size: Size) -> str:
    return f"The window is {size.width}×{size.height}; the desk needs at least {MIN_WIDTH}×{MIN_HEIGHT}."


class TooSmall(Widget):
    DEFAULT_CSS = """
    TooSmall {
        display: none;
        overlay: screen;
        position: absolute;
        offset: 0 0;
        width: 100vw;
        height: 100vh;  /* the whole window, the footer docked at its bottom too */
        background: $background;
        color: $text;
        content-align: center middle;
        text-align: center;
    }
    """  # shown by app.tcss while the app has the class -too-small

    can_focus = False

    def render(self) -> Text:
        return Text(message(self.app.size), no_wrap=False)
