"""The desk against a book that another program holds, or that is damaged: every read and write
goes through the one way to the book, so a fault is a message where the rep looks, the desk stays
up, and what was typed stays on screen (the save case is in test_desk.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from storage import actions
from storage.book.models import Prospect
from storage.book.opening import close_book, open_book
from tests.conftest import FROZEN
from tests.tui.conftest import desk_app, queue_lines, screen_text, settle, step
from tui.screens.desk import DeskScreen

TODAY = dt.date(2026, 11, 23)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def shared(tmp_path, frozen):
    """A book with four prospects, one of them dropped with a revisit due today, opened with a
    short busy timeout; and a second connection, as another desk or program would hold it."""
    path = tmp_path / "shared.db"
    open_book(path, pragmas={"busy_timeout": 100})
    ids = [actions.add_prospect({"name": name}, step(n)) for n, name in enumerate(("Ada One", "Bo Two", "Cy Three"))]
    back = actions.add_prospect({"name": "Dee Dropped"}, step(1))
    actions.drop(back, "not now", revisit_on=TODAY + dt.timedelta(days=1), now=dt.datetime(2026, 11, 20, 9))
    Prospect.update(revisit_on=TODAY).where(Prospect.id == back).execute()  # the revisit has come
    other = sqlite3.connect(path, timeout=0)
    yield path, ids, back, other
    other.close()


async def test_a_locked_book_at_start_keeps_the_desk_up_and_says_so(shared):
    """Waking the revisits is a write; another program holds the write lock: the desk says so,
    shows the queue all the same, and wakes them once the book is free."""
    path, ids, back, other = shared
    other.execute("BEGIN IMMEDIATE")
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        assert isinstance(app.screen, DeskScreen)
        assert any("busy" in text for text in messages(app)), messages(app)
        assert "Ada One" in "\n".join(queue_lines(app))
        assert Prospect.get_by_id(back).status == "dropped"  # nothing half-done
        other.rollback()
        app.screen.wake_revisits()  # what the desk does at the next start, or past midnight
        await settle(app, pilot)
        assert Prospect.get_by_id(back).status == "active"
        assert "Dee Dropped" in "\n".join(queue_lines(app))


async def test_cursor_moves_keep_reading_while_another_program_writes(shared):
    path, ids, back, other = shared
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        assert Prospect.get_by_id(back).status == "active"  # the desk's wake-up write is done
        assert app.screen.shown.facts.name == "Ada One"
        other.execute("BEGIN IMMEDIATE")
        seen = []
        for _ in range(3):
            await pilot.press("j")
            await settle(app, pilot)
            seen.append(app.screen.shown.facts.name)
        other.rollback()
        assert seen == ["Dee Dropped", "Bo Two", "Cy Three"]  # Today: Ada, Dee (back for her revisit); then Upcoming
        assert not any("went wrong" in text for text in messages(app))


def _damage_touches(path) -> None:
    """Overwrite the touch table's first page in the file (after a checkpoint, so the page is in
    the file and not in the WAL): every read of a touch now meets a malformed page."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'touch'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


async def test_a_read_that_fails_is_said_and_the_desk_stays_up(shared):
    path, ids, back, other = shared
    for prospect_id in ids:
        actions.log_touch(prospect_id, channel="call", outcome="talked", note="kept on page one", next_step=step(2))
    actions.log_touch(back, channel="call", outcome="talked", note="kept on page one")  # dropped: no next step
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        _damage_touches(path)
        await pilot.press("j")
        await settle(app, pilot)
        assert any("damaged" in text for text in messages(app)), messages(app)
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("k", "n")  # the desk still answers keys
        await settle(app, pilot)
        assert app.screen.is_modal and "New prospect" in screen_text(app)
    close_book()


def _damage_table(path, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


async def test_an_import_whose_dry_run_meets_a_damaged_book_says_so_and_is_not_stuck(shared, tmp_path):
    """The dry run reads the book (who is already in it): a damaged page there is said beside the
    file name, and the dialog does not wait for ever on "Reading the file …"."""
    from tests.tui.conftest import paste

    path, ids, back, other = shared
    source = tmp_path / "people.csv"
    source.write_text("Name,Email\nZed Zimmer,zed@example.com\n", encoding="utf-8")
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        _damage_table(path, "prospect")
        await pilot.press("i")
        await paste(pilot, str(source))
        await pilot.press("enter")
        await settle(app, pilot)
        error = app.screen.query_one("#error-path").visual.plain
        assert "damaged" in error, error
        assert "Reading the file" not in screen_text(app)
    close_book()
