"""storage/exchange/encodings.py: how an import's bytes become text (issue 16). UTF-16 and UTF-32
with or without a byte-order mark, never read as cp1252 with the NULs dropped; a guess that could
garble is shown with a sample line, and the rep's choice of another applies to a vCard as to a CSV."""

from __future__ import annotations

import codecs

import pytest

from storage.book.errors import InvalidInput
from storage.exchange import encodings
from storage.exchange.imports import detect_format
from storage.exchange.sources import open_source
from storage.exchange.vcard_in import read_cards

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ünal\r\nORG:Kaffee & Kuchen GmbH\r\nEMAIL:zoe@kaffee.example\r\nEND:VCARD\r\n"
CSV = "Name,Company,Email\r\nZoë Ünal,Kaffee & Kuchen GmbH,zoe@kaffee.example\r\n"

WIDE = [
    ("utf-16-le", b""), ("utf-16-be", b""), ("utf-32-le", b""), ("utf-32-be", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
]


@pytest.mark.parametrize(("codec", "bom"), WIDE, ids=[f"{c}{'-bom' if b else ''}" for c, b in WIDE])
def test_a_wide_vcard_is_read_with_or_without_a_bom(tmp_path, codec, bom):
    path = tmp_path / "contacts.vcf"
    path.write_bytes(bom + CARD.encode(codec))
    assert detect_format(path) == "vcard"
    [zoe], problems = read_cards(path)
    assert problems == []
    assert zoe.fields == {"name": "Zoë Ünal", "company": "Kaffee & Kuchen GmbH", "email": "zoe@kaffee.example"}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_wide_csv_without_a_bom_is_read_too(tmp_path, codec):
    path = tmp_path / "contacts.csv"
    path.write_bytes(CSV.encode(codec))
    source = open_source(path, "Europe/Paris")
    assert [r.fields["name"] for r in source.records] == ["Zoë Ünal"]
    assert source.encoding == codec


def test_the_guess_in_order():
    assert encodings.guess_encoding("Zoë".encode("utf-8")) == "utf-8"
    assert encodings.guess_encoding(codecs.BOM_UTF8 + b"Zo\xc3\xab") == "utf-8-sig"
    assert encodings.guess_encoding("Zoë".encode("cp1252")) == "cp1252"
    assert encodings.guess_encoding(b"Zo\x81") == "latin-1"  # a byte cp1252 leaves undefined
    assert encodings.guess_encoding(codecs.BOM_UTF32_LE + "Zoë".encode("utf-32-le")) == "utf-32"


def test_a_guess_that_could_garble_is_said_with_a_sample_line():
    data = CARD.encode("cp1252")
    assert encodings.could_garble(data, "cp1252")
    assert not encodings.could_garble(CARD.encode("utf-8"), "utf-8")
    assert not encodings.could_garble(codecs.BOM_UTF16_LE + CARD.encode("utf-16-le"), "utf-16")
    assert encodings.could_garble(CARD.encode("utf-16-le"), "utf-16-le")  # told by its NULs alone
    assert encodings.sample_line(CARD) == "FN:Zoë Ünal"
    assert encodings.sample_line("all ascii\nhere") == ""


def test_an_address_book_in_cp1252_says_its_guess_and_the_rep_can_choose_another(tmp_path):
    path = tmp_path / "outlook.vcf"
    path.write_bytes(CARD.encode("cp1252"))
    source = open_source(path, "Europe/Paris")
    assert (source.encoding, source.sample) == ("cp1252", "FN:Zoë Ünal")
    assert source.encoding_note() == "Read as cp1252 (a guess: it is not UTF-8); a line as read: FN:Zoë Ünal"
    # the rep reads it as Mac Roman instead: the names change, and the note shows how
    other = open_source(path, "Europe/Paris", encoding="mac-roman")
    assert other.records[0].fields["name"] == "ZoÎ ‹nal"
    assert (other.encoding, other.sample) == ("mac-roman", "FN:ZoÎ ‹nal")
    # UTF-8 is no guess: nothing to say
    path.write_bytes(CARD.encode("utf-8"))
    plain = open_source(path, "Europe/Paris")
    assert (plain.encoding, plain.sample, plain.encoding_note()) == ("utf-8", "", "")


def test_an_encoding_that_does_not_fit_or_exist_is_one_sentence(tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_bytes(CARD.encode("cp1252"))
    with pytest.raises(InvalidInput) as caught:
        open_source(path, "Europe/Paris", encoding="utf-8")
    assert caught.value.field == "encoding" and "not utf-8" in caught.value.message and "line 3" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        open_source(path, "Europe/Paris", encoding="klingon")
    assert "no encoding called 'klingon'" in caught.value.message


def test_a_csv_in_cp1252_says_its_guess_too(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(CSV.encode("cp1252"))
    source = open_source(path, "Europe/Paris")
    assert (source.encoding, source.sample) == ("cp1252", "Zoë Ünal,Kaffee & Kuchen GmbH,zoe@kaffee.example")
    latin = open_source(path, "Europe/Paris", encoding="latin-1")
    assert latin.records[0].fields["name"] == "Zoë Ünal" and latin.encoding == "latin-1"


def test_a_wide_file_with_an_odd_byte_at_its_end_is_still_read(tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_bytes(CARD.encode("utf-16-le") + b"\n")  # a writer's lone newline byte
    [zoe], problems = read_cards(path)
    assert (zoe.fields["name"], problems) == ("Zoë Ünal", [])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_russian_csv_in_utf_16_without_a_bom(tmp_path, codec):
    """A NUL only beside the ASCII (30% of the bytes, not half): it was read as UTF-8, NULs dropped."""
    path = tmp_path / "contacts.csv"
    path.write_bytes((
        "Name,Company,Notes\r\nАлексей Смирнов,ООО Ромашка,Позвонить во вторник\r\n"
        "Мария Иванова,ЗАО Лютик,Отправить предложение\r\n"
    ).encode(codec))
    source = open_source(path, "Europe/Moscow")
    assert source.encoding == codec
    assert [(r.fields["name"], r.fields["company"]) for r in source.records] == [
        ("Алексей Смирнов", "ООО Ромашка"), ("Мария Иванова", "ЗАО Лютик"),
    ]


def test_an_address_book_of_utf_8_and_cp1252_cards_reads_each_line_as_it_is(tmp_path):
    """Put together from two programs: card 1 in UTF-8, card 2 in cp1252. Read whole as cp1252,
    "Zoë Ünal" became "ZoÃ« Ãœnal"; now each line is read as it is, and the guess is said."""
    path = tmp_path / "merged.vcf"
    path.write_bytes(CARD.encode("utf-8") + CARD.replace("Zoë Ünal", "François Lefèvre").replace("zoe@", "fl@").encode("cp1252"))
    source = open_source(path, "Europe/Paris")
    assert [r.fields["name"] for r in source.records] == ["Zoë Ünal", "François Lefèvre"]
    assert source.encoding_note() == "Read as UTF-8, 1 line not UTF-8 as cp1252 (a guess); a line as read: FN:François Lefèvre"
    assert [p.fields["name"] for p in read_cards(path)[0]] == ["Zoë Ünal", "François Lefèvre"]
    chosen = open_source(path, "Europe/Paris", encoding="cp1252")  # the rep's choice reads it whole
    assert chosen.records[0].fields["name"] == "ZoÃ« Ãœnal" and chosen.fallback == 0

