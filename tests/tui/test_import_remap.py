"""Issue 16, point 3: in the desk's import dialog (i) the rep remaps any column with keys, the way
--map does on the command line (the field named as the dry run prints it), and the import fills it.
Also: a bad cell is said in the dialog's dry run and costs only that cell."""

from __future__ import annotations

from pathlib import Path

from storage.book.models import Prospect
from tests.tui.conftest import desk_app, paste, screen_text, settle
from tui.screens.import_file import ImportScreen

LINKEDIN = Path(__file__).parent.parent / "fixtures" / "import" / "linkedin_connections.csv"


async def open_file(app, pilot, path) -> None:
    await pilot.press("i")
    await paste(pilot, str(path))
    await pilot.press("enter")
    await settle(app, pilot)


async def focus(app, pilot, widget_id: str) -> None:
    """Tab through the dialog (as the rep does) until the widget has the focus."""
    for _ in range(20):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def test_the_rep_remaps_a_column_by_typing_the_field_and_imports_it(seeded, tmp_path):
    app = desk_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_file(app, pilot, LINKEDIN)
        text = screen_text(app)
        assert "header on line 4" in text and "3 people" in text
        assert "Dry run, nothing written: 3 added" in text
        await focus(app, pilot, "column-6")  # "Connected On", ignored by the guess
        await pilot.press("enter", *"notes", "enter")  # the overlay's type-to-search picks "Notes"
        await settle(app, pilot)
        assert str(app.screen.query_one("#column-6").value) == "notes"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
    tom = Prospect.get(Prospect.name == "Tom O'Neill")
    assert (tom.notes, tom.company, tom.title) == ("03 Oct 2026", "Northwind Traders, Inc.", "VP Sales")
    assert Prospect.get(Prospect.name == "Priya Raman").notes == "21 Sep 2026"


async def test_a_bad_cell_is_said_in_the_dialog_and_the_person_comes_in(seeded, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Name,Email,Amount\nAnn Able,ann at able,abc\n", encoding="utf-8")
    app = desk_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_file(app, pilot, path)
        text = screen_text(app)
        assert "Dry run, nothing written: 1 added" in text and "2 unreadable cells left empty" in text
        assert "imported without a cell: line 2: Amount 'abc' is not an amount" in text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    ann = Prospect.get(Prospect.name == "Ann Able")
    assert (ann.email, ann.deal_value) == ("", 0)


async def test_each_column_shows_what_it_holds_and_empty_ones_are_not_offered(seeded):
    """Outlook's French export has 92 columns, most of them empty: a choice for each took seconds
    to show and buried the dozen that hold something."""
    path = LINKEDIN.parent / "outlook_fr.csv"
    app = desk_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_file(app, pilot, path)
        text = screen_text(app)
        assert "Prénom  Élodie" in text and "Tél. mobile  06 12 34 56 78" in text
        selects = [select.id for select in app.screen.query("#columns Select")]
        headers = app.screen.source.table.headers
        hidden = len(headers) - len(selects)
        assert hidden > 60 and f"{hidden} columns empty in the first 1,000 rows not shown" in text
        assert "column-48" not in selects  # Télex: empty
        # what is read comes first, then what is ignored
        shown = [str(app.screen.query_one(f"#{select_id}").value) for select_id in selects]
        first_ignored = shown.index("ignore")
        assert "ignore" not in shown[:first_ignored] and set(shown[first_ignored:]) == {"ignore"}
        assert headers[int(selects[0].removeprefix("column-"))] == "Prénom"
