"""What a CSV's columns mean and the people in its rows: header names (a CRM's, a spreadsheet's,
in the rep's language) → the fields they fill (`guess_mapping`, which the rep may change), then
each row → an Incoming record by that mapping (`records`). Nothing here writes the book:
storage.exchange.imports does, by the book's rules.
"""

from __future__ import annotations

import unicodedata

from storage.exchange import csv_cells
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
    IGNORE: "(ignore)",
}

# ---------------------------------------------------------------------------------------------
# Headers → a mapping


def _norm(header: str) -> str:
    """'E-mail 1 - Value' → 'emailvalue': no case, accents, digits, spaces or punctuation."""
    text = unicodedata.normalize("NFKD", header.casefold())
    return "".join(ch for ch in text if ch.isalpha() and not unicodedata.combining(ch))


def _aliases(target: str, *names: str) -> dict[str, str]:
    return {_norm(name): target for name in names}


# Header names (normalised) → target. STRONG names win over WEAK ones whatever the column order
# (Outlook's "Title" is "Mr." or "Dr." when "Job Title" is there too); among equals, the first
# column wins ("Phone" over a later "Mobile").
STRONG = {
    **_aliases("name", "Name", "Full Name", "Contact Name", "Display Name", "Person - Name", "Lead Name", "Contact Full Name"),
    **_aliases("first_name", "First Name", "Given Name", "First", "Forename", "Prénom", "Vorname", "Nombre"),
    **_aliases("last_name", "Last Name", "Family Name", "Surname", "Last", "Nachname", "Apellido", "Apellidos"),
    **_aliases(
        "company",
        "Company", "Company Name", "Organization", "Organisation", "Organization Name", "Organisation Name",
        "Organization - Name", "Organization 1 - Name", "Account", "Account Name", "Org Name", "Employer",
        "Business Name", "Société", "Entreprise", "Firma", "Empresa",
    ),
    **_aliases("title", "Job Title", "Organization Title", "Organization 1 - Title", "Position", "Job Position", "Role", "Job Role", "Designation", "Person - Job title", "Fonction", "Poste"),
    **_aliases(
        "email",
        "Email", "E-mail", "Email Address", "E-mail Address", "Mail", "E-mail 1 - Value", "Email 1 - Value",
        "Work Email", "Business Email", "Primary Email", "Person - Email", "Courriel", "Adresse e-mail",
    ),
    **_aliases(
        "phone",
        "Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Mobile Phone", "Mobile Phone Number",
        "Mobile Number", "Cell", "Cell Phone", "Business Phone", "Work Phone", "Primary Phone", "Home Phone",
        "Direct Phone", "Office Phone", "Phone 1 - Value", "Person - Phone", "Téléphone", "Portable", "Telefon",
        "Teléfono",
    ),
    **_aliases("deal_value", "Deal Value", "Amount", "Deal Amount", "Opportunity Amount", "Expected Revenue", "Deal - Value", "Montant"),
    **_aliases(
        "next_due",
        "Next Follow-up", "Next Follow-up Date", "Follow-up Date", "Follow Up Date", "Followup", "Due Date",
        "Next Activity Date", "Deal - Next activity date", "Person - Next activity date", "Next Step Date",
        "Next Contact Date", "Reminder Date", "Relance",
    ),
    **_aliases("notes", "Notes", "Note", "Description", "Comments", "Comment", "Remarks", "Person - Notes", "Background Info", "Remarques"),
    **_aliases("source", "Source", "Lead Source", "Original Source", "Contact Source", "Origin", "Person - Source"),
    **_aliases("preferred_channel", "Preferred Channel", "Preferred Contact Method", "Contact Method", "Preferred Contact"),
    **_aliases("best_time", "Best Time", "Best Time to Call", "Best Time to Reach", "Best Time to Contact"),
    **_aliases("timezone", "Time Zone", "Timezone", "TZ"),
}
WEAK = {
    **_aliases("name", "Contact", "Person", "Customer", "Customer Name", "Nom complet"),
    **_aliases("company", "Associated Company", "Org"),
    **_aliases("title", "Title"),
    **_aliases("email", "Other Email", "Personal Email"),
}
# Prefixes of a person's own columns ("Person - Email", "Contact Email"), tried when the whole
# name is unknown; an organization's or a deal's prefix is spelled out in the tables instead.
PERSON_PREFIXES = ("person", "contact", "lead", "primarycontact", "customer")


