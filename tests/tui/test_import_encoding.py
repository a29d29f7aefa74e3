"""Issue 16, point 2: in the desk's import dialog (i) an encoding guess that could garble is shown
with a line as read, and the rep types another encoding and reads the file again, an address book
as a CSV; an encoding that does not fit is said under its field."""

from __future__ import annotations

from storage.book.models import Prospect
from tests.tui.conftest import desk_app, paste, screen_text, settle
from tui.screens.import_file import ImportScreen

CARD = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Zoë Ünal\r\nEMAIL:zoe@kaffee.example\r\nEND:VCARD\r\n"


async def test_the_rep_sees_the_guess_and_reads_the_file_in_another_encoding(seeded, tmp_path):
    path = tmp_path / "outlook.vcf"
    path.write_bytes(CARD.encode("cp1252"))
    app = desk_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("i")
        await paste(pilot, str(path))
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Read as cp1252 (a guess: it is not UTF-8); a line as read: FN:Zoë Ünal" in text
        assert "Looks wrong? Type another encoding above, then enter." in text
        await pilot.press("tab")  # from the file to its encoding
        assert app.focused is not None and app.focused.id == "encoding"
        await pilot.press(*"mac-roman", "enter")
        await settle(app, pilot)
        assert "Read as mac-roman (as chosen); a line as read: FN:ZoÎ ‹nal" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
    assert Prospect.get(Prospect.email == "zoe@kaffee.example").name == "ZoÎ ‹nal"


async def test_an_encoding_that_does_not_fit_is_said_under_its_field(seeded, tmp_path):
    path = tmp_path / "outlook.vcf"
    path.write_bytes(CARD.encode("cp1252"))
    app = desk_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("i")
        await paste(pilot, str(path))
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("tab", *"utf-8", "enter")
        await settle(app, pilot)
        assert str(app.screen.query_one("#error-encoding").render()) == (
            "The file is not utf-8 (an unreadable byte on line 3); choose another encoding."
        )
        assert app.focused is not None and app.focused.id == "encoding"
        await pilot.press("ctrl+s")  # nothing read, nothing imported
        await settle(app, pilot)
    assert not Prospect.select().where(Prospect.email == "zoe@kaffee.example").exists()


async def test_a_utf_8_file_does_not_offer_the_encoding_field(seeded, tmp_path):
    """The field takes room the columns and the dry run need: shown only when it may be needed."""
    path = tmp_path / "contacts.vcf"
    path.write_bytes(CARD.encode("utf-8"))
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        assert not app.screen.query_one("#encoding").parent.display
        await paste(pilot, str(path))
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "contacts.vcf: vCard address book, 1 person" in text and "Read as" not in text
        assert not app.screen.query_one("#encoding").parent.display
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert Prospect.get(Prospect.email == "zoe@kaffee.example").name == "Zoë Ünal"
