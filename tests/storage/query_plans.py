"""How the book's engine would run a statement, for the tests that guard the indexes of the hot
reads (the queue, the closed book, today's figures), on either engine:

- SQLite: EXPLAIN QUERY PLAN, a line a step ("SEARCH prospect USING INDEX …", "SCAN prospect",
  "USE TEMP B-TREE FOR ORDER BY");
- PostgreSQL: EXPLAIN, with sequential scans and sorts priced out of the planner's choice
  (SET LOCAL enable_seqscan, enable_sort, enable_incremental_sort = off), so that a plan which
  still holds a "Seq Scan" or a "Sort" is one no index can answer — on a test's tiny tables the
  planner would otherwise rightly read the whole table."""

from __future__ import annotations

import re
from dataclasses import dataclass

import peewee as pw

_SQLITE_SCAN = re.compile(r"\bSCAN (\S+)(.*)$")
_SQLITE_INDEXED = ("USING INDEX", "USING COVERING INDEX", "USING INTEGER PRIMARY KEY")
_SERVER_OFF = ("enable_seqscan", "enable_sort", "enable_incremental_sort")


@dataclass(frozen=True)
class Plan:
    lines: list[str]
    sqlite: bool

    def __str__(self) -> str:
        return " | ".join(self.lines)

    @property
    def full_scans(self) -> list[str]:
        """The steps that read a whole table, not through an index."""
        if not self.sqlite:
            return [line for line in self.lines if "Seq Scan on" in line]
        scans = []
        for line in self.lines:
            match = _SQLITE_SCAN.search(line)
            if not match or match.group(1) == "CONSTANT" or match.group(1).startswith("("):
                continue
            if any(way in line for way in _SQLITE_INDEXED):
                continue
            scans.append(line)
        return scans

    @property
    def sorts(self) -> bool:
        """Rows sorted outside an index (not read in the index's order)."""
        if self.sqlite:
            return any("TEMP B-TREE" in line for line in self.lines)
        return any(re.search(r"\bSort\b", line) and "Sort Key" not in line for line in self.lines)

    @property
    def by_index(self) -> bool:
        """Rows found through an index (a search of one, not a scan of a table)."""
        if self.sqlite:
            return bool(self.lines) and self.lines[0].startswith("SEARCH") and any("INDEX" in line for line in self.lines)
        return any("Index" in line for line in self.lines)

    def uses(self, index: str) -> bool:
        return any(index in line for line in self.lines)


def plan_of(book: pw.Database, sql: str, params: tuple | list = ()) -> Plan:
    if isinstance(book, pw.SqliteDatabase):
        return Plan([row[-1] for row in book.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()], True)
    with book.atomic():  # SET LOCAL: for this transaction only
        for setting in _SERVER_OFF:
            book.execute_sql(f"SET LOCAL {setting} = off")
        return Plan([row[0] for row in book.execute_sql("EXPLAIN " + sql, params).fetchall()], False)
