"""The Followup Desk application: the desk screen, global keys, the rep's keymap, help and the
command palette, and what happens when something goes wrong (no input takes the desk down)."""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen

from storage.book.vocabulary import KINDS
from storage.reads import coaching
from storage.rules.text import visible
from tui import paste
from tui.book import BookCalls
from tui.crash_log import log_fault, log_file, summary, told
from tui.idle_gc import IdleCollector
from tui.dialog_keys import KeysWhileOpening
from tui.keymap import keys_file, rep_keymap
from tui.keys import APP_KEYS, BY_ID, bindings, shown
from tui.palette import DeskCommands, desk_commands, tucked_away
from tui.screens.desk import DeskScreen
from tui.screens.help import HelpScreen, keys_here
from tui.theme import pane_borders
from tui.widgets.safe_fields import SafeCommandPalette
from tui.widgets.too_small import TooSmall, too_small


# Faults this close together are one fault that keeps coming (a frame that cannot be drawn): the
# desk stops rather than repeat it forever.
FAULT_STORM = 5
FAULT_STORM_SECONDS = 2.0
# Where Textual calls App._handle_exception and then stops the pump that failed (message_pump.py:
# a handler's exception ends its widget's loop, and the widget leaves the screen; a failed mount
# never starts it). Surviving there is not possible: the desk stops.
PUMP_STOPS = frozenset({"_process_messages_loop", "_pre_process"})


