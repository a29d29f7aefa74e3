"""Schema steps of storage.book.migrations.STEPS (append only) for the reports (issue 17), in a
file of their own: their indexes, and each touch keeping the kind of the follow-up it was logged on."""

from __future__ import annotations

import peewee as pw


def _v13_reports(db: pw.Database) -> None:
    """The reports' indexes (issue 17; storage/reads/reports.py). Measured on the 100k bench book
    (1,000,014 touches, 48,888 promises), best of 3, period 30d / 1y / all: reports.channels,
    touches by channel, direction and outcome read in that order with the moment checked in the
    index, 196 / 598 / 572 ms before, 111 / 177 / 145 ms; reports.promises, by their due, 78 / 112
    / 108 ms before, 9 / 35 / 36 ms. Opening that book (migrations 12 and 13, backup) took 16.8 s."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS "touch_channel_direction_outcome_at" ON "touch" '
                   '("channel", "direction", "outcome", "at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "follow_up_promised_due_at_has_time_kept_done_at" ON "follow_up" '
                   '("promised", "due_at", "has_time", "kept", "done_at")')


def _v14_report_hours(db: pw.Database) -> None:
    """The reports' hours and weeks (issue 17; storage/reads/report_hours.py, report_activity.py):
    each of the rep's hours counted as ranges of touches by direction, and by direction and
    outcome (no answer, left message), by their moment; follow-ups by whether their due has a
    time and how they ended, by their due (the follow-ups due each week, as range counts: 0.25 s
    of row checks for a year before); the active prospects by the kind of their next step, with
    their deal value (the pipeline by kind: 186 ms of row look-ups before, read from the index
    alone after); follow-ups by kind (a kind's hours: its steps' touches; a year of referrals
    0.24 s of CPU scanning every step before, 0.02 s). On the 100k bench book a year of hours is
    ≈ 0.12 s of SQLite's time this way; grouped by the hour instead, 0.7 s (a sort of the year's
    million touches)."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS "touch_direction_at" ON "touch" ("direction", "at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "touch_direction_outcome_at" ON "touch" ("direction", "outcome", "at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "follow_up_has_time_resolution_due_at" ON "follow_up" '
                   '("has_time", "resolution", "due_at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "follow_up_kind" ON "follow_up" ("kind")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "prospect_status_next_kind_deal_value" ON "prospect" '
                   '("status", "next_kind", "deal_value")')



def _v20_touch_kind(db: pw.Database) -> None:
    """The hours of one kind of prospect were a join of the touches to their steps: on the 100k
    bench book a year of the biggest kind (new prospect) took seconds, and its hours were UTC hours
    (half an hour off for a rep in India). With the kind on the touch they are the whole book's
    ranges with the kind in front (indexes (kind, direction, at), (kind, direction, outcome, at)),
    the rep's own hours exactly. A touch is logged on a step as that step ends, and an ended step
    is not changed, so the kind copied now stays true. The follow-ups' kind index served only the
    join: dropped."""
    if "kind" not in {column.name for column in db.get_columns("touch")}:  # a step may run again on a book set back
        db.execute_sql('ALTER TABLE "touch" ADD COLUMN "kind" VARCHAR(32) NOT NULL DEFAULT \'\'')
    db.execute_sql('UPDATE "touch" SET "kind" = (SELECT f."kind" FROM "follow_up" f WHERE f."id" = "touch"."followup_id") '
                   'WHERE "followup_id" IS NOT NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "touch_kind_direction_at" ON "touch" ("kind", "direction", "at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "touch_kind_direction_outcome_at" ON "touch" '
                   '("kind", "direction", "outcome", "at")')
    db.execute_sql('DROP INDEX IF EXISTS "follow_up_kind"')
