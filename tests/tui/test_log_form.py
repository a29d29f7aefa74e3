"""The log form says what happened (issue 13, point 5): who got in touch, when (never in the
future), one key per outcome from any field, "what to do" carried forward from the step being
done, and "meeting booked" asking when and making the meeting the next step."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Label, Select, TextArea

from storage import actions
from storage.book.models import FollowUp, Prospect, Touch
from storage.rules.cadence import KIND_DEFAULTS
from tests.tui.conftest import desk_app, screen_text, settle, step
from tui.screens.log_touch import LogTouchScreen
from tui.widgets.history_pane import HistoryPane

NOW = dt.datetime(2026, 11, 23, 8, 30)  # FROZEN, in naive UTC as the book keeps it
OUTCOME_KEYS = {"f2": "talked", "f3": "replied", "f4": "left message", "f5": "no answer",
                "f6": "meeting booked", "f7": "not now", "f8": "not interested"}


async def open_log(app, pilot, *keys: str) -> LogTouchScreen:
    await pilot.press(*keys, "l")
    await settle(app, pilot)
    assert isinstance(app.screen, LogTouchScreen)
    return app.screen


async def type_into(app, pilot, selector: str, text: str) -> None:
    app.screen.query_one(selector).focus()
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await pilot.pause()


def open_step(prospect_id: int) -> FollowUp:
    return FollowUp.get((FollowUp.prospect == prospect_id) & FollowUp.done_at.is_null())


async def test_an_inbound_touch_yesterday_afternoon_is_their_reply_at_that_time(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot, "j")  # Otto
        await pilot.press(*"They rang back", "f9")  # F9: they got in touch
        assert form.query_one("#direction", Select).value == "in"
        assert form.query_one("#outcome", Select).value == "replied"  # their answer, unless the rep says otherwise
        await type_into(app, pilot, "#when-input", "yesterday 3pm")
        assert "→ Sun 22 Nov 15:00, yesterday" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        touch = Touch.get(Touch.prospect == seeded["Otto"])
        assert (touch.direction, touch.outcome, touch.note) == ("in", "replied", "They rang back")
        assert touch.at == dt.datetime(2026, 11, 22, 14, 0)  # 15:00 in Paris
        otto = Prospect.get_by_id(seeded["Otto"])
        assert (otto.last_touch_at, otto.last_reply_at, otto.unanswered_streak) == (touch.at, touch.at, 0)
        app.screen.show_prospect(seeded["Otto"])
        await settle(app, pilot)
        assert "Sun 22 Nov 2026 15:00 · email · in · replied" in str(app.screen.query_one(HistoryPane).visual.plain)


async def test_when_reads_what_a_rep_types_looking_back(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_log(app, pilot)
        assert "→ now, as you save" in screen_text(app)
        for typed, shown in [("2h ago", "→ Mon 23 Nov 07:30, today"), ("mon 10:00", "→ Mon 16 Nov 10:00, 7 days ago"),
                             ("fri", "→ Fri 20 Nov 09:30, 3 days ago"), ("nov 20 8am", "→ Fri 20 Nov 08:00, 3 days ago")]:
            await type_into(app, pilot, "#when-input", typed)
            assert shown in screen_text(app), typed


async def test_a_touch_in_the_future_is_refused_in_words_and_nothing_is_saved(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press(*"Spoke to them")
        await type_into(app, pilot, "#when-input", "tomorrow")
        assert "That's in the future — a touch is something that happened" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and Touch.select().count() == 0
        assert screen_text(app).count("That's in the future") == 1  # under the field, once
        assert form.query_one("#note", TextArea).text == "Spoke to them"


async def test_a_touch_left_at_now_is_at_the_moment_of_the_save(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_log(app, pilot)
        await pilot.press(*"Quick call", "ctrl+s")
        await settle(app, pilot)
        assert Touch.get().at == NOW


async def test_each_outcome_has_one_key_that_works_from_the_note_and_says_it_on_screen(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot)
        assert "F2 talked · F3 replied · F4 left message · F5 no answer · F6 meeting booked" in screen_text(app)
        await pilot.press(*"Hello")
        for key, outcome in OUTCOME_KEYS.items():
            await pilot.press(key)
            assert form.query_one("#outcome", Select).value == outcome, key
            assert form.focused is form.query_one("#note")  # the rep keeps typing where they were
        assert form.query_one("#note", TextArea).text == "Hello"  # an F-key types nothing
        await pilot.press("f3", "ctrl+s")
        await settle(app, pilot)
        assert Touch.get().outcome == "replied"


async def test_what_to_do_is_carried_forward_from_the_step_being_done(book, frozen):
    """The 14th touch once put the kind's default back; the rep's own words stay, whatever the count."""
    pid = actions.add_prospect({"name": "Ada Long"}, step(-30))
    for n in range(13):
        at = NOW - dt.timedelta(days=30 - 2 * n)
        actions.log_touch(pid, channel="call", outcome="no answer", at=at, now=at,
                          next_step=step(-29 + 2 * n, what="Ask about the Lisbon office"))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot)
        what = form.query_one("#what", Input)
        assert what.value == "Ask about the Lisbon office"
        form.query_one("#kind", Select).value = "referral"  # another kind: its own default
        await pilot.pause()
        assert what.value == KIND_DEFAULTS["referral"].what
        form.query_one("#kind", Select).value = "new prospect"  # back: the step's own words
        await pilot.pause()
        assert what.value == "Ask about the Lisbon office"
        await pilot.press("f2", "ctrl+s")
        await settle(app, pilot)
        assert open_step(pid).what == "Ask about the Lisbon office"
        assert Prospect.get_by_id(pid).touch_count == 14


async def test_words_the_rep_typed_in_what_to_do_stay_when_the_kind_changes(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot)
        await type_into(app, pilot, "#what", "Bring the contract")
        form.query_one("#kind", Select).value = "service"
        await pilot.pause()
        assert form.query_one("#what", Input).value == "Bring the contract"


async def test_meeting_booked_asks_when_and_makes_the_meeting_the_next_step(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot, "j")  # Otto: the next step was an email
        await pilot.press(*"Demo booked", "f6")
        assert "Meeting at" in screen_text(app)
        assert form.query_one("#next-input", Input).value == ""  # only the rep knows when
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and Touch.select().count() == 0
        assert screen_text(app).count("Type a date") == 1  # under the field, once
        await type_into(app, pilot, "#next-input", "thu")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "At what time is the meeting?" in form.query_one("#error-next", Label).visual.plain
        await type_into(app, pilot, "#next-input", "thu 10am")
        assert "→ Thu 26 Nov 10:00, in 3 days" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Touch.get().outcome == "meeting booked"
        meeting = open_step(seeded["Otto"])
        assert (meeting.channel, meeting.what, meeting.promised, meeting.has_time) == ("meeting", "Meeting", True, True)
        assert meeting.due_at == dt.datetime(2026, 11, 26, 9, 0)  # 10:00 in Paris


async def test_another_outcome_after_meeting_booked_puts_the_next_step_back(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot, "j")  # Otto
        before = {s: form.query_one(s).value for s in ("#next-input", "#next-channel", "#what", "#promised")}
        await pilot.press("f6")
        assert form.query_one("#next-channel", Select).value == "meeting"
        await pilot.press("f2")
        assert {s: form.query_one(s).value for s in before} == {**before, "#next-input": "+1w"}  # talked: a week
        assert "Next follow-up" in screen_text(app) and "Meeting at" not in screen_text(app)


async def test_a_step_of_another_kind_gets_the_kinds_default(book, frozen):
    pid = actions.add_prospect({"name": "Tia Thanks"}, step(-1, kind="thank-you", what="Send the card"))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_log(app, pilot)
        assert form.query_one("#kind", Select).value == "check-in"
        assert form.query_one("#what", Input).value == KIND_DEFAULTS["check-in"].what
    assert pid


async def test_f1_in_the_log_form_lists_its_outcome_keys(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_log(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Log a touch" in text and "Outcome: meeting booked (asks when)" in text
        assert "Who got in touch: we did (out) or they did (in)" in text and "Save, from any field" in text