def _target(header: str) -> tuple[str, int]:
    """(target, strength: 0 strong, 1 weak, 2 unknown) of one header."""
    key = _norm(header)
    candidates = [key] + [key[len(p):] for p in PERSON_PREFIXES if key.startswith(p) and len(key) > len(p)]
    for strength, table in enumerate((STRONG, WEAK)):
        for candidate in candidates:
            if candidate in table:
                return table[candidate], strength
    return IGNORE, 2


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → target for every column (IGNORE when unknown, or when an earlier or
    stronger column already took its target)."""
    mapping = {index: IGNORE for index in range(len(headers))}
    guesses = sorted(
        ((strength, index, target) for index, (target, strength) in enumerate(map(_target, headers)) if target != IGNORE)
    )
    taken: set[str] = set()
    for _, index, target in guesses:
        if target not in taken:
            mapping[index] = target
            taken.add(target)
    return mapping


# ---------------------------------------------------------------------------------------------
# Rows → records


def records(table: Table, mapping: dict[int, str], tz: str) -> tuple[list[Incoming], list[Problem]]:
    """The people in the table's rows by `mapping` (column index → target; a column not in it is
    ignored). When several columns share a target, the first non-empty cell wins, except notes,
    which are joined. Dates without a zone are the rep's (`tz`). The fields are not checked
    against the book's rules yet: storage.exchange.imports.apply does that, for a dry run too."""
    columns: dict[str, list[int]] = {}
    for index in sorted(mapping):
        target = mapping[index]
        if target != IGNORE and target not in TARGETS:
            raise ValueError(f"unknown import target {target!r}")
        if target != IGNORE and 0 <= index < len(table.headers):
            columns.setdefault(target, []).append(index)
    day_first = {index: csv_cells.day_first(table, index) for index in columns.get("next_due", [])}
    people: list[Incoming] = []
    problems: list[Problem] = []
    for line, cells in table.rows:
        try:
            people.append(_record(line, cells, columns, table.headers, day_first, tz))
        except CellProblem as problem:
            problems.append(Problem(line, str(problem)))
    return people, problems


def _record(
    line: int, cells: list[str], columns: dict[str, list[int]], headers: list[str], day_first: dict[int, bool], tz: str
) -> Incoming:
    found: dict[str, tuple[str, int]] = {}  # target -> (text, column it came from)
    for target, indices in columns.items():
        if target == "notes":
            notes = "\n\n".join(text for text in (csv_cells.cell_text(cells[index]) for index in indices) if text)
            if notes:
                found[target] = (notes, indices[0])
            continue
        for index in indices:
            if text := csv_cells.cell_text(cells[index]):
                found[target] = (text, index)
                break
    fields: dict[str, object] = {
        target: found[target][0]
        for target in ("company", "title", "phone", "source", "best_time", "timezone", "notes")
        if target in found
    }
    if "email" in found:
        fields["email"] = csv_cells.one_email(found["email"][0])
    if "preferred_channel" in found:
        fields["preferred_channel"] = csv_cells.channel(found["preferred_channel"][0])
    if "deal_value" in found:
        text, index = found["deal_value"]
        fields["deal_value"] = csv_cells.amount(text, headers[index])
    parts = (found.get(target, ("", 0))[0] for target in ("first_name", "last_name"))
    name = found.get("name", ("", 0))[0] or " ".join(part for part in parts if part) or str(fields.get("email", ""))
    if not name:
        raise CellProblem("has no name (no name, first or last name, nor email)")
    due, has_time = None, False
    if "next_due" in found:
        text, index = found["next_due"]
        due, has_time = csv_cells.due(text, headers[index], day_first[index], tz)
    return Incoming(line, {"name": name, **fields}, due, has_time)
