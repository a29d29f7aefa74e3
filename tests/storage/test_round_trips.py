"""Not slower because it is remote (issue 18, point 7): the statements (on a server, each one a round
trip) that the desk's calls send, counted at the driver, BEGIN and COMMIT included, and held at or
under a stated number: the queue's read (the desk's first, and the one after a save), a cursor move
(the prospect on screen with the first page of their history), a save (a quick log, then the queue
read again, in the one call the log form makes). The same calls on SQLite are counted beside them:
there a statement is a function call, not a trip.

Each call runs as the desk runs it: in `storage.book.opening.connection()` (a pooled server
connection checked out and back: the pool's liveness ping is one statement), the desk's own
functions (tui/first_read.py, tui/widgets/queue_layout.py, the log form's save), on the demo book
at the tests' frozen moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pendulum
import pytest

from storage.actions.checks import NextStep
from storage.actions.contact import log_touch
from storage.book.models import database
from storage.book.opening import close_book, connection, open_book
from storage.reads.prospect import history_page, view
from tests.conftest import DEMO_NOW, FROZEN, TZ
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tui.widgets.queue_layout import read_queue

# The most each call may send, on the demo book; stated in the README's Performance section. Before
# the cuts of this file's commit: queue 26 (server 27), move 10 (SQLite 9), save 51. A server's
# count holds the pool's liveness ping (SELECT 1) as it hands out a connection it kept.
# the queue: the sections counted (1), today's figures (1), the pages around the cursor (2 each: rows
# and their open steps; + a run's count), the prospect on the cursor (as a move)
QUEUE = {"postgresql": 19, "sqlite": 17}
# a move: the prospect's row, open step, first history page, channels, promises, tags, referrals (+ a referrer);
# on a server, a colleague on the prospect lately (the journal)
MOVE = {"postgresql": 9, "sqlite": 7}
# the ping, the action 19 (BEGIN … COMMIT: its lock, writes, search words, journal), the queue again
# 19 (where the next one due stands: 2 more); SQLite: the FTS5 table's own reads in place of the ping
SAVE = {"postgresql": 40, "sqlite": 39}


@pytest.fixture(params=["sqlite", "postgresql"])
def demo(request, tmp_path, monkeypatch):
    """The demo book on either engine, open, at the tests' frozen moment; yields the engine's name."""
    from storage.demo import DEMO_SEED, build_demo

    target = tmp_path / "book.db" if request.param == "sqlite" else request.getfixturevalue("server_book_url")
    with pendulum.travel_to(FROZEN, freeze=True):
        open_book(target, tz=TZ)
        build_demo(seed=DEMO_SEED, now=DEMO_NOW, tz=TZ)
        close_book()
        open_book(target, tz=TZ)  # as a desk finds it: opened, nothing read yet
        yield request.param
    close_book()


@contextmanager
def statements(engine: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement sent to the book meanwhile, in order, as the driver was asked for it."""
    sent: list[str] = []
    if engine == "postgresql":
        import psycopg
        from psycopg.pq import TransactionStatus

        with monkeypatch.context() as patch:
            for name in ("execute", "executemany"):
                original = getattr(psycopg.Cursor, name)

                def counted(cursor, query, *args, _original=original, **kwargs):
                    sent.append(str(query))
                    return _original(cursor, query, *args, **kwargs)

                patch.setattr(psycopg.Cursor, name, counted)
            for name in ("commit", "rollback"):  # the driver's own: sent only inside a transaction
                original = getattr(psycopg.Connection, name)

                def ended(conn, _original=original, _name=name):
                    if conn.pgconn.transaction_status != TransactionStatus.IDLE:
                        sent.append(_name.upper())
                    return _original(conn)

                patch.setattr(psycopg.Connection, name, ended)
            yield sent
        return
    import sqlite3

    def trace(sql: str) -> None:
        if not sql.startswith("--"):  # a trigger's own statements are reported as comments
            sent.append(sql)

    connect = type(database.obj)._connect

    def traced(db):
        conn = connect(db)
        conn.set_trace_callback(trace)
        return conn

    with monkeypatch.context() as patch:
        patch.setattr(type(database.obj), "_connect", traced)
        if not database.obj.is_closed():
            database.obj.connection().set_trace_callback(trace)
        try:
            yield sent
        finally:
            if not database.obj.is_closed():
                conn: sqlite3.Connection = database.obj.connection()
                conn.set_trace_callback(None)


