"""A realistic demo book, generated on first use of `followup --demo`.

Everything is placed relative to `now`, so the demo always looks current: months of contact
history, won customers with check-ins, dropped prospects to revisit, and a queue with something
in every section (promised, overdue, today, upcoming, later, no next step).

Deterministic: the same seed and `now` give exactly the same book (one `random.Random(seed)`,
no global random, no dependence on set order). Fast: one bulk load (one transaction, one journal
entry), with the derived fields by the book's own rule. Text goes through the same cleaning as a
form, so the hostile names in the demo are stored as the literal text a rep would see.

Rooms: material (names, companies, notes, weights), draws (how a generator draws), people (who),
conversation (the rules of touches and next steps, shared with bench.bigbook), timeline and
story (each prospect's history), plan (the whole book), writing (rows and `build_demo`).
"""

from storage.demo.writing import DEMO_SEED, build_demo

__all__ = ["DEMO_SEED", "build_demo"]
