"""Who may see what on a team's server book (issue 18): the server enforces it, not the desk.

A rep is the server role they connect as; a team's reps are members of the group role
`followup_rep`, its managers of `followup_manager` (itself a member of `followup_rep`, so it has the
reps' grants). Row-level security:
- a prospect is seen and written by its owner, by everyone when it has none (a shared prospect),
  and by a manager; so a rep may share their own prospect with the team or take a shared one,
  and a manager gives any prospect to any rep (PostgreSQL checks an updated row against the
  reading policy too: a rep cannot write a row they would no longer see, so a rep gives their own
  to a colleague through one function, `followup_hand_over`, below);
- its follow-ups, touches, tags and drafts follow it: a row is seen when its prospect is;
- a journal entry is seen by the rep who wrote it, by whoever sees its prospect, and by a manager;
  a rep writes entries in their own name only.
The table owner (the role that ran the migrations: the team's administrator) is not bound by these
policies; a rep or a manager is, whatever SQL they write.

Run once per book by the migration that brought owners in (storage.book.migrations), as the
book's owning role, which must be allowed to create roles (CREATEROLE) the first time any book on
the server is made: group roles belong to the whole server."""

from __future__ import annotations

import peewee as pw

CHANNEL = "followup_book"  # LISTEN/NOTIFY: the book changed
REP_ROLE = "followup_rep"
MANAGER_ROLE = "followup_manager"

# Tables whose rows belong to one prospect, and the column that names it. The search index's
# tables hold the prospects' words: a rep must not read another rep's there either.
_CHILDREN = {"follow_up": "prospect_id", "touch": "prospect_id", "tag": "prospect_id", "draft": "prospect_id",
             "search_prospect": "id", "search_note": "prospect_id"}

# Evaluated once per statement (an initplan), not once per row.
_MANAGER = f"(SELECT pg_has_role(current_user, '{MANAGER_ROLE}', 'MEMBER'))"
_SEES_PROSPECT = f"(owner IS NULL OR owner = current_user OR {_MANAGER})"


def _create_role(db: pw.Database, name: str, member_of: str | None = None) -> None:
    """A group role, unless the server has it (two books made at once may race: either wins)."""
    extra = f" IN ROLE {member_of}" if member_of else ""
    db.execute_sql(
        "DO $$ BEGIN "
        f"CREATE ROLE {name} NOLOGIN{extra}; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; "
        "END $$"
    )


def secure_for_team(db: pw.Database) -> None:
    """Owners default to the connected role; the group roles, their grants and the policies; the
    notice each change sends.
    Safe to run again (a later step that adds a table runs it to cover that table too)."""
    db.execute_sql("ALTER TABLE prospect ALTER COLUMN owner SET DEFAULT current_user")
    _create_role(db, REP_ROLE)
    _create_role(db, MANAGER_ROLE, member_of=REP_ROLE)
    db.execute_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {REP_ROLE}")
    db.execute_sql(f"REVOKE INSERT, UPDATE, DELETE ON schema_version FROM {REP_ROLE}")
    db.execute_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {REP_ROLE}")
    # tables and sequences a later migration makes (as this same owning role) are the reps' too
    db.execute_sql(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {REP_ROLE}"
    )
    db.execute_sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {REP_ROLE}")

    _policy(db, "prospect", f"USING {_SEES_PROSPECT}")
    for table, column in _CHILDREN.items():
        if db.table_exists(table):  # the search tables come with a later step on an older book
            _policy(db, table, f"USING {_seen_through(table, column)}")
    about = "(prospect IS NOT NULL AND EXISTS (SELECT 1 FROM prospect p WHERE p.id = journal.prospect))"
    _policy(db, "journal", f"USING (who = current_user OR {_MANAGER} OR {about}) WITH CHECK (who = current_user)")
    # Every action writes one journal entry: its commit tells every listening desk that the book
    # changed (engines/postgres_notices.py). No payload: a rep learns nothing of what is not theirs.
    db.execute_sql(
        f"CREATE OR REPLACE FUNCTION followup_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"
    )
    db.execute_sql("DROP TRIGGER IF EXISTS journal_changed ON journal")
    db.execute_sql("CREATE TRIGGER journal_changed AFTER INSERT ON journal FOR EACH STATEMENT EXECUTE FUNCTION followup_changed()")
    _hand_over(db)


# A rep gives their own prospect to a colleague. The policy cannot allow it: a rep may not write a
# row they would no longer see (the row as it becomes is checked against the reading policy too).
# So the owning role does that one write, in a function that checks what a policy would: the
# prospect is the caller's own (session_user: the role the rep signed in as; inside the function
# current_user is its owner) and the new owner is a rep of the team. Nothing else of the row
# changes. The desk writes the journal entry beside it, in the same transaction.
HAND_OVER = "followup_hand_over"


def _hand_over(db: pw.Database) -> None:
    db.execute_sql(
        f"CREATE OR REPLACE FUNCTION {HAND_OVER}(prospect_id bigint, rep text, at timestamp) RETURNS void "
        "LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "BEGIN "
        "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = rep AND rolcanlogin AND NOT rolsuper "
        f"                AND pg_has_role(rolname, '{REP_ROLE}', 'MEMBER')) THEN "
        "    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = rep || ' is not a rep of this team'; "
        "  END IF; "
        "  UPDATE prospect SET owner = rep, updated_at = at "
        "   WHERE prospect.id = prospect_id AND prospect.owner = session_user; "
        "  IF NOT FOUND THEN "
        "    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'that prospect is not yours to give'; "
        "  END IF; "
        "END $$"
    )
    db.execute_sql(f"REVOKE ALL ON FUNCTION {HAND_OVER}(bigint, text, timestamp) FROM PUBLIC")
    db.execute_sql(f"GRANT EXECUTE ON FUNCTION {HAND_OVER}(bigint, text, timestamp) TO {REP_ROLE}")


def _seen_through(table: str, column: str) -> str:
    """A row is seen when its prospect is. A search reads the whole of its tables: there the
    prospects one sees are gathered once per statement (a hashed set) and each row looked up in
    it; elsewhere a read is of one prospect's rows, each checked by its own lookup. A rep's word
    search on 100,000 notes of 10,000 prospects: 866 ms checked row by row, 53-81 ms so."""
    if table.startswith("search_"):
        return f"({column} IN (SELECT id FROM prospect))"
    return f'(EXISTS (SELECT 1 FROM prospect p WHERE p.id = "{table}".{column}))'


def _policy(db: pw.Database, table: str, rule: str) -> None:
    """Row-level security on `table` by one policy (made again when run again: a later step
    that adds a table calls secure_for_team once more)."""
    db.execute_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    db.execute_sql(f'DROP POLICY IF EXISTS team_{table} ON "{table}"')
    db.execute_sql(f'CREATE POLICY team_{table} ON "{table}" {rule}')


def hand_over(db: pw.Database, prospect_id: int, rep: str, at) -> None:
    db.execute_sql(f"SELECT {HAND_OVER}(%s, %s, %s)", (prospect_id, rep, at))


def team_members(db: pw.Database) -> list[tuple[str, bool]]:
    """The team's reps who can sign in, by name: (role, is a manager)."""
    rows = db.execute_sql(
        "SELECT rolname, pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles "
        "WHERE rolcanlogin AND NOT rolsuper AND pg_has_role(rolname, %s, 'MEMBER') ORDER BY rolname",
        (MANAGER_ROLE, REP_ROLE),
    ).fetchall()
    return [(name, bool(manager)) for name, manager in rows]
