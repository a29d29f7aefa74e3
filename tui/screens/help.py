"""`?`: every key of the desk, in place over it (two columns from 80 columns up, one below). `F1`: the keys of
the focused pane only, with the ids the rep's keys.toml moves them by. Both show the rep's keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Label, Static

from storage.rules.text import visible
from tui.screens.dimmed import Dialog
from tui.widgets.dialog_footer import DialogFooter, Note
from tui.keys import (
    APP_KEYS,
    BY_ID,
    CLOSED_KEYS,
    FOLLOW_UP_KEYS,
    FORM_KEYS,
    FORM_NOTES,
    GROUPS,
    HELP_KEYS,
    MOVE_KEYS,
    PANE_KEYS,
    SCROLL_KEYS,
    Key,
    bindings,
    key_for,
    key_string,
    shown,
)

DATES = "today · tomorrow · fri · next tue\n+3d · 2w · 1m · in 3 days\ndec 1 · 2026-12-01 · with 9am or 14:30"

Row = tuple[str, ...]  # the keys as shown, what they do, and (in F1's help) the id


def key_table(*groups: tuple[str, list[Row]]) -> Vertical:
    """Headed groups of rows: the keys in a column as wide as the widest, what they do beside
    them, wrapped under itself (never back under the keys), and in F1's help the id after it."""
    width = max((len(row[0]) for _, group in groups for row in group), default=0) + 4
    children: list[Widget] = []
    for heading, group in groups:
        children.append(Label(heading, classes="heading", markup=False))
        for keys, text, *key_id in group:
            cells = [Label(f"  {keys}  ", classes="keys", markup=False), Label(text, classes="what", markup=False)]
            cells[0].styles.width = width
            if key_id:
                cells.append(Label(key_id[0], classes="id", markup=False))
            children.append(Horizontal(*cells, classes="key-row"))
    return Vertical(*children, classes="keys-table")


def rows(keys: Iterable[Key], keymap: Mapping[str, str], *, ids: bool = False) -> list[Row]:
    return [(shown(k, keymap), k.help, k.id) if ids else (shown(k, keymap), k.help) for k in keys]


def pair(forward: Key, back: Key, text: str, keymap: Mapping[str, str]) -> Row:
    """Two keys that go opposite ways in one row (tab/shift+tab, as PRODUCT §5 names them)."""
    return (f"{shown(forward, keymap)}/{shown(back, keymap)}", text)


def follow_ups(keymap: Mapping[str, str]) -> list[Row]:
    """The desk's keys; the filter's row says how it clears, as it always did (room at 80×24)."""
    clear = BY_ID["desk.clear_filter"]
    return [
        (shown(k, keymap), f"{k.help} ({shown(clear, keymap)} clears)" if k.id == "desk.filter" else k.help)
        for k in FOLLOW_UP_KEYS
        if k is not clear
    ]


def keys_here(node: DOMNode | None) -> list[tuple[str, list[Key]]]:
    """The keys of the focused pane: those bound on the nearest of it and its containers that
    binds any of ours (the queue's moves in the queue, the form keys in a form, ...), by group."""
    while node is not None and node.parent is not None:  # the app's keys are everywhere: not a pane's
        ids = {b.id for cls in type(node).__mro__ for b in cls.__dict__.get("BINDINGS", ()) if getattr(b, "id", None)}
        if ids & BY_ID.keys():
            return [(title, [k for k in keys if k.id in ids]) for title, keys in GROUPS if any(k.id in ids for k in keys)]
        node = node.parent
    return [("Desk", list(APP_KEYS))]


