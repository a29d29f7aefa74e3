"""From the last touch, on the desk (issue 15, point 6): the log form's suggested date counts from
the touch being logged (When), and the next-step dialog's from the prospect's last touch; never
before today."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from storage import actions
from storage.book.models import FollowUp
from storage.rules.dates import When, from_utc, to_utc
from tests.conftest import TZ
from tests.tui.conftest import desk_app, screen_text, settle

MONDAY = dt.date(2026, 11, 23)  # FROZEN's day


async def type_into(app, pilot, selector: str, text: str) -> None:
    app.screen.query_one(selector).focus()
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await pilot.pause()


def open_due_day(prospect_id: int) -> dt.date:
    step = FollowUp.get((FollowUp.prospect == prospect_id) & FollowUp.done_at.is_null())
    return from_utc(step.due_at, TZ).date()


async def test_the_log_forms_date_counts_from_the_touch_typed_in_when(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "l")  # Otto: a new prospect, no touch yet (persistent: 2 days after no answer)
        await settle(app, pilot)
        field = app.screen.query_one("#next-input", Input)
        assert field.value == "+2d"
        await type_into(app, pilot, "#when-input", "yesterday")
        assert field.value == "+1d"
        await type_into(app, pilot, "#when-input", "5d ago")
        assert field.value == "today"  # its two days have run: today, never the past
        await type_into(app, pilot, "#when-input", "now")
        assert field.value == "+2d"
        await type_into(app, pilot, "#when-input", "sat")  # Saturday 21: the cadence's Monday is today
        assert "→ Mon 23 Nov, today" in screen_text(app)
        await pilot.press("ctrl+s")  # not two days after Saturday's silence: no question
        await settle(app, pilot)
        assert not app.screen.is_modal
    assert open_due_day(seeded["Otto"]) == MONDAY


async def test_a_date_the_rep_typed_stays_when_when_changes(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "l")
        await settle(app, pilot)
        await type_into(app, pilot, "#next-input", "fri")
        await type_into(app, pilot, "#when-input", "yesterday")
        assert app.screen.query_one("#next-input", Input).value == "fri"


async def test_the_next_step_dialog_counts_from_the_last_touch(seeded):
    nina = seeded["Nina"]  # no next step: the dialog suggests one
    actions.log_touch(nina, channel="call", outcome="no answer", at=to_utc(When(MONDAY - dt.timedelta(days=1), dt.time(10)), TZ))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        app.screen.show_prospect(nina)
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        # one unanswered touch yesterday: the persistent cadence's 2 days run from it, to tomorrow
        assert app.screen.query_one("#when-input", Input).value == "+1d"
