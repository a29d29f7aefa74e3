"""The palette is the desk's (issue 14, point 6): with nothing typed, the desk's actions on the
prospect on screen come first, named for them, with their keys; Textual's own commands are found
only when typed, under "Textual:"; a palette entry acts on the prospect on screen."""

from __future__ import annotations

from textual.command import CommandList

from storage import actions
from storage.book.models import Prospect
from tests.tui.conftest import desk_app, screen_text, settle, step


def offered(app) -> list[str]:
    """The palette's entries, top to bottom, as the rep reads them (title, then help)."""
    return [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]


async def test_the_palette_opens_on_the_desks_actions_named_for_the_prospect_on_screen(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        entries = offered(app)
        assert entries[:5] == [
            "Log a touch with Pat Promise (l)",
            "Snooze Pat Promise (s)",
            "Mark Pat Promise won (w)",
            "Drop Pat Promise (x)",
            "Set the next step for Pat Promise (d)",
        ], entries
        assert "Reopen Pat Promise (o)" not in entries  # active: nothing to reopen
        for textual_own in ("Screenshot", "Theme", "Maximize", "Quit", "Textual:"):
            assert not any(entry.startswith(textual_own) or textual_own in entry for entry in entries), entries


async def test_textuals_own_commands_are_found_when_typed(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"screenshot")
        await settle(app, pilot)
        assert offered(app)[0] == "Textual: Screenshot", offered(app)


async def test_a_palette_entry_acts_on_the_prospect_on_screen(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")  # Otto Overdue
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert offered(app)[2] == "Mark Otto Overdue won (w)"
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "WonScreen"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert Prospect.get_by_id(seeded["Otto"]).status == "won"
    assert Prospect.get_by_id(seeded["Pat"]).status == "active"


async def test_the_palette_shows_a_name_as_typed_never_as_markup(book, frozen):
    actions.add_prospect({"name": "[b]Ann[/i] [@click=app.quit]Acme[/]"}, step(-1, promised=True))
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert offered(app)[0] == "Log a touch with [b]Ann[/i] [@click=app.quit]Acme[/] (l)"
        await pilot.press(*"acme")
        await settle(app, pilot)
        assert offered(app)[0].endswith("[@click=app.quit]Acme[/] (l)") or "Acme[/]" in offered(app)[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Log a touch · [b]Ann[/i] [@click=app.quit]Acme[/]" in screen_text(app)


async def test_the_palette_offers_what_can_be_done_to_the_prospect_on_screen(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert "Take back the promise to Pat Promise (p)" in offered(app)  # promised: p takes it back
        await pilot.press("escape", "G")  # Nina: no next step
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        entries = offered(app)
        assert entries[0] == "Log a touch with Nina Nostep (l)", entries
        assert not any(entry.startswith(("Snooze", "Promise", "Take back")) for entry in entries), entries
        assert "Set the next step for Nina Nostep (d)" in entries
