"""Two desks of one book, as the journal tells them apart (its `who`): on a file, the account that
runs the desk (the OS user's name, LOGNAME); on a server, the role the desk is connected as.

`as_rep(monkeypatch, "sam")` makes this process's desk write as sam from now on. On a server the
book's connection takes on a role of that name (SET ROLE), made on the test server the first time
as a member of the book's owning role: a team's administrator, who has the owner's privileges and,
like the owner, is not bound by the team's row-level security (tests/storage/test_team.py is where
reps are)."""

from __future__ import annotations

import pytest

from storage.book.models import database
from tests.server_books import admin


def as_rep(monkeypatch: pytest.MonkeyPatch, who: str) -> None:
    """This process writes as that rep from now on."""
    monkeypatch.setenv("LOGNAME", who)
    db = database.obj
    if db is None or db.param == "?":  # a file: the OS user's name is the rep
        return
    owner = db.execute_sql("SELECT session_user").fetchone()[0]
    # roles belong to the whole server, and test processes run side by side: either makes it
    admin(
        "DO $$ BEGIN "
        f'CREATE ROLE "{who}" NOLOGIN IN ROLE "{owner}"; '
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; "
        "END $$"
    )
    db.execute_sql(f'SET ROLE "{who}"')


def rep_of(book) -> str:
    """The rep this desk's journal entries name: the OS user on a file, the role it connected as
    on a server (read from how the book was opened, not from the engine that writes it)."""
    if book.param == "?":
        import getpass

        return getpass.getuser()
    return book.connect_params["user"]
