"""Garbage collection while the rep is not typing.

Every frame Textual draws leaves reference cycles behind (strips, segments, callbacks), so
Python's collector runs often: measured over 200 presses of `j` on the 100k book (`python -m
bench`), 23 full collections of ~90,000 objects took 2.3 s together, up to 160 ms each, and each
landed on whichever key was being answered. So, once the desk is up, the objects it keeps for
good (the app, its screens, the modules) are frozen out of the collector's sight, automatic
collection is off, and the young cycles are collected when no key has come for a moment, which a
rep gives many times a minute. A key held down for long still gets a collection every
`MAX_PENDING` allocations, so memory never runs away."""

from __future__ import annotations

import gc
import time

QUIET = 0.4  # seconds without input before the desk collects
TICK = 0.25  # how often it looks
MAX_PENDING = 50_000  # allocations (gc's gen-0 count) after which it collects, quiet or not
FULL_EVERY = 20  # young collections between full ones (the cycles that lived long enough)


class IdleCollector:
    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self._young = 0
        self.running = False

    def start(self, app) -> None:
        """Once the desk's first frame is out: what exists now lives as long as the app."""
        gc.collect()
        gc.freeze()
        gc.disable()
        self.running = True
        app.set_interval(TICK, self.tick, name="idle collector")

    def stop(self) -> None:
        """The app is ending: what it froze is the collector's again (a test process runs many)."""
        if self.running:
            self.running = False
            gc.unfreeze()
            gc.enable()

    def heard(self) -> None:
        """A key or a click came in: not now."""
        self.last_input = time.monotonic()

    def tick(self) -> None:
        pending = gc.get_count()[0]
        quiet = time.monotonic() - self.last_input >= QUIET
        if pending == 0 or (not quiet and pending < MAX_PENDING):
            return
        self._young += 1
        if self._young >= FULL_EVERY:
            self._young = 0
            gc.collect()
        else:
            gc.collect(1)
