"""What a CSV's columns mean and the people in its rows: header names (a CRM's, a spreadsheet's,
in the rep's language: csv_headers) → the fields they fill (`guess_mapping`, which the rep may
change), then each row → an Incoming record by that mapping (`records`). Nothing here writes the
book: storage.exchange.imports does, by the book's rules.
"""

from __future__ import annotations

from storage.exchange import csv_cells, csv_headers
from storage.exchange.csv_cells import CellProblem
from storage.exchange.csv_table import Table
from storage.exchange.incoming import Incoming, Problem

IGNORE = "ignore"
# what a column can become, in the order a mapping picker lists them (IGNORE comes last)
TARGETS = (
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "email",
    "phone",
    "deal_value",
    "next_due",
    "notes",
    "source",
    "preferred_channel",
    "best_time",
    "timezone",
    "status",
)
TARGET_LABELS = {
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "title": "Job title",
    "email": "Email",
    "phone": "Phone",
    "deal_value": "Deal value",
    "next_due": "Next follow-up",
    "notes": "Notes",
    "source": "Source",
    "preferred_channel": "Preferred channel",
    "best_time": "Best time",
    "timezone": "Time zone",
    "status": "Status (won, lost)",
    IGNORE: "(ignore)",
}

# ---------------------------------------------------------------------------------------------
# Headers → a mapping


def target_named(text: str) -> str | None:
    """The target a rep names, by its id or by the label the dry run prints ("last_name", "Last
    name", "LAST NAME", "ignore", "(ignore)"), or None."""
    wanted = " ".join(text.casefold().split())
    for target, label in TARGET_LABELS.items():
        if wanted in (target, target.replace("_", " "), label.casefold(), label.casefold().strip("()")):
            return target
    return None


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → target for every column (IGNORE when unknown, or when an earlier or
    stronger column already took its target; a MANY target takes every column named for it)."""
    mapping = {index: IGNORE for index in range(len(headers))}
    guesses = sorted(
        (strength, -index if strength and target in csv_headers.LAST_WINS else index, target)
        for index, (target, strength) in enumerate(map(csv_headers.target_of, headers))
        if target is not None
    )
    taken: set[str] = set()
    for _, order, target in guesses:
        if target in csv_headers.MANY or target not in taken:
            mapping[abs(order)] = target
            taken.add(target)
    return mapping


# ---------------------------------------------------------------------------------------------
# Rows → records


def records(table: Table, mapping: dict[int, str], tz: str) -> tuple[list[Incoming], list[Problem]]:
    """The people in the table's rows by `mapping` (column index → target; a column not in it is
    ignored). When several columns share a target, the first non-empty cell wins (for phones and
    emails, by csv_headers.preference; the others are kept in the notes), except notes, which are
    joined. A cell that cannot be read is left empty and said in the record's warnings. Dates
    without a zone are the rep's (`tz`). The fields are not checked against the book's rules yet:
    storage.exchange.imports.apply does that, for a dry run too."""
    columns: dict[str, list[int]] = {}
    for index in sorted(mapping):
        target = mapping[index]
        if target != IGNORE and target not in TARGETS:
            raise ValueError(f"unknown import target {target!r}")
        if target != IGNORE and 0 <= index < len(table.headers):
            columns.setdefault(target, []).append(index)
    labels = csv_headers.label_columns(table.headers)
    day_first = {index: csv_cells.day_first(table, index) for index in columns.get("next_due", [])}
    people: list[Incoming] = []
    problems: list[Problem] = []
    for line, cells in table.rows:
        try:
            people.append(_record(line, cells, columns, table.headers, labels, day_first, tz))
        except CellProblem as problem:
            problems.append(Problem(line, str(problem)))
    return people, problems


def _many(target: str, cells: list[str], indices: list[int], headers: list[str], labels: dict[int, int]) -> list[tuple[str, int, str]]:
    """The non-empty cells of a MANY target's columns, best first, as (text, column, its name for
    the notes): a primary one (Google's "* ") first, then by csv_headers.preference of the row's
    label or else the column's name, then in column order; a repeated value once. An "email" that
    holds no @ ("n/a", "ask Bob") comes after every real address."""
    ranked = []
    for position, index in enumerate(indices):
        if not (text := csv_cells.cell_text(cells[index])):
            continue
        label = csv_cells.cell_text(cells[labels[index]]) if index in labels else ""
        kind = label.lstrip("* ").strip()
        name = f"{kind} {target}" if kind else headers[index]
        unusable = target == "email" and "@" not in text
        ranked.append((unusable, not label.startswith("*"), csv_headers.preference(kind or headers[index]), position, text, index, name))
    ranked.sort()
    seen: set[str] = set()
    return [(text, index, name) for *_, text, index, name in ranked if not (text in seen or seen.add(text))]


def _record(
    line: int, cells: list[str], columns: dict[str, list[int]], headers: list[str], labels: dict[int, int],
    day_first: dict[int, bool], tz: str
) -> Incoming:
    found: dict[str, tuple[str, int]] = {}  # target -> (text, column it came from)
    others: list[str] = []  # the phones and emails after the first, for the notes
    for target, indices in columns.items():
        if target == "notes":
            notes = "\n\n".join(text for text in (csv_cells.cell_text(cells[index]) for index in indices) if text)
            if notes:
                found[target] = (notes, indices[0])
        elif target in csv_headers.MANY:
            if best := _many(target, cells, indices, headers, labels):
                found[target] = best[0][:2]
                others += [f"{name}: {text}" for text, _, name in best[1:]]
        else:
            first = next(((text, index) for index in indices if (text := csv_cells.cell_text(cells[index]))), None)
            if first is not None:
                found[target] = first
    warnings: list[str] = []
    fields: dict[str, object] = {
        target: found[target][0]
        for target in ("company", "title", "phone", "source", "best_time", "timezone", "notes")
        if target in found
    }
    if others:
        fields["notes"] = "\n\n".join(filter(None, [str(fields.get("notes", "")), "\n".join(others)]))
    if "email" in found:
        fields["email"] = csv_cells.one_email(found["email"][0])
    if "preferred_channel" in found:
        fields["preferred_channel"] = csv_cells.channel(found["preferred_channel"][0])
    if "deal_value" in found:
        text, index = found["deal_value"]
        try:
            fields["deal_value"] = csv_cells.amount(text, headers[index])
        except CellProblem as problem:
            warnings.append(f"{problem}; left empty")
    parts = (found.get(target, ("", 0))[0] for target in ("first_name", "last_name"))
    name = found.get("name", ("", 0))[0] or " ".join(part for part in parts if part) or str(fields.get("email", ""))
    if not name:
        raise CellProblem("has no name (no name, first or last name, nor email)")
    due, has_time = None, False
    if "next_due" in found:
        text, index = found["next_due"]
        try:
            due, has_time = csv_cells.due(text, headers[index], day_first[index], tz)
        except CellProblem as problem:
            warnings.append(f"{problem}; imported without a follow-up date")
    status, closed_why = "active", ""
    if "status" in found:
        text, index = found["status"]
        status = csv_headers.status_of(text)
        closed_why = f"{headers[index]}: {text}" if status != "active" else ""
    columns_of = {target: headers[index] for target, (_, index) in found.items()}
    return Incoming(line, {"name": name, **fields}, due, has_time, columns_of, warnings, status, closed_why)
