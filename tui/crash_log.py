"""The desk's log of what went wrong: `followup.log` in the data folder, with each fault's
traceback, for the rep to send and a developer to read. The screen says one line; this file says
the rest.

It is readable by its owner only (an error may quote a prospect's name or what the rep typed,
like the book), and bounded: at 256 KiB it rolls over to `followup.log.1` (then `.2`), so three
files at most. Nothing is written, and no file is made, until something goes wrong. Writing it
never raises: a log that cannot be written (a full disk) must not take the desk down with it."""

from __future__ import annotations

import logging
import os
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from storage.book.locations import data_dir
from storage.rules.text import visible

LOG_NAME = "followup.log"
MAX_BYTES = 256 * 1024
BACKUPS = 2
SHOWN_CHARS = 160  # of an error's message, in the one line the rep sees

_logger = logging.getLogger("followup")
_logger.propagate = False  # never to the root logger: under the desk, stderr is the screen
_logger.setLevel(logging.INFO)
_lock = threading.Lock()


def log_file() -> Path:
    return data_dir() / LOG_NAME


def _owner_only(path: str, flags: int) -> int:
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # a file made earlier, or under a lax umask, too
    return fd


class _OwnerOnlyLog(RotatingFileHandler):
    """A rotating log whose every file (the first and each one after a roll-over) is 0600, and
    which remembers a failed write instead of printing about it (stderr is the rep's screen)."""

    def __init__(self, path: Path) -> None:
        self.failed = False
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))

    def _open(self):
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=_owner_only)

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True


def _handler() -> _OwnerOnlyLog:
    """The handler for today's data folder (tests and `XDG_DATA_HOME` may move it)."""
    path = log_file()
    for handler in _logger.handlers:
        if isinstance(handler, _OwnerOnlyLog) and handler.baseFilename == os.path.abspath(path):
            return handler
    for handler in list(_logger.handlers):
        _logger.removeHandler(handler)
        handler.close()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = _OwnerOnlyLog(path)
    _logger.addHandler(handler)
    return handler


def log_fault(error: BaseException, where: str) -> Path | None:
    """Write `error` and its traceback, saying where it happened; the log's path, or None when
    it could not be written."""
    try:
        with _lock:
            handler = _handler()
            handler.failed = False
            _logger.error("%s: %s", where, summary(error), exc_info=(type(error), error, error.__traceback__))
            handler.flush()
            return None if handler.failed else Path(handler.baseFilename)
    except Exception:  # the log is a help, never a new way to fail
        return None


def summary(error: BaseException) -> str:
    """An error as one line of literal text: its type and the start of its message."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    text = visible(text, one_line=True)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def told(error: BaseException, logged: Path | None) -> str:
    """What the rep reads about a fault the desk survived: the error on a line of its own, so a
    toast's narrow width wraps the path, not the error."""
    where = f"Details in {logged}." if logged else "It could not be written to the log."
    return f"Something went wrong; the desk carries on.\n{summary(error)}\n{where}"
