"""storage/vcard_in.py: address books as Apple Contacts (3.0), a CardDAV server (4.0) and
Android or Outlook (2.1) export them, read through vobject; a file cut short imports nothing."""

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
        # \, and \n unescaped, the folded line joined
        "notes": "Met at the Babbage dinner, London.\n"
        "Wants a demo in December; ask about the budget for the difference engine, and who signs.\n"
        "Likes tea.",
    }
    assert ada.next_due is None
    # a company card: its FN is the company
    assert company.fields == {"name": "Babbage & Co", "company": "Babbage & Co", "phone": "+44 20 7946 0100"}
    assert zoe.fields["name"] == "Zoë Ünal" and zoe.fields["title"] == "Einkäuferin"
    assert zoe.fields["notes"] == "[bold]VIP[/bold] customer"
    # no FN: the name is built from N (given, middle, family), without "Rear Adm."
    assert grace.fields == {"name": "Grace Murray Hopper", "email": "grace@navy.example"}
    assert problems == [Problem(43, "a card with no name and no email")]


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
        "notes": "Needs a scaffolding quote.\nCall after 4pm.",
    }
    assert camille.line == 16
    assert camille.fields == {"name": "Camille Roux", "company": "Roux Conseil", "phone": "+33-6-12-34-56-78 ext. 9"}


def test_an_android_vcard_2_1_in_quoted_printable():
    [elise], problems = read_cards(FIXTURES / "android_contacts.vcf")
    assert problems == []
    assert elise.fields["name"] == "Élise Dupont"
    assert elise.fields["phone"] == "+33612345678"  # CELL;PREF over the first (WORK) number
    assert elise.fields["email"] == "elise@dupont.example"
    assert elise.fields["notes"].splitlines() == ["Rappeler en janvier.", "Décide seule."]


def test_an_outlook_vcard_in_cp1252(tmp_path):
    path = tmp_path / "outlook.vcf"
    path.write_bytes(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Müller;Jürgen\r\nFN:Jürgen Müller\r\nORG:Bäckerei Müller\r\n"
        "EMAIL;PREF;INTERNET:juergen@baeckerei.example\r\nEND:VCARD\r\n".encode("cp1252")
    )
    [jurgen], _ = read_cards(path)
    assert jurgen.fields == {"name": "Jürgen Müller", "company": "Bäckerei Müller", "email": "juergen@baeckerei.example"}


def test_a_truncated_file_names_the_card_and_imports_nothing(book):
    with pytest.raises(InvalidInput) as caught:
        read_cards(FIXTURES / "truncated.vcf")
    assert caught.value.field == "file"
    assert "line 33" in caught.value.message and "cut short" in caught.value.message
    assert "\n" not in caught.value.message
    assert Prospect.select().count() == 0


def test_a_line_vobject_cannot_parse_is_named_by_its_line_in_the_file(tmp_path):
    path = tmp_path / "broken.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nNOTE:one\r\n  folded\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nthis is not a property\r\nEND:VCARD\r\n"
    )
    with pytest.raises(InvalidInput) as caught:
        read_cards(path)
    assert "Line 10 " in caught.value.message and "this is not a property" in caught.value.message


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
    assert report.problems == [Problem(43, "a card with no name and no email")]
    ada = Prospect.get(Prospect.name == "Ada Lovelace")
    assert ada.notes.count("\n") == 2 and ada.email == "ada@engines.example"
    assert Prospect.get(Prospect.email == "zoe@kaffee.example").notes == "[bold]VIP[/bold] customer"
    assert [hit.name for hit in search.search("lovelace")] == ["Ada Lovelace"]
    assert [hit.name for hit in search.search("7946 0018")] == ["Ada Lovelace"]
    # the same file again: everyone is a duplicate
    again = imports.apply(people, now=NOW)
    assert (again.added, len(again.skipped)) == (0, 4)
