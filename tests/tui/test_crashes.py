"""No input takes the desk down: a fault in an action, a handler, a dialog's callback or a book
call's callback is told in one line where the rep looks, logged with its traceback in
followup.log (the data folder, owner-only), and the desk stays up with what was typed. A fault the
desk cannot live through (at start-up) ends it with status 1 and one line on stderr naming the log;
quitting while a dialog opens ends it with status 0 and no traceback.

The real hostile input that once raised in a handler (0001-01-01 in a date field: an OverflowError
in the preview) is refused in words now, so the faults here are injected: a test-only action on a
subclass of the app (`FaultyDesk`, key f12), or a handler, callback or screen of the desk replaced
for one test. The exit status and what a terminal shows are checked on a real pty (`Terminal`, as
bench.__main__.spawn runs the desk)."""

from __future__ import annotations

import re
import stat
import threading
import time
from pathlib import Path

import pytest
from textual import events
from textual.binding import Binding

from storage import actions
from storage.book.models import Touch
from storage.book.opening import close_book, open_book
from tests.tui.conftest import DeskForTests, screen_text, settle, step
from tests.tui.real_terminal import Terminal
from tests.conftest import TZ
from tui.app import FollowupApp
from tui.crash_log import MAX_BYTES, log_fault, log_file
from tui.screens.desk import DeskScreen
from tui.screens.log_touch import LogTouchScreen

HOSTILE = "[bold]boom[/bold] \x1b[31mred"  # markup and a control sequence: shown literally, one line


class Injected(Exception):
    """The fault a test injects: nothing in the desk raises it."""


class FaultyDesk(DeskForTests):
    """The desk with one test-only action: f12 (a priority key, so it works in a dialog's text
    field too) raises in the action, as a bug in any action would."""

    BINDINGS = [Binding("f12", "boom", priority=True)]

    def action_boom(self) -> None:
        raise Injected(HOSTILE)


def survived(app, *faults: str) -> None:
    """The faults the test provoked, and only those; then forgotten, so that run_test (which
    raises a fault the desk lived through once a test is over) lets the test end."""
    assert [str(fault) for fault in app.faults] == list(faults), app.faults
    app.faults.clear()


class Bare(FollowupApp):
    """The desk as tui.cli starts it (no waiting for the first reads)."""

    CSS_PATH = DeskForTests.CSS_PATH


def told(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error" and not n.markup]


def logged() -> str:
    return log_file().read_text(encoding="utf-8") if log_file().exists() else ""


def assert_logged_owner_only(*names: str) -> None:
    text = logged()
    assert "Traceback (most recent call last)" in text, text
    for name in names:
        assert name in text, (name, text)
    assert stat.S_IMODE(log_file().stat().st_mode) == 0o600


async def test_an_action_that_raises_is_told_and_logged_and_the_typed_note_stays(seeded):
    app = FaultyDesk(TZ, book_label="test")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("l", *"Talked about the price")
        await settle(app, pilot)
        await pilot.press("f12")
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)  # the dialog is still up …
        assert app.screen.query_one("#note").text == "Talked about the price"  # … with the note
        [told_lines] = told(app)
        _, error, where = told_lines.split("\n")  # the error on a line of its own: wraps stay in the path
        assert "Injected: [bold]boom[/bold] ␛[31mred" in error  # literal, one line
        assert str(log_file()) in where
        assert_logged_owner_only("action_boom", "Injected: [bold]boom[/bold]")
        await pilot.press("ctrl+s")  # and the desk still saves
        await settle(app, pilot)
        assert Touch.get().note == "Talked about the price"
        assert isinstance(app.screen, DeskScreen) and app.return_code is None
        survived(app, HOSTILE)


