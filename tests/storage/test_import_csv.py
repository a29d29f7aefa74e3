"""storage/exchange/csv_table.py, csv_columns.py and csv_cells.py: CSV files shaped like real
exports (HubSpot, Outlook, Google, Pipedrive, Salesforce, our own) read from disk in their real
encodings and delimiters, the rows that cannot be read reported by line, the column mapping
guessed and overridden."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from pathlib import Path

import pytest

from storage.exchange import csv_cells
from storage.exchange.csv_columns import IGNORE, TARGET_LABELS, TARGETS, guess_mapping, records
from storage.exchange.csv_table import Table, read_table
from storage.book.errors import InvalidInput
from storage.exchange.incoming import Problem

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
TZ = "Europe/Paris"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args)


def named(table: Table, mapping: dict[int, str]) -> dict[str, str]:
    """The mapping by header name, without the ignored columns."""
    return {table.headers[i]: target for i, target in mapping.items() if target != IGNORE}


def read(name: str, **kwargs):
    table = read_table(FIXTURES / name, **kwargs)
    people, problems = records(table, guess_mapping(table.headers), TZ)
    return table, people, problems


def by_name(people) -> dict:
    return {person.fields["name"]: person for person in people}


# --- the API's vocabulary -------------------------------------------------------------------


def test_every_target_has_a_label_and_ignore_comes_last():
    assert TARGETS[:3] == ("name", "first_name", "last_name")
    assert list(TARGET_LABELS) == [*TARGETS, IGNORE]
    assert TARGET_LABELS[IGNORE] == "(ignore)" and TARGET_LABELS["name"] == "Full name"


# --- real export shapes ---------------------------------------------------------------------


def test_hubspot_export_utf8_with_bom_comma_crlf():
    table, people, problems = read("hubspot_contacts.csv")
    assert (table.encoding, table.delimiter, table.problems, problems) == ("utf-8-sig", ",", [], [])
    assert table.headers[0] == "Record ID"  # the BOM does not hide the first header
    assert named(table, guess_mapping(table.headers)) == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Phone Number": "phone",
        "Mobile Phone Number": "phone",  # the phone when "Phone Number" is empty
        "Company Name": "company",
        "Job Title": "title",
        "Lead Status": "status",  # NEW, OPEN, IN_PROGRESS: still followed up
        "Next Activity Date": "next_due",
        "Original Source": "source",
    }
    people = by_name(people)
    ada = people["Ada Lovelace"]
    assert ada.line == 2
    assert ada.fields == {
        "name": "Ada Lovelace",
        "company": "Analytical Engines",
        "title": "CTO",
        "email": "Ada@Engines.example",
        "phone": "+44 20 7946 0018",
        "source": "Organic Search",
    }
    # 09:00 in Paris is 08:00 UTC; a date alone is that date (at noon, no zone), and a past one is fine
    assert (ada.next_due, ada.has_time) == (utc(2026, 12, 1, 8, 0), True)
    zoe = people["Zoë Ünal"]
    assert (zoe.next_due, zoe.has_time) == (utc(2026, 11, 20, 12, 0), False)
    assert "next_due" not in people["Grace Hopper"].fields and people["Grace Hopper"].next_due is None
    assert people["Grace Hopper"].fields["phone"] == "+1 555 0102"  # her only phone is her mobile
    assert {person.status for person in people.values()} == {"active"}
    # no name at all: the email stands in; a first name alone is a name
    assert people["info@nameless.example"].fields["company"] == "Nameless Ltd"
    assert people["Linus"].fields == {"name": "Linus"}


def test_outlook_export_in_cp1252_with_semicolons():
    table, people, problems = read("outlook_contacts.csv")
    assert (table.encoding, table.delimiter, problems) == ("cp1252", ";", [])
    mapping = named(table, guess_mapping(table.headers))
    # Outlook's "Title" is "Herr" or "Mme": "Job Title" wins wherever it stands
    assert mapping["Job Title"] == "title" and "Title" not in mapping
    assert mapping["E-mail Address"] == "email" and mapping["Business Phone"] == "phone"
    assert mapping["Mobile Phone"] == mapping["Home Phone"] == "phone" and "E-mail Display Name" not in mapping
    people = by_name(people)
    assert set(people) == {"Jürgen Müller", "Hélène Dubois", "François Lefèvre"}
    jurgen = people["Jürgen Müller"].fields
    assert jurgen["company"] == "Bäckerei Müller" and jurgen["title"] == "Geschäftsführer"
    # € is cp1252's 0x80, not latin-1's
    assert jurgen["notes"] == "Kauft 200 € pro Woche; möchte Rabatt\n\nMobile Phone: +49 170 1234567"
    assert people["Hélène Dubois"].fields["title"] == "Gérante"
    # the business phone first; the mobile is kept in the notes, by its column's name
    assert jurgen["phone"] == "+49 89 123456"
    assert people["Hélène Dubois"].fields["phone"] == "+33 6 12 34 56 78"  # her only one: the mobile


def test_google_contacts_in_utf16_with_tabs():
    table, people, problems = read("google_contacts.csv")
    assert (table.encoding, table.delimiter, problems) == ("utf-16", "\t", [])
    assert named(table, guess_mapping(table.headers)) == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "E-mail 1 - Value": "email",
        "E-mail 2 - Value": "email",
        "Phone 1 - Value": "phone",
        "Phone 2 - Value": "phone",
        "Organization Name": "company",
        "Organization Title": "title",
        "Notes": "notes",
    }
    taro, maria = people
    assert taro.fields == {
        "name": "太郎 山田",
        "company": "山田商事",
        "title": "部長",
        "phone": "+81 90-1234-5678",
        "email": "taro@yamada.example",
        "notes": "Loves ☕, hates spam\n\nHome email: taro.home@example.jp",  # named by its label
    }
    assert maria.fields["name"] == "Maria García" and maria.fields["email"] == "maria@garcia.example"
    assert (maria.fields["phone"], maria.fields["notes"]) == (
        "+34 91 123 45 67", "Met at Mobile World Congress\n\nMobile phone: +34 600 000 000")


def test_utf16_without_a_bom_is_recognised_by_its_nul_bytes(tmp_path):
    data = (FIXTURES / "google_contacts.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF16_LE)
    bare = tmp_path / "no-bom.csv"
    bare.write_bytes(data[2:])
    table, people, _ = read(str(bare))
    assert table.encoding == "utf-16-le"
    assert [p.fields for p in people] == [p.fields for p in read("google_contacts.csv")[1]]


def test_a_byte_cp1252_does_not_define_falls_back_to_latin1(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Name,Notes\nRenée,caf\xe9 \x81\n".encode("latin-1"))
    table, people, _ = read(str(path))
    assert table.encoding == "latin-1"
    assert people[0].fields["name"] == "Renée"


def test_pipedrive_export_with_pipes_a_multiline_note_and_european_numbers():
    table, people, problems = read("pipedrive_deals.csv")
    assert (table.encoding, table.delimiter, problems) == ("utf-8", "|", [])
    assert named(table, guess_mapping(table.headers)) == {
        "Deal - Value": "deal_value",
        "Deal - Next activity date": "next_due",
        "Person - Name": "name",
        "Person - Email": "email",
        "Person - Phone": "phone",
        "Organization - Name": "company",
        "Deal - Stage": "status",
        "Notes": "notes",
    }
    pierre, claire, luc = people
    assert pierre.fields["notes"] == 'Called twice.\nPrefers WhatsApp after 6pm.\n"Hates" cold calls | really.'
    assert pierre.fields["deal_value"] == 12001  # 12.000,50 rounded half up
    assert pierre.fields["company"] == "Boulangerie Martin"
    # the note spans lines 2-4: the next record starts on line 5
    assert [p.line for p in people] == [2, 5, 6]
    # 25/11/2026 in the column: day first, so 01/12/2026 is the first of December
    assert pierre.next_due == utc(2026, 11, 25, 12, 0)
    assert claire.next_due == utc(2026, 12, 1, 12, 0) and claire.fields["deal_value"] == 8500
    assert (luc.next_due, luc.has_time) == (utc(2026, 12, 3, 9, 30), True)
    assert "email" not in luc.fields


def test_salesforce_report_with_dollar_amounts_and_us_dates():
    table, people, problems = read("salesforce_contacts.csv")
    assert (table.encoding, table.delimiter, problems) == ("utf-8", ",", [])
    mapping = named(table, guess_mapping(table.headers))
    assert mapping == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Account Name": "company",
        "Title": "title",
        "Email": "email",
        "Phone": "phone",  # "Phone" before "Mobile": the first keeps it
        "Mobile": "phone",
        "Lead Source": "source",
        "Amount": "deal_value",
        "Due Date": "next_due",
        "Description": "notes",
    }
    marc, parker, dina = people
    assert marc.fields["deal_value"] == 12000 and parker.fields["deal_value"] == 1500
    # no day above 12 anywhere and commas: month first, as US CRMs write
    assert marc.next_due == utc(2026, 12, 1, 12, 0)  # 12/01/2026: December 1
    assert parker.next_due == utc(2027, 1, 2, 12, 0)  # 01/02/2027: January 2
    assert dina.fields["company"] == "Acme, Inc."
    assert parker.fields["phone"] == "(415) 555-0142"  # his only number is his mobile
    assert marc.fields["notes"] == "Wants a pilot, then 200 seats\n\nMobile: (415) 555-0199"


def test_our_own_export_reads_back_and_undoes_the_formula_prefix():
    table, people, problems = read("followup_export.csv")
    assert problems == []
    assert named(table, guess_mapping(table.headers)) == {
        "Name": "name",
        "Company": "company",
        "Title": "title",
        "Email": "email",
        "Phone": "phone",
        "Preferred Channel": "preferred_channel",
        "Best Time": "best_time",
        "Time Zone": "timezone",
        "Deal Value": "deal_value",
        "Source": "source",
        "Status": "status",
        "Next Follow-up": "next_due",
        "Notes": "notes",
    }
    formula, bold, escape = people
    assert [p.status for p in people] == ["active", "won", "active"]
    assert formula.fields["name"] == '=HYPERLINK("http://evil.example","click")'
    assert formula.fields["company"] == "@Acme"
    assert formula.fields["phone"] == "+1 555 0100"
    assert formula.fields["notes"] == "-5% if they sign by Friday"
    assert formula.fields["preferred_channel"] == "text"
    assert formula.fields["timezone"] == "America/New_York" and formula.fields["deal_value"] == 12000
    assert (formula.next_due, formula.has_time) == (utc(2026, 12, 1, 13, 30), True)
    assert bold.fields["name"] == "[bold]Bold[/bold] Co"
    assert escape.fields["preferred_channel"] == "letter"  # the label "letter/postcard" read back
    assert "\x1b" in escape.fields["name"]  # left for the book's clean_text, not dropped here


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'+33 1 42", "+33 1 42"),
        ("'-5%", "-5%"),
        ("'@home", "@home"),
        ("'\tx", "\tx"),
        ("'＝1+1", "＝1+1"),
        ("'plain quote", "'plain quote"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_the_formula_prefix_is_undone_only_before_formula_characters(cell, kept):
    assert csv_cells.cell_text(cell) == kept.strip()


# --- rows that cannot be read ---------------------------------------------------------------


def test_a_malformed_row_in_the_middle_is_reported_and_the_rest_is_read():
    table, people, problems = read("malformed.csv")
    assert table.problems == [
        Problem(4, 'a stray quote: a " inside a cell that is not quoted properly; this line was not imported'),
        Problem(5, "has 5 cells, the header has 6"),
    ]
    assert [line for line, _ in table.rows] == [2, 3, 6, 7, 9, 10, 12]  # line 8 is blank
    assert problems == []  # an unreadable cell costs the cell: the person comes in without it
    assert [p.fields["name"] for p in people] == [
        'Ann Able', 'Bob "The Builder" Baker', "Eve Evans", "Fay Fox", "Gus Grant", "Hal Hill", "Ivy Ives"
    ]
    eve, fay = people[2], people[3]
    assert eve.warnings == ["Deal Value 'lots' is not an amount (like 12000 or $12,000.00); left empty"]
    assert "deal_value" not in eve.fields and eve.next_due is not None
    assert fay.warnings == ["Next Follow-up 'someday' is not a date (like 2026-12-01 or Dec 1, 2026); imported without a follow-up date"]
    assert fay.next_due is None and fay.fields["deal_value"] == 6000
    assert people[5].fields["notes"] == "a note\nover two lines"


def write(tmp_path: Path, text: str, name: str = "file.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_quote_never_closed_costs_its_line_and_the_rest_is_read(tmp_path):
    path = write(tmp_path, 'Name,Email\nAnn,ann@x.example\n"Bob,bob@x.example\nCal,cal@x.example\nDee,dee@x.example\n')
    table = read_table(path)
    assert [(line, cells[0]) for line, cells in table.rows] == [(2, "Ann"), (4, "Cal"), (5, "Dee")]
    assert table.problems == [
        Problem(3, "a quote opened on line 3 is never closed (it runs to the end of the file); only this line was skipped")
    ]


def test_a_quote_never_closed_on_the_last_line_costs_that_line(tmp_path):
    table = read_table(write(tmp_path, 'Name,Email\nAnn,ann@x.example\nBob,"bob@x.example\n'))
    assert [cells[0] for _, cells in table.rows] == ["Ann"]
    assert table.problems == [Problem(3, "a quote opened on line 3 is never closed; this line was not imported")]


def test_a_stray_quote_that_would_swallow_lines_costs_its_line_and_reading_resumes(tmp_path):
    path = write(tmp_path, 'Name,Email\n"Ann,ann@x.example\nBob,bob@x.example\nCal,"cal"@x.example\nDee,dee@x.example\n')
    table = read_table(path)
    assert [(line, cells[0]) for line, cells in table.rows] == [(3, "Bob"), (5, "Dee")]
    assert table.problems == [
        Problem(2, "a stray quote: a quoted cell opened on line 2 runs on to line 4; only this line was skipped"),
        Problem(4, 'a stray quote: a " inside a cell that is not quoted properly; this line was not imported'),
    ]


def test_a_stray_quote_closed_by_an_inch_mark_lines_later_costs_its_line_only(tmp_path):
    """The stray quote finds a closing one (55" TV) and the csv module reads a record of two cells
    over three lines: wrong for the header, so only its first line is lost, and the inch mark,
    inside an unquoted cell, is text."""
    path = write(tmp_path, 'Name,Company,Email\n"Ann,Acme,ann@x.example\nBob,Bolt,bob@x.example\nCal,TV 55",cal@x.example\nDee,Dunn,dee@x.example\n')
    table = read_table(path)
    assert [(line, cells[:2]) for line, cells in table.rows] == [(3, ["Bob", "Bolt"]), (4, ["Cal", 'TV 55"']), (5, ["Dee", "Dunn"])]
    assert table.problems == [
        Problem(2, "has 2 cells, the header has 3: a quote opened on line 2 runs on to line 4; only this line was skipped")
    ]


def test_a_runaway_quote_past_the_cell_limit_costs_its_line_only(tmp_path):
    many = "".join(f"Person {i},note {i} {'x' * 90}\n" for i in range(12_000))  # 1.2 MB without a quote
    table = read_table(write(tmp_path, f'Name,Notes\nAnn,"Said ""maybe\n{many}'))
    assert table.problems == [
        Problem(2, "a cell is longer than 1 MiB (a quote may be missing); only this line was skipped")
    ]
    assert len(table.rows) == 12_000 and table.rows[0] == (3, ["Person 0", "note 0 " + "x" * 90])
    assert table.rows[-1][0] == 12_002


def _hand_kept_list(path: Path, people: int, stray_on_line: int) -> Path:
    """A contact list of `people` rows in the shape of the campaign's file (issue 12): kept by hand,
    or written by a script that joins cells with commas and quotes only a cell holding a comma (as
    Python's csv and spreadsheets' "minimal" quoting do); UTF-8, LF endings, one person a line. On
    `stray_on_line` the rep began a note by quoting the customer and never closed the quote."""
    firsts = ["Ada", "Bob", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Lou", "Max", "Ned", "Oda",
              "Pia", "Quy", "Rex", "Sue", "Tom", "Uma", "Vic", "Wes", "Xia", "Yul", "Zoe", "Abe", "Bea", "Cy", "Di"]
    lasts = [f"{stem}{suffix}" for stem in ("Able", "Baker", "Clark", "Dunn") for suffix in ("", "s", "son", "ley", "ford",
             "ham", "well", "more", "by", "ton")]
    lines = ["First Name,Last Name,Company,Email,Phone,Next Follow-up,Notes"]
    for i in range(people):
        first, last = firsts[i % len(firsts)], lasts[i // len(firsts)]
        note = '"Call me in spring, not before' if len(lines) + 1 == stray_on_line else ('"Budget: Q1, maybe Q2"' if i % 7 == 0 else "met at the fair")
        lines.append(f"{first},{last},{last} & Co,{first.lower()}.{last.lower()}@example.com,+1 555 {i:04d},2026-12-{i % 28 + 1:02d},{note}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return path


def test_a_stray_quote_on_line_3_of_a_thousand_people_costs_one(book, tmp_path):
    """Issue 12: the quote on line 3 used to swallow the other 998 rows ("1 person imported, 1 rows
    unreadable")."""
    from storage.book.models import Prospect
    from storage.exchange.sources import open_source

    source = open_source(_hand_kept_list(tmp_path / "contacts.csv", 1000, stray_on_line=3), TZ)
    # the csv module closes the stray quote at the next one, the opening quote of line 9's note
    assert source.problems == [
        Problem(3, "a stray quote: a quoted cell opened on line 3 runs on to line 9; only this line was skipped")
    ]
    assert [person.line for person in source.records] == [2, *range(4, 1002)]
    assert source.records[6].line == 9 and source.records[6].fields["notes"] == "Budget: Q1, maybe Q2"
    report = source.run()
    assert (report.added, len(report.problems)) == (999, 1)
    assert Prospect.select().count() == 999


def test_a_quote_opened_mid_file_and_never_closed_costs_its_line_and_notes_over_lines_still_read():
    """Pipedrive's deals export (pipedrive_deals.csv's shape: pipes, minimal quoting, notes quoted over
    several lines) as a rep edited it by hand before the import: on line 9 a note begins with a
    quote that is never closed."""
    table, people, problems = read("pipedrive_unclosed_quote.csv")
    assert table.problems == [
        Problem(9, "a quote opened on line 9 is never closed (it runs to the end of the file); only this line was skipped")
    ]
    assert problems == table.problems[:0]
    assert [(p.line, p.fields["name"]) for p in people] == [
        (2, "Pierre Martin"), (4, "Claire Petit"), (5, "Luc Moreau"), (6, "Anne Girard"), (10, "Sophie Roux"),
        (11, "Hugo Faure"), (12, "Inès Mercier"), (13, "Paul Lambert"), (14, "Julie Bonnet"),
    ]
    assert people[0].fields["notes"] == "Called twice.\nPrefers WhatsApp after 6pm."
    assert people[3].fields["notes"] == "Two sites:\nLyon and Grenoble.\nBudget agreed in October."


def test_a_note_quoted_over_lines_after_a_stray_quote_still_reads_on_its_own_lines(tmp_path):
    """The same export with one more deal whose note is quoted over two lines: the stray quote of
    line 9 now closes on line 15, in the middle of a cell; the lines between are read again."""
    text = (FIXTURES / "pipedrive_unclosed_quote.csv").read_text(encoding="utf-8")
    text += 'Oven hoods|1.200|EUR|Lead in|15/12/2026|Zoé Lucas|zoe@lucas.example|+33 1 42 00 00 11|Lucas Pains|"Wants two quotes:\nsteel and glass"\nLast deal|100|EUR|Lead in|16/12/2026|Yves Noël|yves@noel.example||Noël SARL|\n'
    table, people, problems = read(str(write(tmp_path, text)))
    assert table.problems == [
        Problem(9, "a stray quote: a quoted cell opened on line 9 runs on to line 15; only this line was skipped")
    ]
    assert [(p.line, p.fields["name"]) for p in people][-3:] == [(14, "Julie Bonnet"), (15, "Zoé Lucas"), (17, "Yves Noël")]
    assert people[-2].fields["notes"] == "Wants two quotes:\nsteel and glass"


def test_blank_rows_and_rows_of_empty_cells_are_skipped_silently(tmp_path):
    path = write(tmp_path, "\n\nName,Email\n\n,\n  ,  \nAnn,ann@x.example\n")
    table = read_table(path)
    assert table.headers == ["Name", "Email"]
    assert table.rows == [(7, ["Ann", "ann@x.example"])] and table.problems == []


def test_old_mac_line_endings_and_nul_characters(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Name,Email\rAd\x00a,ada@x.example\rBob,bob@x.example\r")
    table = read_table(path)
    assert table.rows == [(2, ["Ada", "ada@x.example"]), (3, ["Bob", "bob@x.example"])]


def test_a_long_note_reads_and_the_csv_limit_is_put_back(tmp_path):
    before = csv.field_size_limit()
    note = "x" * 300_000  # beyond the csv module's 128 KiB default
    path = write(tmp_path, f'Name,Notes\nAnn,"{note}"\n')
    table = read_table(path)
    assert table.rows[0][1][1] == note and table.problems == []
    assert csv.field_size_limit() == before


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "zip file"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF"),
        (bytes(range(256)) * 8, "not text"),
        (b"ada@engines.example,Ada Lovelace\nbob@x.example,Bob\n", "no header row"),
    ],
)
def test_files_that_are_not_a_csv_with_a_header_are_refused_in_one_sentence(tmp_path, data, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as caught:
        read_table(path)
    assert caught.value.field == "file"
    assert words in caught.value.message and "\n" not in caught.value.message


def test_a_missing_file_is_an_invalid_input(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        read_table(tmp_path / "nowhere.csv")
    assert caught.value.field == "file" and "Can't read" in caught.value.message


def test_the_rep_can_choose_the_encoding_and_the_delimiter():
    path = FIXTURES / "outlook_contacts.csv"
    with pytest.raises(InvalidInput) as caught:
        read_table(path, encoding="utf-8")
    assert caught.value.field == "encoding" and "line 2" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        read_table(path, encoding="klingon")
    assert caught.value.field == "encoding"
    chosen = read_table(path, encoding="latin-1", delimiter=";")
    assert chosen.encoding == "latin-1" and chosen.headers == read_table(path).headers
    # the wrong delimiter: Outlook quotes every header, so the first row cannot be read
    with pytest.raises(InvalidInput) as caught:
        read_table(path, delimiter=",")
    assert caught.value.field == "delimiter" and "with commas between the columns" in caught.value.message
    # on a file that quotes nothing, it gives one column the rep sees in the preview
    tabs = read_table(FIXTURES / "pipedrive_deals.csv", delimiter="\t")
    assert tabs.delimiter == "\t" and len(tabs.headers) == 1
    with pytest.raises(InvalidInput) as caught:
        read_table(path, delimiter=";;")
    assert caught.value.field == "delimiter"


def test_the_sniffer_is_not_fooled_by_commas_inside_a_semicolon_file(tmp_path):
    path = write(tmp_path, "Name;Notes\nAnn;likes tea, cake, and jam\nBob;one, two\n")
    assert read_table(path).delimiter == ";"


# --- guessing the mapping -------------------------------------------------------------------

HEADER_SETS = {
    "hubspot": (
        ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title", "Lead Status", "Associated Company"],
        {"First Name": "first_name", "Last Name": "last_name", "Email": "email", "Phone Number": "phone", "Company Name": "company", "Job Title": "title", "Lead Status": "status"},
    ),
    "salesforce": (
        ["First Name", "Last Name", "Account Name", "Title", "Email", "Mobile", "Amount", "Description", "Lead Source"],
        {"First Name": "first_name", "Last Name": "last_name", "Account Name": "company", "Title": "title", "Email": "email", "Mobile": "phone", "Amount": "deal_value", "Description": "notes", "Lead Source": "source"},
    ),
    "pipedrive": (
        ["Person - Name", "Organization - Name", "Person - Email", "Person - Phone", "Deal - Value", "Deal - Title", "Person - Job title"],
        {"Person - Name": "name", "Organization - Name": "company", "Person - Email": "email", "Person - Phone": "phone", "Deal - Value": "deal_value", "Person - Job title": "title"},
    ),
    "google": (
        ["First Name", "Middle Name", "Last Name", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Value", "Phone 1 - Value", "Organization Name", "Organization Title", "Notes"],
        {"First Name": "first_name", "Last Name": "last_name", "E-mail 1 - Value": "email", "E-mail 2 - Value": "email", "Phone 1 - Value": "phone", "Organization Name": "company", "Organization Title": "title", "Notes": "notes"},
    ),
    "google, older": (
        ["Name", "Given Name", "Family Name", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Value", "Organization 1 - Name", "Organization 1 - Title", "Notes"],
        {"Name": "name", "Given Name": "first_name", "Family Name": "last_name", "E-mail 1 - Value": "email", "Phone 1 - Value": "phone", "Organization 1 - Name": "company", "Organization 1 - Title": "title", "Notes": "notes"},
    ),
    "outlook": (
        ["Title", "First Name", "Last Name", "Company", "Job Title", "Business Phone", "Mobile Phone", "E-mail Address", "E-mail Type", "Notes"],
        {"First Name": "first_name", "Last Name": "last_name", "Company": "company", "Job Title": "title", "Business Phone": "phone", "Mobile Phone": "phone", "E-mail Address": "email", "Notes": "notes"},
    ),
    "zoho": (
        ["Full Name", "Account Name", "Title", "Email", "Phone", "Lead Source", "Description"],
        {"Full Name": "name", "Account Name": "company", "Title": "title", "Email": "email", "Phone": "phone", "Lead Source": "source", "Description": "notes"},
    ),
    "ours": (
        ["Name", "Company", "Title", "Email", "Phone", "Preferred Channel", "Best Time", "Time Zone", "Deal Value", "Source", "Status", "Next Follow-up", "Next Channel", "Kind", "Promised", "Touches", "Last Touch", "Notes"],
        {"Name": "name", "Company": "company", "Title": "title", "Email": "email", "Phone": "phone", "Preferred Channel": "preferred_channel", "Best Time": "best_time", "Time Zone": "timezone", "Deal Value": "deal_value", "Source": "source", "Status": "status", "Next Follow-up": "next_due", "Notes": "notes"},
    ),
    "spreadsheet": (
        ["full name", "COMPANY", " e-mail ", "Phone", "Mobile", "Due Date", "Favourite colour"],
        {"full name": "name", "COMPANY": "company", " e-mail ": "email", "Phone": "phone", "Mobile": "phone", "Due Date": "next_due"},
    ),
}


@pytest.mark.parametrize("shape", list(HEADER_SETS))
def test_the_mapping_is_guessed_for_common_header_sets(shape):
    headers, expected = HEADER_SETS[shape]
    mapping = guess_mapping(headers)
    assert set(mapping) == set(range(len(headers)))  # every column has a target, ignore included
    assert {headers[i]: t for i, t in mapping.items() if t != IGNORE} == expected


def test_the_first_of_equal_columns_keeps_the_target_and_a_stronger_name_wins():
    assert guess_mapping(["Mobile", "Phone"]) == {0: "phone", 1: "phone"}  # phones and emails: all of them
    assert guess_mapping(["Full Name", "Name"]) == {0: "name", 1: IGNORE}
    assert guess_mapping(["Title", "Job Title"]) == {0: IGNORE, 1: "title"}
    assert guess_mapping(["Associated Company", "Company Name"]) == {0: IGNORE, 1: "company"}
    assert guess_mapping(["Favourite colour", ""]) == {0: IGNORE, 1: IGNORE}


def test_an_explicit_mapping_overrides_the_guess():
    table = read_table(FIXTURES / "salesforce_contacts.csv")
    mapping = guess_mapping(table.headers)
    index = {header: i for i, header in enumerate(table.headers)}
    mapping[index["Phone"]] = IGNORE
    mapping[index["Mobile"]] = "phone"
    mapping[index["Lead Source"]] = IGNORE
    mapping[index["Title"]] = "notes"  # two columns into notes: joined
    people, problems = records(table, mapping, TZ)
    marc = people[0].fields
    assert problems == []
    assert marc["phone"] == "(415) 555-0199" and "source" not in marc and "title" not in marc
    assert marc["notes"] == "CEO\n\nWants a pilot, then 200 seats"
    with pytest.raises(ValueError):
        records(table, {0: "favourite_colour"}, TZ)


def test_a_row_without_any_name_is_a_problem_on_its_line(tmp_path):
    path = write(tmp_path, "Company,Phone\nAcme,555\n")
    table = read_table(path)
    people, problems = records(table, guess_mapping(table.headers), TZ)
    assert people == [] and problems == [Problem(2, "has no name (no name, first or last name, nor email)")]


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("12000", 12000),
        ("$12,000", 12000),
        ("12000.00", 12000),
        ("€ 12 000", 12000),
        ("12.000,50", 12001),
        ("12 000,50 €", 12001),
        ("USD 1,200", 1200),
        ("CHF 12'000", 12000),
        ("1.234.567,89", 1234568),
        ("2,5", 3),
    ],
)
def test_deal_values_as_exports_write_them(cell, value):
    assert csv_cells.amount(cell, "Amount") == value


@pytest.mark.parametrize(
    ("cell", "day_first", "due", "has_time"),
    [
        ("2026-12-01", False, utc(2026, 12, 1, 12, 0), False),
        ("2026-12-01 09:00", False, utc(2026, 12, 1, 8, 0), True),
        ("2026-12-01T09:00:00Z", False, utc(2026, 12, 1, 9, 0), True),
        ("2026-12-01T09:00:00-05:00", False, utc(2026, 12, 1, 14, 0), True),
        ("2026-12-01T00:00:00Z", False, utc(2026, 12, 1, 12, 0), False),  # a date-only field
        ("2026/12/01", False, utc(2026, 12, 1, 12, 0), False),
        ("12/01/2026", False, utc(2026, 12, 1, 12, 0), False),
        ("01/12/2026", True, utc(2026, 12, 1, 12, 0), False),
        ("01.12.2026 14:30", False, utc(2026, 12, 1, 13, 30), True),  # dots: always day first
        ("12/01/2026 2:30 PM", False, utc(2026, 12, 1, 13, 30), True),
        ("Dec 1, 2026", False, utc(2026, 12, 1, 12, 0), False),
        ("Tue, Dec 1, 2026 9am", False, utc(2026, 12, 1, 8, 0), True),
        ("1 Dec 2026", False, utc(2026, 12, 1, 12, 0), False),
        ("1-Dec-26", False, utc(2026, 12, 1, 12, 0), False),
        ("2025-01-15", False, utc(2025, 1, 15, 12, 0), False),  # the past is fine: overdue
    ],
)
def test_due_dates_as_exports_write_them(cell, day_first, due, has_time):
    assert csv_cells.due(cell, "Due", day_first, TZ) == (due, has_time)


def test_day_or_month_first_is_decided_per_column_from_its_values(tmp_path):
    def first_due(text: str, name: str) -> dt.datetime:
        table = read_table(write(tmp_path, text, name))
        people, problems = records(table, guess_mapping(table.headers), TZ)
        assert problems == []
        return people[0].next_due

    december_first = utc(2026, 12, 1, 12, 0)
    # a 25 in the first place anywhere in the column: day first
    assert first_due("Name,Due Date\nAnn,01/12/2026\nBob,25/11/2026\n", "a.csv") == december_first
    # a 25 in the second place: month first
    assert first_due("Name,Due Date\nAnn,12/01/2026\nBob,11/25/2026\n", "b.csv") == december_first
    # no evidence in the column, but a ; file (Excel in Europe): day first
    assert first_due("Name;Due Date\nAnn;01/12/2026\n", "c.csv") == december_first


def test_an_unreadable_date_names_the_column_and_the_value(tmp_path):
    table = read_table(write(tmp_path, "Name,Next Follow-up\nAnn,31/31/2026\nBob,2026-02-30\n"))
    people, problems = records(table, guess_mapping(table.headers), TZ)
    assert problems == [] and [p.next_due for p in people] == [None, None]
    assert [p.warnings for p in people] == [
        ["Next Follow-up '31/31/2026' is not a date (like 2026-12-01 or Dec 1, 2026); imported without a follow-up date"],
        ["Next Follow-up '2026-02-30' is not a date (like 2026-12-01 or Dec 1, 2026); imported without a follow-up date"],
    ]


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("9999-12-31", "too far ahead — the book keeps dates up to 2999"),  # some exports' "no date"
        ("12/31/9999 11:00 PM", "too far ahead — the book keeps dates up to 2999"),
        ("9999-12-31T23:00:00+14:00", "too far ahead — the book keeps dates up to 2999"),
        ("0001-01-01", "too far back — the book keeps dates from 1900"),
    ],
)
def test_a_date_the_book_does_not_keep_is_a_problem_in_words_not_an_overflow(cell, why):
    with pytest.raises(csv_cells.CellProblem) as caught:
        csv_cells.due(cell, "Next Follow-up", False, "America/New_York")
    assert str(caught.value) == f"Next Follow-up {cell!r} is {why}"
