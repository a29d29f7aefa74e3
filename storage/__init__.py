"""Everything the book remembers, and the rules of what may be recorded. Imports no Textual.

Rooms: book/ (tables, opening, migrations, errors, vocabulary), engines/ (what differs between
SQLite and PostgreSQL), actions/ (one function per thing a rep does: the only writer), reads/
(queue, prospect, coaching), search/, rules/ (pure), exchange/ (files in and out), demo/."""

import sys

# Peewee imports psycopg as it is imported, if installed: 60 ms and ~10 MiB of every start, for a
# book that is most often a file. It is imported here with psycopg out of its sight (a None in
# sys.modules is an ImportError); a server book brings the driver itself (storage/book/server_driver.py).
if "peewee" not in sys.modules and "psycopg" not in sys.modules:
    sys.modules["psycopg"] = None  # type: ignore[assignment]
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg"]
