"""A team's book on a PostgreSQL server: SQLSTATE codes, ids from the tables' sequences, the
connected role as the journal's rep. Search: engines.postgres_search, equal to SQLite's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from storage.book.errors import BookBusy, BookError, BookFull, BookReadOnly, BookUnavailable, Conflict, NotABook
from storage.engines.base import CONFLICT, Engine, driver_errors
from storage.engines.postgres_search import ServerSearch

# SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_BUSY = {"40001", "40P01", "55P03", "57014"}  # serialization, deadlock, lock not available, timeout
_FULL = {"53100", "53200", "53300"}  # disk full, out of memory, too many connections
_READ_ONLY = {"25006", "42501"}  # read-only transaction, insufficient privilege
_DAMAGED = {"XX001", "XX002"}  # data or index corrupted
_CONFLICT = {"23505"}  # unique violation: another desk's row came first (one open follow-up a prospect)
MIGRATION_LOCK = 0x466F6C6C  # pg_advisory_lock's key while migrating ("Foll")
BULK_LOAD_LOCK = MIGRATION_LOCK + 1  # pg_advisory_xact_lock's key for an import or the demo


def sqlstate(exc: BaseException) -> str | None:
    for item in driver_errors(exc):
        code = getattr(item, "sqlstate", None) or getattr(item, "pgcode", None)
        if code:
            return str(code)
    return None


class PostgresEngine(ServerSearch, Engine):  # search: engines.postgres_search
    name = "PostgreSQL"
    counts_entries = True  # a notice a commit that wrote an entry (engines/postgres_notices.py)

    def classify(self, exc: BaseException) -> BookError | None:
        code = sqlstate(exc)
        if code is None:
            return None
        if code in _CONFLICT:
            return Conflict(CONFLICT)
        if code in _BUSY:
            return BookBusy("The book is busy (another desk holds these rows); nothing was saved — try again.")
        if code in _FULL:
            return BookFull("The server is out of room; nothing was saved.")
        if code in _READ_ONLY:
            return BookReadOnly("The book is read-only for you on this server; nothing was saved.")
        if code in _DAMAGED:
            return NotABook("The server reports the book's data as damaged; nothing was saved.")
        if code.startswith("08"):
            return BookUnavailable("The connection to the book's server was lost; nothing was saved.")
        return BookUnavailable(f"The server refused the change (SQLSTATE {code}); nothing was saved.")

    def lock_for_bulk_load(self) -> None:
        # a transaction's advisory lock: let go at its commit or rollback; a second import waits,
        # then reads the people the first added (READ COMMITTED) and skips or merges them
        self.db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (BULK_LOAD_LOCK,))

    @contextmanager
    def migrating(self) -> Iterator[None]:
        # a session's advisory lock, one key for every desk of this database (advisory locks are
        # kept per database): the second desk waits here, then finds the steps run
        self.db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            yield
        finally:
            self.db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))

    locks_rows = True

    def locked(self, query):
        # SELECT … FOR UPDATE: many writers at once; a second desk waits here for the first's commit,
        # then reads the rows as it left them (READ COMMITTED reads afresh at each statement)
        return query.for_update()

    def order_indexes(self) -> None:
        from storage.book.migrations_server import SERVER_ORDER_INDEXES

        for sql in SERVER_ORDER_INDEXES:
            self.db.execute_sql(sql)

    def secure_for_team(self) -> None:
        from storage.engines.postgres_team import secure_for_team

        secure_for_team(self.db)

    def team(self) -> list[tuple[str, bool]]:
        from storage.engines.postgres_team import team_members

        return team_members(self.db)

    def hand_over(self, prospect_id, rep, at) -> None:
        from storage.engines.postgres_team import hand_over

        hand_over(self.db, prospect_id, rep, at)

    def data_version(self) -> int | None:
        return self._listening().version()

    def _listening(self):
        if getattr(self, "_notices", None) is None:
            from storage.engines.postgres_notices import Notices

            self._notices = Notices(self.db)
        return self._notices

    def wait_for_change(self, timeout: float) -> bool:
        """Block until a notice of change has come since the last look, at most `timeout` seconds."""
        return self._listening().wait(timeout)

    def interrupt(self, raw: Any) -> None:
        raw.cancel_safe()  # the server stops the backend's statement (psycopg's thread-safe cancel)

    def drop_connection(self) -> None:
        self.db.manual_close()  # closed, not returned to the pool

    def release(self) -> None:
        notices, self._notices = getattr(self, "_notices", None), None
        if notices is not None:
            notices.close()

    def who(self) -> str:
        return self.db.execute_sql("SELECT current_user").fetchone()[0]

    owners = True

    def ids_follow_rows(self, table: str) -> None:
        # the sequence's next value after the largest id (an empty table: 1, as a new one)
        self.db.execute_sql(
            f'SELECT setval(pg_get_serial_sequence(%s, \'id\'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table}"',
            (table,),
        )

    def allocate_ids(self, table: str, count: int) -> list[int]:
        if count <= 0:
            return []
        rows = self.db.execute_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (table, count)
        ).fetchall()
        return [row[0] for row in rows]
