"""The next step, directly (issue 13, point 4), driven with real keys: `d` sets or changes it
without a touch, `p` promises it or takes the promise back, the snooze dialog warns before moving a
promise; and late first (point 9) as the queue's titles count it. The seeded queue: Pat (promised,
yesterday) · Otto, Olive (overdue) · Tess (today 14:00) · Uma · Larry · Nina (no next step)."""

from __future__ import annotations

from storage import actions
from storage.book.models import FollowUp, Journal, Prospect, Touch
from tests.tui.conftest import desk_app, queue_lines, screen_text, settle, step
from tests.tui.test_desk import local_day, selected_name
from tests.tui.test_keys import write_keys
from tui.screens.next_step import NextStepScreen
from tui.screens.snooze import PROMISE_WARNING, SnoozeScreen
from tui.widgets.detail_pane import DetailPane

SIZE = (160, 45)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def detail(app) -> str:
    return str(app.screen.query_one(DetailPane).visual.plain)


def open_step(prospect_id: int) -> FollowUp:
    return FollowUp.get((FollowUp.prospect == prospect_id) & FollowUp.done_at.is_null())


def sections(app) -> dict[str, list[str]]:
    """The queue as drawn: each section's title line and the names under it."""
    shown: dict[str, list[str]] = {}
    title = ""
    for line in (line.strip() for line in queue_lines(app)):
        if not line:
            continue
        if line.split(" (")[0] in ("Promised", "Overdue", "Today", "Upcoming", "Later", "No next step"):
            title = line
            shown[title] = []
        else:
            shown[title].append(line)
    return shown


async def test_d_sets_a_next_step_for_a_prospect_without_one_from_the_cadence(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("G")
        await settle(app, pilot)
        assert selected_name(app) == "Nina Nostep"
        assert "Next: no next step — press d to set one (l logs a touch)" in detail(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, NextStepScreen)
        shown = screen_text(app)
        assert "Next step · Nina Nostep" in shown
        assert "+2d" in shown and "→ Wed 25 Nov, in 2 days" in shown  # the persistent cadence's first step
        assert "suggested by the persistent cadence" in shown
        assert "Introduce ourselves and ask about their needs" in shown
        entries = Journal.select().count()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, NextStepScreen)
        step_now = open_step(seeded["Nina"])
        assert (local_day(step_now.due_at), step_now.kind, step_now.promised) == ("2026-11-25", "new prospect", False)
        assert Touch.select().count() == 0
        assert Journal.select().count() == entries + 1
        assert selected_name(app) == "Nina Nostep"  # the cursor went with them
        assert "No next step (0)" in sections(app)
        assert "Next step set for Nina Nostep" in toasts(app)


async def test_d_changes_the_open_step_where_it_stands_and_keeps_a_passed_date(seeded):
    """Pat's promise was for yesterday: the field holds that date, and keeping it is allowed (the
    step stays late); what to do and the channel change on the same follow-up."""
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert selected_name(app) == "Pat Promise"
        before = open_step(seeded["Pat"])
        await pilot.press("d")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "2026-11-22" in shown and "→ Sun 22 Nov, yesterday" in shown
        assert "late: keep this date, or type a new one" in shown
        assert app.screen.query_one("#promised").value is True
        what = app.screen.query_one("#what")
        what.focus()
        what.value = ""
        await pilot.press(*"Send the revised price", "ctrl+s")
        await settle(app, pilot)
        after = open_step(seeded["Pat"])
        assert after.id == before.id and after.due_at == before.due_at
        assert (after.what, after.promised) == ("Send the revised price", True)
        assert "Send the revised price" in detail(app)


async def test_a_date_in_the_past_typed_in_d_is_refused_beside_the_field(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "d")
        await settle(app, pilot)
        app.screen.query_one("#when-input").value = ""
        await pilot.press(*"yesterday", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, NextStepScreen)
        assert "is in the past — pick today or later" in screen_text(app)
        assert FollowUp.select().where(FollowUp.prospect == seeded["Nina"]).count() == 0


async def test_escape_in_d_writes_nothing(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        entries = Journal.select().count()
        await pilot.press("d", "escape")
        await settle(app, pilot)
        assert Journal.select().count() == entries
        assert not isinstance(app.screen, NextStepScreen)


async def test_d_on_a_dropped_prospect_says_reopen_first_with_the_reps_key(seeded):
    write_keys('[keys]\n"desk.reopen" = "O"\n')
    actions.drop(seeded["Nina"], "No budget")
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.screen.show_prospect(seeded["Nina"])
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert not isinstance(app.screen, NextStepScreen)
        assert "Dropped: reopen them first (O)." in toasts(app)
        await pilot.press("p")
        await settle(app, pilot)
        assert toasts(app).count("Dropped: reopen them first (O).") == 2


async def test_the_no_next_step_hint_names_the_reps_own_key(seeded):
    write_keys('[keys]\n"desk.next_step" = "D"\n')
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G")
        await settle(app, pilot)
        assert "press D to set one" in detail(app)
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, NextStepScreen)


