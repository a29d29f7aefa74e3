"""Each migration step, run on a copy of the schema before it (tests/fixtures/schema_v<N>.sql)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.book import migrations
from storage.book.opening import close_book, open_book

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def schema(path: Path) -> set[tuple[str, str]]:
    """Tables' columns and indexes' columns, as SQLite reports them (independent of SQL spelling)."""
    with sqlite3.connect(path) as conn:
        found = set()
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in conn.execute(f'PRAGMA table_xinfo("{table}")'):
                found.add((table, f"col {row[1]} {row[2]} notnull={row[3]} pk={row[5]}"))
            for row in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                found.add((table, f"fk {row[3]}->{row[2]}.{row[4]} {row[6]}"))
            for index in conn.execute(f'PRAGMA index_list("{table}")'):
                cols = [c[2] for c in conn.execute(f'PRAGMA index_info("{index[1]}")')]
                found.add((table, f"index {cols}"))
    return found


def v1_book(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema_v1.sql").read_text())
        conn.execute(
            "INSERT INTO prospect (id, name, company, title, email, phone, best_time, timezone, deal_value, source,"
            " status, drop_reason, created_at, updated_at, touch_count, unanswered_streak, next_promised)"
            " VALUES (1, 'Ada', '', '', '', '', '', '', 0, '', 'active', '', '2026-01-01 09:00:00',"
            " '2026-01-01 09:00:00', 2, 0, 0)"
        )
        conn.executemany(
            "INSERT INTO touch (id, prospect_id, at, channel, direction, outcome, note) VALUES (?, 1, ?, 'call', 'out', ?, ?)",
            [
                (1, "2026-01-02 09:00:00", "talked", "They use Contoso today #competitor #Price"),
                (2, "2026-01-09 09:00:00", "replied", "No tags here, page#2 is not one"),
            ],
        )


def test_a_version_1_book_migrates_to_the_schema_a_new_book_gets(tmp_path):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    v1_book(old)
    open_book(old)
    close_book()
    open_book(new)
    close_book()
    assert schema(old) == schema(new)
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(migrations.LATEST,)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT name FROM prospect").fetchall() == [("Ada",)]


def test_migrating_to_version_2_finds_the_tags_already_in_notes(tmp_path):
    path = tmp_path / "old.db"
    v1_book(path)
    open_book(path)
    close_book()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT touch_id, name FROM tag ORDER BY id").fetchall() == [(1, "competitor"), (1, "price")]
        assert conn.execute("SELECT cadence FROM prospect").fetchall() == [(None,)]
    backups = list(tmp_path.glob("old.db.v1-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert "tag" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_migrating_to_version_20_gives_each_touch_the_kind_of_its_step(tmp_path, frozen):
    """A book from before migration 20: its touches learn the kind of the follow-up each was logged
    on ("" on none), and the book ends with the schema a new book gets."""
    import datetime as dt

    from storage import actions
    from storage.actions import NextStep

    path, new = tmp_path / "old.db", tmp_path / "new.db"
    open_book(path)
    pid = actions.add_prospect({"name": "Ref"}, NextStep(due_at=dt.datetime(2026, 11, 20, 12), kind="referral"))
    actions.log_touch(pid, channel="call", outcome="talked")  # on the referral step, which it ends
    actions.log_touch(pid, channel="email", outcome="replied")  # on no step
    close_book()
    with sqlite3.connect(path) as conn:  # the book as version 19 left it
        conn.executescript('DROP INDEX "touch_kind_direction_at"; DROP INDEX "touch_kind_direction_outcome_at";'
                           'ALTER TABLE "touch" DROP COLUMN "kind"; CREATE INDEX "follow_up_kind" ON "follow_up" ("kind");'
                           "UPDATE schema_version SET version = 19")
    open_book(path)
    close_book()
    open_book(new)
    close_book()
    assert schema(path) == schema(new)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT channel, kind FROM touch ORDER BY id").fetchall() == [("call", "referral"), ("email", "")]
