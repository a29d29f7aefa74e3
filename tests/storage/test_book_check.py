"""The book's check (PRAGMA quick_check) before anything writes to it (issue 12). At open for every
command; for the desk and `followup due`, on a thread of its own while they start (the 100k book
takes 0.8 s warm, 8 s cold: too slow for the desk's start), and then every write transaction
waits for it, and is refused once it found the book damaged. Real book files; where a test needs
the check to be slow or to find damage at a chosen moment, quick_check is replaced by one that
waits for the test."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

import pytest

from storage import actions
from storage.book import files, opening
from storage.book.errors import BookUnavailable, NotABook
from storage.book.models import Prospect
from storage.book.opening import check_before_the_desk, close_book, open_book
from storage.engines import sqlite_files


class HeldCheck:
    """quick_check as the test lets it go: `release()` passes it, `fail()` finds damage."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self._go = threading.Event()
        self._damaged = False

    def __call__(self, path, *, busy_ms=5000, opened=None):
        self.started.set()
        assert self._go.wait(30), "the test never let the check go"
        if self._damaged:
            raise sqlite_files.DamagedFile(path, "its integrity check failed")

    def release(self) -> None:
        self._go.set()

    def fail(self) -> None:
        self._damaged = True
        self._go.set()


@pytest.fixture
def made(tmp_path) -> Path:
    """A whole book with one prospect, closed."""
    path = tmp_path / "book.db"
    open_book(path)
    actions.add_prospect({"name": "Ada Lovelace"})
    close_book()
    return path


@pytest.fixture
def held(monkeypatch) -> HeldCheck:
    check = HeldCheck()
    monkeypatch.setattr(sqlite_files, "quick_check", check)
    yield check
    check.release()


def in_thread(fn):
    """fn() on a thread of its own, as the desk's workers run the actions; (thread, outcome)."""
    outcome: dict = {}

    def run() -> None:
        with opening.connection():
            try:
                outcome["result"] = fn()
            except Exception as exc:
                outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def names(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM prospect ORDER BY id")]


@pytest.mark.timeout(60)
def test_a_write_waits_for_the_check_aside_and_goes_through_once_it_has_passed(made, held):
    open_book(made, check_aside=True)
    assert held.started.wait(10)
    assert Prospect.select().count() == 1  # reads go on meanwhile
    thread, outcome = in_thread(lambda: actions.add_prospect({"name": "Grace Hopper"}))
    thread.join(0.3)
    assert thread.is_alive() and names(made) == ["Ada Lovelace"]  # waiting, nothing written
    held.release()
    thread.join(10)
    assert "error" not in outcome, outcome
    assert names(made) == ["Ada Lovelace", "Grace Hopper"]


@pytest.mark.timeout(60)
def test_a_check_aside_that_finds_damage_refuses_every_write_naming_the_newest_backup(made, held):
    backup = files.backup_file(made, files.backup_name(made))
    open_book(made, check_aside=True)
    thread, outcome = in_thread(lambda: actions.add_prospect({"name": "Grace Hopper"}))
    held.fail()
    thread.join(10)
    error = outcome.get("error")
    assert isinstance(error, NotABook), outcome
    assert str(error).startswith(f"The book at {made} is damaged") and f"restore {backup}" in str(error)
    with pytest.raises(NotABook, match="is damaged"):  # and the next one, the same
        actions.add_prospect({"name": "Linus"})
    assert names(made) == ["Ada Lovelace"]
    assert opening.found_damaged() is not None


@pytest.mark.timeout(60)
def test_due_prints_nothing_when_the_check_aside_finds_damage_after_its_reads(made, held, capsys, frozen):
    from tui.cli import main

    reads_done = threading.Event()
    real_rows = __import__("tui.cli", fromlist=["due_rows"]).due_rows

    def rows_then_damage(tz):
        found = real_rows(tz)  # the reads are done while the check still runs…
        reads_done.set()
        held.fail()  # …and it finds damage after them
        return found

    import tui.cli

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tui.cli, "due_rows", rows_then_damage)
        assert main(["--db", str(made), "due"]) == 2
    assert reads_done.is_set()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"followup: The book at {made} is damaged")


