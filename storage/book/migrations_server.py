"""Schema steps for a server's book only (issue 18, point 7: not slower because it is remote): the
indexes that let PostgreSQL read the desk's pages in index order where SQLite already does. A step
of storage.book.migrations.STEPS like the others (append only), beside them in a file of its own."""

from __future__ import annotations

import peewee as pw


def _v18_server_reading_order(db: pw.Database) -> None:
    """Three pages SQLite reads in its indexes' order and the server sorted
    (tests/storage/test_queue.py and test_closed.py read both engines' plans):
    - the closed book, newest closed first: `closed_at DESC NULLS LAST`; a server's DESC index
      puts NULLs first (SQLite's puts them last), so it is made again with NULLS LAST;
    - "No next step", largest deal first: a server does not take `next_due_at IS NULL` as an
      equality for the order, so those prospects get an index of their own (partial);
    - a prospect's history, newest first: a server's (prospect_id, at) index holds no row id to
      order equal moments by, so the id joins it.
    A file book needs none of this."""
    from storage.engines import engine_for

    engine_for(db).order_indexes()


SERVER_ORDER_INDEXES = (
    'DROP INDEX IF EXISTS "prospect_status_closed_at_id"',
    'CREATE INDEX "prospect_status_closed_at_id" ON "prospect" ("status", "closed_at" DESC NULLS LAST, "id" DESC)',
    'CREATE INDEX IF NOT EXISTS "prospect_no_step" ON "prospect" ("status", "deal_value" DESC, "id") '
    'WHERE "next_due_at" IS NULL',
    'CREATE INDEX IF NOT EXISTS "touch_prospect_id_at_id" ON "touch" ("prospect_id", "at", "id")',
)
