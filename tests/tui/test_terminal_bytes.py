"""The real `followup` on a real terminal (a pty, as bench.__main__.spawn drives it): every byte the
desk writes after a hostile paste is scanned, and the pasted control sequences never come out.

The pilot tests see widgets; this sees what a terminal would execute. A paste arrives as a
bracketed paste (ESC[200~ … ESC[201~), read whole by tui/paste.py (Textual's own parser would hand
32 characters after an ESC in a paste over as keys: a pasted ctrl+s saved the form)."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from storage import actions
from storage.book.models import Prospect, Touch
from storage.book.opening import close_book, open_book
from tests.tui.conftest import step

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[2]
COLUMNS, LINES = 120, 40
# (the sequences last: a one-line field shows the end of what it holds)
PAYLOAD = "C\u202eD\u2066E\u200bF\x9b2JG\x7fH [@click=app.quit]q[/] A\x1b]52;c;UFdO\x07 B\x1b[31mPWN"
# what must never come out: the payload's own sequences and characters, raw
FORBIDDEN = {
    "OSC 52 clipboard write": b"\x1b]52;c;",
    "SGR red from the paste": b"\x1b[31mPWN",
    "8-bit CSI": "\x9b".encode(),
    "DEL": b"\x7f",
    "bidi override": "\u202e".encode(),
    "bidi isolate": "\u2066".encode(),
    "zero-width space": "\u200b".encode(),
    "BEL": b"\x07",
}


class Terminal:
    """`followup --db BOOK` on a pty of COLUMNS×LINES; everything it writes is kept."""

    def __init__(self, book: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "--db", str(book)],  # the `followup` command itself
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._written = threading.Condition()
        self._ended = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            with self._written:
                self.output += chunk
                self._ended = self._ended or not chunk
                self._written.notify_all()  # whoever waits for something to be drawn looks again
            if not chunk:
                return

    def mark(self) -> int:
        with self._written:
            return len(self.output)

    def since(self, mark: int) -> bytes:
        with self._written:
            return bytes(self.output[mark:])

    def wait_for(self, text: str | bytes, since: int = 0, timeout: float = 30) -> None:
        """Until the desk has written `text` (woken by each write of the desk, never by a clock)."""
        wanted = text.encode() if isinstance(text, str) else text
        with self._written:
            found = self._written.wait_for(lambda: wanted in self.output[since:] or self._ended, timeout)
            if found and wanted in self.output[since:]:
                return
        assert self.proc.poll() is None, f"the desk exited ({self.proc.returncode}): {self.since(0)[-2000:]!r}"
        raise AssertionError(f"{wanted!r} never came; the last bytes: {self.since(since)[-1500:]!r}")

    def send(self, data: str) -> None:
        os.write(self.master, data.encode())

    def paste(self, text: str) -> None:
        self.send(f"\x1b[200~{text}\x1b[201~")

    def focused(self) -> None:
        """Type a mark and wait until it is drawn: the dialog is up and its field has the focus
        (what is sent before that goes to the desk underneath)."""
        mark = self.mark()
        self.send("Zq9")
        self.wait_for("Zq9", since=mark)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        os.close(self.master)
        self._reader.join(5)


@pytest.fixture
def terminal(tmp_path):
    path = tmp_path / "book.db"
    open_book(path)
    actions.add_prospect({"name": "Ada Lovelace", "company": "Engines"}, step(0, what="Call"))
    close_book()
    opened: list[Terminal] = []

    def start() -> Terminal:
        opened.append(Terminal(path))
        opened[-1].wait_for("Ada Lovelace")
        return opened[-1]

    yield start, path
    for term in opened:
        term.close()
    close_book()


def assert_nothing_raw(written: bytes) -> None:
    found = {name: seq for name, seq in FORBIDDEN.items() if seq in written}
    assert not found, f"raw bytes reached the terminal: {found}"


def test_a_hostile_paste_into_the_log_forms_note_and_a_one_line_field_never_reaches_the_terminal(terminal):
    start, path = terminal
    term = start()
    term.send("l")
    term.wait_for("Log a touch")
    term.focused()
    mark = term.mark()
    term.paste(PAYLOAD)  # the note has the focus
    term.wait_for(b"PWN", since=mark)  # drawn
    term.send("\t")  # to the next follow-up's date: a one-line field
    term.focused()
    one_line = term.mark()
    term.paste(PAYLOAD)
    term.wait_for(b"PWN", since=one_line)
    written = term.since(mark)
    assert_nothing_raw(written)
    assert "␛]52;c;UFdO".encode() in written and "␛[31mPWN".encode() in written  # shown, ESC as its symbol
    assert "␛[31mPWN".encode() in term.since(one_line)  # in the one-line field too


def test_a_hostile_name_pasted_into_the_new_prospect_form_is_saved_and_toasted_visibly(terminal):
    start, path = terminal
    term = start()
    term.send("n")
    term.wait_for("New prospect")
    term.focused()
    mark = term.mark()
    term.paste(PAYLOAD)  # the name has the focus
    term.wait_for(b"PWN", since=mark)
    saved = term.mark()
    term.send("\x13")  # ctrl+s
    term.wait_for("Added", since=saved)  # the toast
    assert_nothing_raw(term.since(mark))
    assert "␛[31mPWN".encode() in term.since(mark)
    term.close()
    open_book(path)
    [name] = [p.name for p in Prospect.select().where(Prospect.name != "Ada Lovelace")]
    assert "␛]52;c;UFdO␇" in name and "<U+202E>" in name and "[@click=app.quit]q[/]" in name
    assert not [ch for ch in name if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u202e\u2066\u200b"]
    assert Touch.select().count() == 0


def test_a_pasted_text_is_text_never_keys(terminal):
    """A paste holding ESC and ctrl+s (`\\x13`) is one paste into the note: the form does not
    save, and the note shows all of it (Textual's own parser sent 32 characters after the ESC as
    key presses, the ctrl+s among them, and the form saved half a note)."""
    start, path = terminal
    term = start()
    term.send("l")
    term.wait_for("Log a touch")
    term.focused()
    mark = term.mark()
    term.paste("before\x1b[1m\x13after the save key")
    term.wait_for("after the save key", since=mark)  # drawn in the note: still the form
    assert b"Logged a touch" not in term.since(mark)
    term.close()
    open_book(path)
    assert Touch.select().count() == 0  # nothing was saved by the pasted ctrl+s
