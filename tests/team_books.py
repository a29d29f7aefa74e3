"""A team on the test server: real login roles (two reps and a manager, named for the test so
tests running at once never share one) on a book of its own, for the storage and desk tests of a
team's book (issue 18). The roles are dropped after the book: nothing of theirs is left."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from storage.book.opening import close_book, open_book
from tests.server_books import admin


# The reps of a team are the server's, not a book's (a group role belongs to the whole server): a
# test that makes reps runs in one process with every other that does (pytest-xdist's loadgroup),
# so a dialog or a snapshot that lists the team never shows another test's reps.
SERVER_ROLES = pytest.mark.xdist_group("server_roles")


def as_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


@dataclass
class Team:
    url: str  # the book's database, as the server's superuser (the team's administrator)
    alice: str  # reps
    bob: str
    maria: str  # a manager

    @contextlib.contextmanager
    def desk(self, who: str | None) -> Iterator[None]:
        """The book opened as `who` (None: the administrator) for a few actions, then closed."""
        open_book(self.url if who is None else as_user(self.url, who))
        try:
            yield
        finally:
            close_book()

    def open_as(self, who: str) -> None:
        """The book opened as `who` for the desk the test runs (closed by the fixture)."""
        open_book(as_user(self.url, who))

    def sql(self, who: str, statement: str, params: tuple = ()) -> tuple[int, list[tuple]]:
        """Hand-written SQL on `who`'s own connection: (rows affected, rows returned)."""
        with psycopg.connect(as_user(self.url, who), autocommit=True) as conn:
            cur = conn.execute(statement, params)
            return cur.rowcount, (cur.fetchall() if cur.description else [])

    def owners(self) -> dict[str, str | None]:
        """Each prospect's owner on the server, by name (read as the administrator)."""
        with psycopg.connect(self.url) as conn:
            return dict(conn.execute("SELECT name, owner FROM prospect").fetchall())


def make_team(url: str, names: dict[str, str] | None = None) -> Iterator[Team]:
    """A generator for a fixture: the roles made, the team yielded, the book then the roles dropped."""
    tag = uuid.uuid4().hex[:6]
    names = names or {"alice": f"alice_{tag}", "bob": f"bob_{tag}", "maria": f"maria_{tag}"}
    for key in ("alice", "bob"):
        admin(f"CREATE ROLE {names[key]} LOGIN IN ROLE followup_rep")
    admin(f"CREATE ROLE {names['maria']} LOGIN IN ROLE followup_manager")
    try:
        yield Team(url, **names)
    finally:
        close_book()
        admin(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')  # before its roles
        for name in names.values():
            admin(f"DROP ROLE IF EXISTS {name}")
