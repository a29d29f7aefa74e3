"""A big, realistic book for benchmarks: `python -m bench.bigbook --db PATH --prospects N --touches M`.

The book is opened by `storage.book.opening.open_book` (schema, pragmas, application_id, 0600) and
must have no prospects yet. Everything is generated in Python first (one `random.Random(seed)`,
no global random, no set order), by the rules the demo follows (storage.demo.conversation) and
from its material, then written in ONE bulk load of the book's own (storage.actions.bulk: one
transaction, one journal entry, ids from the load), the engine's fast whole-book load (indexes
dropped and made again from their own SQL, identical to a fresh book's).

What the book holds, placed around `now` (naive UTC) in the rep's zone `tz`:
  - prospects with names, companies, titles, emails, phones, deal values, sources, referrals;
  - ~70% active (promised, overdue, today, upcoming, later, and some with no next step),
    ~18% won (some with check-ins, service calls, thank-yous), ~12% dropped (some to revisit);
  - M touches spread with a skewed distribution (many prospects with a few, some with 20-60),
    in time order per prospect, over every channel, direction and outcome, with notes of varied
    length (empty, one line, multi-line minutes, long pasted emails) holding #tags;
  - follow-ups: done (answered by a touch), snoozed, rescheduled, closed, and at most one open
    per prospect (none for the dropped); promised ones with whether they were kept;
  - tag rows for every #tag of every note (storage.rules.tags.tags_in), in the same load;
  - the search index (storage.search.reindex), refilled in the same transaction after the rows
    (its seconds are reported as `search_index_seconds`).

Ids follow time (prospects by creation, follow-ups by creation, touches by `at`), as in a book
that grew by use. The derived prospect fields are the book's rule (storage.rules.derived).

Rooms: clock (days and moments), people (who), notes (what notes and step texts say), steps (the
follow-ups as they are made), stories (each prospect), rows (the book in id order), writing
(`build_big_book`), cli (`main`). Storage is used through its public names only.
"""

from bench.bigbook.cli import main
from bench.bigbook.people import touch_counts
from bench.bigbook.writing import BookNotEmpty, build_big_book

__all__ = ["BookNotEmpty", "build_big_book", "main", "touch_counts"]
