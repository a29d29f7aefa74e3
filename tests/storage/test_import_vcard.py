"""storage/exchange/vcard_in.py: address books as Apple Contacts (3.0), a CardDAV server (4.0) and
Android or Outlook (2.1) export them. Every card that can be read comes in; one that cannot (never
closed, no name and no email) is listed by its number and line; a damaged property the desk does
not use costs nothing (issue 16). Real files from other programs: test_import_vcard_real.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storage.exchange import imports
from storage import search
from storage.book.errors import InvalidInput
from storage.exchange.incoming import Problem
from storage.book.models import Prospect
from storage.exchange.vcard_in import read_cards

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
NOW = dt.datetime(2026, 11, 23, 8, 30)


def test_an_apple_contacts_export():
    people, problems = read_cards(FIXTURES / "apple_contacts.vcf")
    assert [p.line for p in people] == [1, 24, 33, 50]  # each card's BEGIN:VCARD line
    ada, company, zoe, grace = people
    assert ada.fields == {
        "name": "Ada Lovelace",
        "company": "Analytical Engines Ltd",  # the department after ";" is left out
        "title": "Chief Mathematician",
        "email": "ada@engines.example",  # type=pref, though a work address comes first
        "phone": "+44 20 7946 0018",  # the preferred mobile, not the first (work) number
        # \, and \n unescaped, the folded line joined; the other phone and email kept beneath
        "notes": "Met at the Babbage dinner, London.\n"
        "Wants a demo in December; ask about the budget for the difference engine, and who signs.\n"
        "Likes tea.\n\nPhone (work): +44 20 7946 0000\nEmail (work): ada.work@engines.example",
    }
    assert ada.next_due is None
    # a company card: its FN is the company
    assert company.fields == {"name": "Babbage & Co", "company": "Babbage & Co", "phone": "+44 20 7946 0100"}
    assert zoe.fields["name"] == "Zoë Ünal" and zoe.fields["title"] == "Einkäuferin"
    assert zoe.fields["notes"] == "[bold]VIP[/bold] customer"
    # no FN: the name is built from N (given, middle, family), without "Rear Adm."
    assert grace.fields == {"name": "Grace Murray Hopper", "email": "grace@navy.example"}
    assert problems == [Problem(43, "card 4 has no name and no email; not imported")]


def test_a_vcard_4_export_with_tel_uris_and_pref_numbers():
    people, problems = read_cards(FIXTURES / "vcard4.vcf")
    bob, camille = people
    assert problems == []
    assert bob.fields == {
        "name": "Bob Builder",
        "company": "Builder Bros",
        "title": "Site Manager",
        "email": "bob@builderbros.example",  # PREF=1, though the home address comes first
        "phone": "+1-555-555-0101",  # tel: stripped, the PREF=1 cell number
        "notes": "Needs a scaffolding quote.\nCall after 4pm.\n\nPhone (work): +1-555-555-0100\nEmail (home): bob@home.example",
    }
    assert camille.line == 16
    assert camille.fields == {"name": "Camille Roux", "company": "Roux Conseil", "phone": "+33-6-12-34-56-78 ext. 9"}


def test_an_android_vcard_2_1_in_quoted_printable():
    [elise], problems = read_cards(FIXTURES / "android_contacts.vcf")
    assert problems == []
    assert elise.fields["name"] == "Élise Dupont"
    assert elise.fields["phone"] == "+33612345678"  # CELL;PREF over the first (WORK) number
    assert elise.fields["email"] == "elise@dupont.example"
    assert elise.fields["notes"].splitlines() == ["Rappeler en janvier.", "Décide seule.", "", "Phone (work): +33144000000"]


def test_an_outlook_vcard_in_cp1252(tmp_path):
    path = tmp_path / "outlook.vcf"
    path.write_bytes(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Müller;Jürgen\r\nFN:Jürgen Müller\r\nORG:Bäckerei Müller\r\n"
        "EMAIL;PREF;INTERNET:juergen@baeckerei.example\r\nEND:VCARD\r\n".encode("cp1252")
    )
    [jurgen], _ = read_cards(path)
    assert jurgen.fields == {"name": "Jürgen Müller", "company": "Bäckerei Müller", "email": "juergen@baeckerei.example"}


def test_a_file_cut_short_brings_in_the_cards_before_the_cut_and_names_the_cut_one():
    people, problems = read_cards(FIXTURES / "truncated.vcf")
    assert [(p.line, p.fields["name"]) for p in people] == [(1, "Ada Lovelace"), (24, "Babbage & Co")]
    assert problems == [Problem(33, "card 3 is never closed (the file looks cut short); not imported")]


def test_a_line_that_is_no_property_costs_that_line_said_as_a_warning(tmp_path):
    path = tmp_path / "broken.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nNOTE:one\r\n  folded\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nthis is not a property\r\nEND:VCARD\r\n"
    )
    (ada, bob), problems = read_cards(path)
    assert problems == [] and ada.fields == {"name": "Ada", "notes": "one folded"}
    assert bob.fields == {"name": "Bob"}
    assert bob.warnings == ["its line 10 is not a vCard property ('this is not a property'); left out"]


def test_one_broken_card_in_the_middle_is_listed_and_the_others_come_in():
    """Card 3 has no END:VCARD before card 4 begins. Card 2 carries a corrupt photo, an X- line
    with odd parameters, a grouped TEL and a line folded with a tab; card 4 a PROFILE line, 8-bit
    quoted-printable with no charset and a charset that does not exist (in properties the desk
    does not use), and a line that is no property; card 5 a vCard 4 KEY that is no base64."""
    people, problems = read_cards(FIXTURES / "broken_middle.vcf")
    assert problems == [Problem(21, "card 3 is never closed (no END:VCARD before the next card); not imported")]
    assert [(p.line, p.fields["name"]) for p in people] == [
        (1, "Ngozi Okafor"), (9, "Henrik Brandt"), (25, "Olga Petrova"), (35, "Yuki Tanaka"),
    ]
    ngozi, henrik, olga, yuki = people
    assert ngozi.fields["phone"] == "+234 803 555 0101" and ngozi.fields["company"] == "Lagos Freight Ltd"
    assert henrik.fields == {
        "name": "Henrik Brandt",
        "phone": "+45 20 55 01 02",  # item1.TEL: the group prefix is no part of the name
        "notes": "Prefers calls in the morning, never on Fridays. Ask for the Aarhus depot.",  # tab fold
    }
    assert henrik.warnings == []  # the photo is never decoded: it costs nothing
    assert olga.fields == {"name": "Olga Petrova", "email": "olga@petrova.example"}
    assert olga.warnings == ["its line 33 is not a vCard property ('this line is no property at all'); left out"]
    assert yuki.fields == {"name": "Yuki Tanaka", "email": "yuki@tanaka.example"} and yuki.warnings == []


def test_the_broken_card_is_reported_by_the_import_and_the_others_are_written(book):
    people, problems = read_cards(FIXTURES / "broken_middle.vcf")
    report = imports.apply(people, problems=problems, now=NOW)
    assert (report.added, [str(p) for p in report.problems]) == (
        4, ["line 21: card 3 is never closed (no END:VCARD before the next card); not imported"]
    )
    assert [str(w) for w in report.warnings] == [
        "line 25: its line 33 is not a vCard property ('this line is no property at all'); left out"
    ]
    assert sorted(p.name for p in Prospect.select()) == ["Henrik Brandt", "Ngozi Okafor", "Olga Petrova", "Yuki Tanaka"]


def test_text_values_keep_their_commas():
    """Gmail and 2.1 writers leave commas in FN, ORG, NOTE and TITLE unescaped; vobject split them
    ("Company, The" → "Company" and "The"). N's several middle names are joined by a space and
    its escaped comma kept; ADR's parts keep their commas."""
    company, john, maria = read_cards(FIXTURES / "commas.vcf")[0]
    assert company.fields == {
        "name": "Company, The",
        "company": "Company, The",  # the department after ";" left out, its comma too
        "phone": "+1 555 0100",
        "notes": "Met at the fair, booth 12, hall B; wants a quote, fast.\n\n"
        "Address (work): Suite 5, 3rd floor, 1 Main St, Building C, Springfield, IL 62701, USA",
    }
    assert john.fields == {
        "name": "John Philip Paul Doe, Jr.",  # no FN: given, middle names, family (its \, kept)
        "company": "Acme, Inc.",
        "title": "VP, Sales",
        "email": "john.doe@example.com",
    }
    assert (maria.fields["name"], maria.fields["company"]) == ("María García, Lopez", "Hermanos García, S.L.")


