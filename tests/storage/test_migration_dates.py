"""Migration 12, a day is a day: a book written before it kept a date-only follow-up as the instant
of the rep's local midnight; after it, every such due (open and done steps, the prospect's
next_due_at) is its date at 12:00 with no zone, and no date moves. The date is read in the rep's
zone, given to open_book; a book with such dates is refused without one, never guessed."""

from __future__ import annotations

import sqlite3

import pytest

from storage.book import migrations
from storage.book.errors import BookError
from storage.book.opening import close_book, open_book
from tests.storage.test_migrations import FIXTURES, schema

# (prospect, follow-up, due_at as a version-11 book kept it, has_time, done), per zone the rep is in:
# Thu 3 Dec 2026 (open, a day), 14 Jul 2026 in summer time (done, a day), Thu 3 Dec 09:30 (open, timed)
OLD = {
    "Europe/Paris": ("2026-12-02 23:00:00", "2026-07-13 22:00:00", "2026-12-03 08:30:00"),
    "Pacific/Kiritimati": ("2026-12-02 10:00:00", "2026-07-13 10:00:00", "2026-12-02 19:30:00"),
    "Pacific/Honolulu": ("2026-12-03 10:00:00", "2026-07-14 10:00:00", "2026-12-03 19:30:00"),
}


def old_book(path, tz: str) -> None:
    """A book as the code before migration 12 wrote it (from the version-1 schema, stepped to 11)."""
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema_v1.sql").read_text())
    open_book(path, tz=tz)  # a book at version 1 with nothing dated: steps 2-12 change no date
    close_book()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX prospect_next_promised_next_due_at_deal_value_id_next_has_time")
        conn.execute("ALTER TABLE prospect DROP COLUMN next_has_time")
        conn.execute('CREATE INDEX "prospect_next_promised_next_due_at_deal_value_id" ON "prospect"'
                     ' ("next_promised", "next_due_at", "deal_value" DESC, "id")')
        conn.execute("UPDATE schema_version SET version = 11")
        day, summer, timed = OLD[tz]
        for pid, name, due in ((1, "Ada", day), (2, "Bo", timed), (3, "Cy", None)):
            conn.execute(
                "INSERT INTO prospect (id, name, company, title, email, phone, best_time, timezone, deal_value,"
                " source, status, drop_reason, created_at, updated_at, touch_count, unanswered_streak,"
                " next_due_at, next_promised, notes, closing_note)"
                " VALUES (?, ?, '', '', '', '', '', '', 0, '', 'active', '', '2026-06-01 09:00:00',"
                " '2026-06-01 09:00:00', 0, 0, ?, 0, '', '')", (pid, name, due))
        conn.executemany(
            "INSERT INTO follow_up (id, prospect_id, due_at, has_time, channel, what, kind, promised, created_at,"
            " done_at, resolution) VALUES (?, ?, ?, ?, 'call', '', 'new prospect', 0, '2026-06-01 09:00:00', ?, ?)",
            [(1, 1, summer, 0, "2026-07-14 09:00:00", "done"), (2, 1, day, 0, None, None), (3, 2, timed, 1, None, None)])


@pytest.mark.parametrize("tz", sorted(OLD))
def test_every_date_is_kept_and_a_timed_step_is_left_as_it_was(tmp_path, tz):
    path = tmp_path / "old.db"
    old_book(path, tz)
    open_book(path, tz=tz)
    close_book()
    timed = OLD[tz][2]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(migrations.LATEST,)]
        assert conn.execute("SELECT id, due_at, has_time FROM follow_up ORDER BY id").fetchall() == [
            (1, "2026-07-14 12:00:00", 0), (2, "2026-12-03 12:00:00", 0), (3, timed, 1)]
        assert conn.execute("SELECT name, next_due_at, next_has_time FROM prospect ORDER BY id").fetchall() == [
            ("Ada", "2026-12-03 12:00:00", 0), ("Bo", timed, 1), ("Cy", None, 0)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the migrated book has the layout a new one gets (the queue index ends with next_has_time)
    open_book(tmp_path / "new.db")
    close_book()
    assert schema(path) == schema(tmp_path / "new.db")
    # and the book as it was is kept beside it
    [backup] = tmp_path.glob("old.db.v11-*.bak")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT due_at FROM follow_up WHERE id = 2").fetchone() == (OLD[tz][0],)


def test_a_book_with_dates_to_convert_is_refused_without_the_reps_zone(tmp_path):
    path = tmp_path / "old.db"
    old_book(path, "Europe/Paris")
    with pytest.raises(BookError, match="time zone"):
        open_book(path)
    with sqlite3.connect(path) as conn:  # nothing half done: still a version-11 book, its dates as they were
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(11,)]
        assert conn.execute("SELECT due_at FROM follow_up WHERE id = 2").fetchone() == (OLD["Europe/Paris"][0],)
    open_book(path, tz="Europe/Paris")  # and opens once the zone is known
    close_book()
