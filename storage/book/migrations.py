"""Ordered schema steps. The book records the last step it has run; opening a book runs the
rest, each in its own transaction, after a backup of the file (see db.open_book)."""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from storage.book.models import MODELS
from storage.book.migrations_concurrency import _v16_one_open_step
from storage.book.migrations_server import _v18_server_reading_order
from storage.book.migrations_reports import _v13_reports, _v14_report_hours, _v20_touch_kind
from storage.book.migrations_team import _v19_hand_over


def _v1_create_tables(db: pw.Database) -> None:
    raise RuntimeError("a book at version 0 is created whole, never stepped")


def _v2_coaching(db: pw.Database) -> None:
    """Chosen cadences, kept promises and note tags."""
    from playhouse.migrate import SchemaMigrator, migrate

    from storage.rules.tags import tags_in

    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("prospect", "cadence", pw.CharField(max_length=32, null=True)),
        migrator.add_column("follow_up", "kept", pw.BooleanField(null=True)),
        migrator.add_column("prospect", "next_kind", pw.CharField(max_length=32, null=True)),
    )
    db.execute_sql(
        "UPDATE prospect SET next_kind = (SELECT kind FROM follow_up f WHERE f.prospect_id = prospect.id"
        " AND f.done_at IS NULL ORDER BY f.id DESC LIMIT 1)"
    )
    # plain SQL, not the models: this step must stay as it is when the models move on
    db.execute_sql(
        'CREATE TABLE "tag" ("id" INTEGER NOT NULL PRIMARY KEY, "prospect_id" INTEGER NOT NULL, '
        '"touch_id" INTEGER NOT NULL, "name" VARCHAR(64) NOT NULL, '
        'FOREIGN KEY ("prospect_id") REFERENCES "prospect" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("touch_id") REFERENCES "touch" ("id") ON DELETE CASCADE)'
    )
    for columns in (("name", "prospect_id"), ("prospect_id", "name"), ("prospect_id",), ("touch_id",)):
        name = "tag_" + "_".join(columns)
        db.execute_sql(f'CREATE INDEX "{name}" ON "tag" ({", ".join(columns)})')
    db.execute_sql('CREATE INDEX "prospect_name" ON "prospect" ("name")')
    db.execute_sql('CREATE INDEX "prospect_status_revisit_on" ON "prospect" ("status", "revisit_on")')
    rows = db.execute_sql("SELECT id, prospect_id, note FROM touch WHERE note LIKE '%#%'").fetchall()
    for touch_id, prospect_id, note in rows:
        for tag in tags_in(note):
            db.execute_sql("INSERT INTO tag (prospect_id, touch_id, name) VALUES (?, ?, ?)", (prospect_id, touch_id, tag))


def _v3_search(db: pw.Database) -> None:
    """Search: FTS5 indexes of the prospects' fields and of the touches' notes, filled from the
    rows already there. Only on SQLite: elsewhere search uses a portable LIKE query."""
    if not isinstance(db, pw.SqliteDatabase):
        return
    # plain SQL, not storage.search: this step must stay as it is when search moves on
    tokenize = "unicode61 remove_diacritics 2"
    db.execute_sql(
        "CREATE VIRTUAL TABLE search_prospect USING fts5("
        f"name, company, email, phone, title, tokenize = '{tokenize}')"
    )
    db.execute_sql(
        "CREATE VIRTUAL TABLE search_note USING fts5("
        f"note, prospect_id UNINDEXED, content = 'touch', content_rowid = 'id', tokenize = '{tokenize}')"
    )
    digits = "phone"
    for ch in " -().+/":
        digits = f"replace({digits}, '{ch}', '')"
    db.execute_sql(
        "INSERT INTO search_prospect (rowid, name, company, email, phone, title) "
        f"SELECT id, name, company, email, phone || ' ' || {digits} || ' ' || substr({digits}, -10)"
        f" || ' ' || substr({digits}, -7), title FROM prospect"
    )
    db.execute_sql("INSERT INTO search_note (search_note) VALUES ('rebuild')")


def _v4_channel_filter(db: pw.Database) -> None:
    """An index for the queue filtered by the next follow-up's channel."""
    db.execute_sql(
        'CREATE INDEX "follow_up_channel_done_at_prospect_id" ON "follow_up" ("channel", "done_at", "prospect_id")'
    )