async def test_a_won_customer_gets_a_check_in_from_d(seeded):
    actions.close_won(seeded["Nina"])
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.show_prospect(seeded["Nina"])
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "suggested by the gentle cadence" in shown and "→ Mon 30 Nov, in 7 days" in shown
        assert str(app.screen.query_one("#kind").value) == "check-in"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        nina = Prospect.get_by_id(seeded["Nina"])
        assert (nina.status, nina.next_kind, local_day(nina.next_due_at)) == ("won", "check-in", "2026-11-30")


async def test_p_promises_the_step_and_the_row_moves_into_promised_then_back(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j", "j")
        assert selected_name(app) == "Tess Today"
        entries = Journal.select().count()
        await pilot.press("p")
        await settle(app, pilot)
        assert "Promised the call to Tess Today" in toasts(app)
        assert open_step(seeded["Tess"]).promised is True
        assert Journal.select().count() == entries + 1
        queue = sections(app)
        assert any("Tess Today" in row for row in queue["Promised (2)"]) and "Today (0)" in queue
        assert selected_name(app) == "Tess Today" and "★ promised" in detail(app)
        await pilot.press("p")
        await settle(app, pilot)
        assert "The call to Tess Today no longer promised" in toasts(app)
        assert open_step(seeded["Tess"]).promised is False
        assert any("Tess Today" in row for row in sections(app)["Today (1)"])


async def test_p_without_a_next_step_says_so_and_writes_nothing(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        entries = Journal.select().count()
        await pilot.press("G", "p")
        await settle(app, pilot)
        assert "No next step to promise: press d to set one." in toasts(app)
        assert Journal.select().count() == entries


async def test_s_without_a_next_step_names_the_key_that_sets_one(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("G", "s")
        await settle(app, pilot)
        assert "No next follow-up to snooze: press d to set one." in toasts(app)
        assert not app.screen.is_modal


async def test_snoozing_a_promised_step_warns_before_any_choice(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # Pat: promised
        await settle(app, pilot)
        assert isinstance(app.screen, SnoozeScreen)
        assert PROMISE_WARNING in screen_text(app)
        assert "snoozing moves a promise" in PROMISE_WARNING
        await pilot.press("escape", "j", "s")  # Otto: not promised
        await settle(app, pilot)
        assert isinstance(app.screen, SnoozeScreen)
        assert PROMISE_WARNING not in screen_text(app)


async def test_the_queue_titles_count_a_timed_step_past_its_time_as_overdue(seeded):
    """09:30: a call due at 08:00 today is overdue ("1h late"), Tess's at 14:00 is today's, a
    date-only one today is today's all day. In Promised, late first: Pat's (yesterday), then the
    promise of 08:00, then today's date-only promise (due all day, stored at midnight)."""
    actions.add_prospect({"name": "Early Call"}, step(0, 8))
    actions.add_prospect({"name": "Any Time Today"}, step(0))
    actions.add_prospect({"name": "Promised Eight"}, step(0, 8, promised=True))
    actions.add_prospect({"name": "Promised Today"}, step(0, promised=True))
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        queue = sections(app)
        promised = queue["Promised (3)"]
        assert ["Pat Promise" in promised[0], "Promised Eight" in promised[1], "Promised Today" in promised[2]] == [True] * 3
        overdue = queue["Overdue (3)"]
        assert "Early Call" in overdue[2] and "1h late" in overdue[2]
        today = queue["Today (2)"]
        assert "Any Time Today" in today[0] and "Tess Today" in today[1]


async def test_a_desk_left_open_cuts_the_queue_again_when_a_timed_step_passes_its_time(seeded):
    """Tess's call is at 14:00: the desk arms a timer for 14:00:01 and then shows her in Overdue."""
    import pendulum

    from tests.conftest import FROZEN

    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        desk = app.screen
        timer = desk._recut_timer
        assert timer is not None and abs(timer._interval - (4.5 * 3600 + 1)) < 2  # 09:30 → 14:00:01
        assert any("Tess Today" in row for row in sections(app)["Today (1)"])
        with pendulum.travel_to(FROZEN.add(hours=4, minutes=31), freeze=True):
            timer.stop()
            desk._recut(None)
            await settle(app, pilot)
            queue = sections(app)
            assert "Today (0)" in queue and any("Tess Today" in row for row in queue["Overdue (3)"])
            assert desk._recut_timer is None  # nothing else passes its time today


async def test_a_row_read_again_after_its_time_says_it_is_late(seeded):
    """The rows of a queue read again are drawn from those already drawn when nothing in them
    changed (a save's frame): the same row at a later minute is drawn anew, its due words too."""
    import pendulum

    from tests.conftest import FROZEN

    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        [before] = [row for row in sections(app)["Today (1)"] if "Tess Today" in row]
        with pendulum.travel_to(FROZEN.add(hours=4, minutes=31), freeze=True):
            app.screen._recut_timer.stop()
            app.screen._recut(None)
            await settle(app, pilot)
            [after] = [row for row in sections(app)["Overdue (3)"] if "Tess Today" in row]
    assert "14:00" in before and "late" not in before and "late" in after, (before, after)
