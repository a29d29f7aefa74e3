"""Import (i) and export (palette) from the desk, driven with real keys."""

from __future__ import annotations

import icalendar

from storage.book.models import Prospect
from tests.tui.conftest import desk_app, paste, screen_text, settle
from tui.screens.import_file import ImportScreen

CSV = (
    "Full Name;Organization;Mobile;Deal Value;Notes\n"
    "Zed Zimmer;Zeta [b]Labs[/b];+44 20 7946 0000;7 000;Asked about #pricing\n"
    "Yan Yu;Yotta;;lots;\n"
)


async def read_file(app, pilot, path) -> None:
    await pilot.press("i")
    await paste(pilot, str(path))
    await pilot.press("enter")
    await settle(app, pilot)


async def test_import_shows_the_file_the_mapping_and_the_dry_run_then_imports(seeded, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(CSV, encoding="utf-8")
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await read_file(app, pilot, path)
        text = screen_text(app)
        assert "list.csv: CSV, utf-8, semicolon-separated, 2 people" in text
        assert "Organization" in text and "Company" in text
        assert "Dry run, nothing written: 2 added" in text
        assert "imported without a cell: line 3: Deal Value 'lots'" in text
        assert Prospect.select().where(Prospect.name == "Zed Zimmer").count() == 0
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        zed = Prospect.get(Prospect.name == "Zed Zimmer")
        assert (zed.company, zed.phone, zed.deal_value, zed.notes) == ("Zeta [b]Labs[/b]", "+44 20 7946 0000", 7000, "Asked about #pricing")
        # the import is searchable at once, and shown literally
        await pilot.press("slash", *"zimmer")
        await settle(app, pilot)
        hits = app.screen.query_one("#hits")
        assert str(hits.get_option_at_index(0).prompt).startswith("Zed Zimmer · Zeta [b]Labs[/b]")


async def test_changing_a_columns_field_updates_the_dry_run(seeded, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(CSV, encoding="utf-8")
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await read_file(app, pilot, path)
        app.screen.query_one("#column-3").value = "ignore"  # Deal Value: the bad "lots" no longer matters
        await settle(app, pilot)
        assert "Dry run, nothing written: 2 added" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Prospect.get(Prospect.name == "Zed Zimmer").deal_value == 0
        assert Prospect.select().where(Prospect.name == "Yan Yu").count() == 1


async def test_a_file_that_cannot_be_read_is_said_in_the_dialog(seeded, tmp_path):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await read_file(app, pilot, tmp_path / "missing.csv")
        assert isinstance(app.screen, ImportScreen)
        assert "missing.csv" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Name the file to import, then press enter to read it." in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)


async def test_export_from_the_palette_writes_the_calendar(seeded, tmp_path):
    app = desk_app()
    target = tmp_path / "desk.ics"
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("ctrl+p", *"Export", "enter")
        await settle(app, pilot)
        select = app.screen.query_one("#format")
        select.value = "ics"
        await pilot.pause()
        path = app.screen.query_one("#path")
        path.value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any(n.message == f"Wrote 6 follow-ups to {target}" for n in app._notifications)
    events = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == 6
    assert oct(target.stat().st_mode & 0o777) == "0o600"


async def test_the_desk_exports_the_days_in_its_own_zone_not_the_variables(seeded, tmp_path, monkeypatch):
    import csv
    import io

    from storage.book.models import FollowUp
    from storage.rules.dates import from_utc
    from tests.conftest import TZ

    monkeypatch.setenv("FOLLOWUP_TZ", "Pacific/Honolulu")  # the desk was given TZ (--tz): that is the rep's zone
    app = desk_app()
    target = tmp_path / "desk.csv"
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("ctrl+p", *"Export", "enter")
        await settle(app, pilot)
        app.screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    table = {r["Name"]: r["Next Follow-up"] for r in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))}
    steps = FollowUp.select().where(FollowUp.done_at.is_null())
    assert len(steps) >= 6
    for s in steps:
        shown = from_utc(s.due_at, TZ)
        assert table[s.prospect.name] == (f"{shown:%Y-%m-%d %H:%M}" if s.has_time else f"{shown:%Y-%m-%d}")
