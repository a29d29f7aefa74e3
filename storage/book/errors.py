"""One family of errors the desk can show as a sentence, whatever went wrong underneath (each
engine says which a driver error is, by its error code: storage.engines)."""

from __future__ import annotations


class SettingsFileError(ValueError):
    """A settings file of the rep's the desk cannot use; str() is one line naming the file and the
    fault, whatever the file or its path holds (so it fits a status line)."""

    def __init__(self, path, problem: str) -> None:
        from pathlib import Path

        from storage.rules.text import visible

        self.path = Path(path)
        super().__init__(visible(f"{path}: {problem}", one_line=True))


class BookError(Exception):
    """A problem with the book the rep should read about; str() is one line."""


class NotABook(BookError):
    pass


class BookUnavailable(BookError):
    """The book cannot be opened or written where it is."""


class BookBusy(BookError):
    pass


class Conflict(BookBusy):
    """Another desk changed the same rows at the same moment, and the database refused the second
    change (a unique index: one open follow-up per prospect); what is on screen is out of date."""


class BookFull(BookError):
    pass


class BookReadOnly(BookError):
    pass


class InvalidInput(BookError):
    """What was typed cannot be recorded; `field` names the form field to point at."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class NotFound(BookError):
    pass