def test_quoted_printable_in_any_spelling():
    """ENCODING=QUOTED-PRINTABLE with a CHARSET, a bare QUOTED-PRINTABLE (2.1), lower and mixed
    case, soft line breaks; with no CHARSET UTF-8, and cp1252 when the bytes are not UTF-8 (a
    warning says so: vobject stopped the whole file there)."""
    jurgen, anais, bjorn, francois = read_cards(FIXTURES / "quoted_printable.vcf")[0]
    assert jurgen.fields == {
        "name": "Jürgen Müller",
        "email": "juergen@mueller.example",
        "notes": "Called twice … no answer.\nTry the Hamburg office.",  # "=" at the line's end: soft break
    }
    assert anais.fields == {
        "name": "Anaïs Traoré",  # bare QUOTED-PRINTABLE, no charset: UTF-8
        "phone": "+33 6 55 01 02 03",
        "notes": "Wants … the long version\nof the deck, with prices.",  # not =E2=80=A6
    }
    assert (bjorn.fields["name"], bjorn.fields["company"]) == ("Björn Lind", "Lind & Söner AB")
    assert (anais.warnings, bjorn.warnings, jurgen.warnings) == ([], [], [])
    assert francois.fields["name"] == "François Lefèvre"  # 8-bit, no charset: not UTF-8, so cp1252
    assert francois.fields["notes"] == "Rencontré à Lyon."  # CHARSET=ISO-8859-1, as it says
    assert francois.warnings == [
        "its FN on line 24 is not UTF-8 and names no charset: read as cp1252 ('François Lefèvre'); check it"
    ]