async def test_a_handler_that_raises_leaves_the_desk_up_and_answering(seeded, monkeypatch):
    """The desk screen's handler of a cursor move raises: without a guard, its message loop ends
    and the whole desk screen is pruned (Textual then exits)."""
    real = DeskScreen.on_queue_view_selected
    calls = []

    def fails_once(self, message):
        calls.append(message)
        if len(calls) == 1:
            raise Injected("in a handler")
        real(self, message)

    app = FaultyDesk(TZ, book_label="test")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        monkeypatch.setattr(DeskScreen, "on_queue_view_selected", fails_once)
        await pilot.press("j")
        await settle(app, pilot)
        assert calls and any("in a handler" in line for line in told(app))
        assert_logged_owner_only("fails_once", "DeskScreen handling Selected")
        await pilot.press("j", "l")  # the same screen still answers keys
        await settle(app, pilot)
        assert isinstance(app.screen, LogTouchScreen)
        assert "Olive Overdue" in screen_text(app)  # on the prospect the cursor moved to
        survived(app, "in a handler")


async def test_a_dialog_callback_that_raises_leaves_the_desk_up(seeded, monkeypatch):
    """What the desk does once a dialog has saved runs as the dialog's result callback (Textual's
    call_next): it reaches App._handle_exception, which ends the app by default."""

    def raises(self, result):
        raise Injected("in a callback")

    app = FaultyDesk(TZ, book_label="test")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        monkeypatch.setattr(DeskScreen, "_saved", raises)
        await pilot.press("l", *"Saved all the same", "ctrl+s")
        await settle(app, pilot)
        assert Touch.get().note == "Saved all the same"
        assert any("in a callback" in line for line in told(app))
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.is_modal  # still answering
        survived(app, "in a callback")


async def test_a_book_calls_callback_that_raises_is_told_and_logged(seeded):
    """A book call's result comes back to the UI thread through Textual's call_from_thread; a
    fault there went back to the worker's thread, where nobody said anything."""
    app = FaultyDesk(TZ, book_label="test")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:

        def done(result):
            raise Injected(f"with {result}")

        app.book.call(app.screen, lambda: 42, done=done)
        await settle(app, pilot)
        assert any("Injected: with 42" in line for line in told(app))
        assert_logged_owner_only("Injected: with 42", "a call to the book")
        assert isinstance(app.screen, DeskScreen) and app.return_code is None


async def test_a_fault_before_the_desk_is_up_ends_it_with_status_1(seeded, monkeypatch):
    def raises(self):
        raise Injected("at start-up")

    monkeypatch.setattr(DeskScreen, "on_mount", raises)
    app = Bare(TZ, book_label="test")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert not app.is_running
        survived(app, "at start-up")
    assert app.return_code == 1
    assert app.stopped_by == f"the desk stopped on an error (Injected: at start-up); details in {log_file()}"


async def test_faults_that_keep_coming_end_the_desk_rather_than_repeat_for_ever(seeded):
    app = FaultyDesk(TZ, book_label="test")
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(5):
            app.post_message(events.Key("f12", None))
        await pilot.pause()
        assert not app.is_running
        survived(app, *[HOSTILE] * 5)
    assert app.return_code == 1 and "Injected" in app.stopped_by


def test_the_log_is_bounded_and_every_file_of_it_owner_only():
    big = Injected("x" * 10_000)
    for _ in range(3 * MAX_BYTES // 10_000):
        assert log_fault(big, "a test") == log_file()
    files = sorted(log_file().parent.glob("followup.log*"))
    assert [f.name for f in files] == ["followup.log", "followup.log.1", "followup.log.2"]
    assert all(f.stat().st_size <= MAX_BYTES + 12_000 for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


def test_a_log_that_cannot_be_written_is_no_new_fault(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "file"))
    (tmp_path / "file").write_text("a file where the data folder should be")
    assert log_fault(Injected("x"), "a test") is None


# -- quitting while a dialog opens ---------------------------------------------------------------


def burst(app, keys: str) -> None:
    """Keys as a terminal sends them typed fast: all in the app's queue before the first is handled."""
    for key in keys:
        app.post_message(events.Key(key, key))


@pytest.mark.parametrize("then", list("nlxsw/fei"))
async def test_q_then_a_dialog_key_typed_fast_quits_cleanly(seeded, then):
    app = FaultyDesk(TZ, book_label="test")
    async with app.run_test(size=(160, 45)) as pilot:
        burst(app, "q" + then)
        await pilot.pause()
    assert app.return_code == 0 and not app.faults


async def test_quitting_with_a_save_in_flight_ends_cleanly_and_the_save_lands(seeded, monkeypatch):
    gate = threading.Event()
    real = actions.log_touch

    def slow(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "log_touch", slow)
    app = FaultyDesk(TZ, book_label="test")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"On its way", "ctrl+s", "ctrl+q")
        threading.Timer(0.2, gate.set).start()
    assert app.return_code == 0 and not app.faults
    for _ in range(100):  # the save's thread finishes on its own (the process would wait for it)
        if Touch.select().count():
            break
        time.sleep(0.05)
    assert Touch.get().note == "On its way"


