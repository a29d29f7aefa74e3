"""A call another thread may stop: a read nobody waits for any more (the desk's exclusive book
calls, tui/book.py) ends where it runs, on the connection storage.book.opening.connection holds
for it."""

from __future__ import annotations

import threading

from storage.book.models import database


class CallStopped(Exception):
    """A call stopped before its first statement (Call.stop)."""


class Call:
    """A call's hold on its thread's connection, so that another thread can stop it: a read
    nobody waits for any more (a search word typed over, the cursor moved on) stops at once
    instead of taking a processor from the one that replaced it. Stopped before it has its
    connection, it never begins (CallStopped); while it runs, its statement ends with the
    driver's error (stopping between two statements may let the next one run: best effort);
    after it has let go, nothing happens. Only for reads: a write stopped half-way is rolled
    back, but it was asked for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._raw = None
        self.stopped = False

    def stop(self) -> None:
        from storage.engines import engine_for

        with self._lock:  # the connection is not closed while it is told to stop
            self.stopped = True
            if self._raw is not None and database.obj is not None:
                engine_for(database.obj).interrupt(self._raw)

    def hold(self, raw) -> None:
        with self._lock:
            if self.stopped:  # stopped before it began (keys come faster than threads start)
                raise CallStopped("stopped before it began")
            self._raw = raw

    def let_go(self) -> bool:
        """The call is over; whether it was told to stop while it held its connection."""
        with self._lock:
            held, self._raw = self._raw, None
            return held is not None and self.stopped
