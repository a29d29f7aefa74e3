"""User text on screen: always literal, never markup, never a terminal control sequence."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.content import Content
from textual.widget import Widget

from storage.rules.text import visible


def literal(text: str | None, *, one_line: bool = False) -> Content:
    """A Content that shows exactly what was typed ([bold] stays "[bold]", ESC shows as ␛)."""
    return Content(visible(text or "", one_line=one_line))


def say(template: str, **values: str) -> Content:
    """Our own markup with user text dropped into $slots literally."""
    return Content.from_markup(template, **{k: visible(v, one_line=True) for k, v in values.items()})


def tell(node: App | Widget, message: str, *, title: str = "", **kwargs: Any) -> None:
    """A notification that may hold user text (a name, a path, a file's words): shown literally,
    never as markup, every control a visible symbol. Every toast of user-derived text goes here."""
    node.notify(visible(message), title=visible(title, one_line=True), markup=False, **kwargs)


def money(value: int) -> str:
    return f"{value:,}" if value else "—"