def test_a_file_without_cards_is_refused(tmp_path):
    path = tmp_path / "empty.vcf"
    path.write_text("Name,Email\nAda,ada@x.example\n")
    with pytest.raises(InvalidInput) as caught:
        read_cards(path)
    assert "no vCard" in caught.value.message


def test_an_address_book_lands_in_the_book_literally_and_searchable(book):
    people, problems = read_cards(FIXTURES / "apple_contacts.vcf")
    report = imports.apply(people, problems=problems, now=NOW)
    assert (report.added, report.merged, report.skipped) == (4, 0, [])
    assert report.problems == [Problem(43, "card 4 has no name and no email; not imported")]
    ada = Prospect.get(Prospect.name == "Ada Lovelace")
    assert ada.notes.count("\n") == 5 and ada.email == "ada@engines.example"
    assert Prospect.get(Prospect.email == "zoe@kaffee.example").notes == "[bold]VIP[/bold] customer"
    assert [hit.name for hit in search.search("lovelace")] == ["Ada Lovelace"]
    assert [hit.name for hit in search.search("7946 0018")] == ["Ada Lovelace"]
    # the same file again: everyone is a duplicate
    again = imports.apply(people, now=NOW)
    assert (again.added, len(again.skipped)) == (0, 4)


def test_a_stray_soft_break_on_a_value_s_last_line_does_not_swallow_the_card_s_end(tmp_path):
    path = tmp_path / "nokia.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ada\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Call back=\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bob\r\nEND:VCARD\r\n"
    )
    (ada, bob), problems = read_cards(path)
    assert problems == [] and ada.fields == {"name": "Ada", "notes": "Call back"} and bob.fields == {"name": "Bob"}
