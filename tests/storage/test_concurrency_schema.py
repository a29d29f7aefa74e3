"""What the database itself holds to when several desks write at once (issue 18, point 4):
migrations one desk at a time."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from storage.book import migrations
from tests.server_books import admin, server_url, with_database

# -- migrations: one desk at a time (a server's book; a file is stepped one writer at a time) ------

_DESK = """
import sys
from storage.book.opening import open_book, close_book
print("ready", flush=True)
sys.stdin.readline()
open_book(sys.argv[1])
close_book()
from storage.book.migrations import LATEST
print("opened", LATEST, flush=True)
"""


def test_desks_opening_a_new_server_book_at_once_migrate_it_once():
    if server_url() is None:
        pytest.skip("no PostgreSQL server (FOLLOWUP_TEST_PG unset)")
    name = f"followup_t_{uuid.uuid4().hex[:12]}"
    admin(f'CREATE DATABASE "{name}"')
    try:
        url = with_database(server_url(), name)
        desks = [subprocess.Popen([sys.executable, "-c", _DESK, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for desk in desks:
            assert desk.stdout.readline().strip() == "ready"
        for desk in desks:  # all at once, each with its program loaded
            desk.stdin.write("go\n")
            desk.stdin.flush()
        results = [desk.communicate(timeout=120) for desk in desks]
        said = [out.split() for out, _ in results]
        assert [words[:1] for words in said] == [["opened"]] * 4, [err[-400:] for _, err in results]
        import psycopg

        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT version FROM schema_version").fetchall() == [(int(said[0][1]),)]
            assert conn.execute("SELECT count(*) FROM drop_reason").fetchone()[0] == len(migrations.V10_DROP_REASONS)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
