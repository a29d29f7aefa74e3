"""The edit form (`e`) saved after another desk changed the prospect while it was open (issue 18,
point 4: no lost update): the form sends what it showed as it opened, so a field the rep did not
touch keeps the other desk's change, and a field both changed is refused in words in the form,
nothing saved."""

from __future__ import annotations

from storage import actions
from storage.book.models import Prospect
from tests.tui.conftest import desk_app, screen_text, settle, step
from tui.screens.prospect_form import ProspectFormScreen

TO_TITLE = ("tab", "tab")  # name → company → title
TO_PHONE = ("tab",) * 4  # … → email → phone


async def edit_form(app, pilot) -> ProspectFormScreen:
    await pilot.press("e")
    await settle(app, pilot)
    assert isinstance(app.screen, ProspectFormScreen)
    return app.screen


async def test_a_field_the_rep_did_not_touch_keeps_the_other_desks_change(book, frozen):
    ada = actions.add_prospect({"name": "Ada Lovelace", "phone": "111", "title": "Engineer"}, step(0))
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        await edit_form(app, pilot)
        actions.edit_prospect(ada, {"phone": "222"})  # another desk, while the form is open
        await pilot.press(*TO_TITLE, "end", "ctrl+u", *"CTO", "ctrl+s")
        await settle(app, pilot)
        row = Prospect.get_by_id(ada)
        assert (row.title, row.phone) == ("CTO", "222")  # before: the form wrote its 111 back


async def test_a_field_both_changed_is_refused_in_the_form_and_nothing_is_saved(book, frozen):
    ada = actions.add_prospect({"name": "Ada Lovelace", "phone": "111", "title": "Engineer"}, step(0))
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        dialog = await edit_form(app, pilot)
        actions.edit_prospect(ada, {"phone": "222"})
        await pilot.press(*TO_PHONE, "end", "ctrl+u", *"333", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert ('You changed the phone on another desk meanwhile: it is now "222". '
                "Nothing was saved: look again, then save.") in screen_text(app)
        row = Prospect.get_by_id(ada)
        assert (row.title, row.phone) == ("Engineer", "222")


async def test_after_the_refusal_the_form_shows_the_prospect_as_it_is_and_a_second_save_is_the_reps(book, frozen):
    """The refusal reads the prospect again: the title the rep left shows the other desk's, the
    phone the rep typed stays; ctrl+s again saves the rep's phone, knowing, and keeps their title."""
    ada = actions.add_prospect({"name": "Ada Lovelace", "phone": "111", "title": "Engineer"}, step(0))
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        dialog = await edit_form(app, pilot)
        actions.edit_prospect(ada, {"phone": "222", "title": "CTO"})
        await pilot.press(*TO_PHONE, "end", "ctrl+u", *"333", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert (dialog.query_one("#title").value, dialog.query_one("#phone").value) == ("CTO", "333")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not dialog
        row = Prospect.get_by_id(ada)
        assert (row.title, row.phone) == ("CTO", "333")
