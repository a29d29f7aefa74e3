""""First dialog open": from the key written to the terminal to the frame that shows the dialog with
the cursor in its first field. The key goes in through the pty itself (the parent hands the probe
its master side, BENCH_PTY), so the figure includes Textual's reading and parsing of the input, as
a rep's key does. The first open of a session (a fresh process) and later ones; beside them, the
bare app pushing a trivial screen (one field) the same way."""

from __future__ import annotations

import asyncio
import os
import time

from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Input

# a rep reads the desk before the first key: the open is pressed this long after the desk is up
IDLE_BEFORE = 1.0
# and between two dialogs: a later open is timed from a desk done with the last close (what a
# close costs the desk is in the save figure)
IDLE_BETWEEN = 0.3
# what each key opens on the desk, and the field the cursor must be in
DESK_DIALOGS = {"l": ("LogTouchScreen", "note"), "n": ("ProspectFormScreen", "name")}
BARE_DIALOGS = {"o": ("Trivial", "field")}


class Trivial(ModalScreen[None]):
    """What any Textual app pays to open a dialog: one field, focused."""

    BINDINGS = [("escape", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        yield Input(id="field")

    def on_mount(self) -> None:
        self.query_one(Input).focus()


def write_key(data: str) -> float:
    """The key as the terminal sends it, written to our own pty's master side; the moment it went."""
    fd = int(os.environ["BENCH_PTY"])
    at = time.monotonic()
    os.write(fd, data.encode())
    return at


def opened(app: App, key: str) -> bool:
    screen_name, field = {**DESK_DIALOGS, **BARE_DIALOGS}[key]
    focused = app.screen.focused
    return type(app.screen).__name__ == screen_name and focused is not None and focused.id == field


async def open_and_close(app: App, frames, key: str) -> float:
    """One open, timed; then escape, back to the screen beneath (the desk, the bare app's own)."""
    from bench.probe import press

    sent = write_key(key)
    shown = await frames.until(lambda: opened(app, key))
    press(app, "escape")
    await frames.until(lambda: not isinstance(app.screen, ModalScreen))
    await asyncio.sleep(IDLE_BETWEEN)
    return shown - sent


async def first_then_later(app: App, frames, first: str, keys: str, later: int) -> dict[str, list[float]]:
    """Once the desk has been up IDLE_BEFORE: the session's first open of `first`, then `later`
    rounds of every key in `keys`."""
    result: dict[str, list[float]] = {}
    # the later opens too: pressed at once, the session's first of them waited for the desk's own
    # start (the first read, the collector's first pass, the forms begun) and took ~200 ms
    await asyncio.sleep(IDLE_BEFORE)
    if first:
        result[f"first_{first}"] = [await open_and_close(app, frames, first)]
    for _ in range(later):
        for key in keys:
            result.setdefault(f"open_{key}", []).append(await open_and_close(app, frames, key))
    return result