@pytest.mark.timeout(60)
def test_a_small_book_is_checked_before_the_desk_and_a_big_one_while_it_starts(made, held, monkeypatch):
    open_book(made, check_aside=True)
    monkeypatch.setattr(opening, "CHECKED_BEFORE_THE_DESK", 0)  # as if the book were big
    check_before_the_desk()  # returns at once: the desk starts while the check runs
    assert not opening._open_check().done
    held.fail()
    opening._open_check().wait(10)
    with pytest.raises(NotABook, match="is damaged"):  # once it is done, it is said before the desk
        check_before_the_desk()
    close_book()

    monkeypatch.setattr(opening, "CHECKED_BEFORE_THE_DESK", 16 * 2**20)  # this small book is under it
    fresh = HeldCheck()
    monkeypatch.setattr(sqlite_files, "quick_check", fresh)
    open_book(made, check_aside=True)
    thread, outcome = in_thread(check_before_the_desk)  # a small book: waited for
    assert fresh.started.wait(10)
    thread.join(0.3)
    assert thread.is_alive()
    fresh.release()
    thread.join(10)
    assert outcome == {"result": None}


@pytest.mark.timeout(60)
def test_closing_the_book_interrupts_a_check_still_running(made, monkeypatch):
    """The desk quits before a big book's check is over: it is interrupted, not waited for, and
    the book cannot be written through that handle afterwards."""
    running = threading.Event()

    def endless(path, *, busy_ms=5000, opened=None):
        with contextlib.closing(sqlite_files.read_only(path)) as conn:
            opened(conn)
            running.set()
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n").fetchone()

    monkeypatch.setattr(sqlite_files, "quick_check", endless)
    open_book(made, check_aside=True)
    check = opening._open_check()
    assert running.wait(10)
    close_book()  # returns: the check was interrupted
    assert check.done
    with pytest.raises(BookUnavailable, match="closed before its check ended"):
        check.require()


@pytest.mark.timeout(60)
async def test_the_desk_says_once_what_the_check_aside_found(made, held, monkeypatch, frozen):
    """A big book's check ends after the desk is up: the desk's idle call says it where the rep
    looks, once; the desk stays up."""
    import tui.screens.desk as desk
    from tests.tui.conftest import desk_app, desk_ready, settle
    from tui.screens.desk import DeskScreen

    monkeypatch.setattr(desk, "IDLE_CHECKPOINT", 0.05)
    open_book(made, check_aside=True)
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await desk_ready(app, pilot)
        held.fail()
        for _ in range(100):
            await pilot.pause(0.05)
            await settle(app, pilot)
            if any("is damaged" in n.message for n in app._notifications):
                break
        for _ in range(5):  # more ticks of the timer
            await pilot.pause(0.05)
            await settle(app, pilot)
        said = [n.message for n in app._notifications if "is damaged" in n.message]
        assert len(said) == 1, said
        assert said[0].startswith(f"The book at {made} is damaged")
        assert isinstance(app.screen, DeskScreen)


@pytest.mark.timeout(60)
def test_a_damage_found_while_the_desk_was_up_is_said_again_at_its_exit_with_status_2(made, held, monkeypatch, capsys):
    """A big book: the desk came up while its check ran; the check found damage meanwhile."""
    import tui.app
    from tui.cli import main

    monkeypatch.setattr(opening, "CHECKED_BEFORE_THE_DESK", 0)
    monkeypatch.setattr(tui.app.FollowupApp, "run", lambda self, *a, **k: (held.fail(), opening._open_check().wait(10)))
    assert main(["--db", str(made)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"followup: The book at {made} is damaged") and err.count("\n") == 1
