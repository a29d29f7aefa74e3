"""User text on screen: always literal, never markup, never a terminal control sequence."""

from __future__ import annotations

from textual.content import Content

from storage.rules.text import visible


def literal(text: str | None, *, one_line: bool = False) -> Content:
    """A Content that shows exactly what was typed ([bold] stays "[bold]", ESC shows as ␛)."""
    return Content(visible(text or "", one_line=one_line))


def say(template: str, **values: str) -> Content:
    """Our own markup with user text dropped into $slots literally."""
    return Content.from_markup(template, **{k: visible(v, one_line=True) for k, v in values.items()})


def money(value: int) -> str:
    return f"{value:,}" if value else "—"
