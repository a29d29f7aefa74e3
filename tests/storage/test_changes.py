"""A live desk's look at the book (storage.reads.changes.look): another connection's change is
news; this process's own actions are not (data_version changes for both); a book put in place
of the one looked at is news too. The other writer is a real second connection to the book
(tests/storage/on_disk.py)."""

from __future__ import annotations

import peewee as pw

from storage import actions
from storage.engines import current
from storage.reads.changes import look
from tests.storage.on_disk import second
from tests.tui.conftest import step


def other_connection_writes(book) -> None:
    """Another desk's action, as the book sees it: a row and its journal entry, in one commit."""
    with second(book, write=True) as conn:
        conn.run("UPDATE prospect SET notes = 'From elsewhere' WHERE id = (SELECT MIN(id) FROM prospect)")
        conn.run("INSERT INTO journal (at, who, action, prospect, summary, changes)"
                 " VALUES ('2026-11-23 08:45:00', 'maria', 'edit_prospect', NULL, 'edit', '[]')")


def reaches_the_desk(book) -> None:
    """What was just committed is there for the desk's next look: at once on a file (SQLite's
    data_version); on a server once its notice has come, as it does within the desk's 2 seconds."""
    if not isinstance(book, pw.SqliteDatabase):
        assert current().wait_for_change(2.0)


def test_our_own_action_is_no_news_and_another_connections_is(book, frozen):
    actions.add_prospect({"name": "Ana Nguyen"}, step(1))
    first = look(None)  # on a server, the desk listens from its first look on
    assert first.version is not None and not first.news
    assert look(first) is first  # nothing committed anywhere: the same look

    pid = actions.add_prospect({"name": "Bo Brown"}, step(2))
    reaches_the_desk(book)
    ours = look(first)
    assert ours.version != first.version  # data_version saw it …
    assert not ours.news and ours.newest > first.newest  # … and the journal says it was ours

    other_connection_writes(book)
    reaches_the_desk(book)
    theirs = look(ours)
    assert theirs.news and theirs.newest == ours.newest + 1

    other_connection_writes(book)
    actions.edit_prospect(pid, {"company": "Brown & Co"})  # ours after theirs, between two looks
    reaches_the_desk(book)
    assert look(theirs).news


def test_a_book_put_in_place_of_the_one_looked_at_is_news(file_book, frozen):
    book = file_book  # a file's own: a copy put back in its place (a server's book is not restored so)
    for name in ("Ana Nguyen", "Bo Brown"):
        actions.add_prospect({"name": name}, step(1))
    seen = look(None)
    with second(book, write=True) as conn:
        conn.run("DELETE FROM journal WHERE id = (SELECT MAX(id) FROM journal)")  # an older copy back
    assert look(seen).news


def test_ids_this_process_wrote_to_a_book_before_mean_nothing_for_the_next(tmp_path, frozen):
    """A process that opens another book (the suite does, test after test): an entry another
    connection writes there under an id this process once wrote elsewhere is still news."""
    from storage.book.opening import close_book, open_book

    open_book(tmp_path / "first.db")
    for name in ("Ana Nguyen", "Bo Brown", "Cy Chen"):
        actions.add_prospect({"name": name}, step(1))
    close_book()
    other = open_book(tmp_path / "second.db")
    seen = look(None)  # an empty journal
    other_connection_writes_anyone(other)  # entry 1: an id written here to the first book
    assert look(seen).news
    close_book()


def other_connection_writes_anyone(book) -> None:
    with second(book, write=True) as conn:
        conn.run("INSERT INTO journal (at, who, action, prospect, summary, changes)"
                 " VALUES ('2026-11-23 08:45:00', 'maria', 'add_prospect', NULL, 'added', '[]')")


def test_a_look_while_our_save_is_landing_is_no_news(book, frozen, monkeypatch):
    """The desk looks on a thread of its own: it can come between a save's commit and the moment
    the process knows the entry for its own. Then it judges at the next look, never calls it news."""
    from storage.actions import writing

    actions.add_prospect({"name": "Ana Nguyen"}, step(1))
    first = look(None)
    during = []
    real = writing.settled

    def look_in_between(entry, committed):
        reaches_the_desk(book)
        during.append(look(first))
        real(entry, committed)

    monkeypatch.setattr(writing, "settled", look_in_between)
    actions.add_prospect({"name": "Bo Brown"}, step(2))
    assert during and not during[0].news
    after = look(during[0])
    assert not after.news and after.newest > first.newest


def test_a_save_that_did_not_land_leaves_nothing_waiting(book, frozen, monkeypatch):
    """An entry that was committing when its commit failed is nobody's: the next writer's entry,
    under whatever id, is news at the next look (not put off for ever)."""
    from storage.actions import writing
    from storage.book.errors import BookError

    actions.add_prospect({"name": "Ana Nguyen"}, step(1))
    seen = look(None)
    real = writing.committing

    def then_fail(entry):
        real(entry)
        raise BookError("The book refused the save.")

    monkeypatch.setattr(writing, "committing", then_fail)
    try:
        actions.add_prospect({"name": "Bo Brown"}, step(2))
    except BookError:
        pass
    monkeypatch.undo()
    other_connection_writes(book)
    reaches_the_desk(book)
    assert look(seen).news