def _v5_notes(db: pw.Database) -> None:
    """Background notes on the prospect (an import's "Notes" column), searchable; an index on
    email so an import finds the prospect it would double."""
    db.execute_sql("ALTER TABLE prospect ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
    db.execute_sql('CREATE INDEX "prospect_email" ON "prospect" ("email")')
    if not isinstance(db, pw.SqliteDatabase):
        return
    # an FTS5 table takes no new column: build it again, with notes, from the prospect rows
    tokenize = "unicode61 remove_diacritics 2"
    db.execute_sql("DROP TABLE search_prospect")
    db.execute_sql(
        "CREATE VIRTUAL TABLE search_prospect USING fts5("
        f"name, company, email, phone, title, notes, tokenize = '{tokenize}')"
    )
    digits = "phone"
    for ch in " -().+/":
        digits = f"replace({digits}, '{ch}', '')"
    db.execute_sql(
        "INSERT INTO search_prospect (rowid, name, company, email, phone, title, notes) "
        f"SELECT id, name, company, email, phone || ' ' || {digits} || ' ' || substr({digits}, -10)"
        f" || ' ' || substr({digits}, -7), title, notes FROM prospect"
    )


def _v6_journal(db: pw.Database) -> None:
    """The change journal: every change an action makes, for undo, reports and a shared server."""

    class Journal(pw.Model):  # as it was at version 6, whatever the model becomes
        at = pw.DateTimeField()
        who = pw.CharField(max_length=200)
        action = pw.CharField(max_length=32)
        prospect = pw.IntegerField(null=True)
        summary = pw.CharField(max_length=500, default="")
        changes = pw.TextField()

        class Meta:
            table_name = "journal"
            indexes = ((("prospect", "id"), False),)

    with Journal.bind_ctx(db):
        db.create_tables([Journal])


def _v7_search_folds_invisible(db: pw.Database) -> None:
    """Search folds invisible characters away (zero-width, bidi: rules.text.searchable), so a
    word they split is found whole: both indexes made again from the rows that way. The notes'
    index must hold exactly what a later delete tells it (the folded note), or it breaks."""
    if not isinstance(db, pw.SqliteDatabase):
        return
    from storage.rules.text import searchable

    # plain SQL, not storage.search or the engine: this step must stay as it is when search moves on
    db.connection().create_function("v7_searchable", 1, lambda t: None if t is None else searchable(t), deterministic=True)
    digits = "v7_searchable(phone)"
    for ch in " -().+/":
        digits = f"replace({digits}, '{ch}', '')"
    db.execute_sql("DELETE FROM search_prospect")
    db.execute_sql(
        "INSERT INTO search_prospect (rowid, name, company, email, phone, title, notes) "
        "SELECT id, v7_searchable(name), v7_searchable(company), v7_searchable(email), "
        f"v7_searchable(phone) || ' ' || {digits} || ' ' || substr({digits}, -10) || ' ' || substr({digits}, -7), "
        "v7_searchable(title), v7_searchable(notes) FROM prospect"
    )
    db.execute_sql("INSERT INTO search_note (search_note) VALUES ('delete-all')")
    db.execute_sql("INSERT INTO search_note (rowid, note, prospect_id) SELECT id, v7_searchable(note), prospect_id FROM touch")


def _v8_undo(db: pw.Database) -> None:
    """Undo and redo read the journal: an undo (or a redo) is an entry of its own that names the
    entry it undoes; the desk's own entries are read newest first, and an entry's undo found by it."""
    # plain SQL, not the models: this step must stay as it is when the models move on
    db.execute_sql('ALTER TABLE "journal" ADD COLUMN "undoes" INTEGER')
    db.execute_sql('CREATE INDEX "journal_undoes" ON "journal" ("undoes")')
    db.execute_sql('CREATE INDEX "journal_who_id" ON "journal" ("who", "id")')


def _v9_drafts(db: pw.Database) -> None:
    """A form's unsaved text kept in the book while the rep types (issue 13): one draft per
    prospect and form, so a crash loses nothing typed. A side table: no journal, no derived field."""

    class Prospect(pw.Model):  # only what the foreign key names
        class Meta:
            table_name = "prospect"

    class Draft(pw.Model):  # as it was at version 9, whatever the model becomes
        prospect = pw.ForeignKeyField(Prospect, on_delete="CASCADE")
        form = pw.CharField(max_length=32)
        fields = pw.TextField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "draft"
            indexes = ((("prospect", "form"), True),)

    with Draft.bind_ctx(db):
        db.create_tables([Draft])


# The drop reasons a book starts with, in the order the drop dialog lists them (the rep adds more).
V10_DROP_REASONS = ("No budget", "Went with a competitor", "No need", "No answer", "Bad timing",
                    "Not the decision maker", "Other")


def _v10_seed_drop_reasons(db: pw.Database) -> None:
    for position, label in enumerate(V10_DROP_REASONS, 1):
        db.execute_sql("INSERT INTO drop_reason (label, position) VALUES (%s, %s)" % (db.param, db.param), (label, position))


def _v10_closing(db: pw.Database) -> None:
    """Closing right (issue 13): a list of drop reasons the reports can count, the one picked on
    the prospect (the rep's own words stay in drop_reason), and the closing note of a sale. An old
    book's reasons stay as they were; one that is exactly a listed reason (case and spaces aside)
    is counted as that reason."""

    class DropReason(pw.Model):  # as it was at version 10, whatever the model becomes
        label = pw.CharField(max_length=100, unique=True)
        position = pw.IntegerField()

        class Meta:
            table_name = "drop_reason"

    with DropReason.bind_ctx(db):
        db.create_tables([DropReason])
    _v10_seed_drop_reasons(db)
    db.execute_sql('ALTER TABLE prospect ADD COLUMN picked_reason_id INTEGER REFERENCES drop_reason (id) ON DELETE SET NULL')
    db.execute_sql('CREATE INDEX "prospect_picked_reason_id" ON "prospect" ("picked_reason_id")')
    db.execute_sql("ALTER TABLE prospect ADD COLUMN closing_note TEXT NOT NULL DEFAULT ''")
    db.execute_sql(
        "UPDATE prospect SET picked_reason_id = (SELECT r.id FROM drop_reason r"
        " WHERE LOWER(r.label) = LOWER(TRIM(prospect.drop_reason)))"
        " WHERE status = 'dropped'"
    )


def _v11_closed_book(db: pw.Database) -> None:
    """The closed book reads newest closed first, a page at a time: an index in that order makes
    a page of one status ~1 ms at any depth on the 100k bench book (28,000 closed), where sorting
    every closed row took 15-65 ms a page."""
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "prospect_status_closed_at_id" ON "prospect" ("status", "closed_at" DESC, "id" DESC)'
    )


