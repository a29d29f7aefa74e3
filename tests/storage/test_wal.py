"""The WAL stays bounded (issue 12): a long reader elsewhere (an export, a backup, another program)
holds a snapshot, so while it reads the WAL grows with every write; once it lets go, the book's
journal_size_limit cuts the WAL back when writes go on, and the desk's idle checkpoint
(storage.book.upkeep, from a timer of the desk, through its one way to the book) cuts it back when
nothing is written any more. Real files, a real second connection, real actions."""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from storage import actions
from storage.book.files import BUSY_TIMEOUT_MS
from storage.book.opening import PRAGMAS, connection, open_book
from storage.book.upkeep import checkpoint_when_idle

LIMIT = 8 * 2**20  # what the README promises the WAL comes back under
WORDS = [f"word{n}" for n in range(5000)]


def wal_size(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def long_notes(rng: random.Random, count: int) -> list[str]:
    """Notes of ~19,000 characters, of words the search index has not seen yet: each touch
    writes some 20 pages (its row, the journal's copy, the index)."""
    return [" ".join(rng.choice(WORDS) for _ in range(1900))[:19_000] for _ in range(count)]


@contextlib.contextmanager
def long_reader(path: Path):
    """A second connection holding a read transaction (a snapshot) until the block ends."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("SELECT COUNT(*) FROM touch").fetchone()
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def grow_wal_past_the_limit(path: Path, rng: random.Random) -> tuple[int, int]:
    """Real writes while a long reader holds its snapshot, until the WAL is over twice the limit.
    Returns (the prospect written to, the WAL's size when the reader let go)."""
    prospect = actions.add_prospect({"name": "Ada Long"})
    with long_reader(path):
        while wal_size(path) <= 2 * LIMIT:
            for note in long_notes(rng, 20):
                actions.log_touch(prospect, channel="call", outcome="talked", note=note)
        grown = wal_size(path)
    return prospect, grown


def in_a_worker(fn):
    """fn() on a thread of its own, in its own connection, as the desk's one way to the book runs
    it (the main thread's connection stays open: closing the last connection would checkpoint
    the book by itself)."""
    found = {}

    def work() -> None:
        with connection():
            found["result"] = fn()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return found["result"]


@pytest.fixture
def fast_book(tmp_path):
    """A book whose commits skip the fsync (the WAL behaves the same; the test goes faster)."""
    path = tmp_path / "book.db"
    db = open_book(path, pragmas={"synchronous": "off"})
    yield path
    db.close()


def test_every_connection_of_the_book_has_the_wal_size_limit(file_book):
    book = file_book  # SQLite's own: a pragma
    assert PRAGMAS["journal_size_limit"] == LIMIT
    assert book.execute_sql("PRAGMA journal_size_limit").fetchone()[0] == LIMIT
    with connection():  # a worker thread's own connection gets it too (here: a fresh one)
        assert book.execute_sql("PRAGMA journal_size_limit").fetchone()[0] == LIMIT


@pytest.mark.timeout(120)
def test_after_a_long_reader_lets_go_the_next_writes_cut_the_wal_back_to_the_limit(fast_book):
    rng = random.Random(12)
    prospect, grown = grow_wal_past_the_limit(fast_book, rng)
    assert grown > 2 * LIMIT  # the reader kept every frame in the WAL while it read
    for note in long_notes(rng, 5):  # the first commit checkpoints it all; the next restarts it
        actions.log_touch(prospect, channel="call", outcome="talked", note=note)
    assert wal_size(fast_book) <= LIMIT, (grown, wal_size(fast_book))


@pytest.mark.timeout(120)
def test_the_idle_checkpoint_cuts_the_wal_back_once_the_long_reader_lets_go(fast_book):
    rng = random.Random(13)
    prospect, grown = grow_wal_past_the_limit(fast_book, rng)
    assert grown > 2 * LIMIT
    busy, frames, copied = in_a_worker(checkpoint_when_idle)
    assert (busy, frames, copied) == (0, 0, 0)  # all copied, and the WAL started again
    assert wal_size(fast_book) <= LIMIT, (grown, wal_size(fast_book))
    with contextlib.closing(sqlite3.connect(fast_book)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM touch WHERE prospect_id = ?", (prospect,)).fetchone()[0] > 0


@pytest.mark.timeout(120)
def test_the_idle_checkpoint_waits_for_nobody_while_a_reader_still_reads(fast_book):
    """With the reader still there, the checkpoint copies what it may and returns at once (no busy
    wait that would hold the rep's next save back); the WAL stays until the reader is done."""
    rng = random.Random(14)
    prospect = actions.add_prospect({"name": "Ada Long"})
    with long_reader(fast_book):
        for note in long_notes(rng, 10):
            actions.log_touch(prospect, channel="call", outcome="talked", note=note)
        started = time.monotonic()
        busy, frames, copied = in_a_worker(checkpoint_when_idle)
        assert time.monotonic() - started < BUSY_TIMEOUT_MS / 1000 / 2  # it did not sit in the busy handler
        assert busy == 1 and frames > 0 and copied < frames
        actions.log_touch(prospect, channel="call", outcome="talked", note="a save right after")
    assert in_a_worker(checkpoint_when_idle) == (0, 0, 0)
    assert wal_size(fast_book) == 0


@pytest.mark.timeout(120)
async def test_the_desk_checkpoints_the_book_when_idle_through_its_one_way_to_the_book(fast_book, monkeypatch, frozen):
    import tui.screens.desk as desk
    from tests.tui.conftest import desk_app, desk_ready

    rng = random.Random(15)
    prospect, grown = grow_wal_past_the_limit(fast_book, rng)
    assert grown > 2 * LIMIT
    calls = []
    real_call = None

    def counted(node, fn, *args, **kwargs):
        calls.append(getattr(fn, "__name__", fn))
        return real_call(node, fn, *args, **kwargs)

    monkeypatch.setattr(desk, "IDLE_CHECKPOINT", 0.05)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        real_call = app.book.call
        monkeypatch.setattr(app.book, "call", counted)
        await desk_ready(app, pilot)
        for _ in range(100):  # a few ticks of the timer, each waited on through the workers
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if wal_size(fast_book) <= LIMIT:
                break
        assert "checkpoint_when_idle" in calls
        assert wal_size(fast_book) <= LIMIT, (grown, wal_size(fast_book))
    assert os.path.exists(fast_book)
