"""The desk beneath a dialog is tinted as Textual tints it, each style worked out once
(tui/screens/dimmed.py); the dialogs' snapshots (test_snapshots_dialogs.py) show it whole."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen

from tui.screens import dimmed
from tui.screens.dimmed import DimmedDesk

DESK = [
    Segment("Queue ", Style(color="#e0e0e0", bgcolor="#1e1e1e", bold=True)),
    Segment("Tess Today", Style(color="#ffb86c", bgcolor="#1e1e1e", link="https://example.com")),
    Segment("\x1b[31m", None, [(1, 0)]),  # a control segment goes through as it is
    Segment("  ", None),
    Segment("2d late", Style(color="red", meta={"@click": "app.bell"})),
    Segment("plain", Style()),
]


def test_the_desk_is_tinted_exactly_as_textual_tints_it_and_each_style_once(monkeypatch):
    monkeypatch.setattr(dimmed, "_TINTED", {})
    tint = Color(0, 0, 0, 0.6)
    expected = list(BackgroundScreen.process_segments(DESK, tint))
    assert list(DimmedDesk.process_segments(DESK, tint)) == expected
    assert len(dimmed._TINTED) == 5  # the styles of DESK, the control segment aside
    again = list(DimmedDesk.process_segments(DESK * 3, tint))
    assert again == expected * 3 and len(dimmed._TINTED) == 5
    other = Color(255, 255, 255, 0.3)  # another theme's tint: its own entries
    assert list(DimmedDesk.process_segments(DESK, other)) == list(BackgroundScreen.process_segments(DESK, other))
    assert len(dimmed._TINTED) == 10
