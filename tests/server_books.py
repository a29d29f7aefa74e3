"""Books on a real PostgreSQL server, for the tests that run on both engines.

The server is the one `.ci/run` starts (`.ci/postgres`), named by FOLLOWUP_TEST_PG (a superuser
URL). Without it the server tests are skipped, unless FOLLOWUP_REQUIRE_PG says the server was meant
to be there (CI): then they fail. Each test gets a database of its own, copied from a template that
each test process migrates once (CREATE DATABASE … TEMPLATE: ~30 ms, where migrating is ~1 s)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

SERVER_ENV = "FOLLOWUP_TEST_PG"
REQUIRED_ENV = "FOLLOWUP_REQUIRE_PG"


def server_url() -> str | None:
    return os.environ.get(SERVER_ENV) or None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(sql: str, params: tuple = ()) -> list[tuple]:
    """One statement as the server's superuser, outside any transaction (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(server_url(), autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def _need_server() -> str:
    url = server_url()
    if url is None:
        if os.environ.get(REQUIRED_ENV):
            pytest.fail(f"{REQUIRED_ENV} is set but {SERVER_ENV} is not: the PostgreSQL server did not start")
        pytest.skip(f"no PostgreSQL server ({SERVER_ENV} unset): `.ci/run` starts one")
    return url


def _drop(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server_template() -> Iterator[str]:
    """A migrated, empty book on the server, closed: the template each test's database copies."""
    from storage.book.opening import close_book, open_book

    url = _need_server()
    name = f"followup_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin(f'CREATE DATABASE "{name}"')
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("FOLLOWUP_TZ", "Europe/Paris")
            open_book(with_database(url, name))
            close_book()
        yield name
    finally:
        _drop(name)


@contextlib.contextmanager
def new_server_book(template: str) -> Iterator[str]:
    """The URL of a new, empty book on the server, copied from `template` (not opened); the book
    is closed and the database dropped after."""
    name = f"followup_t_{uuid.uuid4().hex[:12]}"
    admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield with_database(server_url(), name)
    finally:
        from storage.book.opening import close_book

        close_book()
        _drop(name)


@pytest.fixture
def server_book_url(server_template) -> Iterator[str]:
    """The URL of a new, empty book on the server (not opened), dropped after the test."""
    with new_server_book(server_template) as url:
        yield url
