"""`followup` on a real pseudo-terminal, for the tests that must see what a terminal sees: its
raw output bytes, its exit status, a kill -9. Every one started is killed at the end of its test
(tests/tui/conftest.py), pass or fail: a desk left running after a failed wait kept a core busy
for an hour."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import threading
import time
from pathlib import Path

from tests.conftest import TZ

ROOT = Path(__file__).resolve().parents[2]


CHILD = """
import sys
{patch}
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


class Terminal:
    """`followup --db BOOK` on a pty, started through a small script that may first replace a part
    of the desk (`patch`); everything it writes is kept, and its exit status."""

    running: list[Terminal] = []  # started and not yet ended: killed when the test ends

    def __init__(self, book: Path, home: Path, patch: str = "", size: tuple[int, int] = (100, 30)) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "FOLLOWUP_TZ": TZ,
               "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}
        env.pop("FOLLOWUP_DB", None)
        script = CHILD.format(patch=textwrap.dedent(patch))
        self.proc = subprocess.Popen([sys.executable, "-c", script, "--db", str(book)], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, cwd=ROOT, start_new_session=True)
        os.close(slave)
        Terminal.running.append(self)
        self.master = master
        self.output = bytearray()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    @property
    def text(self) -> str:
        with self._lock:
            return self.output.decode(errors="replace")

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never came (exit {self.proc.poll()}): {self.text[-1500:]!r}")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def status(self, timeout: float = 30) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            time.sleep(0.1)  # the last bytes
            os.close(self.master)

    @classmethod
    def end_all(cls) -> None:
        """Kill whatever a test left running (its own session: the desk and anything it started)."""
        while cls.running:
            term = cls.running.pop()
            if term.proc.poll() is None:
                try:
                    os.killpg(term.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                term.proc.wait()
