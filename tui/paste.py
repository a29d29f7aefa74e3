"""A paste is text, never keys. Textual 8.2's terminal parser reads an ESC inside a bracketed
paste as the start of a key sequence: up to 32 characters after it are sent to the app as key
presses, before the paste itself (measured: a pasted `\\x1b[31mPWN\\x13…` arrives as the keys
`^ [ 3 1 m P W N ctrl+s …`, so a pasted text can save or cancel a form). This parser takes
everything between the terminal's paste markers as one Paste event, whatever it holds, and hands
the rest of the input to Textual's own parser."""

from __future__ import annotations

import time
from collections.abc import Iterable

from textual import events
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message


HOLD_SECONDS = 0.1  # how long the start of a start marker waits for the rest before it is keys
# (Textual waits as long, ESCAPE_DELAY, before it takes a lone ESC for the escape key)


def _split_marker(data: str, marker: str) -> int:
    """How many characters at the end of `data` could be the start of `marker` (cut across two
    reads of the terminal: a long paste comes in several)."""
    for size in range(min(len(marker) - 1, len(data)), 0, -1):
        if marker.startswith(data[-size:]):
            return size
    return 0


class PasteSafeParser(XTermParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pasted: list[str] | None = None  # inside a paste: what has come of it so far
        self._held = ""  # the end of the last read, maybe the start of a marker
        self._held_at = 0.0

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input
            if self._pasted is not None:
                yield events.Paste("".join(self._pasted) + self._held)
                self._pasted, self._held = None, ""
            yield from super().feed(data)
            return
        data, self._held = self._held + data, ""
        while data:
            if self._pasted is None:
                start = data.find(BRACKETED_PASTE_START)
                if start < 0:
                    # A start marker cut across two reads is held until the next read, or a
                    # moment (`tick`): a lone ESC held that long was the escape key itself.
                    keep = _split_marker(data, BRACKETED_PASTE_START)
                    if keep:
                        data, self._held, self._held_at = data[:-keep], data[-keep:], time.monotonic()
                    if data:
                        yield from super().feed(data)
                    return
                if start:
                    yield from super().feed(data[:start])
                data, self._pasted = data[start + len(BRACKETED_PASTE_START) :], []
            else:
                end = data.find(BRACKETED_PASTE_END)
                if end < 0:
                    keep = _split_marker(data, BRACKETED_PASTE_END)
                    self._pasted.append(data[:-keep] if keep else data)
                    self._held = data[-keep:] if keep else ""
                    return
                text = "".join(self._pasted) + data[:end]
                self._pasted, data = None, data[end + len(BRACKETED_PASTE_END) :]
                yield events.Paste(text.replace("\x00", ""))  # as Textual does (textual#1661)


    def tick(self) -> Iterable[Message]:
        if self._pasted is None and self._held and time.monotonic() - self._held_at > HOLD_SECONDS:
            held, self._held = self._held, ""  # it was not a paste after all
            if held == "\x1b":
                yield events.Key("escape", "\x1b")  # as Textual's parser says it, once its own wait is over
            else:
                yield from super().feed(held)
        yield from super().tick()


def install() -> None:
    """Make the terminal drivers read input through PasteSafeParser (once, before the app runs)."""
    from textual.drivers import linux_driver, linux_inline_driver

    for module in (linux_driver, linux_inline_driver):
        module.XTermParser = PasteSafeParser