class FollowupApp(KeysWhileOpening, App):  # keys typed while a dialog opens: tui/dialog_keys.py
    CSS_PATH = "app.tcss"
    TITLE = "Followup Desk"
    BINDINGS = bindings(APP_KEYS)  # app.palette, ours, replaces Textual's ctrl+p: it has an id
    COMMANDS = {DeskCommands}  # every command in the order get_system_commands gives, as literal text

    def __init__(self, tz: str, book_label: str = "", first_read: Future | None = None,
                 zone_problems: Iterable[str] = ()) -> None:
        super().__init__()
        self.tz = tz  # the rep's zone, resolved once (tui/config.py); zone_problems: the sources passed over
        self.zone_problems = tuple(zone_problems)
        self.book = BookCalls(self)  # every storage call of the desk goes through here
        self.sub_title = book_label
        # the rep's keys.toml; a file we cannot use is one line, and every default key stays
        self.rep_keymap, self.keys_problem = rep_keymap()
        self.set_keymap(self.rep_keymap)
        self.first_read = first_read  # the desk's first read, started before Textual (tui.cli)
        self.up = False  # the desk screen has mounted (DeskScreen.on_mount): from then on, a fault is survived
        self.quitting = False  # the rep quit (or an error ended the desk): nothing opens any more
        self.faults: deque[BaseException] = deque(maxlen=20)  # the faults met (the latest), survived or not
        self.stopped_by: str | None = None  # the line the followup command prints when an error ended the desk
        self._fault_times: deque[float] = deque(maxlen=FAULT_STORM)
        self.collector = IdleCollector()  # collects garbage between keys, not during them (tui/idle_gc.py)

    def run(self, *args, **kwargs):
        if self.keys_problem:  # said once, on the terminal, before the desk covers it
            print(f"followup: {self.keys_problem}", file=sys.stderr)
        paste.install()  # a paste is text, never keys (tui/paste.py)
        return super().run(*args, **kwargs)

    def on_mount(self) -> None:
        self.push_screen(DeskScreen(self.tz, first=self.first_read))
        self.screen_change_signal.subscribe(self, self._cover, immediate=True)
        if not self.is_headless:  # a real terminal (a test's pilot keeps Python's own collector)
            self.call_after_refresh(self.collector.start, self)
        self._fit(self.size)
        if self.keys_problem:
            self.notify(visible(self.keys_problem, one_line=True), title="Using the default keys", severity="error",
                        timeout=12, markup=False)
        cadence_fault = coaching.cadence_problem()  # said on the terminal too (tui/cli.py)
        if cadence_fault:
            self.notify(cadence_fault, title="Using the default cadences", severity="warning", timeout=12, markup=False)
        for problem in self.zone_problems:  # said on the terminal too (tui/cli.py), which the desk covers
            self.notify(visible(problem, one_line=True), title=f"Using the time zone {self.tz}", severity="warning",
                        timeout=12, markup=False)

    # -- a window too small --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size) -> None:
        """Below the desk's minimum, the screen on top is covered by what size the window must be;
        the screens stay as they are beneath (app.tcss shows every TooSmall while -too-small)."""
        self.set_class(too_small(size), "-too-small")
        self._cover(self.screen)

    def _cover(self, screen: Screen) -> None:
        """Whichever screen is on top while the window is too small (a dialog opened by a save,
        the desk after it closed) has its cover too."""
        if not self.has_class("-too-small"):
            return
        covers = screen.query_children(TooSmall)
        if covers:
            covers.first().refresh()
        else:
            screen.mount(TooSmall())

    def get_css_variables(self) -> dict[str, str]:
        """Textual's, and the panes' border colours worked out for the theme (tui/theme.py)."""
        variables = super().get_css_variables()
        return {**variables, **pane_borders(variables)}

    def action_command_palette(self) -> None:
        """Textual's palette, with a search box that shows what is typed or pasted visibly."""
        if self.use_command_palette and not SafeCommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

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
        if isinstance(screen, DeskScreen):  # the desk's first (tui/palette.py), Textual's tucked away
            yield from desk_commands(screen, self.rep_keymap)
            for kind in KINDS:
                yield SystemCommand(f"Queue: only {kind}", f"Read the queue by kind: {kind} follow-ups",
                                    partial(screen.run_action, f"kind_filter({kind!r})"))
        yield SystemCommand(f"Help ({shown(BY_ID['app.help'], self.rep_keymap)})", "Show every key", self.action_help)
        yield SystemCommand(f"Keys here ({shown(BY_ID['app.help_pane'], self.rep_keymap)})",
                            "The keys of the focused pane, with the ids your keys.toml can move them by",
                            self.action_help_pane)
        yield from tucked_away(super().get_system_commands(screen))

    # -- faults ------------------------------------------------------------------------------
    #
    # Textual hands every exception nobody caught to App._handle_exception, which ends the app.
    # Overriding it alone cannot keep the desk up: for an exception in a message handler, the
    # pump that ran it has already left its loop when it is called (the widget, or the whole
    # desk screen, is then pruned from the screen). So a fault is caught where it happens,
    # before any pump sees it:
    #   - an action (every key, the command palette, `run_action`): `run_action` below;
    #   - a handler or a callback of the app, a screen or a widget: the message's dispatch
    #     (`_dispatch_message`, the app's own and each node's as it is registered);
    #   - a call to the book, or its callback: tui/book.py, the one handler.
    # What still reaches _handle_exception comes from where Textual keeps the pump running (a
    # dialog's result callback, a timer, a compose, a frame) and is survived the same way. Before
    # the first frame, where a pump has stopped, or in a storm, the desk ends with status 1 and
    # one line on stderr naming the log (tui/cli.py).

    def survive(self, error: BaseException, where: str) -> None:
        """A fault: logged with its traceback, told in one line where the rep looks, and the desk
        stays up with whatever was typed; unless the desk is not up yet, or the faults come as a
        storm: then it stops (status 1)."""
        logged = log_fault(error, where)
        self.faults.append(error)
        if self.quitting:
            return  # the rep asked to quit, or the desk is stopping already: logged, and it ends
        now = time.monotonic()
        self._fault_times.append(now)
        storm = len(self._fault_times) == FAULT_STORM and now - self._fault_times[0] < FAULT_STORM_SECONDS
        if not self.up or storm:
            self._stop(error, logged)
            return
        self.notify(told(error, logged), title="The desk", severity="error", markup=False, timeout=12)

    def _stop(self, error: BaseException, logged: Path | None) -> None:
        where = f"details in {logged}" if logged else f"it could not be written to {log_file()}"
        self.stopped_by = f"the desk stopped on an error ({summary(error)}); {where}"
        self.exit(return_code=1)

    def _handle_exception(self, error: Exception) -> None:
        where = sys._getframe(1).f_code.co_name  # the Textual function that met it
        if where in PUMP_STOPS and not self.quitting:
            logged = log_fault(error, f"Textual ({where}), past the desk's own guards")
            self.faults.append(error)
            self._stop(error, logged)
            return
        self.survive(error, f"Textual ({where})")

    async def _dispatch_message(self, message: Message) -> None:
        if isinstance(message, events.InputEvent):
            self.collector.heard()
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            self.survive(error, f"{type(self).__name__} handling {type(message).__name__}")

    def _register(self, parent, *widgets, **kwargs):
        for widget in widgets:  # every screen and widget, as it joins (its children come through here too)
            widget.__dict__.setdefault("_dispatch_message", partial(_dispatch_surviving, self, widget))
        return super()._register(parent, *widgets, **kwargs)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        if self.quitting:
            return True  # keys typed after q (q then n): the desk is closing, nothing opens
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            self.survive(error, f"the action {action!r}")
            return True

    def exit(self, result=None, return_code: int = 0, message=None) -> None:
        self.quitting = True
        self.collector.stop()
        super().exit(result, return_code, message)

    @asynccontextmanager
    async def run_test(self, *args, **kwargs):
        """Textual's, and as there a test fails when the app meets an exception: a fault the desk
        lived through is raised once the test is over (a test that provokes one expects it)."""
        async with super().run_test(*args, **kwargs) as pilot:
            yield pilot
        if self.faults:
            raise self.faults[0]


async def _dispatch_surviving(app: FollowupApp, node: MessagePump, message: Message) -> None:
    """A node's `_dispatch_message`, with its faults survived rather than ending its loop."""
    try:
        await type(node)._dispatch_message(node, message)
    except Exception as error:
        app.survive(error, f"{type(node).__name__} handling {type(message).__name__}")
