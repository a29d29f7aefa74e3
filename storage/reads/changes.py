"""Whether the book changed under the desk: another desk or the command line committed since the
desk last looked (a live book, issue 13). Through the engine (storage.engines.base.Engine
.data_version): SQLite's PRAGMA data_version on a connection that only watches; a server says
"unknown" (None) until its notifications do it.

data_version changes for this process's own commits too (each call of the desk runs on a
connection of its own), so a change is told apart by the journal: every change worth showing is
an action, and an action writes one entry; the entries this process committed are known
(storage.actions.journal.written_here). A change whose new entries are all ours is no news."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from storage.actions.journal import in_flight_here, written_here
from storage.book.models import Journal
from storage.engines import current

NEWS_WINDOW = 256  # entries read after the last one seen; more than that is news whatever they are


@dataclass(frozen=True)
class Look:
    version: int | None  # the book's data_version; None: this book cannot tell
    newest: int  # the newest journal entry when the desk looked
    news: bool  # another connection changed the book since the look before


def book_version() -> int | None:
    """A number that changes once any other connection has committed; None: cannot tell."""
    return current().data_version()


def look(before: Look | None) -> Look:
    """The book now, against the desk's last look: news when someone else wrote an entry since (or
    the book was replaced under it, by a restore); a change of our own is not."""
    version = book_version()
    if version is None:
        return Look(None, before.newest if before else 0, False)
    if before is not None and before.version == version:
        return before  # nothing committed anywhere: one pragma, no query
    newest = Journal.select(fn.MAX(Journal.id)).scalar() or 0
    if before is None:
        return Look(version, newest, False)
    if newest < before.newest:
        return Look(version, newest, True)  # another book put in its place
    since = [row[0] for row in Journal.select(Journal.id).where(Journal.id > before.newest)
             .order_by(Journal.id).limit(NEWS_WINDOW).tuples()]
    committing = in_flight_here()  # read before written_here: see storage.actions.journal.settled
    if any(entry in committing for entry in since):
        return before  # a save of ours is landing this moment: the next look judges it, and what came with it
    ours = written_here()
    news = len(since) == NEWS_WINDOW or any(entry not in ours for entry in since)
    if not news and current().counts_entries:
        # on a team's server a rep reads only the entries about what they may see: a commit of
        # another rep's they cannot read (a prospect given away from them) shows in the count alone
        news = version - before.version > len(since)
    return Look(version, newest, news)
