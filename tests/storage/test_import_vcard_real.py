"""Address books written by other programs (issue 16): ez-vcard's test files, each exported by the
program it is named for (Android, Gmail, iPhone, Outlook 2003 and 2007, Evolution, Lotus Notes,
Mac Address Book, a Thunderbird extension; tests/fixtures/import/SOURCES.md). Each: how many people
come in, and a name (with a comma where it has one), a company, a phone, an email and a note.
Before issue 16 the Android file imported nothing (a photo's bad base64), Lotus Notes nothing (a
PROFILE line), and Gmail's "Mr. John Richter, James Doe Sr." came in as "Mr. John Richter"."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.exchange import imports
from storage.book.models import Prospect
from storage.exchange.vcard_in import read_cards

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"

# file, people, (name, company, phone, email) of the first one with a name, the start of its notes
REAL = [
    ("ezvcard_gmail.vcf", 1, ("Mr. John Richter, James Doe Sr.", "IBM", "905-555-1234", "john.doe@ibm.com"),
     'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS'),
    ("ezvcard_iphone.vcf", 1, ("Mr. John Richter James Doe Sr.", "IBM", "905-555-1234", "john.doe@ibm.com"),
     "Phone (home): 905-666-1234\nPhone (work): 905-777-1234"),
    ("ezvcard_outlook_2003.vcf", 1, ("John Doe III", "Company, The", "MobilePhone", "jdoe@hotmail.com"),
     "This is the note field!!\nSecond line\n\nThird line is empty"),
    ("ezvcard_outlook_2007.vcf", 1, ("Mr. John Richter James Doe Sr.", "IBM", "(905) 555-1234", "john.doe@ibm.cm"),
     "THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS'' AND ANY EXPRESS"),
    ("ezvcard_evolution.vcf", 1, ("Mr. John Richter, James Doe Sr.", "IBM", "905-666-1234", "john.doe@ibm.com"),
     'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS'),
    ("ezvcard_lotus_notes.vcf", 1, ("Mr. Doe John I Johny", "IBM", "+1 (212) 204-34456", "john.doe@ibm.com"),
     'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"\nAND ANY EXPRESS'),
    ("ezvcard_mac_address_book.vcf", 1, ("Mr. John Richter,James Doe Sr.", "IBM", "905-777-1234", "john.doe@ibm.com"),
     'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS'),
    ("ezvcard_thunderbird.vcf", 1, ("John Doe", "TheOrganization", "555-555-5555", "doe.john@hotmail.com"),
     'This is the notes field.\nSecond Line\n\nFourth Line\nYou can put anything in the "note" field; even curse words.'),
]


@pytest.mark.parametrize(("name", "count", "spot", "notes"), REAL, ids=[row[0] for row in REAL])
def test_a_real_address_book(name, count, spot, notes):
    people, problems = read_cards(FIXTURES / name)
    assert (len(people), problems) == (count, [])
    first = people[0].fields
    assert (first["name"], first["company"], first["phone"], first["email"]) == spot
    assert first["notes"].startswith(notes)
    assert all(person.warnings == [] for person in people)


def test_the_android_export_with_a_damaged_photo_comes_in_whole(book):
    """Six cards in 2.1 quoted-printable (soft line breaks), one with a photo whose base64 is
    damaged: every card comes in, the photo costs nothing."""
    people, problems = read_cards(FIXTURES / "ezvcard_android.vcf")
    assert problems == []
    assert [p.fields["name"] for p in people] == [
        "john.doe@company.com", "jane.doe@company.com", "Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ", "ÑÑÑÑ",
    ]
    bob = people[4].fields  # the card with the photo
    assert (bob["email"], bob["phone"], bob["company"]) == ("bob@company.com", "123456", "ÑÑÑÑÑÑÑÑÑÑÑÑ")
    assert people[3].fields["notes"].endswith("Phone (cell): 3456789\nPhone (home): 234567\nPhone (home): 45678901")
    report = imports.apply(people, problems=problems)
    assert (report.added, report.problems) == (6, [])
    assert Prospect.get(Prospect.email == "henry@company.com").phone == "55556666"


def test_addresses_keep_their_commas_in_the_notes():
    [john], _ = read_cards(FIXTURES / "ezvcard_lotus_notes.vcf")
    assert john.fields["notes"].endswith(
        "Address (home): 25334 South cresent drive, Building 5, 3rd floo r, New York, New York NYC887, U.S.A."
    )
    [thunder], _ = read_cards(FIXTURES / "ezvcard_thunderbird.vcf")
    assert "Address (postal, work): 222 Broadway, Suite 100, New York, NY 98765, USA" in thunder.fields["notes"]