# -- on a real terminal ----------------------------------------------------------------------------

def after_the_desk(output: str) -> str:
    """What the terminal shows once the desk has left its screen: the text after its last control
    sequence (the one that gives the terminal its own screen back, and the modes that follow it)."""
    tail = output[output.rindex("\x1b[?1049l"):]
    return re.sub(r"\x1b\[[0-9;?<>=]*[a-zA-Z]", "", tail).replace("\r\n", "\n")


@pytest.fixture
def small_book(tmp_path):
    path = tmp_path / "desk.db"
    open_book(path)
    for n, name in enumerate(("Ada One", "Bo Two", "Cy Three")):
        actions.add_prospect({"name": name}, step(n))
    close_book()
    return path


@pytest.mark.timeout(120)
def test_a_fault_at_start_up_exits_1_with_one_line_naming_the_log(small_book, tmp_path):
    desk = Terminal(small_book, tmp_path, patch="""
        from tui.screens.desk import DeskScreen
        def on_mount(self):
            raise RuntimeError("injected at start-up")
        DeskScreen.on_mount = on_mount
    """)
    assert desk.status() == 1
    log = tmp_path / "data" / "followup-desk" / "followup.log"
    line = f"followup: the desk stopped on an error (RuntimeError: injected at start-up); details in {log}"
    assert after_the_desk(desk.text) == line + "\n", desk.text[-1500:]  # one line, once the desk has gone
    assert "Traceback" not in desk.text  # the traceback is in the log, not on the terminal
    assert "Traceback" in log.read_text() and "injected at start-up" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


@pytest.mark.timeout(120)
def test_a_fault_after_start_up_is_survived_on_a_real_terminal_and_q_exits_0(small_book, tmp_path):
    desk = Terminal(small_book, tmp_path, patch="""
        from tui.screens.desk import DeskScreen
        def action_log(self):
            raise RuntimeError("injected in an action")
        DeskScreen.action_log = action_log
    """)
    desk.wait_for("Ada One")
    desk.type("l")
    desk.wait_for("injected in an action")
    desk.type("q")
    assert desk.status() == 0
    assert "Traceback" not in desk.text
    assert "injected in an action" in (tmp_path / "data" / "followup-desk" / "followup.log").read_text()


@pytest.mark.timeout(120)
def test_q_then_n_typed_fast_on_a_real_terminal_exits_0_without_a_traceback(small_book, tmp_path):
    desk = Terminal(small_book, tmp_path)
    desk.wait_for("Ada One")
    desk.type("qn")
    assert desk.status() == 0
    assert "Traceback" not in desk.text and "Error" not in desk.text
    assert not (tmp_path / "data" / "followup-desk" / "followup.log").exists()  # nothing went wrong


@pytest.mark.timeout(120)
def test_ctrl_q_with_a_save_in_flight_on_a_real_terminal_exits_0_and_the_save_lands(small_book, tmp_path):
    desk = Terminal(small_book, tmp_path, patch="""
        import time
        from storage import actions
        real = actions.log_touch
        def slow(*args, **kwargs):
            time.sleep(1.0)
            return real(*args, **kwargs)
        actions.log_touch = slow
    """)
    desk.wait_for("Ada One")
    desk.type("l")
    desk.wait_for("Log a touch")
    desk.type("Called, on its way")
    desk.wait_for("on its way")
    desk.type("\x13")  # ctrl+s
    time.sleep(0.3)
    desk.type("\x11")  # ctrl+q, while the save sleeps
    assert desk.status() == 0
    assert "Traceback" not in desk.text
    open_book(small_book)
    assert Touch.get().note == "Called, on its way"
