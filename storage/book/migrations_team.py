"""Schema steps for a team's server book (issue 18, point 2): what the team's rules let a rep do.
A step of storage.book.migrations.STEPS like the others (append only), in a file of its own."""

from __future__ import annotations

import peewee as pw


def _v19_hand_over(db: pw.Database) -> None:
    """A rep gives their own prospect to a colleague (accounts move between reps): the function
    that does that one write for them (storage/engines/postgres_team.py, followup_hand_over), made
    with the team's rules again. A new book gets it with them; a book in a file has one rep."""
    from storage.engines import engine_for

    engine_for(db).secure_for_team()