def _v12_a_day_is_a_day(db: pw.Database, tz: str | None) -> None:
    """A follow-up without a time is a calendar date, the same in every zone (issue 15): until now
    it was kept as the instant of the rep's local midnight, so a rep west of where it was set saw
    it a day early. Every date-only due (open and done steps, the prospect's next_due_at) becomes
    its date at 12:00 with no zone (storage.rules.dates.stored), the date read in `tz`, the rep's
    zone when the book is opened (the one it was written in, as far as the book can tell). The
    prospect gains next_has_time, at the end of the queue index, so a read cuts a section's days
    from the index alone."""
    kind = "INTEGER" if isinstance(db, pw.SqliteDatabase) else "BOOLEAN"  # as the model's BooleanField
    db.execute_sql(f"ALTER TABLE prospect ADD COLUMN next_has_time {kind} NOT NULL DEFAULT FALSE")
    db.execute_sql(
        "UPDATE prospect SET next_has_time = TRUE WHERE next_due_at IS NOT NULL AND id IN"
        " (SELECT prospect_id FROM follow_up WHERE done_at IS NULL AND has_time = TRUE)"
    )
    db.execute_sql('DROP INDEX IF EXISTS "prospect_next_promised_next_due_at_deal_value_id"')
    db.execute_sql(
        'CREATE INDEX "prospect_next_promised_next_due_at_deal_value_id_next_has_time" ON "prospect"'
        ' ("next_promised", "next_due_at", "deal_value" DESC, "id", "next_has_time")'
    )
    # pendulum, not SQL: the offset of each day (DST) is the zone's; the same stored text repeats a
    # lot (every step of a day), so each is worked out once
    import datetime as dt

    from storage.rules.dates import from_utc

    days: dict[str, str] = {}

    def floating(text: str) -> str:
        if text not in days:
            if tz is None:  # never guessed: the dates would move by the difference
                raise NeedsZone("Converting this book's dates needs the rep's time zone.")
            moment = dt.datetime.fromisoformat(str(text))
            days[text] = f"{from_utc(moment, tz).date().isoformat()} 12:00:00"
        return days[text]

    for table, column, date_only in (
        ("follow_up", "due_at", "has_time = FALSE"),
        ("prospect", "next_due_at", "next_has_time = FALSE AND next_due_at IS NOT NULL"),
    ):
        rows = db.execute_sql(f"SELECT id, {column} FROM {table} WHERE {date_only}").fetchall()
        placeholder = db.param  # "?" on SQLite, "%s" on PostgreSQL
        db.cursor().executemany(f"UPDATE {table} SET {column} = {placeholder} WHERE id = {placeholder}",
                                [(floating(value), row_id) for row_id, value in rows])


