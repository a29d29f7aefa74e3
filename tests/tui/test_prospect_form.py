"""The prospect form reads like a person: a deal value as "12.5k", a time zone as "Paris" or
"Japan", each showing under the field what it will be kept as, and nonsense said beside it."""

from __future__ import annotations

from storage.book.models import Prospect
from tests.tui.conftest import desk_app, screen_text, settle
from tui.screens.prospect_form import ProspectFormScreen

TO_ZONE = ("tab",) * 6  # name, company, title, email, phone, best time → time zone
# … time zone, deal value, source, prefers, cadence, notes → referred by
TO_REFERRER = ("tab",) * 12


def preview(dialog, field: str) -> str:
    label = dialog.query_one(f"#preview-{field}")
    return str(label.visual.plain) if label.display else ""


async def new_form(app, pilot, name: str = "Ada"):
    await pilot.press("n")
    await settle(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, ProspectFormScreen)
    await pilot.press(*name, *TO_ZONE)
    return dialog


async def test_a_zone_by_city_and_an_amount_with_k_show_what_they_become_and_are_kept(book, frozen):
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        dialog = await new_form(app, pilot)
        assert (preview(dialog, "timezone"), preview(dialog, "deal_value")) == ("", "")
        await pilot.press(*"paris", "tab", *"12.5k")
        await pilot.pause()
        assert preview(dialog, "timezone") == "→ Europe/Paris"
        assert preview(dialog, "deal_value") == "→ 12,500"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        ada = Prospect.get(Prospect.name == "Ada")
        assert (ada.timezone, ada.deal_value) == ("Europe/Paris", 12500)


async def test_a_country_is_its_capitals_clock_and_one_with_several_asks_which_city(book, frozen):
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        dialog = await new_form(app, pilot)
        await pilot.press(*"Japan")
        await pilot.pause()
        assert preview(dialog, "timezone") == "→ Asia/Tokyo"
        await pilot.press("ctrl+u", *"US")
        await pilot.pause()
        assert preview(dialog, "timezone").startswith("Which city? 'US' has several time zones")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and not Prospect.select().exists()  # refused, nothing written
        assert screen_text(app).count("Which city?") == 1  # said under the field, once
        assert dialog.focused is dialog.query_one("#timezone")


async def test_a_city_completes_as_it_is_typed(book, frozen):
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        dialog = await new_form(app, pilot)
        await pilot.press(*"new yo")
        await pilot.pause()
        await pilot.press("right")  # accepts the suggestion shown after the cursor
        await pilot.pause()
        assert dialog.query_one("#timezone").value == "New York"
        assert preview(dialog, "timezone") == "→ America/New_York"


async def test_a_nonsense_amount_is_said_beside_the_field_as_it_is_typed_and_on_save(book, frozen):
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        dialog = await new_form(app, pilot)
        await pilot.press("tab", *"lots")
        await pilot.pause()
        assert preview(dialog, "deal_value") == "'lots' is not an amount — try 12000, 12,500, 12.5k or 1.5m."
        assert dialog.query_one("#preview-deal_value").has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and not Prospect.select().exists()
        assert screen_text(app).count("12.5k") == 1  # said under the field, once (not again in other words)
        assert dialog.focused is dialog.query_one("#deal_value")


async def test_the_referrer_is_picked_from_the_book_by_a_few_letters(seeded, frozen):
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        dialog = app.screen
        await pilot.press(*"Rita Referred")
        await pilot.press(*TO_REFERRER)
        assert dialog.focused is dialog.query_one("#referred_by")
        await pilot.press(*"ov")
        await settle(app, pilot)
        hits = dialog.query_one("#referrers")
        shown = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert sorted(shown) == ["Olive Overdue", "Otto Overdue"]  # "ov" starts their last name
        assert hits.display
        await pilot.press("down")
        await pilot.pause()
        target = shown[1]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert dialog.query_one("#referred_by").value == target and dialog.focused is dialog.query_one("#referred_by")
        assert not hits.has_class("-shown")  # the one picked is not offered again
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        rita = Prospect.get(Prospect.name == "Rita Referred")
        assert rita.referred_by.name == target


async def test_letters_that_match_nobody_offer_nobody_and_are_refused_on_save(seeded, frozen):
    app = desk_app()
    async with app.run_test(size=(100, 45)) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        dialog = app.screen
        await pilot.press(*"Rita")
        await pilot.press(*TO_REFERRER)
        assert dialog.focused is dialog.query_one("#referred_by")
        await pilot.press(*"zzq")
        await settle(app, pilot)
        assert not dialog.query_one("#referrers").has_class("-shown")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "No prospect is named 'zzq'" in str(dialog.query_one("#error-referred_by").visual.plain)
