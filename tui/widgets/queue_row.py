"""What one queue row says at a given width: the one home of the row's layout (pure, no Textual).

At every width a row keeps its due label, a readable part of BOTH the name and the company, and
the touch marks (`14×`, and `2○` for two in a row without a reply); the channel and the kind
come in as the width allows. Below COMPACT_BELOW cells (the queue at 60 and 80 columns is ~36)
the head and the tail shrink ("today 14:00" reads "14:00") so the name and the company share the
rest, each shortened the way a person would: "Clémence D. Saltmarsh…", not "Clémence D…"."""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from rich.cells import cell_len, set_cell_size

from storage.rules.dates import MONTH_NAMES, WEEKDAY_NAMES

COMPACT_BELOW = 60  # content cells: a narrower queue gets the compact head and tail
FULL_DUE = 11  # the longest label: "today 14:00", "30 Dec 2027" (storage/rules/dates.due_label)
SHORT_DUE = 9  # the longest short one: "Wed 14:00", "999d late"
WHO_KEPT = 24  # cells name and company keep before a channel or kind column is given room
CHANNEL = 7
KIND = 13
OWNER = 10  # a manager's queue: whose each prospect is ("mine", "shared", a rep's name), before the channel
COLUMNS_FROM = 56  # cells for name and company from which each has a column of its own
NAME_COLUMN = 30
WHO_MOST = 72  # cells name and company take at most; a wider row leaves the rest at its end
NEAR_DAYS = 300  # a date this close needs no year to be read right ("5 Jan", in December)


def short_due(label: str, due: pendulum.DateTime, now: pendulum.DateTime) -> str:
    """`label` (due_label's) in at most SHORT_DUE cells, as readable: "today 14:00" -> "14:00",
    "tmrw 14:00" -> "Tue 14:00", "5 Jan 2027" -> "5 Jan" when near, else "Jan 2027"."""
    if label.startswith("today "):
        return label[len("today "):]
    if label.startswith("tmrw "):
        return WEEKDAY_NAMES[due.weekday()] + label[len("tmrw"):]
    if len(label) > SHORT_DUE:  # only a date in another year is longer
        if (due.date() - now.date()).days <= NEAR_DAYS:
            return label.rsplit(" ", 1)[0]
        return f"{MONTH_NAMES[due.month - 1]} {due.year}"
    return label


def clip(text: str, cells: int) -> str:
    """`text` in at most `cells`, an ellipsis where it was cut."""
    if cell_len(text) <= cells:
        return text
    if cells <= 0:
        return ""
    return set_cell_size(text, cells - 1).rstrip() + "…"


def fit_name(name: str, cells: int) -> str:
    """A person's name in at most `cells`: whole, else "First L.", else the first name, else cut."""
    if cell_len(name) <= cells:
        return name
    parts = name.split()
    if len(parts) >= 2:
        short = f"{parts[0]} {parts[-1][0]}."
        if cell_len(short) <= cells:
            return short
        if cell_len(parts[0]) <= cells:
            return parts[0]
    return clip(name, cells)


def who(name: str, company: str, cells: int) -> tuple[str, str, str]:
    """Name, separator and company in `cells` (padded to exactly that): both whole when they fit,
    else each keeps a readable part, the name at least half unless the company needs less."""
    if cells <= 0:
        return "", "", ""
    if not company:
        return set_cell_size(clip(name, cells), cells), "", ""
    if cells >= COLUMNS_FROM:  # room for both in columns of their own: the companies align
        column = min(NAME_COLUMN, cells * 2 // 5)
        name = set_cell_size(fit_name(name, column - 2), column)
        return name, "", set_cell_size(clip(company, cells - column), cells - column)
    sep = " · " if cells >= 30 else " "
    room = cells - len(sep)
    if room < 8:  # no readable part of both: the name alone
        return set_cell_size(clip(name, cells), cells), "", ""
    if cell_len(name) + cell_len(company) > room:
        whole = name
        name = fit_name(name, max(room - cell_len(company), (room + 1) // 2))
        company = clip(company, room - cell_len(name))
        name = fit_name(whole, room - cell_len(company))  # what the company left, back to the name
    return name, sep, set_cell_size(company, cells - cell_len(name) - len(sep))


@dataclass(frozen=True)
class RowFacts:
    """What a row shows, as plain text (already made visible: no control characters)."""

    due: str  # due_label's, or "no step"
    short_due: str  # short_due's
    promised: bool
    name: str
    company: str
    touches: int
    silent: int  # touches in a row without a reply
    channel: str
    kind: str
    owner: str = ""  # whose it is, on a manager's desk (tui/screens/desk_team.py); empty elsewhere


# The parts of a row, in order, each (text, part): part is "due" (the mark and the label, in the
# row's due colour), "name", "company" or "dim" (separator, channel, kind, touches).
Piece = tuple[str, str]


def row_pieces(row: RowFacts, width: int) -> list[Piece]:
    """The row in `width` cells (exactly, for any width from 1 up)."""
    mark = "★" if row.promised else " "
    silent = f"{row.silent}○" if row.silent else ""
    if width < COMPACT_BELOW:
        head = f"{mark} {row.short_due:<{SHORT_DUE}} "
        touches = f" {row.touches:>2}×{silent:>3}"
    else:
        head = f" {mark} {row.due:<{FULL_DUE}} "
        touches = f" {row.touches:>3}× {silent:>3} "
    extras: list[Piece] = []
    room = width - cell_len(head) - cell_len(touches)
    if row.owner and room - 1 - OWNER >= WHO_KEPT:
        extras.append((f" {clip(row.owner, OWNER):<{OWNER}}", "dim"))
        room -= 1 + OWNER
    if room - 1 - CHANNEL >= WHO_KEPT:
        extras.append((f" {clip(row.channel, CHANNEL):<{CHANNEL}}", "dim"))
        room -= 1 + CHANNEL
        if room - 1 - KIND >= WHO_KEPT:
            extras.append((f" {clip(row.kind, KIND):<{KIND}}", "dim"))
            room -= 1 + KIND
    name, sep, company = who(row.name, row.company, min(room, WHO_MOST))
    pieces = [(head, "due"), (name, "name"), (sep, "dim"), (company, "company"), *extras, (touches, "dim"),
              (" " * (room - WHO_MOST), "dim")]  # a very wide queue: the space after the facts
    return _fit(pieces, width)


def _fit(pieces: list[Piece], width: int) -> list[Piece]:
    """The pieces cut at `width` cells (a window narrower than the head and the tail)."""
    kept: list[Piece] = []
    left = width
    for text, part in pieces:
        if left <= 0:
            break
        if not text:
            continue
        cells = min(cell_len(text), left)
        kept.append((set_cell_size(text, cells), part))
        left -= cells
    return kept
