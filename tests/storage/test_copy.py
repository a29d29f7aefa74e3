"""Moving a whole book between a file and a server (issue 18, point 8: storage/exchange/copy.py).
Every test needs the server (tests/server_books.py) and reads what each end holds through a
connection of its own: sqlite3 on a file, psycopg on the server."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest

from storage import actions, search
from storage.actions import NextStep
from storage.book.models import MODELS, Journal, Prospect, Touch
from storage.book.opening import _close, close_book, open_book
from storage.engines.base import Engine
from storage.exchange.copy import SHARED, CopyRefused, CopyStopped, TargetNotEmpty, copy_book
from tests.server_books import admin
from tests.storage.on_disk import as_written
from tests.storage.search_index import index_is_a_rebuild
from tests.team_books import SERVER_ROLES

pytestmark = SERVER_ROLES

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris
TABLES = [model._meta.table_name for model in MODELS]


def copy(source: str | Path, target: str | Path, **options):
    """As `followup copy` does it: both books opened, the target last (the models name it)."""
    src = open_book(source)
    try:
        dst = open_book(target)
        return copy_book(src, dst, target_name=str(target), **options)
    finally:
        close_book()
        _close(src)


def file_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in TABLES}


def server_rows(url: str) -> dict[str, list[tuple]]:
    """As a file holds them (tests/storage/on_disk.py: dates as text, flags 0/1), in the file's
    column order."""
    with psycopg.connect(url) as conn:
        found = {}
        for model in MODELS:
            columns = ", ".join(f'"{f.column_name}"' for f in model._meta.sorted_fields)
            rows = conn.execute(f'SELECT {columns} FROM "{model._meta.table_name}" ORDER BY id').fetchall()
            found[model._meta.table_name] = [tuple(as_written(v) for v in row) for row in rows]
        return found


def role(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT current_user").fetchone()[0]


@pytest.fixture
def alice(server_book_url):
    """A rep of the team: a login role of the server in followup_rep."""
    name = f"alice_{uuid.uuid4().hex[:6]}"
    admin(f"CREATE ROLE {name} LOGIN IN ROLE followup_rep")
    yield name
    admin(f"DROP ROLE {name}")


def a_day_of_work(path: Path) -> int:
    """On the file book: a touch with a next step, a draft, a referral to a later prospect, and a
    drop with a reason typed (a drop reason of the rep's own). The touch's prospect."""
    open_book(path)
    try:
        first, later = Prospect.select(Prospect.id).where(Prospect.status == "active").order_by(Prospect.id).limit(2)
        Prospect.update(referred_by=Prospect.select(Prospect.id).order_by(Prospect.id.desc()).limit(1)).where(
            Prospect.id == first.id).execute()  # a referrer later in id order than the one referred
        actions.keep_draft(later.id, "log", {"note": "half a thought"}, now=NOW)
        actions.drop(Prospect.select().where(Prospect.status == "active").order_by(Prospect.id.desc()).get().id,
                     "their budget went to a rival", picked="Budget went to a rival", now=NOW)
        actions.log_touch(first.id, channel="call", outcome="talked", note="pricing next week",
                          next_step=NextStep(due_at=NOW + dt.timedelta(days=2)), now=NOW)
        return first.id
    finally:
        close_book()


def test_a_book_goes_to_a_server_and_back_row_for_row(demo_book, server_book_url, tmp_path):
    a_day_of_work(demo_book)
    before = file_rows(demo_book)
    assert before["draft"] and before["journal"] and any(row[16] for row in before["prospect"])  # referred_by

    there = copy(demo_book, server_book_url)
    assert there.counts == {table: len(rows) for table, rows in before.items()}
    on_server, me = server_rows(server_book_url), role(server_book_url)
    owner_at = [f.name for f in Prospect._meta.sorted_fields].index("owner")
    who_at = [f.name for f in Journal._meta.sorted_fields].index("who")
    assert {row[owner_at] for row in on_server["prospect"]} == {me}  # the connected role's by default
    assert {row[who_at] for row in on_server["journal"]} == {me}  # whose changes its desk undoes
    for table in TABLES:
        if table not in ("prospect", "journal"):
            assert on_server[table] == before[table], table

    back = tmp_path / "back.db"
    assert copy(server_book_url, back).counts == there.counts
    assert file_rows(back) == before  # owners, the journal's names and images as the file had them

    for place in (server_book_url, back):  # each end's search index: a rebuild of its rows
        open_book(place)
        index_is_a_rebuild()
        assert search.count("pricing")[0] >= 1
        close_book()


def test_undo_works_on_the_copy_and_new_rows_get_fresh_ids(demo_book, server_book_url):
    touched = a_day_of_work(demo_book)
    top = {table: max([row[0] for row in rows], default=0) for table, rows in file_rows(demo_book).items()}
    copy(demo_book, server_book_url)

    open_book(server_book_url)
    touches = Touch.select().where(Touch.prospect == touched).count()
    assert actions.undo(now=NOW).message.startswith("Undone: ")  # the file's last change, undone here
    assert Touch.select().where(Touch.prospect == touched).count() == touches - 1
    new = actions.add_prospect({"name": "Fresh Face"}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)
    touch = actions.log_touch(new, channel="email", outcome="left message", now=NOW)
    assert new == top["prospect"] + 1 and touch == top["touch"] + 1


def test_an_owner_is_given_to_every_prospect_and_its_journal_images(demo_book, server_book_url, alice):
    a_day_of_work(demo_book)
    with pytest.raises(CopyRefused, match=r"^'bob' is not a rep of the team at .* \(alice_\w+\); nothing was written\.$"):
        copy(demo_book, server_book_url, owner="bob")
    copy(demo_book, server_book_url, owner=alice)
    rows = server_rows(server_book_url)
    owner_at = [f.name for f in Prospect._meta.sorted_fields].index("owner")
    assert {row[owner_at] for row in rows["prospect"]} == {alice}
    with psycopg.connect(server_book_url) as conn:
        entries = [(who, json.loads(changes)) for who, changes in conn.execute("SELECT who, changes FROM journal")]
    assert {who for who, _ in entries} == {alice}
    images = [image for _, items in entries for item in items if item.get("table") == "prospect"
              for image in (item.get("before"), item.get("after")) if image]
    assert images and {image["owner"] for image in images} == {alice}

    shared = server_book_url  # the same book, emptied by hand, copied again for the team
    with psycopg.connect(shared) as conn:
        conn.execute("TRUNCATE draft, tag, touch, follow_up, journal, prospect")
    copy(demo_book, shared, owner=SHARED)
    assert {row[owner_at] for row in server_rows(shared)["prospect"]} == {None}


def test_a_book_that_is_not_empty_is_refused_with_nothing_written(demo_book, server_book_url, tmp_path):
    copy(demo_book, server_book_url)
    held = server_rows(server_book_url)
    with pytest.raises(TargetNotEmpty, match=r"^The book at .* is not empty \(300 prospects, .*nothing was written\.$"):
        copy(demo_book, server_book_url)
    assert server_rows(server_book_url) == held

    mine = tmp_path / "mine.db"
    open_book(mine)
    actions.add_prospect({"name": "Only One"}, now=NOW)
    close_book()
    kept = file_rows(mine)
    with pytest.raises(TargetNotEmpty, match=r"\(1 prospect, 1 journal entry\)"):
        copy(server_book_url, mine)
    assert file_rows(mine) == kept


@pytest.mark.parametrize("direction", ["to the server", "to a file"])
def test_a_copy_that_fails_half_way_leaves_the_target_empty(direction, demo_book, server_book_url, tmp_path,
                                                            monkeypatch):
    if direction == "to a file":
        copy(demo_book, server_book_url)
        source, target = server_book_url, tmp_path / "copy.db"
        open_book(target)
        close_book()
        empty = file_rows(target)
    else:
        source, target = demo_book, server_book_url
        empty = server_rows(server_book_url)
    calls = []

    def third_batch_fails(self, table, columns, rows):
        calls.append(table)
        if len(calls) == 3:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return Engine.insert_rows(self, table, columns, rows)

    from storage.engines.postgres import PostgresEngine
    from storage.engines.sqlite import SqliteEngine

    for cls in (PostgresEngine, SqliteEngine):
        monkeypatch.setattr(cls, "insert_rows", third_batch_fails, raising=False)
    with pytest.raises(CopyStopped, match=r"^The copy stopped \(server closed the connection unexpectedly\); "
                                          r"nothing was written to "):
        copy(source, target, batch=100)
    assert calls == ["drop_reason", "prospect", "prospect"]
    after = file_rows(target) if direction == "to a file" else server_rows(server_book_url)
    assert after == empty  # the seeded drop reasons too: the copy's first step was rolled back with it


def test_a_rep_copies_to_a_file_what_the_server_lets_them_read(demo_book, server_book_url, alice, tmp_path):
    copy(demo_book, server_book_url, owner=alice)  # as the administrator, then some given to bob, some shared
    bob = f"bob_{uuid.uuid4().hex[:6]}"
    admin(f"CREATE ROLE {bob} LOGIN IN ROLE followup_rep")
    try:
        with psycopg.connect(server_book_url) as conn:
            conn.execute("UPDATE prospect SET owner = %s WHERE mod(id, 3) = 0", (bob,))
            conn.execute("UPDATE prospect SET owner = NULL WHERE mod(id, 3) = 1")
            conn.execute("UPDATE prospect SET referred_by_id = 3 WHERE id = 2")  # alice's, referred by bob's
            seen = [row[0] for row in conn.execute("SELECT id FROM prospect WHERE mod(id, 3) <> 0 ORDER BY id")]
            touches = conn.execute("SELECT count(*) FROM touch WHERE mod(prospect_id, 3) <> 0").fetchone()[0]
        mine = tmp_path / "alice.db"
        as_alice = server_book_url.replace(f"//{role(server_book_url)}@", f"//{alice}@")
        copied = copy(as_alice, mine)
    finally:
        admin(f"DROP ROLE {bob}")
    assert copied.counts["prospect"] == len(seen) and copied.counts["touch"] == touches
    rows = file_rows(mine)
    assert [row[0] for row in rows["prospect"]] == seen
    owner_at = [f.name for f in Prospect._meta.sorted_fields].index("owner")
    referred_at = [f.name for f in Prospect._meta.sorted_fields].index("referred_by")
    assert {row[owner_at] for row in rows["prospect"]} == {None}  # a file has one rep
    assert [row[referred_at] for row in rows["prospect"] if row[0] == 2] == [None]  # bob's is not in it
    open_book(mine)
    index_is_a_rebuild()
    close_book()
