"""A book in a SQLite file: error codes, ids, the FTS5 search index, fast bulk loads, and the
watch for other writers (data_version). Copies of the file live in storage.engines.sqlite_files."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import peewee as pw

from storage.book.errors import BookBusy, BookError, BookFull, BookReadOnly, BookUnavailable, Conflict, NotABook
from storage.engines.base import CONFLICT, Engine, driver_errors
from storage.rules.search_words import WEIGHTS
from storage.rules.text import searchable

MOMENT_TEXT = "%Y-%m-%d %H:%M:%S"  # how a file keeps a moment (peewee's DateTimeField, to the second)

# Primary result codes (https://sqlite.org/rescode.html); an extended code keeps its primary in
# the low byte.
_BUSY, _LOCKED, _PERM, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 3, 8, 10, 11, 13, 14, 26
_UNIQUE, _PRIMARYKEY = 2067, 1555  # SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY: another desk's row came first

TOKENIZE = "unicode61 remove_diacritics 2"
CREATE_SEARCH_SQL = (
    "CREATE VIRTUAL TABLE search_prospect USING fts5("
    f"name, company, email, phone, title, notes, tokenize = '{TOKENIZE}')",
    "CREATE VIRTUAL TABLE search_note USING fts5("
    f"note, prospect_id UNINDEXED, content = 'touch', content_rowid = 'id', tokenize = '{TOKENIZE}')",
)
# What the index holds for a text, in SQL: storage.rules.text.searchable itself, as a function of
# the connection (the writers index what they write through the same rule, in Python)
SEARCHABLE_SQL = "followup_searchable"
# the phone's digits alone, in SQL (the same as storage.rules.search_words.digits)
_DIGITS_SQL = f"{SEARCHABLE_SQL}(phone)"
for _ch in " -().+/":
    _DIGITS_SQL = f"replace({_DIGITS_SQL}, '{_ch}', '')"
# the phone as typed, its digits, and their last 10 and 7 (storage.rules.search_words.phone_words)
_PHONE_SQL = (
    f"{SEARCHABLE_SQL}(phone) || ' ' || {_DIGITS_SQL} || ' ' || substr({_DIGITS_SQL}, -10) || ' ' || substr({_DIGITS_SQL}, -7)"
)
_FILL_PROSPECTS_SQL = (
    "INSERT INTO search_prospect (rowid, name, company, email, phone, title, notes) "
    f"SELECT id, {', '.join(f'{SEARCHABLE_SQL}({c})' for c in ('name', 'company', 'email'))}, {_PHONE_SQL}, "
    f"{SEARCHABLE_SQL}(title), {SEARCHABLE_SQL}(notes) FROM prospect"
)
# the notes' index is told each note as it indexes it (folded), never left to read the touch rows
# itself (a 'rebuild' would index them unfolded)
_FILL_NOTES_SQL = f"INSERT INTO search_note (rowid, note, prospect_id) SELECT id, {SEARCHABLE_SQL}(note), prospect_id FROM touch"

_PROSPECT_SQL = (
    "SELECT p.id, p.name, p.company, p.email, p.phone, p.title, p.notes, p.status, "
    f"bm25(search_prospect, {', '.join(map(str, WEIGHTS))}) AS score "  # a name outweighs the rest
    "FROM search_prospect JOIN prospect AS p ON p.id = search_prospect.rowid "
    "WHERE search_prospect MATCH ? AND search_prospect.rowid >= ? "
    "ORDER BY score, p.last_touch_at DESC, p.id DESC LIMIT ?"
)
# A very common word is ranked among its Engine.rank_window most recent matches. The notes: those
# matches with their rank, read in ONE statement, then sorted (equal ranks: the most recent note, the
# same order on every engine). FTS5 merges a prefix's match lists whole for each statement that reads
# them, and finding where the window starts, then ranking above it, merged them twice ("price"* on the
# 100k book, in 185,105 of 1,000,000 notes: 32 -> 23 ms; "pr"* 75 -> 53 ms).
_NOTE_SQL = (
    "SELECT rowid, prospect_id, score FROM ("
    "SELECT rowid, prospect_id, rank AS score FROM search_note WHERE search_note MATCH ? ORDER BY rowid DESC LIMIT ?"
    ") ORDER BY score, rowid DESC LIMIT ?"
)
# The prospects' own fields are few and short: where their window starts, then the ranking above it.
_CUTOFF_SQL = "SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"


def classify(exc: BaseException) -> BookError | None:
    """The BookError a SQLite error means, by its result code. The cause is preferred to what
    followed it: SQLite rolls back by itself on some errors (a full disk), and the ROLLBACK that
    peewee then tries fails with a plain error that would hide the one the rep needs."""
    other = None
    for item in driver_errors(exc):
        code = getattr(item, "sqlite_errorcode", None)
        if code is None:
            continue
        primary = code & 0xFF
        if code in (_UNIQUE, _PRIMARYKEY):
            return Conflict(CONFLICT)
        if primary in (_BUSY, _LOCKED):
            return BookBusy("The book is busy (another program holds it); nothing was saved — try again.")
        if primary == _FULL:
            return BookFull("The disk is full; nothing was saved. Free some space and save again.")
        if primary in (_READONLY, _PERM):
            return BookReadOnly("The book is read-only here; nothing was saved.")
        if primary in (_CORRUPT, _NOTADB):
            return NotABook("The book file is damaged or not a book; nothing was saved.")
        if primary in (_IOERR, _CANTOPEN):
            return BookUnavailable("The book's file could not be read or written; nothing was saved.")
        other = other or item
    if other is not None:
        return BookUnavailable(f"The book could not be written ({other}); nothing was saved.")
    return None


class SqliteEngine(Engine):
    name = "SQLite"

    def classify(self, exc: BaseException) -> BookError | None:
        return classify(exc)

    def allocate_ids(self, table: str, count: int) -> list[int]:
        # one writer at a time (the caller holds BEGIN IMMEDIATE): the ids above the largest are free
        top = self.db.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
        return list(range(top + 1, top + 1 + count))

    @contextlib.contextmanager
    def fast_connection(self) -> Iterator[None]:
        """No fsync and a big page cache while a whole book is loaded (set outside a transaction:
        SQLite refuses to change the safety level inside one)."""
        conn = self.db.connection()
        synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB for the load
        try:
            yield
        finally:
            conn.execute(f"PRAGMA synchronous = {int(synchronous)}")
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")

    @contextlib.contextmanager
    def indexes_dropped(self) -> Iterator[None]:
        """Indexes dropped during the load and made again from their own SQL after it, in the
        load's transaction (measured: faster than keeping them up to date row by row)."""
        indexes = self.db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        for name, _sql in indexes:
            self.db.execute_sql(f'DROP INDEX "{name}"')
        yield
        for _name, sql in indexes:
            self.db.execute_sql(sql)

    # -- the search index: two FTS5 tables, kept in step by the writers -------------------------

    def create_search(self) -> None:
        for sql in CREATE_SEARCH_SQL:
            self.db.execute_sql(sql)

    def _searchable_in_sql(self) -> None:
        """The rule of what the index holds, for this thread's connection (cheap; idempotent).
        SQLite refuses to make a function again while a statement of the connection is still
        stepping (a `.get()` that read its one row, in an undo): made once, it stays."""
        connection = self.db.connection()
        if getattr(self, "_searchable_on", None) is connection:
            return
        connection.create_function(SEARCHABLE_SQL, 1, _searchable_or_null, deterministic=True)
        self._searchable_on = connection

    def index_prospect(self, prospect_id: int, fields: dict[str, str]) -> None:
        self.db.execute_sql("DELETE FROM search_prospect WHERE rowid = ?", (prospect_id,))
        self.db.execute_sql(
            "INSERT INTO search_prospect (rowid, name, company, email, phone, title, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (prospect_id, *(fields[k] for k in ("name", "company", "email", "phone", "title", "notes"))),
        )

    def index_touch(self, touch_id: int, prospect_id: int, note: str) -> None:
        self.db.execute_sql("INSERT INTO search_note (rowid, note, prospect_id) VALUES (?, ?, ?)", (touch_id, note, prospect_id))

    def forget_touch(self, touch_id: int) -> None:
        # an external-content index is told the old values it indexed: call before the delete
        # (folded, as index_touch was given it)
        row = self.db.execute_sql("SELECT note, prospect_id FROM touch WHERE id = ?", (touch_id,)).fetchone()
        if row is not None:
            self.db.execute_sql(
                "INSERT INTO search_note (search_note, rowid, note, prospect_id) VALUES ('delete', ?, ?, ?)",
                (touch_id, searchable(row[0] or ""), row[1]),
            )

    def forget_prospect(self, prospect_id: int) -> None:
        self._searchable_in_sql()
        self.db.execute_sql("DELETE FROM search_prospect WHERE rowid = ?", (prospect_id,))
        self.db.execute_sql(
            "INSERT INTO search_note (search_note, rowid, note, prospect_id) "
            f"SELECT 'delete', id, {SEARCHABLE_SQL}(note), prospect_id FROM touch WHERE prospect_id = ?",
            (prospect_id,),
        )

    def reindex(self, prospect_ids: Sequence[int] | None = None) -> None:
        self._searchable_in_sql()
        if prospect_ids is not None:  # new rows a bulk writer added: by the statement a rebuild uses
            for start in range(0, len(prospect_ids), 500):
                chunk = list(prospect_ids[start : start + 500])
                self.db.execute_sql(f"{_FILL_PROSPECTS_SQL} WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
            return
        self.db.execute_sql("DELETE FROM search_prospect")
        self.db.execute_sql(_FILL_PROSPECTS_SQL)
        self.db.execute_sql("INSERT INTO search_note (search_note) VALUES ('delete-all')")
        self.db.execute_sql(_FILL_NOTES_SQL)

    def _floor(self, table: str, query: str) -> int:
        """The lowest rowid worth ranking: the rank_window-th most recent match, or 0 for all."""
        row = self.db.execute_sql(_CUTOFF_SQL.format(table=table), (query, self.rank_window - 1)).fetchone()
        return row[0] if row else 0

    def prospect_matches(self, query: str, tokens: list[str], limit: int) -> list[tuple]:
        floor = self._floor("search_prospect", query)
        return list(self.db.execute_sql(_PROSPECT_SQL, (query, floor, limit)))

    def note_matches(self, query: str, tokens: list[str], wanted: int, exclude: set[int]) -> list[tuple[int, int, float]]:
        """A prospect first met within the top K notes has its best note within them too, so
        widening K until enough are found is exact."""
        best: dict[int, tuple[int, float]] = {}  # prospect -> (touch, score), in rank order
        window = max(wanted * 20, 1024)  # ranking costs the same for any K: ask for plenty
        while True:
            rows = self.db.execute_sql(_NOTE_SQL, (query, self.rank_window, window)).fetchall()
            for touch_id, pid, score in rows:
                if pid not in exclude and pid not in best:
                    best[pid] = (touch_id, score)
            if len(best) >= wanted or len(rows) < window:
                break
            window *= 4
        return [(pid, touch_id, score) for pid, (touch_id, score) in list(best.items())[:wanted]]

    # -- the file ------------------------------------------------------------------------------

    def file_path(self) -> Path:
        return Path(self.db.database)

    # The desk's calls each run on a connection that opens and closes with the call (peewee keeps
    # one per thread, storage.book.opening.connection), and PRAGMA data_version means something
    # only on one connection over time. So the engine keeps one of its own that never writes: its
    # data_version changes with every commit of any other connection (the desk's own calls too).
    _watcher: sqlite3.Connection | None = None

    # the reports' moments: the book's text, "YYYY-MM-DD HH:MM:SS[.ffffff]", compared as text
    def report_moment(self, value: dt.datetime) -> Any:
        return value.strftime(MOMENT_TEXT)

    def plus_hour(self, moment: str) -> str:
        return f"strftime('{MOMENT_TEXT}', {moment}, '+1 hour')"

    def minute_of(self, column: pw.Node) -> pw.Node:
        return pw.fn.SUBSTR(column, 1, 16)

    def whole_days(self, later: pw.Node, earlier: pw.Node) -> pw.Node:
        return pw.fn.CAST(pw.NodeList((pw.fn.julianday(later) - pw.fn.julianday(earlier), pw.SQL("AS INTEGER"))))

    def data_version(self) -> int | None:
        with _WATCH_LOCK:
            if self._watcher is None:
                self._watcher = sqlite3.connect(f"{self.file_path().resolve().as_uri()}?mode=rw", uri=True,
                                                check_same_thread=False)
                self._watcher.execute("PRAGMA query_only = 1")
            return self._watcher.execute("PRAGMA data_version").fetchone()[0]

    def interrupt(self, raw: Any) -> None:
        raw.interrupt()  # thread-safe; SQLite stops the statement at its next step

    def release(self) -> None:
        with _WATCH_LOCK:
            watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.close()


_WATCH_LOCK = threading.Lock()


def _searchable_or_null(text: str | None) -> str | None:
    return None if text is None else searchable(text)
