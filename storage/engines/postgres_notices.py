"""A live book on a server (issue 18, point 6): the desk learns that another desk committed from
the server's notices (LISTEN/NOTIFY; every journal entry sends one, engines/postgres_team.py), on
a connection of its own that only listens. Reading them costs no round trip: the notices already
on the socket are taken as they are, without waiting, each time the desk looks (every second).

The count of notices received plays the part of SQLite's PRAGMA data_version: a number that
changes once anyone, this desk included, has committed a change (storage.reads.changes tells our
own from others' by the journal)."""

from __future__ import annotations

import threading

import peewee as pw

from storage.engines.postgres_team import CHANNEL


class Notices:
    def __init__(self, db: pw.Database) -> None:
        self.db = db
        self._conn = None
        self._count = 0
        self._lock = threading.Lock()

    def version(self) -> int:
        with self._lock:
            if self._conn is None:
                self._conn = _listening(self.db)
            self._conn.consume_input()  # what the socket holds now; never waits
            while self._conn.notifies() is not None:
                self._count += 1
            return self._count

    def wait(self, timeout: float) -> bool:
        """Block until a notice has come since the last look, at most `timeout` seconds (for a
        watcher on a thread of its own; the desk looks once a second instead)."""
        import select

        import time

        before = self._count
        deadline = time.monotonic() + timeout
        while self.version() == before:  # a part of a message wakes select too: look again
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            select.select([self._conn.socket], [], [], left)
        return True

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.finish()


def _listening(db: pw.Database):
    """libpq's own connection (psycopg.pq), not a psycopg Connection: its notices are read from
    the socket here and nowhere else."""
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    # the book's own connection string: a database name and parameters, or a whole URL (a service)
    named = {} if db.database.startswith("postgresql://") else {"dbname": db.database}
    base = db.database if not named else ""
    conn = pq.PGconn.connect(make_conninfo(base, **named, **db.connect_params).encode())
    if conn.status != pq.ConnStatus.OK:
        raise OSError(conn.get_error_message().decode(errors="replace"))
    result = conn.exec_(f"LISTEN {CHANNEL}".encode())
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise OSError(conn.get_error_message().decode(errors="replace"))
    return conn
