"""The queue row's layout at every width (tui/widgets/queue_row.py): due, a readable part of the name
AND the company, and the touch marks always; channel and kind when there is room."""

from __future__ import annotations

import pendulum
import pytest
from rich.cells import cell_len

from tui.widgets.queue_row import RowFacts, clip, fit_name, row_pieces, short_due, who

TZ = "Europe/Paris"
NOW = pendulum.datetime(2026, 11, 23, 9, 30, tz=TZ)  # a Monday

CLEMENCE = RowFacts(due="today 14:00", short_due="14:00", promised=True, name="Clémence Dufour",
                    company="Saltmarsh Ceramics", touches=14, silent=2, channel="meeting", kind="new prospect")


def text(row: RowFacts, width: int) -> str:
    return "".join(piece for piece, _ in row_pieces(row, width))


@pytest.mark.parametrize("label, due, short", [
    ("today 14:00", NOW.set(hour=14), "14:00"),
    ("tmrw 09:15", NOW.add(days=1).set(hour=9, minute=15), "Tue 09:15"),
    ("5 Jan 2027", pendulum.datetime(2027, 1, 5, tz=TZ), "5 Jan"),  # near: the year goes without saying
    ("5 Mar 2028", pendulum.datetime(2028, 3, 5, tz=TZ), "Mar 2028"),  # far: the year matters more
    ("999d late", NOW.subtract(days=999), "999d late"),
    ("Wed 14:00", NOW.add(days=2).set(hour=14), "Wed 14:00"),
    ("tomorrow", NOW.add(days=1), "tomorrow"),
])
def test_a_short_due_label_keeps_what_matters_in_nine_cells(label, due, short):
    assert short_due(label, due, NOW) == short
    assert len(short) <= 9


@pytest.mark.parametrize("cells, shown", [
    (20, "Clémence Dufour"), (11, "Clémence D."), (9, "Clémence"), (5, "Clém…"), (1, "…"), (0, ""),
])
def test_a_name_shortens_the_way_a_person_would(cells, shown):
    assert fit_name("Clémence Dufour", cells) == shown


def test_clip_cuts_with_an_ellipsis_and_no_space_before_it():
    assert clip("Redwood Pet Supplies", 9) == "Redwood…"
    assert clip("Pact", 9) == "Pact"


def test_name_and_company_each_keep_a_readable_part():
    assert who("Clémence Dufour", "Saltmarsh Ceramics", 18) == ("Clémence", " ", "Saltmars…")
    assert who("Clémence Dufour", "Saltmarsh Ceramics", 26) == ("Clémence D.", " ", "Saltmarsh Cer…")
    assert who("Pat Promise", "Pact", 18) == ("Pat Promise", " ", "Pact  ")  # both whole, padded
    assert who("Clémence Dufour", "Saltmarsh Ceramics", 40) == ("Clémence Dufour", " · ", "Saltmarsh Ceramics    ")
    assert who("Nina Nostep", "", 8) == ("Nina No…", "", "")


def test_at_the_queue_width_of_80_and_60_columns_a_row_has_due_name_company_and_touches():
    shown = text(CLEMENCE, 37)
    assert shown == "★ 14:00     Clémence Saltmars… 14× 2○"
    assert cell_len(shown) == 37


def test_an_unpromised_row_without_silence_lines_up_with_the_others():
    quiet = RowFacts(due="20d late", short_due="20d late", promised=False, name="Nathalie Roux", company="Greenway",
                     touches=3, silent=0, channel="email", kind="new prospect")
    assert text(quiet, 37) == "  20d late  Nathalie Greenway   3×   "


def test_channel_and_kind_come_in_as_the_width_allows():
    assert "meeting" not in text(CLEMENCE, 37)
    at_160 = text(CLEMENCE, 77)
    assert at_160.startswith(" ★ today 14:00 Clémence D. · Saltmarsh Ceram… meeting new prospect   14×  2○ ")
    assert "Saltmarsh Ceramics" in text(CLEMENCE, 100)


def test_a_very_wide_queue_puts_name_and_company_in_columns_and_the_space_at_the_end():
    row = text(CLEMENCE, 146)
    assert row.startswith(" ★ today 14:00 Clémence Dufour             Saltmarsh Ceramics ")
    assert row.rstrip().endswith("meeting new prospect   14×  2○")
    other = RowFacts(due="Fri", short_due="Fri", promised=False, name="Tyler Johnson", company="Redwood Pet Supplies",
                     touches=3, silent=0, channel="email", kind="check-in")
    assert text(other, 146).index("Redwood") == row.index("Saltmarsh")  # the companies align


@pytest.mark.parametrize("width", range(1, 301))
def test_every_width_is_filled_exactly(width):
    assert sum(cell_len(piece) for piece, _ in row_pieces(CLEMENCE, width)) == width
    long = RowFacts(due="30 Dec 2027", short_due="Dec 2027", promised=False, name="Wolfgang Amadeus Mozart-Müller",
                    company="漢字の会社 International Holdings", touches=1234, silent=42, channel="letter", kind="hard-to-reach")
    assert sum(cell_len(piece) for piece, _ in row_pieces(long, width)) == width


def test_a_managers_row_names_the_rep_before_the_channel_where_there_is_room():
    theirs = RowFacts(due="today 14:00", short_due="14:00", promised=True, name="Clémence Dufour",
                      company="Saltmarsh Ceramics", touches=14, silent=2, channel="meeting", kind="new prospect",
                      owner="alexandrina")
    assert "alex" not in text(theirs, 37)  # 80 columns: the name and the company keep the room
    at_160 = text(theirs, 77)
    assert " alexandri… meeting " in at_160 and "new prospect" not in at_160  # the rep before the kind
    assert text(theirs, 146).rstrip().endswith("alexandri… meeting new prospect   14×  2○")
    for width in range(1, 301):
        assert sum(cell_len(piece) for piece, _ in row_pieces(theirs, width)) == width
