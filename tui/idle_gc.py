"""Full garbage collections while the rep is not typing.

Every frame Textual draws leaves reference cycles behind (strips, segments, callbacks). Python's
collector frees the young ones often and cheaply, but every so often it runs a full collection
of everything the program holds: measured over 200 presses of `j` on the 100k book (`python -m
bench`), 23 full collections of ~90,000 objects took 2.3 s together, up to 160 ms each, and each
landed on whichever key was being answered. So, once the desk is up, what it keeps for good (the
app, its screens, the modules) is frozen out of the collector's sight, the young collections go
on as Python runs them (memory stays as it was), and the full ones wait until no key has come
for a moment, which a rep gives many times a minute. A rep who never pauses still gets one every
`FORCED_AFTER` young collections of the older generation. A dialog that closes is garbage old
enough to have left the young generations: the desk asks for a full collection once the frame
that closed it is out (`after_this_frame`), before the rep's next key.

What lives on after a full collection (the dialogs' modules, imported as each first opens; the
panes' caches) is frozen too, so that a forced collection looks only at what is newer: before,
they looked at ~100,000 objects made since the start and took 50-100 ms each, which is why they
could not come often. Now one runs every `FORCED_AFTER` middle collections, and a session of fast
keys on the 100k book peaks ~13 MiB lower (`python -m bench`). Something frozen may die later in a
cycle (a dialog that was open at a pause, a cached line dropped since) and only a collection that
unfreezes finds it: once a `SWEEP_AFTER`, at a quiet moment, everything is looked at again."""

from __future__ import annotations

import gc
import time

QUIET = 0.4  # seconds without input before the desk runs a full collection
TICK = 0.25  # how often it looks
NEVER = 1_000_000_000  # the older generation's threshold while the desk is up: Python never starts one itself
FORCED_AFTER = 10  # collections of the middle generation after which a full one runs, quiet or not
SWEEP_AFTER = 60.0  # seconds: at most this often a quiet collection unfreezes everything first


class IdleCollector:
    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self.running = False
        self.swept_at = time.monotonic()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self, app) -> None:
        """Once the desk's first frame is out: what exists now lives as long as the app."""
        gc.collect()
        gc.freeze()
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NEVER)
        self.running = True
        app.set_interval(TICK, self.tick, name="idle collector")

    def stop(self) -> None:
        """The app is ending: what it froze is the collector's again (a test process runs many)."""
        if self.running:
            self.running = False
            gc.set_threshold(*self._thresholds)
            gc.unfreeze()

    def after_this_frame(self, node) -> None:
        """A full collection as soon as the frame being drawn is out (a dialog just closed)."""
        if self.running:
            node.call_after_refresh(gc.collect)

    def heard(self) -> None:
        """A key or a click came in: not now."""
        self.last_input = time.monotonic()

    def tick(self) -> None:
        pending = gc.get_count()[2]  # middle-generation collections since the last full one
        if not pending:
            return
        now = time.monotonic()
        if now - self.last_input >= QUIET:
            if now - self.swept_at >= SWEEP_AFTER:
                gc.unfreeze()
                self.swept_at = now
        elif pending < FORCED_AFTER:
            return
        gc.collect()
        gc.freeze()  # what survived lives on: the next forced collection looks only at what came since
