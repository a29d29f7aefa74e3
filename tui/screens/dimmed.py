"""The desk beneath a dialog, dimmed: Textual's own tint, worked out once per colour of the desk.

A dialog (a ModalScreen with a translucent background) draws the screen beneath it through
Textual's BackgroundScreen, which tints every segment of the whole desk again each time the
dialog is repainted: on opening, at each key whose echo lays the dialog out, when a question
opens over it. The desk has a few dozen styles; a dialog's frame had ~1,500 segments to tint
(5–16 ms a time, timed on the 1k bench book at 160×45). Each style is tinted once here, by
Textual's own process_segments, and the result kept."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, ScreenResultType

_TINTED: dict[tuple[Style | None, Color], Style] = {}
_KEPT = 4_096  # styles: a theme's worth many times over; past it the table starts again


class DimmedDesk(BackgroundScreen):
    @classmethod
    def process_segments(cls, segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
        for segment in segments:
            text, style, control = segment
            if control:
                yield segment
                continue
            tinted = _TINTED.get((style, color))
            if tinted is None:
                if len(_TINTED) >= _KEPT:
                    _TINTED.clear()
                [one] = BackgroundScreen.process_segments([Segment(" ", style)], color)
                tinted = _TINTED[(style, color)] = one.style
            yield Segment(text, tinted)


class Dialog(ModalScreen[ScreenResultType]):
    """Every dialog of the desk: a ModalScreen whose background tints the desk through DimmedDesk."""

    def render(self):
        shown = super().render()
        if type(shown) is BackgroundScreen:
            return DimmedDesk(shown.screen, shown.color)
        return shown
