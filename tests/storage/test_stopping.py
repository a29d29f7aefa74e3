"""A call another thread stops (storage.book.stopping.Call): a read nobody waits for any more
(a search word typed over) ends where it runs, on either engine, and the book reads on."""

from __future__ import annotations

import threading

import pytest

from storage.book.errors import BookError
from storage.book.models import Prospect
from storage.book.opening import connection
from storage.book.stopping import Call, CallStopped
from storage.reads.prospect import prospect_count
from tests.long_read import LONG
from tests.storage.test_queue import put


def test_a_stopped_call_ends_where_it_runs_and_the_book_reads_on(book):
    put("Ada")
    call = Call()
    ended: dict[str, object] = {}
    holding = threading.Event()

    def read() -> None:
        try:
            with connection(call):
                ended["raw"] = Prospect._meta.database.connection()
                holding.set()
                ended["result"] = Prospect._meta.database.execute_sql(LONG).fetchone()[0]
        except BaseException as exc:  # noqa: BLE001  (what ended it is the finding)
            ended["error"] = exc

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    assert holding.wait(60)
    # The statement may not have begun when stop() first comes (stopping between statements is
    # a no-op on both engines), so it is told again until the thread has ended: a bounded wait.
    for _ in range(1200):
        call.stop()
        thread.join(0.05)
        if not thread.is_alive():
            break
    assert not thread.is_alive(), "the long read was never stopped"
    assert "result" not in ended
    assert isinstance(ended["error"], BookError)
    # its connection is closed, not kept for another call: a server's cancel may land late
    assert _closed(ended["raw"])
    with connection():
        assert prospect_count() == 1  # the next call on this book reads as ever


def test_a_call_stopped_before_it_began_never_begins(book):
    """Keys come faster than threads start: the search for "b" is replaced before it began."""
    call = Call()
    call.stop()
    with pytest.raises(CallStopped):
        with connection(call):
            put("never")
    with connection():
        assert prospect_count() == 0


def test_stopping_a_call_that_has_ended_does_nothing(book):
    put("Ada")
    call = Call()
    with connection(call):
        assert prospect_count() == 1
    call.stop()  # its connection is let go: nothing to stop, and nothing breaks
    with connection():
        assert prospect_count() == 1


@pytest.fixture(autouse=True)
def _still(frozen):
    yield


def _closed(raw) -> bool:
    if hasattr(raw, "closed"):  # psycopg
        return bool(raw.closed)
    try:  # sqlite3: a closed connection refuses everything
        raw.execute("SELECT 1")
    except Exception:  # noqa: BLE001  (sqlite3.ProgrammingError)
        return True
    return False