def call(fn, *args):
    """A call as the desk makes it (tui/book.py): on a worker thread, on that thread's connection for
    the call's length (a server's is checked out of the pool: its ping is counted)."""
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(_connected, fn, *args).result()


def _connected(fn, *args):
    with connection():
        return fn(*args)


def first_read():
    """tui/first_read.py: the queue from its top, with the prospect on top."""
    return read_queue(pendulum.now(TZ), TZ, None, [], -1, 50)


def queued(state) -> list[int]:
    return [row.prospect_id for key in sorted(state.pages) for row in state.pages[key]]


def test_the_queue_is_read_in_a_bounded_number_of_statements(demo, monkeypatch):
    call(first_read)  # the desk's first read; then one as any later read is made
    with statements(demo, monkeypatch) as sent:
        state = call(first_read)
    assert state.shown is not None and len(queued(state)) > 20  # the demo's queue, its top prospect with it
    assert len(sent) <= QUEUE[demo], "\n".join(sent)


def test_a_cursor_move_reads_the_prospect_in_a_bounded_number_of_statements(demo, monkeypatch):
    state = call(first_read)
    below = queued(state)[1]
    with statements(demo, monkeypatch) as sent:
        found = call(view, below)
    assert found.id == below and found.history  # the prospect with the first page of their history
    assert len(sent) <= MOVE[demo], "\n".join(sent)
    with statements(demo, monkeypatch) as sent:
        more = call(history_page, below, 1, 15)  # the history pane scrolled: one more page
    assert more == found.history[1:16]
    assert len(sent) <= {"postgresql": 2, "sqlite": 1}[demo], "\n".join(sent)


def test_a_save_and_the_queue_read_after_it_take_a_bounded_number_of_statements(demo, monkeypatch):
    state = call(first_read)
    top, after = queued(state)[:2]
    due = dt.datetime(2026, 11, 30, 11)

    def save_then_read():  # the log form's one call (tui/screens/form.py): the action, then the queue
        log_touch(top, channel="call", outcome="talked", note="Called back", direction="out",
                  next_step=NextStep(due, kind="check-in"), tz=TZ)
        return read_queue(pendulum.now(TZ), TZ, None, [after], 0, 50)

    with statements(demo, monkeypatch) as sent:
        again = call(save_then_read)
    assert again.shown is not None and again.shown.id == after  # the cursor on the next one due
    assert any(sql.startswith("COMMIT") for sql in sent)
    assert len(sent) <= SAVE[demo], "\n".join(sent)


def test_a_prospects_promises_are_found_through_their_own_steps(demo, monkeypatch):
    """The move's promises statement starts from the prospect's own steps (prospect_id in the index
    it searches), not from every promise in the book in due order (SQLite took the reports' (promised,
    due_at, …) index for it: 45-100 ms a cursor move on the 100k bench book)."""
    from tests.storage.query_plans import plan_of

    below = queued(call(first_read))[1]
    seen: list[tuple[str, tuple]] = []
    real = type(database.obj).execute_sql

    def recording(db, sql, params=None, *args, **kwargs):
        seen.append((sql, tuple(params or ())))
        return real(db, sql, params, *args, **kwargs)

    monkeypatch.setattr(type(database.obj), "execute_sql", recording)
    view(below)
    monkeypatch.undo()
    [(sql, params)] = [(sql, params) for sql, params in seen if '"promised"' in sql and "ORDER BY" in sql]
    plan = plan_of(database.obj, sql, params)
    first = next(line for line in plan.lines if ("SEARCH" in line or "Index" in line))
    assert "prospect_id" in first and not plan.full_scans, plan
