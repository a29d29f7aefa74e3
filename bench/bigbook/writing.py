"""Writing the big book: generated first (bench.bigbook.stories), then written in ONE bulk load
of the book's own (storage.actions.bulk: one transaction, one journal entry naming the id ranges,
ids from the load), asking the engine for a fast whole-book load (indexes dropped and made again
from their own SQL, no fsync during the load), and the search index refilled in the same
transaction (storage.search.reindex)."""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from pathlib import Path
from typing import Any

from bench.bigbook.rows import FOLLOWUP_FIELDS, PROSPECT_FIELDS, TAG_FIELDS, TOUCH_FIELDS, BookRows
from bench.bigbook.stories import Stories
from storage import search
from storage.actions.bulk import bulk_load
from storage.actions.writing import naive_utc
from storage.book.clock import utc_now
from storage.book.models import FollowUp, Prospect, Tag, Touch
from storage.book.opening import open_book

DROP_INDEXES = True  # measured: loading into bare tables then indexing is faster


class BookNotEmpty(ValueError):
    """The target book already has prospects."""


def _refuse_a_book_with_prospects(path: str | Path) -> None:
    if Prospect.select().exists():
        raise BookNotEmpty(f"{path} already has prospects; the big book is only written into an empty book.")


def build_big_book(
    path: str | Path,
    prospects: int,
    touches: int,
    seed: int = 1,
    now: dt.datetime | None = None,
    *,
    tz: str | None = None,
    drop_indexes: bool = DROP_INDEXES,
) -> dict[str, Any]:
    """Write a big realistic book at `path` (created if need be; it must have no prospects).
    `now` is naive UTC (default: storage.book.clock.utc_now()); `tz` the rep's zone (default:
    the rep's, as the followup command resolves it: tui/config.py); `drop_indexes`: the engine's fast whole-book load.
    Returns the counts written and the seconds taken."""
    if prospects < 0 or touches < 0:
        raise ValueError("The numbers of prospects and touches cannot be negative.")
    if touches and not prospects:
        raise ValueError("Touches need prospects to belong to.")
    started = time.perf_counter()
    now = naive_utc(now or utc_now())
    if tz is None:
        from tui.config import rep_zone

        tz = rep_zone().name

    db = open_book(path)
    collecting = gc.isenabled()
    # Millions of long-lived tuples and no cycles among them: the cyclic collector would walk
    # them again and again for nothing (measured: 10 to 25% of the generation time).
    gc.disable()
    try:
        _refuse_a_book_with_prospects(path)
        stories = Stories(random.Random(seed), now, tz)
        stories.build(prospects, touches)
        book = BookRows(stories)
        generated = time.perf_counter()

        summary = f"The big book: {prospects:,} prospects, {touches:,} touches"
        with bulk_load("build_big_book", summary, fast=drop_indexes, now=now) as load:
            _refuse_a_book_with_prospects(path)  # again, under the write lock
            prospect_ids = load.ids(Prospect, len(book.prospects))
            followup_ids = load.ids(FollowUp, len(book.followup_order))
            touch_ids = load.ids(Touch, len(book.touch_order))
            counts = {"prospects": load.insert(Prospect, PROSPECT_FIELDS, book.prospect_rows(prospect_ids))}
            counts["follow_ups"] = load.insert(FollowUp, FOLLOWUP_FIELDS, book.followup_rows(followup_ids, prospect_ids))
            tag_rows: list[tuple] = []
            counts["touches"] = load.insert(
                Touch, TOUCH_FIELDS, book.touch_rows(touch_ids, prospect_ids, followup_ids, tag_rows)
            )
            counts["tags"] = load.insert(Tag, TAG_FIELDS, tag_rows, journal=False)
            indexing = time.perf_counter()
            search.reindex()  # the whole index, in the load's transaction
            search_seconds = time.perf_counter() - indexing
    finally:
        if collecting:
            gc.enable()
        db.close()  # the last connection: SQLite checkpoints the WAL into the book
    written = time.perf_counter()
    rows = sum(counts.values())
    seconds = written - started
    return {
        "path": str(path),
        **counts,
        "rows": rows,
        "seconds": round(seconds, 3),
        "generate_seconds": round(generated - started, 3),
        "write_seconds": round(written - generated, 3),
        "rows_per_second": round(rows / seconds) if seconds else 0,
        "search_index_seconds": round(search_seconds, 3),
    }
