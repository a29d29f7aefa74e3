"""Issue 16, points 1-3 for CSV files: real exports of any origin (tests/fixtures/import/SOURCES.md
says where each shape comes from) bring every person in: the header found below LinkedIn's notes,
a mail client's trailing commas, every phone and email column, headers in seven languages, a CRM's
won or lost status; a cell that cannot be read costs the cell; --map takes what the dry run prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.book.errors import InvalidInput
from storage.exchange import csv_cells
from storage.exchange.csv_columns import IGNORE, guess_mapping, records, target_named
from storage.exchange.csv_table import read_table
from storage.exchange.incoming import Problem
from storage.exchange.sources import open_source
from tests.book_checks import derived_mismatches

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
TZ = "Europe/Paris"


def people_of(name: str | Path) -> dict:
    table = read_table(FIXTURES / name)
    people, problems = records(table, guess_mapping(table.headers), TZ)
    assert problems == [] and table.problems == []
    return {person.fields["name"]: person for person in people}


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "file.csv"
    path.write_bytes(text.encode(encoding))
    return path


# --- the header below a preamble, trailing commas -------------------------------------------


def test_linkedin_connections_the_header_below_its_notes(book):
    """LinkedIn's Connections.csv starts with "Notes:", a quoted paragraph and a blank line: the
    header was taken from "Notes:" and nothing was imported."""
    source = open_source(FIXTURES / "linkedin_connections.csv", TZ)
    assert source.table.header_line == 4 and source.table.headers[:2] == ["First Name", "Last Name"]
    assert "header on line 4 (2 lines of notes above it left out)" in source.describe()
    people = {person.fields["name"]: person for person in source.records}
    assert set(people) == {"Amélie Rousseau", "Tom O'Neill", "Priya Raman"}
    tom = people["Tom O'Neill"].fields
    assert (tom["company"], tom["title"], tom["email"]) == ("Northwind Traders, Inc.", "VP Sales", "tom.oneill@example.com")
    assert people["Amélie Rousseau"].fields["title"] == "Directrice commerciale"
    assert [p.line for p in source.records] == [5, 6, 7]
    assert source.run().added == 3


def test_a_preamble_in_a_semicolon_file_and_a_header_with_a_trailing_delimiter(tmp_path):
    table = read_table(write(tmp_path, "Exported by Acme CRM\nAll contacts\nName;Email;Phone;\nAnn;ann@x.example;555;\n"))
    assert (table.delimiter, table.headers, table.header_line, table.preamble) == (";", ["Name", "Email", "Phone"], 3, 2)
    assert table.rows == [(4, ["Ann", "ann@x.example", "555"])] and table.problems == []


def test_excels_sep_line_above_the_header(tmp_path):
    table = read_table(write(tmp_path, "sep=;\r\nName;Email;Phone\r\nAnn;ann@x.example;555\r\n"))
    assert (table.delimiter, table.headers, table.header_line) == (";", ["Name", "Email", "Phone"], 2)
    assert table.rows == [(3, ["Ann", "ann@x.example", "555"])]


def test_a_file_of_unknown_columns_keeps_its_first_row_as_the_header(tmp_path):
    table = read_table(write(tmp_path, "Nickname,Colour\nAce,red\nBea,Email\n"))
    assert table.headers == ["Nickname", "Colour"] and len(table.rows) == 2
    # a row of known words as wide as an unknown header is data, not a header further down
    table = read_table(write(tmp_path, "Customer ID,Notes,Channel,Via\n1,met at fair,Email,Phone\n2,,Phone,Email\n"))
    assert table.header_line == 1 and len(table.rows) == 2


def test_thunderbird_rows_with_one_comma_more_than_the_header():
    """A mail client ends every data row with a comma: one empty cell more than the header, and
    every row was refused ("has 38 cells, the header has 37")."""
    people = people_of("thunderbird_contacts.csv")
    assert set(people) == {"John Doe", "Jane Doe", "Rory Williams"}
    john, jane = people["John Doe"].fields, people["Jane Doe"].fields
    assert (john["email"], john["phone"], john["company"], john["title"]) == (
        "john.doe@does.example", "0123-45678", "Does Company", "Facility Manager")
    assert john["notes"] == "Secondary Email: jd@home.example"
    # the mobile before the home phone, which is kept in the notes
    assert (jane["phone"], jane["notes"]) == ("876-54321", "Home Phone: 555-1000")
    assert people["Rory Williams"].fields["notes"] == "Met at the Leadworth fair"


def test_a_row_with_more_cells_that_are_not_empty_is_still_a_problem(tmp_path):
    table = read_table(write(tmp_path, "Name,Email\nAnn,ann@x.example,,\nBob,bob@x.example,extra\n"))
    assert table.rows == [(2, ["Ann", "ann@x.example"])]
    assert table.problems == [Problem(3, "has 3 cells, the header has 2")]


# --- many columns for one field, in many languages ------------------------------------------


def test_french_outlook_export():
    """Outlook's French header (92 columns): two "Titre" columns, the courtesy title first and the
    job title after "Service"; "Société " with a trailing space; phones in "(bureau)", "(domicile)"."""
    people = people_of("outlook_fr.csv")
    assert set(people) == {"Élodie Garnier", "Jérôme Lefèbvre", "Anaïs Nguyen"}
    elodie = people["Élodie Garnier"].fields
    assert (elodie["company"], elodie["title"], elodie["email"]) == (
        "Boulangeries Garnier & Fils", "Gérante", "elodie@garnier.example")
    # her only work number is her mobile; home and the second address go to the notes
    assert elodie["phone"] == "06 12 34 56 78"
    assert elodie["notes"] == (
        "Préfère être rappelée après 14 h\n\nTéléphone (domicile): 04 78 00 00 00\n"
        "Adresse de messagerie 2: elodie.garnier@perso.example"
    )
    jerome = people["Jérôme Lefèbvre"].fields
    assert (jerome["phone"], jerome["notes"]) == ("01 42 00 00 01", "Tél. mobile: 06 98 76 54 32")
    assert "email" not in jerome
    assert people["Anaïs Nguyen"].fields["phone"] == "+33 9 70 00 00 00"


def test_german_outlook_export():
    people = people_of("outlook_de.csv")
    assert set(people) == {"Käthe Schröder", "Günther Weiß"}
    kathe = people["Käthe Schröder"].fields
    assert (kathe["company"], kathe["title"], kathe["phone"], kathe["email"]) == (
        "Schröder Maschinenbau GmbH", "Einkaufsleiterin", "+49 711 123456", "k.schroeder@schroeder.example")
    assert kathe["notes"] == (
        "Rückruf erwünscht; Budget ab Q1\n\nMobiltelefon: +49 171 2345678\nE-Mail 2: Adresse: kaethe@privat.example"
    )
    gunther = people["Günther Weiß"].fields
    # the only email is the second one; the only phone the private one
    assert (gunther["email"], gunther["phone"]) == ("guenther.weiss@soehne.example", "+49 30 987654")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Prénom", "Nom", "Société", "Téléphone", "Courriel"], ["first_name", "last_name", "company", "phone", "email"]),
        (["Vorname", "Nachname", "Firma", "Telefon", "E-Mail"], ["first_name", "last_name", "company", "phone", "email"]),
        (["Nombre", "Apellidos", "Empresa", "Teléfono", "Correo electrónico"], ["first_name", "last_name", "company", "phone", "email"]),
        (["Nome", "Cognome", "Azienda", "Cellulare", "Indirizzo e-mail"], ["first_name", "last_name", "company", "phone", "email"]),
        (["Voornaam", "Achternaam", "Bedrijf", "Mobiel", "E-mailadres"], ["first_name", "last_name", "company", "phone", "email"]),
        (["Nome", "Sobrenome", "Empresa", "Telefone", "E-mail"], ["first_name", "last_name", "company", "phone", "email"]),
        (["Email Home", "Email Work", "Email Other"], ["email", "email", "email"]),
        (["Home Phone", "Business Phone", "Mobile Phone", "Other Phone"], ["phone"] * 4),
    ],
)
def test_headers_in_seven_languages_and_many_columns_per_field(headers, expected):
    assert [guess_mapping(headers)[i] for i in range(len(headers))] == expected


def test_email_columns_keep_work_first_and_the_rest_in_the_notes(tmp_path):
    path = write(tmp_path, "Name,Email Home,Email Work,Email Other,Business Phone,Mobile Phone\n"
                           "Ann,ann@home.example,ann@work.example,ann@other.example,,+1 555 0101\n"
                           "Bob,bob@home.example,,,,\n"
                           "Cal,cal@home.example,n/a,,,\n")
    table = read_table(path)
    ann, bob, cal = records(table, guess_mapping(table.headers), TZ)[0]
    assert (ann.fields["email"], ann.fields["phone"]) == ("ann@work.example", "+1 555 0101")
    assert ann.fields["notes"] == "Email Other: ann@other.example\nEmail Home: ann@home.example"
    assert bob.fields["email"] == "bob@home.example" and "notes" not in bob.fields
    # a work "address" that is none does not hide the real one
    assert (cal.fields["email"], cal.fields["notes"]) == ("cal@home.example", "Email Work: n/a")


def test_google_labels_say_which_phone_and_the_starred_one_comes_first(tmp_path):
    path = write(tmp_path, "Name,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Phone 3 - Type,Phone 3 - Value\n"
                           "Ann,Home,+1 555 0001,Mobile,+1 555 0002,Work Fax,+1 555 0003\n"
                           "Bob,Work Fax,+1 555 0103,* Home,+1 555 0101,Mobile,+1 555 0102\n")
    table = read_table(path)
    ann, bob = records(table, guess_mapping(table.headers), TZ)[0]
    assert (ann.fields["phone"], ann.fields["notes"]) == ("+1 555 0002", "Home phone: +1 555 0001\nWork Fax phone: +1 555 0003")
    assert (bob.fields["phone"], bob.fields["notes"]) == ("+1 555 0101", "Mobile phone: +1 555 0102\nWork Fax phone: +1 555 0103")


# --- a CRM's status ---------------------------------------------------------------------------


def test_crm_statuses_come_in_as_won_dropped_or_active(book):
    from storage.book.models import FollowUp, Prospect

    reports = [open_source(FIXTURES / name, TZ).run() for name in
               ("salesforce_opportunities.csv", "pipedrive_deals_status.csv", "hubspot_lifecycle.csv")]
    assert [r.added for r in reports] == [3, 3, 3]
    status = {p.name: (p.status, p.drop_reason, p.closed_at is not None) for p in Prospect.select()}
    assert status["Wile Coyote"] == ("won", "", True)
    assert status["Hank Scorpio"] == ("dropped", "Stage: Closed Lost", True)
    assert status["Bill Lumbergh"] == ("active", "", False)  # Negotiation/Review: still open
    assert status["Marco Bianchi"][0] == "won" and status["Sofia Russo"][:2] == ("dropped", "Deal - Status: lost")
    assert status["Luca Ferrari"][0] == "active"  # "Deal - Status" open wins over its stage
    assert status["Nora Quist"][0] == "won"  # lifecycle stage: customer
    assert status["Omar Haddad"][0] == status["Ines Duarte"][0] == "active"
    closed = Prospect.select(Prospect.id).where(Prospect.status != "active")
    assert FollowUp.select().where(FollowUp.prospect.in_(closed)).count() == 0
    assert Prospect.get(Prospect.name == "Wile Coyote").deal_value == 48000
    assert derived_mismatches() == {}  # closed ones without a step, as the rules derive them


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("Closed Won", "won"), ("closedwon", "won"), ("customer", "won"), ("won", "won"), ("Gagné", "won"),
        ("Closed Lost", "dropped"), ("Closed - Not Converted", "dropped"), ("UNQUALIFIED", "dropped"),
        ("Lost Lead", "dropped"), ("Junk Lead", "dropped"), ("verloren", "dropped"),
        ("Closed - Converted", "active"), ("Negotiation/Review", "active"), ("salesqualifiedlead", "active"),
        ("open", "active"), ("", "active"),
    ],
)
def test_what_a_crm_status_says(cell, status):
    from storage.exchange.csv_headers import status_of

    assert status_of(cell) == status


# --- a cell that cannot be read ---------------------------------------------------------------


def test_a_date_the_desk_accepts_is_read_the_desks_way(tmp_path, frozen):
    path = write(tmp_path, "Name,Next Follow-up\nAnn,next tue\nBob,in 2 weeks\nCal,+3d 9am\n")
    table = read_table(path)
    ann, bob, cal = records(table, guess_mapping(table.headers), TZ)[0]
    assert (ann.warnings, bob.warnings, cal.warnings) == ([], [], [])
    # Monday 23 Nov 2026 (the tests' moment): next tue is 1 Dec, in 2 weeks 7 Dec, +3d Thursday 26th
    assert (ann.next_due, ann.has_time) == csv_cells.due("2026-12-01", "Due", False, TZ)
    assert (bob.next_due, bob.has_time) == csv_cells.due("2026-12-07", "Due", False, TZ)
    assert (cal.next_due, cal.has_time) == csv_cells.due("2026-11-26 09:00", "Due", False, TZ)


def test_a_bad_amount_date_and_email_cost_their_cells_not_the_person(book, tmp_path):
    from storage.book.models import Prospect

    path = write(tmp_path, "Name,Company,Email Address,Amount,Next Follow-up\n"
                           "Ann Able,Able Co,ann at able,abc,someday\n"
                           "Bob Baker,Baker Bros,bob@baker.example,12000,2026-12-01\n")
    report = open_source(path, TZ).run()
    assert report.added == 2 and report.problems == []
    assert report.warnings == [
        Problem(2, "Amount 'abc' is not an amount (like 12000 or $12,000.00); left empty"),
        Problem(2, "Next Follow-up 'someday' is not a date (like 2026-12-01 or Dec 1, 2026); imported without a follow-up date"),
        Problem(2, "Email Address 'ann': that email address has no @; left empty"),
    ]
    ann = Prospect.get(Prospect.name == "Ann Able")
    assert (ann.company, ann.email, ann.deal_value, ann.next_due_at) == ("Able Co", "", 0, None)
    assert Prospect.get(Prospect.name == "Bob Baker").deal_value == 12000
    # the same file again: both are skipped, and a skipped person's cells are not said to be lost
    again = open_source(path, TZ).run(dry_run=True)
    assert (len(again.skipped), again.warnings) == (2, [])
    assert len(open_source(path, TZ).run(dry_run=True, on_duplicate="merge").warnings) == 3


# --- --map takes what the dry run prints ------------------------------------------------------


@pytest.mark.parametrize("target", ["last_name", "Last name", "LAST NAME", "last name"])
def test_map_takes_the_printed_label_or_the_id(target):
    source = open_source(FIXTURES / "linkedin_connections.csv", TZ, overrides={"position": target})
    assert dict(source.mapped())["Position"] == "Last name"
    assert dict(source.mapped())["Last Name"] == "(ignore)"  # one column per field
    assert source.records[0].fields["name"] == "Amélie Directrice commerciale"


def test_map_names_the_fields_by_label_when_it_cannot_tell():
    assert target_named("(ignore)") == target_named("Ignore") == IGNORE
    assert target_named("Full name") == "name" and target_named("deal value") == "deal_value"
    with pytest.raises(InvalidInput) as caught:
        open_source(FIXTURES / "linkedin_connections.csv", TZ, overrides={"Position": "surname"})
    assert "use one of: Full name (name), First name, Last name, Company, Job title (title)," in caught.value.message