class HelpScreen(Dialog[None]):
    BINDINGS = bindings(HELP_KEYS)
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    HelpScreen .title { text-style: bold; color: $text-accent; margin-bottom: 1; }
    HelpScreen #columns { height: auto; }
    HelpScreen #columns > Vertical { width: 1fr; height: auto; }
    HelpScreen.-narrow #columns { layout: vertical; }  /* below 80 columns: one column */
    HelpScreen .keys-table { height: auto; }
    HelpScreen .heading { text-style: bold; color: $text-accent; margin-top: 1; }
    HelpScreen .keys-table > .heading:first-child { margin-top: 0; }
    HelpScreen .key-row { height: auto; }
    HelpScreen .keys { text-style: bold; }
    HelpScreen .what { width: 1fr; }
    HelpScreen .id { width: auto; color: $text-muted; padding-left: 2; }
    HelpScreen Static { width: 1fr; }
    HelpScreen #own-keys { margin-top: 1; color: $text-muted; }
    """
    NARROW = 80  # below this many columns the two columns of every key are one

    def __init__(
        self,
        keymap: Mapping[str, str] | None = None,
        *,
        here: list[tuple[str, list[Key]]] | None = None,
        keys_file: str = "",
    ) -> None:
        """`keymap`: the rep's keys by id (the defaults for the rest). `here`: the focused pane's
        keys (F1), or None for every key (?). `keys_file`: where the rep's keys live."""
        super().__init__()
        self.keymap = dict(keymap or {})
        self.here = here
        self.keys_file = keys_file

    def compose(self) -> ComposeResult:
        yield DialogFooter()  # over the desk's footer, whose keys do nothing here
        keymap = self.keymap
        close = key_for(keymap, "help.close")
        with VerticalScroll():
            if self.here is not None:
                yield from self._pane(close)
                return
            yield Label(f"Every key · {key_for(keymap, 'app.help_pane')} this pane's keys · {close} closes",
                        classes="title", markup=False)
            with Horizontal(id="columns"):
                yield Vertical(
                    key_table(
                        ("Queue", [*rows(MOVE_KEYS[:4], keymap), pair(*MOVE_KEYS[4:], "Page down / up", keymap),
                                   pair(*PANE_KEYS, "Next / previous pane", keymap)]),
                        ("Prospect, history", [
                            (f"{key_for(keymap, 'pane.down')}/{key_for(keymap, 'pane.up')}", "Scroll a line"),
                            (f"{key_for(keymap, 'pane.first')}/{key_for(keymap, 'pane.last')}", "Top / bottom"),
                            pair(*SCROLL_KEYS[4:], "Page down / up", keymap)]),
                        ("Desk", rows(APP_KEYS, keymap)),
                        ("Forms", [*rows(FORM_KEYS[:1], keymap), *FORM_NOTES, *rows(FORM_KEYS[1:], keymap)]),
                        # its moves are the queue's keys (closed.* ids, F1 there lists them)
                        ("Closed book", rows((k for k in CLOSED_KEYS if k.footer), keymap)),
                    )
                )
                yield Vertical(
                    key_table(("Follow-ups", follow_ups(keymap))),
                    Static(
                        Content.from_markup("\n[b $text-accent]Dates you can type[/]\n")
                        + Content(DATES)
                        + Content.from_markup(
                            "\n\n[$text-muted]Remap any key by its id in keys.toml: $f1 shows the ids and the file.[/]",
                            f1=key_for(keymap, "app.help_pane"),
                        )
                    ),
                )

    def _pane(self, close: str) -> ComposeResult:
        keymap = self.keymap
        names = " · ".join(title for title, _ in self.here)
        yield Label(f"Keys here: {names} · {key_for(keymap, 'app.help')} every key · {close} closes",
                    classes="title", markup=False)
        groups = [(title, rows(keys, keymap, ids=True)) for title, keys in self.here]
        groups = [(title, [*group, *FORM_NOTES]) if title == "Forms" else (title, group) for title, group in groups]
        yield key_table(*groups)
        example = next(k for _, keys in self.here for k in keys)
        yield Static(
            Content.assemble(
                "Your own keys, by id: ",
                (visible(self.keys_file, one_line=True) or "keys.toml in your config folder", "bold"),
                "" if not self.keys_file or Path(self.keys_file).exists() else " (no file yet: the default keys)",
                f'\n[keys]\n"{example.id}" = "{key_string(example, keymap)}"',
            ),
            id="own-keys",
        )

    def footer_notes(self) -> list[Note]:
        """The scroll keys, while the help is longer than the window (else they do nothing)."""
        if not self._scrolls():
            return []
        return [Note("down", "↑↓", "Scroll"), Note("pagedown", "pgup pgdn", "Page")]

    def _scrolls(self) -> bool:
        return self.query_one(VerticalScroll).max_scroll_y > 0

    def on_mount(self) -> None:
        self._scrolled = False
        self.set_class(self.app.size.width < self.NARROW, "-narrow")
        self.call_after_refresh(self._fit_footer)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")
        self.call_after_refresh(self._fit_footer)

    def _fit_footer(self) -> None:
        """Once laid out (and after a resize), the footer names the scroll keys if they now work."""
        if self._scrolls() != self._scrolled:
            self._scrolled = not self._scrolled
            self.query_one(DialogFooter).refresh(recompose=True)

    def action_close(self) -> None:
        self.dismiss(None)
