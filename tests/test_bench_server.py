"""bench/server.py: `python -m bench --server URL` builds the big book on a PostgreSQL server through
the book's own bulk load, keeps it, and measures a copy of it (small sizes here, same code path)."""

from __future__ import annotations

import uuid

import pytest

from bench.server import server_book_for, with_database, work_book
from storage.book.opening import close_book, open_book
from tests.server_books import admin, server_url

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def server(monkeypatch):
    url = server_url()
    if url is None:
        pytest.skip("no PostgreSQL server (FOLLOWUP_TEST_PG unset): `.ci/run` starts one")
    monkeypatch.setenv("FOLLOWUP_TZ", "Europe/Paris")
    seed = int(uuid.uuid4().int % 10**6)  # the kept book's name carries it: this test's own
    yield url, seed
    close_book()
    for (name,) in admin("SELECT datname FROM pg_database WHERE datname LIKE %s", (f"followup_bench_%_s{seed}_%",)):
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_big_book_is_built_on_the_server_once_and_measured_on_a_copy(server):
    from storage.book.models import FollowUp, Prospect, Touch

    url, seed = server
    sizes = {"tiny": (12, 60)}
    name = server_book_for("tiny", url, sizes, seed)
    assert name.startswith("followup_bench_12_60_s") and "_v" in name
    assert server_book_for("tiny", url, sizes, seed) == name  # kept: not built again
    with work_book("tiny", name, url) as work:
        assert work == with_database(url, "followup_bench_work_tiny")
        open_book(work)
        assert Prospect.select().count() == 12 and Touch.select().count() == 60
        # booleans as the server holds them (the generator's 0/1 were refused: SQLSTATE 42804)
        assert {type(row.has_time) for row in FollowUp.select(FollowUp.has_time)} == {bool}
        close_book()
    left = admin("SELECT datname FROM pg_database WHERE datname LIKE 'followup_bench_%%'")
    assert ("followup_bench_work_tiny",) not in left and (name,) in left
