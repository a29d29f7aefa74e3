"""The desk's zone (what `--tz` gave it) is the rep's for every rule it asks the book, not
FOLLOWUP_TZ: here the desk is in Paris and the variable says Honolulu, where it is still Sunday."""

from __future__ import annotations

import datetime as dt

import pendulum

from storage import actions
from storage.book.models import FollowUp, Prospect
from tests.conftest import TZ
from tests.tui.conftest import desk_app, queue_lines, settle, step

MONDAY = dt.date(2026, 11, 23)  # FROZEN's day in Paris; Sunday 22 until 10:00 UTC in Honolulu


async def test_a_revisit_wakes_on_the_desks_day(book, frozen, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_TZ", "Pacific/Honolulu")
    back = actions.add_prospect({"name": "Dee Dropped"}, step(1))
    actions.drop(back, "not now", revisit_on=MONDAY + dt.timedelta(days=1), now=dt.datetime(2026, 11, 20, 9))
    Prospect.update(revisit_on=MONDAY).where(Prospect.id == back).execute()  # the revisit has come, in Paris
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        lines = "\n".join(queue_lines(app))
        assert "Today (1)" in lines and "Dee Dropped" in lines
    assert Prospect.get_by_id(back).status == "active"


async def test_a_promise_for_today_logged_late_in_the_desks_evening_is_kept(book, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_TZ", "Pacific/Honolulu")
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 9, 30, tz=TZ), freeze=True):
        pid = actions.add_prospect({"name": "Pia Promise"}, step(0, promised=True))  # Monday, the whole day
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 23, 30, tz=TZ), freeze=True):
        app = desk_app()
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(app, pilot)
            await pilot.press("l", *"Sent it", "ctrl+s")
            await settle(app, pilot)
    assert FollowUp.get((FollowUp.prospect == pid) & FollowUp.done_at.is_null(False)).kept is True


async def test_a_zone_source_passed_over_is_said_on_the_desk(book, frozen):
    from tests.tui.conftest import DeskForTests

    problem = "FOLLOWUP_TZ: Unknown time zone 'Nowhere/Land'; type a city (Paris), a country (Japan) or a name like Europe/Paris."
    app = DeskForTests(TZ, book_label="test", zone_problems=[problem])
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(app, pilot)
        said = [(n.title, n.message) for n in app._notifications]
    assert said == [(f"Using the time zone {TZ}", problem)]
