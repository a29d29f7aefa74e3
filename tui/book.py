"""The desk's one way to the book. Every storage call a screen or widget makes goes through
`BookCalls.call`: it runs in a thread worker (on that thread's own connection, so a busy or far
away book never freezes the screen), hands the result back on the UI thread, and meets every
failure in one place: a `BookError` (busy, full, read-only, damaged) becomes a message where the
rep looks while the desk stays up and whatever they typed stays on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from storage.book.errors import BookError, Conflict
from storage.book.opening import connection
from storage.book.stopping import Call
from storage.rules.text import visible
from tui.crash_log import log_fault, told

# What a caller does with a failure; True when it said everything (an error shown beside the field).
Failed = Callable[[BaseException], bool | None]


class BookCalls:
    def __init__(self, app) -> None:
        self.app = app
        self._latest: dict[tuple[int, str], int] = {}  # (node, group) -> the newest exclusive call
        self._running: dict[tuple[int, str], Call] = {}  # (node, group) -> that call, stoppable

    def call(
        self,
        node: DOMNode,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Failed | None = None,
        group: str = "book",
        exclusive: bool = False,
    ) -> Worker:
        """Run `fn(*args)` off the UI thread, then `done(result)` on it. `exclusive`: only the
        newest call of the group counts — an older one is cancelled, its statement stopped where
        it runs (an exclusive call is a read), and should its result come back all the same (it
        was on its way), it is dropped on the UI thread, whatever the order the threads finish in
        (only the latest cursor move or keystroke counts)."""
        ticket = self.supersede(node, group) if exclusive else None
        call = Call() if exclusive else None
        if call is not None:
            self._running[(id(node), group)] = call

        def work() -> None:
            if call is not None and call.stopped:
                return  # replaced before its thread started: nobody waits for it
            try:
                with connection(call):
                    result = fn(*args)
            except Exception as exc:  # every failure meets the one handler, on the UI thread
                self._back(node, group, ticket, self._failed, exc, failed)
                return
            finally:
                if call is not None and self._running.get((id(node), group)) is call:
                    self._running.pop((id(node), group), None)  # done: nothing left to stop
            if done is not None:
                self._back(node, group, ticket, done, result)

        return node.run_worker(work, thread=True, exit_on_error=False, group=group, exclusive=exclusive,
                               name=getattr(fn, "__name__", "book call"))

    def supersede(self, node: DOMNode, group: str) -> int:
        """Whatever the group's calls bring back from now on is stale, but for the next one (the
        desk showing a read of its own, made elsewhere, calls this too). Returns its ticket."""
        key = (id(node), group)
        self._latest[key] = self._latest.get(key, 0) + 1
        running = self._running.pop(key, None)
        if running is not None:  # what it reads is stale: its thread is wanted elsewhere
            running.stop()
        return self._latest[key]

    def _back(self, node: DOMNode, group: str, ticket: int | None, callback: Callable[..., None], *args: Any) -> None:
        if get_current_worker().is_cancelled:
            return

        def deliver() -> None:
            if ticket is None or self._latest.get((id(node), group)) == ticket:
                try:
                    callback(*args)
                except Exception as exc:  # a callback's fault, on the UI thread: the same handler
                    self.report(exc)

        try:
            self.app.call_from_thread(deliver)
        except RuntimeError:
            pass  # the desk is closing: nobody is left to tell

    def _failed(self, exc: BaseException, failed: Failed | None) -> None:
        if isinstance(exc, Conflict):  # what is on screen is out of date: read again, then say so
            for screen in self.app.screen_stack:
                changed = getattr(screen, "changed_elsewhere", None)
                if changed is not None:
                    changed()
        if failed is not None and failed(exc):
            return
        self.report(exc)

    def report(self, exc: BaseException) -> None:
        """The one place a failure becomes a message: one line, shown literally."""
        if isinstance(exc, BookError):
            self.app.notify(visible(str(exc), one_line=True), title="The book", severity="error", markup=False, timeout=8)
        else:  # a fault of ours: say it plainly, with its traceback in the log, rather than take the desk down
            text = told(exc, log_fault(exc, "a call to the book"))
            self.app.notify(text, title="The desk", severity="error", markup=False, timeout=12)
