"""Whether the book changed under the desk: another desk or the command line committed since the
desk last looked (a live book, issue 13). Through the engine (storage.engines.base.Engine
.data_version): SQLite's PRAGMA data_version on a connection that only watches; a server says
"unknown" (None) until its notifications do it."""

from __future__ import annotations

from storage.engines import current


def book_version() -> int | None:
    """A number that changes once any other connection has committed; None: cannot tell."""
    return current().data_version()
