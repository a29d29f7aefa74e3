"""Closing right, driven with real keys (issue 13): the won dialog's one choice, final amount,
closing note and referrer's thank-you; the drop dialog's reason picked from a list the rep
extends. What the screen shows and what the book holds after."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioSet, Select

from storage import actions
from storage.book.models import DropReason, FollowUp, Prospect
from storage.rules.dates import from_utc
from tests.conftest import TZ
from tests.tui.conftest import desk_app, paste, screen_text, settle, step
from tui.screens.drop import DropScreen
from tui.screens.won import WonScreen


def open_step(prospect_id: int) -> FollowUp | None:
    return FollowUp.get_or_none((FollowUp.prospect == prospect_id) & FollowUp.done_at.is_null())


def local_day(utc) -> str:
    return from_utc(utc, TZ).date().isoformat()


async def won_dialog(app, pilot, *keys: str) -> WonScreen:
    await pilot.press(*keys, "w")
    await settle(app, pilot)
    assert isinstance(app.screen, WonScreen)
    return app.screen


async def test_won_offers_one_choice_a_thank_you_first(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await won_dialog(app, pilot, "j")
        radios = dialog.query_one(RadioSet)
        assert [b.value for b in radios.query("RadioButton")] == [True, False, False]
        assert [b.label.plain for b in radios.query("RadioButton")] == [
            "A thank-you first (then the first check-in)", "Straight to a relationship check-in", "Nothing scheduled"]
        text = screen_text(app)
        assert "Thank-you on" in text and "→ Wed 25 Nov, in 2 days" in text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        otto = open_step(seeded["Otto"])
        assert (otto.kind, local_day(otto.due_at)) == ("thank-you", "2026-11-25")


async def test_won_straight_to_a_check_in_is_the_only_step(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await won_dialog(app, pilot, "j")
        await pilot.press("down", "enter")  # the second choice
        await pilot.pause()
        assert [b.value for b in dialog.query("RadioButton")] == [False, True, False]
        assert "Check-in on" in screen_text(app) and "→ Wed 23 Dec" in screen_text(app)  # its own default
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        steps = list(FollowUp.select().where((FollowUp.prospect == seeded["Otto"]) & FollowUp.done_at.is_null()))
        assert [(s.kind, local_day(s.due_at)) for s in steps] == [("check-in", "2026-12-23")]
        assert Prospect.get_by_id(seeded["Otto"]).status == "won"


async def test_won_with_nothing_scheduled_leaves_no_step_and_keeps_a_typed_date(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await won_dialog(app, pilot, "j")
        await pilot.press("tab", "ctrl+u", *"fri", "shift+tab", "down", "down", "enter")
        await pilot.pause()
        assert dialog.query_one("#when").disabled
        await pilot.press("up", "enter")
        await pilot.pause()
        assert dialog.query_one("#when").value == "fri"  # typed by the rep: kept
        await pilot.press("down", "enter", "ctrl+s")
        await settle(app, pilot)
        assert Prospect.get_by_id(seeded["Otto"]).status == "won"
        assert open_step(seeded["Otto"]) is None


async def test_won_keeps_the_final_amount_and_the_closing_note(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await won_dialog(app, pilot, "j")
        assert dialog.query_one("#deal_value").value == "9,000"  # the deal's value, as a rep writes it
        await pilot.press("tab", "tab", "ctrl+u", *"twelve", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog  # refused where the rep looks; nothing written
        assert "Deal value must be a number" in dialog.query_one("#error-deal_value").visual.plain
        assert Prospect.get_by_id(seeded["Otto"]).status == "active"
        await pilot.press("ctrl+u", *"12,500", "tab")
        await paste(pilot, "Signed for 3 years [b]gold[/b] plan")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        otto = Prospect.get_by_id(seeded["Otto"])
        assert (otto.status, otto.deal_value, otto.closing_note) == ("won", 12500, "Signed for 3 years [b]gold[/b] plan")


async def test_won_thanks_an_active_referrer_on_the_thank_you_day(seeded):
    ref = actions.add_prospect({"name": "Rita Referrer"}, step(10))
    ada = actions.add_prospect({"name": "Ada Referred", "referred_by": ref}, step(-3))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await won_dialog(app, pilot, "j")
        assert Prospect.get_by_id(ada).name in screen_text(app)
        assert dialog.query_one("#referrer", Checkbox).value is True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        thanks = open_step(ref)
        assert local_day(thanks.due_at) == "2026-11-25" and "Thank them for referring Ada Referred" in thanks.what


async def test_won_does_not_offer_a_dropped_referrers_thank_you(seeded):
    ref = actions.add_prospect({"name": "Rita Referrer"}, step(10))
    actions.drop(ref, "No need")
    actions.add_prospect({"name": "Ada Referred", "referred_by": ref}, step(-3))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await won_dialog(app, pilot, "j")
        assert not dialog.query("#referrer")
        assert "Rita Referrer (who referred them) is dropped: reopen them (o) to thank them." in screen_text(app)
        await pilot.press("ctrl+s")  # saves: the action is not asked for what it refuses
        await settle(app, pilot)
        assert Prospect.get(Prospect.name == "Ada Referred").status == "won"
        assert open_step(ref) is None


async def drop_dialog(app, pilot, *keys: str) -> DropScreen:
    await pilot.press(*keys, "x", "y")  # fewer than five touches: "drop anyway"
    await settle(app, pilot)
    assert isinstance(app.screen, DropScreen)
    return app.screen


async def test_dropping_needs_a_reason_picked_from_the_list(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await drop_dialog(app, pilot, "j")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Pick a reason from the list" in dialog.query_one("#error-picked").visual.plain
        await pilot.press("enter", *"went", "enter")  # the list opens; typing finds the reason
        await pilot.pause()
        assert dialog.query_one("#picked", Select).value == "Went with a competitor"
        await pilot.press("tab")
        await paste(pilot, "Initech was cheaper")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        otto = Prospect.get_by_id(seeded["Otto"])
        assert (otto.status, otto.drop_reason, otto.picked_reason.label) == ("dropped", "Initech was cheaper", "Went with a competitor")


async def test_a_new_reason_typed_joins_the_list_for_next_time(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await drop_dialog(app, pilot, "j")
        await pilot.press("enter", "end", "enter")  # the last entry: a new reason
        await pilot.pause()
        assert dialog.query_one("#new-reason").has_focus
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Type the new reason" in dialog.query_one("#error-new-reason").visual.plain
        await paste(pilot, "Moved abroad")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Prospect.get_by_id(seeded["Otto"]).drop_reason == "Moved abroad"
        assert DropReason.get(DropReason.label == "Moved abroad").position == 8
        dialog = await drop_dialog(app, pilot)  # the next one down
        options = [str(prompt) for prompt, _ in dialog.query_one("#picked", Select)._options]
        assert options[-2:] == ["Moved abroad", "＋ a new reason…"]


async def test_the_last_note_picks_no_answer_as_it_opens(seeded):
    from tui.screens.final_note import FinalNoteScreen

    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j")
        await settle(app, pilot)
        app.screen.action_final_note()
        await settle(app, pilot)
        assert isinstance(app.screen, FinalNoteScreen)
        assert app.screen.query_one("#picked", Select).value == "No answer"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        otto = Prospect.get_by_id(seeded["Otto"])
        assert (otto.status, otto.picked_reason.label, otto.drop_reason) == ("dropped", "No answer", "No reply after 0 touches")