def _v15_owners(db: pw.Database) -> None:
    """Owners (issue 18): on a team's server book, the rep each prospect belongs to (every
    prospect already there stays shared: none), and row-level security so that a rep sees only
    their own and the shared ones (storage/engines/postgres_team.py). A book in a file gets the
    column only."""
    from playhouse.migrate import SchemaMigrator, migrate as alter

    from storage.engines import engine_for

    if "owner" not in {column.name for column in db.get_columns("prospect")}:
        alter(SchemaMigrator.from_database(db).add_column("prospect", "owner", pw.CharField(max_length=200, null=True)))
    engine_for(db).secure_for_team()


def _v17_search_on_a_server(db: pw.Database) -> None:
    """Search on a team's server (issue 18, point 5): its index tables, filled from the rows
    (storage/engines/postgres_search.py: the words as SQLite's FTS5 holds them, ranked as it ranks).
    A book in a file has had its FTS5 tables since step 3: nothing to do there."""
    if db.table_exists("search_prospect"):
        return
    from storage.engines import engine_for

    engine = engine_for(db)
    engine.create_search()
    engine.reindex()  # a later change to what the index holds is a step of its own that refills it
    engine.secure_for_team()  # a rep reads the words of their own and the shared prospects only


class NeedsZone(ValueError):
    """A migration that reads dates in the rep's zone was run without one."""


# Append only: a released step never changes, a new need is a new step. STEPS[n - 1] takes a book
# from version n - 1 to n; a new book is created at LATEST from the models directly.
STEPS: list[Callable[..., None]] = [
    _v1_create_tables, _v2_coaching, _v3_search, _v4_channel_filter, _v5_notes, _v6_journal, _v7_search_folds_invisible,
    _v8_undo, _v9_drafts, _v10_closing, _v11_closed_book, _v12_a_day_is_a_day, _v13_reports, _v14_report_hours,
    _v15_owners, _v16_one_open_step, _v17_search_on_a_server, _v18_server_reading_order, _v19_hand_over, _v20_touch_kind]
# the steps that read dates in the rep's zone: they are given it (migrate's `tz`)
ZONED = {_v12_a_day_is_a_day}
LATEST = len(STEPS)


class SchemaVersion(pw.Model):
    version = pw.IntegerField()

    class Meta:
        table_name = "schema_version"


def current_version(db: pw.Database) -> int:
    if not db.table_exists("schema_version"):
        return 0
    with SchemaVersion.bind_ctx(db):
        row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate(db: pw.Database, on_before: Callable[[int], None] | None = None, tz: str | None = None) -> int:
    """Run the steps the book has not run yet; return the version it had before. `tz`: the rep's
    zone, for a step that reads the book's dates in it (NeedsZone without it, when there are any).
    Under the engine's migration lock: desks opening a server's book at once take turns, and the
    one that waited finds the steps run (reads the version after the lock, never before)."""
    from storage.engines import engine_for

    with engine_for(db).migrating():
        return _migrate(db, on_before, tz)


def _migrate(db: pw.Database, on_before: Callable[[int], None] | None, tz: str | None) -> int:
    before = current_version(db)
    if before > LATEST:
        raise RuntimeError(f"schema {before} is newer than this program knows ({LATEST})")
    if before < LATEST and on_before is not None:
        on_before(before)
    with SchemaVersion.bind_ctx(db):
        if before == 0:
            with db.atomic():
                db.create_tables([SchemaVersion, *MODELS])
                _v10_seed_drop_reasons(db)  # a new book lists the usual drop reasons too
                from storage.engines import engine_for

                engine_for(db).create_search()
                engine_for(db).secure_for_team()
                engine_for(db).order_indexes()
                SchemaVersion.create(version=LATEST)
            return before
        for number in range(before + 1, LATEST + 1):
            with db.atomic():
                step = STEPS[number - 1]
                step(db, tz) if step in ZONED else step(db)
                SchemaVersion.delete().execute()
                SchemaVersion.create(version=number)
    return before
