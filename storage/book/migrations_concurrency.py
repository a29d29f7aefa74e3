"""The schema steps that let several desks write one book at once (issue 18, point 4). Each is a
step of storage.book.migrations.STEPS like the others (append only: never changed once released),
kept in a file of its own beside the earlier steps and the runner."""

from __future__ import annotations

import peewee as pw


def _v16_one_open_step(db: pw.Database) -> None:
    """Concurrency that holds (issue 18, point 4): at most one open follow-up per prospect, kept
    by the database itself (a partial unique index, on both engines), so two desks can never
    both leave one; a book that holds more (written before any lock) keeps each prospect's latest
    (as FollowUp.open_of reads it) and the older ones end, rescheduled, when the latest was made.
    And a deal's value in 64 bits on a server (SQLite's integers are 64-bit already): the forms
    accept up to 10**12 (storage.rules.amounts.LARGEST), past a server INTEGER's 2**31 - 1."""
    rows = db.execute_sql("SELECT id, prospect_id, created_at FROM follow_up WHERE done_at IS NULL ORDER BY id").fetchall()
    latest: dict[int, tuple[int, object]] = {}
    ended = []
    for step_id, prospect_id, created_at in rows:
        if prospect_id in latest:
            ended.append(latest[prospect_id][0])
        latest[prospect_id] = (step_id, created_at)
    if ended:
        made = {step_id: latest[prospect_id][1] for step_id, prospect_id, _ in rows if step_id in set(ended)}
        mark = db.param
        db.cursor().executemany(
            f"UPDATE follow_up SET done_at = {mark}, resolution = 'rescheduled' WHERE id = {mark}",
            [(made[step_id], step_id) for step_id in ended])
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "follow_up_one_open" ON "follow_up" ("prospect_id") WHERE "done_at" IS NULL')
    if not isinstance(db, pw.SqliteDatabase):
        db.execute_sql('ALTER TABLE "prospect" ALTER COLUMN "deal_value" TYPE BIGINT')
