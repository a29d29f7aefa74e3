"""The Followup Desk application: the desk screen, global keys, the rep's keymap, help and the
command palette."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from concurrent.futures import Future
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen

from storage.book.vocabulary import KINDS
from tui.book import BookCalls
from tui.keymap import keys_file, rep_keymap
from tui.keys import APP_KEYS, BY_ID, DESK_KEYS, PALETTE_ONLY, bindings, shown
from tui.screens.desk import DeskScreen
from tui.screens.help import HelpScreen, keys_here


class FollowupApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Followup Desk"
    BINDINGS = bindings(APP_KEYS)  # app.palette, ours, replaces Textual's ctrl+p: it has an id

    def __init__(self, tz: str, book_label: str = "", first_read: Future | None = None) -> None:
        super().__init__()
        self.tz = tz
        self.book = BookCalls(self)  # every storage call of the desk goes through here
        self.sub_title = book_label
        # the rep's keys.toml; a file we cannot use is one line, and every default key stays
        self.rep_keymap, self.keys_problem = rep_keymap()
        self.set_keymap(self.rep_keymap)
        self.first_read = first_read  # the desk's first read, started before Textual (tui.cli)

    def run(self, *args, **kwargs):
        if self.keys_problem:  # said once, on the terminal, before the desk covers it
            print(f"followup: {self.keys_problem}", file=sys.stderr)
        return super().run(*args, **kwargs)

    def on_mount(self) -> None:
        self.push_screen(DeskScreen(self.tz, first=self.first_read))
        if self.keys_problem:
            self.notify(self.keys_problem, title="Using the default keys", severity="error", timeout=12,
                        markup=False)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.rep_keymap))

    def action_help_pane(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        here = keys_here(self.screen.focused or self.screen)
        self.push_screen(HelpScreen(self.rep_keymap, here=here, keys_file=str(keys_file())))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, DeskScreen):
            for key in DESK_KEYS:
                if key.palette:
                    yield SystemCommand(f"{key.title} ({shown(key, self.rep_keymap)})", key.help,
                                        partial(screen.run_action, key.action))
            for key in PALETTE_ONLY:
                yield SystemCommand(key.title, key.help, partial(screen.run_action, key.action))
            for kind in KINDS:
                yield SystemCommand(f"Queue: only {kind}", f"Read the queue by kind: {kind} follow-ups",
                                    partial(screen.run_action, f"kind_filter({kind!r})"))
        yield SystemCommand(f"Help ({shown(BY_ID['app.help'], self.rep_keymap)})", "Show every key", self.action_help)
        yield SystemCommand(f"Keys here ({shown(BY_ID['app.help_pane'], self.rep_keymap)})",
                            "The keys of the focused pane, with the ids your keys.toml can move them by",
                            self.action_help_pane)
        yield from super().get_system_commands(screen)
