"""The desk's first read, started as soon as the book is open (by the followup command): it runs on
a thread of its own while Textual loads and starts, and the desk shows it in its first frame.
No Textual here: importing it costs nothing before the screen exists."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from storage.book.clock import local_now
from storage.book.opening import connection
from tui.widgets.queue_layout import read_queue


def start_first_read(tz: str) -> Future:
    """The queue from its top, with the prospect on top; its result or error waits in the future
    (the desk takes it through its one way to the book)."""
    future: Future = Future()
    now = local_now(tz)

    def work() -> None:
        try:
            with connection():
                found = read_queue(now, tz, None, [], -1, 50)
        except BaseException as exc:  # closing the connection too: the book may have closed meanwhile
            future.set_exception(exc)
            return
        future.set_result(found)

    threading.Thread(target=work, name="first read", daemon=True).start()
    return future
