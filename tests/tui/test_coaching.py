"""The desk coaching the rep, driven with real keys: promises, persistence, the last note, revisits,
the two-day rule, the channel they answer, their best time, the queue by kind."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from storage import actions
from storage.book.models import FollowUp, Prospect, Touch
from storage.book.opening import close_book
from tests.conftest import FROZEN, TZ
from tests.tui.conftest import desk_app, paste, queue_lines, screen_text, settle, step
from tui.widgets.detail_pane import DetailPane
from tui.widgets.queue_view import QueueView

NOW_UTC = dt.datetime(2026, 11, 23, 8, 30)


def selected_name(app) -> str:
    row = app.screen.query_one(QueueView).selected
    return row.name if row else ""


def detail_text(app) -> str:
    return str(app.screen.query_one(DetailPane).visual.plain)


def backdated_touches(pid: int, outcomes: list[str], channel: str = "call") -> None:
    for n, outcome in enumerate(outcomes):
        at = NOW_UTC - dt.timedelta(days=60 - 7 * n)
        actions.log_touch(pid, channel=channel, outcome=outcome, note=f"try {n + 1}", at=at, now=at,
                          next_step=step(0))


async def test_a_promise_turns_loud_when_late_and_the_book_keeps_that_it_was_late(book, frozen):
    pid = actions.add_prospect({"name": "Pia Promise"}, step(0, 14, promised=True, what="Call with the price"))
    actions.add_prospect({"name": "Otto Other"}, step(3))
    app = desk_app()
    async with app.run_test(size=(160, 45)):
        lines = queue_lines(app)
        assert lines[0].strip() == "Promised (1)" and "★ today 14:00" in lines[1]
    with pendulum.travel_to(FROZEN.add(days=1), freeze=True):  # the next morning: late
        app = desk_app()
        async with app.run_test(size=(160, 45)) as pilot:
            assert "★ 1d late" in queue_lines(app)[1]
            assert "overdue Call with the price" in detail_text(app)
            await pilot.press("l")
            await paste(pilot, "Called, sorry for the delay")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert selected_name(app) == "Otto Other"  # on to the next one that is due
            await pilot.press("k")
            assert "late Call with the price" in detail_text(app)
            assert "0 kept · 1 late · 0 open" in detail_text(app)
    promise = FollowUp.get((FollowUp.prospect == pid) & FollowUp.done_at.is_null(False))
    assert (promise.promised, promise.resolution, promise.kept) == (True, "done", False)
    assert Prospect.get_by_id(pid).next_promised is False


async def test_a_promise_done_on_time_is_kept(book, frozen):
    pid = actions.add_prospect({"name": "Pia Promise"}, step(0, 14, promised=True))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"Sent it", "ctrl+s")
        await settle(app, pilot)
        assert "1 kept · 0 late · 0 open" in detail_text(app)
    assert FollowUp.get((FollowUp.prospect == pid) & FollowUp.done_at.is_null(False)).kept is True


async def test_when_the_cadence_runs_out_the_last_note_drops_and_the_revisit_brings_them_back(book, frozen):
    pid = actions.add_prospect({"name": "Sam Silent", "company": "Quiet Co"}, step(0))
    backdated_touches(pid, ["no answer"] * 6)  # the persistent cadence has six steps
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert "6 without a reply (persistent: 6 of 6)" in detail_text(app)
        assert " 6○" in queue_lines(app)[3]  # the queue shows the touch count and the silent run
        await pilot.press("l")
        await pilot.pause()
        assert "the persistent cadence has run out" in screen_text(app)
        await paste(pilot, "Voicemail again")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "FinalNoteScreen"
        text = screen_text(app)
        assert "Hi Sam, I haven't heard back" in text and "No reply after 7 touches" in text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not app.screen.is_modal
        assert "Sam Silent" not in "\n".join(queue_lines(app))
    sam = Prospect.get_by_id(pid)
    assert (sam.status, sam.touch_count, sam.revisit_on) == ("dropped", 8, dt.date(2027, 2, 23))
    assert Touch.select().where(Touch.prospect == pid).order_by(Touch.id.desc()).first().note.startswith("Hi Sam,")
    with pendulum.travel_to(pendulum.datetime(2027, 2, 23, 9, tz=TZ), freeze=True):
        app = desk_app()
        async with app.run_test(size=(160, 45), notifications=True):
            lines = "\n".join(queue_lines(app))
            assert "Today (1)" in lines and "Sam Silent · Quiet Co" in lines
    assert Prospect.get_by_id(pid).status == "active"


async def test_another_unanswered_follow_up_within_two_days_asks_first(book, frozen):
    pid = actions.add_prospect({"name": "Dan Daily"}, step(0))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"No pickup", "tab", "ctrl+a", "ctrl+k", *"tomorrow", "ctrl+s")
        await pilot.pause()
        assert "Daily notes are a poor strategy" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert Touch.select().count() == 0 and type(app.screen).__name__ == "LogTouchScreen"
        await pilot.press("ctrl+s", "y")
        await settle(app, pilot)
    assert Prospect.get_by_id(pid).touch_count == 1


async def test_dropping_before_five_touches_asks_and_says_why(book, frozen):
    pid = actions.add_prospect({"name": "Early Drop"}, step(0))
    backdated_touches(pid, ["no answer", "no answer", "talked"])
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert "Only 3 touches so far" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert not app.screen.is_modal
    assert Prospect.get_by_id(pid).status == "active"


async def test_the_log_form_defaults_to_the_channel_they_answer_and_flags_their_best_time(book, frozen):
    pid = actions.add_prospect(
        {"name": "Eve Email", "best_time": "weekdays 8-10am", "timezone": "America/New_York", "preferred_channel": "call"},
        step(0),
    )
    backdated_touches(pid, ["no answer", "no answer"], channel="call")
    backdated_touches(pid, ["replied"], channel="email")
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert "answers email · email 1/1, call 0/2 replied" in detail_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one("#next-channel").value == "email"
        app.screen.query_one("#next-input").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"wed 10am")  # 04:00 in New York
        await pilot.pause()
        assert "outside their best time" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *"wed 3pm")  # 09:00 in New York
        await pilot.pause()
        assert "outside their best time" not in screen_text(app)


async def test_the_queue_can_be_read_by_kind(seeded):
    actions.set_next_step(seeded["Uma"], step(3, kind="referral"))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("ctrl+p", *"only referral")
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        names = "\n".join(queue_lines(app))
        assert "Uma Upcoming" in names and "Otto" not in names and "Upcoming (1)" in names
        assert str(app.screen.query_one("#queue-pane").border_title).startswith("Queue · referral (esc clears) · ")
        await pilot.press("escape")
        await pilot.pause()
        assert "Otto Overdue" in "\n".join(queue_lines(app))


async def test_a_service_follow_up_can_be_scheduled_for_a_customer(seeded):
    actions.close_won(seeded["Larry"])
    actions.set_next_step(seeded["Larry"], step(40, kind="check-in"))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("G", "k")
        assert selected_name(app) == "Larry Later"
        await pilot.press("ctrl+p", *"service follow")
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    open_step = FollowUp.get((FollowUp.prospect == seeded["Larry"]) & FollowUp.done_at.is_null())
    assert open_step.kind == "service"
    assert Prospect.get_by_id(seeded["Larry"]).status == "won"


async def test_the_detail_pane_lists_tags_and_referrals(book, frozen):
    ann = actions.add_prospect({"name": "Ann Source"}, step(0))
    actions.add_prospect({"name": "Bob Referred", "referred_by": ann}, step(5))
    actions.log_touch(ann, channel="call", outcome="talked", note="Contoso is cheaper #competitor #price", next_step=step(0))
    app = desk_app()
    async with app.run_test(size=(160, 45)):
        text = detail_text(app)
        assert "Tags #competitor · #price" in text
        assert "Referred Bob Referred (active)" in text


async def test_a_prospect_can_follow_a_chosen_cadence(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#cadence").value = "gentle"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Prospect.get_by_id(seeded["Pat"]).cadence == "gentle"
        await pilot.press("l")
        await pilot.pause()
        # no answer on the first touch: the gentle cadence waits a week, not two days
        assert app.screen.query_one("#next-input").value == "+1w"


async def test_snoozing_to_the_day_after_an_unanswered_touch_asks_first(book, frozen):
    pid = actions.add_prospect({"name": "Sue Snooze"}, step(0))
    actions.log_touch(pid, channel="call", outcome="no answer", next_step=step(0, 18))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("s", "1")
        await pilot.pause()
        assert "Daily notes are a poor strategy" in screen_text(app)
        await pilot.press("n", "escape")
        await pilot.pause()
    assert Prospect.get_by_id(pid).next_due_at.hour == 17  # unchanged: 18:00 Paris


def _broken_cadences() -> None:
    from storage.book.locations import cadence_file
    from storage.reads.coaching import cadences

    cadences.cache_clear()
    cadence_file().parent.mkdir(parents=True, exist_ok=True)
    cadence_file().write_text("[cadence.persistent]\nunanswered = [2, 0]\n")


def test_a_broken_cadences_file_is_one_line_and_the_defaults_are_used(book, frozen, capsys):
    """Issue 16, point 4: a typo in cadences.toml stopped `followup due` (a cron line)."""
    from tui.cli import main

    actions.add_prospect({"name": "Tess Today"}, step(0, 14))
    path = book.database
    close_book()
    _broken_cadences()
    assert main(["--db", path, "due"]) == 0
    captured = capsys.readouterr()
    assert "Tess Today" in captured.out
    err = captured.err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("followup: ") and "cadences.toml: cadence.persistent.unanswered" in err
    assert err.rstrip().endswith("(using the default cadences)")


async def test_a_broken_cadences_file_is_said_on_the_desk_which_coaches_by_the_defaults(book, frozen):
    actions.add_prospect({"name": "Tess Today"}, step(0, 14))
    _broken_cadences()
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(app, pilot)
        said = [(n.title, n.message) for n in app._notifications]
        await pilot.press("l")
        await settle(app, pilot)
        shown = screen_text(app)
    assert [t for t, m in said if "cadences.toml" in m] == ["Using the default cadences"]
    assert "persistent cadence" in shown  # the log dialog's suggestion, from the default cadence


async def test_winning_a_referred_prospect_thanks_the_referrer(book, frozen):
    ann = actions.add_prospect({"name": "Ann Source"})
    bob = actions.add_prospect({"name": "Bob Referred", "referred_by": ann}, step(0))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert "Thank Ann Source for the referral" in str(app.screen.query_one("#referrer").label)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Ann Source" in "\n".join(queue_lines(app))  # the referrer is back in the queue
    thanks = FollowUp.get((FollowUp.prospect == ann) & FollowUp.done_at.is_null())
    assert (thanks.kind, thanks.what) == ("thank-you", "Thank them for referring Bob Referred")
    assert Prospect.get_by_id(bob).status == "won"
