"""The interface every engine fills in. Methods run inside the caller's transaction where one
is open; none of them commits."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import peewee as pw

from storage.book.errors import BookError, BookUnavailable

# What a refused change says when another desk's change made it impossible (each engine knows its
# unique-violation code): the rep looks again at what is on screen now, and does it again.
CONFLICT = "Someone changed this prospect just now; nothing was saved. Look again, then save again."


def driver_errors(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps: peewee re-raises a driver error as its own class, with
    the driver's exception as its first argument and as its context."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo += [arg for arg in getattr(item, "args", ())[:1] if isinstance(arg, BaseException)]
        todo += [item.__cause__, item.__context__]


class Engine:
    name = "database"

    def __init__(self, db: pw.Database) -> None:
        self.db = db

    # -- errors ----------------------------------------------------------------------------------

    def classify(self, exc: BaseException) -> BookError | None:
        """The BookError a driver error means, judged by the driver's error code (never by the
        English text of its message); None when it is not a driver error this engine knows."""
        raise NotImplementedError

    # -- who, ids, bulk writes -------------------------------------------------------------------

    def who(self) -> str:
        """The rep the journal names: the account that runs the desk."""
        try:
            return getpass.getuser()
        except Exception:  # no passwd entry (a container): the uid still tells them apart
            return os.environ.get("USER") or f"uid {os.getuid()}"

    def allocate_ids(self, table: str, count: int) -> list[int]:
        """`count` fresh ids for `table`, which no other writer will be handed."""
        raise NotImplementedError

    # Whether a prospect has an owner (a team's server book); a book in a file has one rep, and none.
    owners = False

    def ids_follow_rows(self, table: str) -> None:
        """After rows were written with ids of their own (a book copied whole): the next id
        `table` hands out comes after the largest there. Here that is how ids are found already."""

    locks_rows = False  # whether `locked` locks rows (else the write transaction is the one lock)

    def locked(self, query: pw.SelectQuery) -> pw.SelectQuery:
        """`query` (a select of prospects to change, in id order) made to lock its rows until the
        transaction ends, so two desks changing one prospect take turns: each reads what the
        other wrote, never what it is about to overwrite. Here the write transaction itself is
        the lock (SQLite's BEGIN IMMEDIATE: one writer at a time), so the query is as it was."""
        return query

    def lock_for_bulk_load(self) -> None:
        """Taken at the start of a bulk load's transaction (an import, the demo) and held to its end,
        so two loads never decide at the same time who is new in the book (both would add the same
        people). A file's write transaction (BEGIN IMMEDIATE) is that lock already."""

    @contextmanager
    def migrating(self) -> Iterator[None]:
        """Held while a book's schema is read and stepped (storage.book.migrations.migrate), so two
        desks opening a book at once never both run a step. A file is stepped in BEGIN IMMEDIATE
        transactions, one writer at a time, so here it holds nothing."""
        yield

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Rows of plain values (ids included) in one batch; the caller chunks."""
        quote = self.db.quote
        names = ", ".join(f"{quote[0]}{c}{quote[1]}" for c in columns)
        marks = ", ".join([self.db.param] * len(columns))
        sql = f"INSERT INTO {quote[0]}{table}{quote[1]} ({names}) VALUES ({marks})"
        self.db.cursor().executemany(sql, rows)

    # Around a bulk load of a whole book (the big book for benchmarks): whatever makes it faster
    # and leaves the book exactly as a slow load would. One outside the load's transaction, one
    # inside it.

    @contextmanager
    def fast_connection(self) -> Iterator[None]:
        yield

    @contextmanager
    def indexes_dropped(self) -> Iterator[None]:
        yield

    # -- the reports' moments (storage/reads/report_*.py: aggregates written in SQL) -------------
    # Standard SQL here (a server's); a file keeps its moments as text (SqliteEngine).

    def report_moment(self, value: dt.datetime) -> Any:
        """A naive UTC moment as bound into the reports' SQL, to compare with the book's."""
        return value

    def plus_hour(self, moment: str) -> str:
        """SQL for the moment `moment` (an SQL expression) one hour later."""
        return f"{moment} + INTERVAL '1 hour'"

    def minute_of(self, column: pw.Node) -> pw.Node:
        """A moment cut to its minute, to group by (read back as a datetime or its text)."""
        return pw.fn.date_trunc("minute", column)

    def whole_days(self, later: pw.Node, earlier: pw.Node) -> pw.Node:
        """The whole days from `earlier` to `later` (a later moment), as an integer."""
        seconds = pw.fn.date_part("epoch", later - earlier)
        return pw.fn.CAST(pw.NodeList((pw.fn.FLOOR(seconds / 86400), pw.SQL("AS INTEGER"))))

    def order_indexes(self) -> None:
        """Indexes this engine needs beyond the models' to read the desk's pages in order
        (storage/book/migrations_server.py); a file's are the models' own."""

    # -- a team's book ---------------------------------------------------------------------------

    def secure_for_team(self) -> None:
        """Owners and who may see what, enforced by the database (a server's row-level security);
        a book in a file has one rep and nothing to enforce."""

    def team(self) -> list[tuple[str, bool]]:
        """The reps a prospect can be assigned to: (name, is a manager); none on a one-rep book."""
        return []

    def hand_over(self, prospect_id: int, rep: str, at: dt.datetime) -> None:
        """The connected rep's own prospect given to `rep` of the team, as the database's rules
        allow it (a server: postgres_team.hand_over); a one-rep book has nobody to give to."""
        raise NotImplementedError

    # -- the search index (kept in step by the writers) ------------------------------------------

    def create_search(self) -> None:
        """The index tables of a new book."""

    def index_prospect(self, prospect_id: int, fields: dict[str, str]) -> None: ...

    def index_touch(self, touch_id: int, prospect_id: int, note: str) -> None: ...

    def forget_touch(self, touch_id: int) -> None: ...

    def forget_prospect(self, prospect_id: int) -> None: ...

    def reindex(self, prospect_ids: Sequence[int] | None = None) -> None:
        """Refill the index from the book's rows (all, or these prospects' own fields)."""

    # bm25 costs ~10 µs a matching row on the 2-core bench machine (a word in 180k of 1M notes: over a
    # second), so a very common word or short prefix is ranked among its rank_window most recent
    # matches (ids follow time): ~20 ms on SQLite, where 20,000 took ~150 ms. Every engine that ranks
    # ranks the same window, so they give the same hits.
    rank_window = 2_000

    # A portable answer for any database peewee speaks to: LIKE/ILIKE (peewee's `contains`,
    # wildcards escaped), every token required, unranked beyond "most recent first". An engine
    # with a real index (SQLite's FTS5) answers better.

    def prospect_matches(self, query: str, tokens: list[str], limit: int) -> list[tuple]:
        """(id, name, company, email, phone, title, notes, status, score), best first."""
        from storage.book.models import Prospect

        fields = (Prospect.name, Prospect.company, Prospect.email, Prospect.phone, Prospect.title, Prospect.notes)
        condition = None
        for token in tokens:
            any_field = None
            for field in fields:
                expr = field.contains(token)
                any_field = expr if any_field is None else (any_field | expr)
            condition = any_field if condition is None else (condition & any_field)
        query_ = (
            Prospect.select(Prospect.id, *fields, Prospect.status)
            .where(condition)
            .order_by(Prospect.last_touch_at.desc(nulls="LAST"), Prospect.id.desc())
            .limit(limit)
        )
        return [(p.id, p.name, p.company, p.email, p.phone, p.title, p.notes, p.status, 0.0) for p in query_]

    def note_matches(self, query: str, tokens: list[str], wanted: int, exclude: set[int]) -> list[tuple[int, int, float]]:
        """(prospect id, touch id, score): each prospect's best note, best first, at most
        `wanted`, none of the prospects in `exclude`."""
        from storage.book.models import Touch

        condition = None
        for token in tokens:
            expr = Touch.note.contains(token)
            condition = expr if condition is None else (condition & expr)
        notes = (
            Touch.select(Touch.id, Touch.prospect)
            .where(condition)
            .order_by(Touch.at.desc(), Touch.id.desc())
            .limit(wanted * 4 + len(exclude))
            .tuples()
        )
        found: dict[int, int] = {}
        for touch_id, prospect_id in notes:
            if prospect_id not in exclude and prospect_id not in found:
                found[prospect_id] = touch_id
                if len(found) >= wanted:
                    break
        return [(prospect_id, touch_id, 1.0) for prospect_id, touch_id in found.items()]

    def count_matches(self, query: str, tokens: list[str], cap: int) -> int:
        """How many prospects prospect_matches and note_matches find together, at most `cap` (an
        engine that can count them without ranking them does)."""
        own = {row[0] for row in self.prospect_matches(query, tokens, cap)}
        total = len(own)
        if total < cap:
            total += len(self.note_matches(query, tokens, cap - total, own))
        return total

    # -- other writers -------------------------------------------------------------------------

    def data_version(self) -> int | None:
        """A number that changes once another connection has committed to the book (another desk,
        the command line), for a desk that shows the book live; None when this engine cannot
        tell (a server: its notifications, LISTEN/NOTIFY, will say it later)."""
        return None

    # Whether data_version counts the commits that wrote journal entries (a server's notices, one a
    # transaction): then a change whose entries this desk may not read (another rep's, about a
    # prospect given away from this rep) is still told from ours by the count (storage.reads.changes).
    counts_entries = False

    def release(self) -> None:
        """Let go of what the engine holds open beside the database's own connections."""

    def interrupt(self, raw: Any) -> None:
        """Stop the statement running on a driver connection, from another thread: it ends with
        the driver's error, and the rest of its call with it (storage.book.stopping.Call)."""

    def drop_connection(self) -> None:
        """This thread's connection, told to stop, is not given to another call: a stop that
        landed late would stop that call's statement instead (a server's cancel is sent on a
        connection of its own, and acts whenever it arrives). A connection of a file is closed
        with its call anyway."""

    # -- files ---------------------------------------------------------------------------------

    def file_path(self) -> Path:
        """The book's file, for the commands that copy files (backup, restore)."""
        raise BookUnavailable(
            f"This book is on a {self.name} server, not in a file: backup and restore work on a file book "
            f"(for a server, use the server's own backups, such as pg_dump)."
        )
