"""One family of errors the desk can show as a sentence, whatever went wrong underneath."""

from __future__ import annotations

import sqlite3

import peewee as pw


class BookError(Exception):
    """A problem with the book the rep should read about; str() is one line."""


class NotABook(BookError):
    pass


class BookUnavailable(BookError):
    """The book cannot be opened or written where it is."""


class BookBusy(BookError):
    pass


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


def translate(exc: Exception) -> BookError:
    """Turn a driver error into the sentence the rep sees."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return BookBusy("The book is busy (another program holds it); nothing was saved — try again.")
    if "full" in text:
        return BookFull("The disk is full; nothing was saved. Free some space and save again.")
    if "readonly" in text or "read-only" in text or "permission" in text:
        return BookReadOnly("The book is read-only here; nothing was saved.")
    if "malformed" in text or "not a database" in text:
        return NotABook("The book file is damaged or not a book; nothing was saved.")
    return BookUnavailable(f"The book could not be written ({exc}); nothing was saved.")


DRIVER_ERRORS = (pw.OperationalError, pw.DatabaseError, sqlite3.Error, OSError)
