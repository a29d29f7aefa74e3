"""The Followup Desk application: the desk screen, global keys, and the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen

from storage.book.models import KINDS
from tui.keys import APP_KEYS, DESK_KEYS, PALETTE_ONLY, bindings
from tui.screens.desk import DeskScreen
from tui.screens.help import HelpScreen


class FollowupApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Followup Desk"
    BINDINGS = bindings(tuple(k for k in APP_KEYS if k.action in ("help", "quit")))

    def __init__(self, tz: str, book_label: str = "") -> None:
        super().__init__()
        self.tz = tz
        self.sub_title = book_label

    def on_mount(self) -> None:
        self.push_screen(DeskScreen(self.tz))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, DeskScreen):
            for key in DESK_KEYS:
                yield SystemCommand(f"{key.title} ({key.shown})", key.help, partial(screen.run_action, key.action))
            for key in PALETTE_ONLY:
                yield SystemCommand(key.title, key.help, partial(screen.run_action, key.action))
            for kind in KINDS:
                yield SystemCommand(f"Queue: only {kind}", f"Read the queue by kind: {kind} follow-ups",
                                    partial(screen.run_action, f"kind_filter({kind!r})"))
        yield SystemCommand("Help (?)", "Show every key", self.action_help)
        yield from super().get_system_commands(screen)
