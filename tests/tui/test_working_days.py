"""Working days on the desk (issue 15, point 3), driven with real keys on Monday 23 Nov: what the
desk offers (a next step's cadence date, a snooze choice) lands on a working day; a date the rep
types for a day off stays theirs, and its preview says so."""

from __future__ import annotations

from textual.widgets import OptionList

from storage.book.models import FollowUp
from storage.rules.dates import local_due
from tests.conftest import TZ
from tests.tui.conftest import desk_app, screen_text, settle
from tests.tui.test_away import settings

SIZE = (100, 30)


def options(app) -> list[str]:
    return [str(option.prompt) for option in app.screen.query_one(OptionList).options]


async def test_a_suggestion_on_a_day_off_moves_to_the_next_working_day(seeded):
    settings('[work]\ndays = ["mon", "tue", "thu", "fri"]\n')  # Wednesdays off
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "d")  # Nina, no next step: her cadence says +2d, a Wednesday
        await settle(app, pilot)
        shown = screen_text(app)
        assert "nov 26" in shown and "→ Thu 26 Nov, in 3 days" in shown, shown
        assert "not a working day" not in shown


async def test_snooze_choices_land_on_working_days(seeded):
    settings('[work]\ndays = ["mon", "wed", "thu", "fri"]\n')  # Tuesdays off
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # Pat, promised
        await settle(app, pilot)
        shown = options(app)
        assert shown[0].startswith("1  Tomorrow") and "→ Wed 25 Nov" in shown[0], shown
        assert shown[2].startswith("3  In a week") and "→ Mon 30 Nov" in shown[2], shown


async def test_a_date_typed_for_a_day_off_stays_and_the_preview_says_so(seeded):
    settings('[work]\ncountry = "FR"\n')
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "d")
        await settle(app, pilot)
        field = app.screen.query_one("#when-input")
        field.value = ""
        await pilot.press(*"sun")
        await settle(app, pilot)
        assert "→ Sun 29 Nov, in 6 days · a Sunday: not a working day" in screen_text(app)
        field.value = ""
        await pilot.press(*"dec 25")
        await settle(app, pilot)
        assert "Christmas Day (a public holiday): not a working day" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        step = FollowUp.get((FollowUp.prospect == seeded["Nina"]) & FollowUp.done_at.is_null())
        assert local_due(step.due_at, step.has_time, TZ).format("ddd D MMM") == "Fri 25 Dec"  # typed: kept
