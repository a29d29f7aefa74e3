"""Everything the book remembers, and the rules of what may be recorded. Imports no Textual.

Rooms: book/ (tables, opening, migrations, errors, vocabulary), engines/ (what differs between
SQLite and PostgreSQL), actions/ (one function per thing a rep does: the only writer), reads/
(queue, prospect, coaching), search/, rules/ (pure), exchange/ (files in and out), demo/."""
