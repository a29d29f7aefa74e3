"""The desk driven with real key presses: what the screen shows and what the book holds after."""

from __future__ import annotations

from storage.rules.dates import from_utc
from storage.book.models import FollowUp, Prospect, Touch
from tests.conftest import TZ
from tests.tui.conftest import desk_app, paste, queue_lines, screen_text, settle
from tui.widgets.detail_pane import DetailPane
from tui.widgets.queue_view import QueueView


def local_day(utc) -> str:
    return from_utc(utc, TZ).date().isoformat()


def selected_name(app) -> str:
    row = app.screen.query_one(QueueView).selected
    return row.name if row else ""


async def test_queue_shows_every_section_with_counts_in_order(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)):
        lines = [line.strip() for line in queue_lines(app) if line.strip()]
        assert lines[0] == "Promised (1)"
        assert lines[1].startswith("★ 2d late") is False  # promised late items say how late
        assert "Pat Promise · Pact" in lines[1] and "1d late" in lines[1]
        assert lines[2] == "Overdue (2)"
        assert "Otto Overdue" in lines[3] and "Olive Overdue" in lines[4]  # larger deal first
        assert lines[5] == "Today (1)" and "today 14:00" in lines[6]
        assert lines[7] == "Upcoming (1)" and "Uma Upcoming" in lines[8] and "Thu" in lines[8]
        assert lines[9] == "Later (1)" and "13 Dec" in lines[10]
        assert lines[11] == "No next step (1)" and "Nina Nostep" in lines[12]


async def test_cursor_moves_with_j_k_g_and_G_and_detail_follows(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert selected_name(app) == "Pat Promise"
        await pilot.press("j")
        assert selected_name(app) == "Otto Overdue"  # the section header is skipped
        await pilot.press("j", "j")
        assert selected_name(app) == "Tess Today"
        await pilot.press("k")
        assert selected_name(app) == "Olive Overdue"
        await pilot.press("G")
        assert selected_name(app) == "Nina Nostep"
        await pilot.pause()
        assert "Nina Nostep" in str(app.screen.query_one(DetailPane).visual.plain)
        await pilot.press("g")
        assert selected_name(app) == "Pat Promise"
        await pilot.press("down")
        assert selected_name(app) == "Otto Overdue"


async def test_logging_a_touch_moves_prospect_to_its_next_date_and_cursor_to_next_due(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j")  # Otto, overdue
        await pilot.press("l")
        await paste(pilot, "Left a voicemail about the demo")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        touch = Touch.get(Touch.prospect == seeded["Otto"])
        assert touch.note == "Left a voicemail about the demo"
        assert touch.channel == "email" and touch.outcome == "no answer"
        otto = Prospect.get_by_id(seeded["Otto"])
        assert otto.touch_count == 1 and otto.unanswered_streak == 1
        # no answer on the first touch: the cadence suggests two days later
        assert local_day(otto.next_due_at) == "2026-11-25"
        assert selected_name(app) == "Olive Overdue"  # the next item that is due
        lines = "\n".join(queue_lines(app))
        assert "Overdue (1)" in lines and "Upcoming (2)" in lines


async def test_escape_cancels_the_quick_log_and_writes_nothing(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"never mind", "escape", "y")  # a typed note: discard it? yes
        await settle(app, pilot)
        assert Touch.select().count() == 0
        assert selected_name(app) == "Pat Promise"
        assert not app.screen.is_modal


async def test_an_unreadable_date_blocks_the_save_with_a_message(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"Spoke briefly")
        app.screen.query_one("#next-input").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"frib")
        await pilot.pause()
        assert "Can't read 'frib' as a date" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.is_modal  # the form stays open with what was typed
        assert "Spoke briefly" in screen_text(app)
        assert screen_text(app).count("Can't read 'frib' as a date") == 1  # under the field, once
        assert Touch.select().count() == 0


async def test_the_date_field_previews_the_resolved_date_as_you_type(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        app.screen.query_one("#next-input").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"dec 1 9am")
        await pilot.pause()
        assert "→ Tue 1 Dec 09:00, in 8 days" in screen_text(app)


async def test_enter_in_a_one_line_field_saves_the_quick_log(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"Talked", "tab")  # from the note, to the date field
        await pilot.press("ctrl+a", "ctrl+k", *"fri 10am", "enter")
        await settle(app, pilot)
        pat = Prospect.get_by_id(seeded["Pat"])
        assert pat.touch_count == 1
        step = FollowUp.get((FollowUp.prospect == pat.id) & FollowUp.done_at.is_null())
        assert (step.due_at.isoformat(), step.has_time) == ("2026-11-27T09:00:00", True)  # 10:00 Paris


async def test_snooze_moves_the_follow_up_three_days(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "s", "2")
        await settle(app, pilot)
        otto = Prospect.get_by_id(seeded["Otto"])
        assert local_day(otto.next_due_at) == "2026-11-26"
        assert Touch.select().count() == 0
        assert selected_name(app) == "Olive Overdue"


async def test_snooze_to_a_typed_date(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "s", "tab", *"next tue", "enter")
        await settle(app, pilot)
        assert local_day(Prospect.get_by_id(seeded["Otto"]).next_due_at) == "2026-12-01"


async def test_won_schedules_a_thank_you_and_logging_it_schedules_the_first_check_in(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "w", "ctrl+s")
        await settle(app, pilot)
        otto = Prospect.get_by_id(seeded["Otto"])
        assert otto.status == "won"
        step = FollowUp.get((FollowUp.prospect == otto.id) & FollowUp.done_at.is_null())
        assert step.kind == "thank-you" and local_day(step.due_at) == "2026-11-25"
        assert "Upcoming (2)" in "\n".join(queue_lines(app))
        await pilot.press("G", "k", "k", "k")
        assert selected_name(app) == "Otto Overdue"
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one("#kind").value == "check-in"
        await pilot.press(*"Thanks sent", "ctrl+s")
        await settle(app, pilot)
        step = FollowUp.get((FollowUp.prospect == otto.id) & FollowUp.done_at.is_null())
        assert step.kind == "check-in" and local_day(step.due_at) == "2026-12-23"  # the customer comes back


async def test_dropping_needs_a_reason_then_leaves_the_queue(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "x")
        await pilot.pause()
        assert "No touches yet" in screen_text(app)  # fewer than five touches: are you sure?
        await pilot.press("y", "ctrl+s")
        await settle(app, pilot)
        assert "Pick a reason" in app.screen.query_one("#error-picked").visual.plain
        await pilot.press("enter", *"competitor", "enter", "tab", "tab")  # picked from the list; no words of ours
        await paste(pilot, "Thanks, I'll check in next year")
        await pilot.press("tab", *"3m")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        otto = Prospect.get_by_id(seeded["Otto"])
        assert (otto.status, otto.drop_reason) == ("dropped", "Went with a competitor")
        assert otto.revisit_on.isoformat() == "2027-02-23"
        assert Touch.get(Touch.prospect == otto.id).note == "Thanks, I'll check in next year"
        assert "Otto" not in "\n".join(queue_lines(app))
        assert selected_name(app) == "Olive Overdue"


async def test_reopening_a_won_customer_makes_them_active_again(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "w", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("G", "k", "k", "k")  # the won customer's thank-you is upcoming
        assert selected_name(app) == "Otto Overdue"
        await pilot.press("o", "ctrl+s")
        await settle(app, pilot)
        otto = Prospect.get_by_id(seeded["Otto"])
        assert otto.status == "active" and otto.closed_at is None
        assert local_day(otto.next_due_at) == "2026-11-24"
        assert selected_name(app) == "Otto Overdue"


async def test_a_new_prospect_is_added_and_selected(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("n", *"Quinn New", "tab", *"Quay Ltd", "ctrl+s")
        await settle(app, pilot)
        quinn = Prospect.get(Prospect.name == "Quinn New")
        assert quinn.company == "Quay Ltd"
        assert selected_name(app) == "Quinn New"
        assert "Upcoming (2)" in "\n".join(queue_lines(app))


async def test_the_new_prospect_form_shows_validation_inline(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("n", "ctrl+s")
        await pilot.pause()
        assert "A prospect needs a name." in app.screen.query_one("#error-name").visual.plain
        await pilot.press(*"Vic", "tab", "tab", "tab", *"not-an-email", "ctrl+s")
        await settle(app, pilot)
        assert "no @" in app.screen.query_one("#error-email").visual.plain
        assert Prospect.select().where(Prospect.name == "Vic").count() == 0


async def test_editing_a_prospect_changes_its_facts(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("e", "tab", "ctrl+a", "ctrl+k")
        await paste(pilot, "Pact International")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Prospect.get_by_id(seeded["Pat"]).company == "Pact International"
        assert "Pact International" in str(app.screen.query_one(DetailPane).visual.plain)


async def test_background_notes_are_edited_in_the_form_and_shown_literally_in_the_detail(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#notes").focus()
        await paste(pilot, "Met at [bold]the fair[/]\nWants 40 seats")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Prospect.get_by_id(seeded["Pat"]).notes == "Met at [bold]the fair[/]\nWants 40 seats"
        shown = str(app.screen.query_one(DetailPane).visual.plain)
        assert "Notes Met at [bold]the fair[/]\nWants 40 seats" in shown


async def test_help_shows_every_key_in_place(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key in ("j / ↓", "k / ↑", "g", "G", "tab/shift+tab", "l", "s", "w", "x", "o", "n", "e", "?", "ctrl+p", "q", "ctrl+s", "escape"):
            assert f"\n  {key} " in "\n" + text, key
        await pilot.press("escape")
        assert not app.screen.is_modal


async def test_the_command_palette_offers_every_desk_action_by_name(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("ctrl+p", *"snooze")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SnoozeScreen"


async def test_an_empty_book_says_how_to_add_the_first_prospect(book, frozen):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Press n to add your first prospect" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert not app.screen.is_modal


async def test_a_locked_book_keeps_the_form_and_says_why(tmp_path, frozen):
    import sqlite3

    from storage.book.opening import open_book
    from tests.tui.conftest import step
    from storage import actions

    open_book(tmp_path / "locked.db", pragmas={"busy_timeout": 200})
    pid = actions.add_prospect({"name": "Lou Locked"}, step(0))
    other = sqlite3.connect(tmp_path / "locked.db", timeout=0)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l", *"Important note")
        other.execute("BEGIN EXCLUSIVE")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.is_modal
        assert "busy" in app.screen.query_one("#error-form").visual.plain
        assert app.screen.query_one("#note").text == "Important note"
        other.rollback()
        assert Touch.select().count() == 0
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not app.screen.is_modal
        assert Touch.get(Touch.prospect == pid).note == "Important note"
    other.close()


async def test_a_full_disk_keeps_the_form_and_writes_nothing(tmp_path, frozen):
    from storage import actions
    from storage.book.opening import close_book, open_book
    from tests.tui.conftest import step

    path = tmp_path / "full.db"
    db = open_book(path)
    pid = actions.add_prospect({"name": "Fay Full"}, step(0))
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    close_book()
    # every connection, the save worker's included, may not grow the file: a real "disk full"
    open_book(path, pragmas={"max_page_count": pages})
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("l")
        app.screen.query_one("#note").text = "a long note " * 1500
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.is_modal
        assert "disk is full" in app.screen.query_one("#error-form").visual.plain
        assert app.screen.query_one("#note").text.startswith("a long note")
    assert Touch.select().count() == 0
    assert Prospect.get_by_id(pid).touch_count == 0


async def test_resizing_to_tiny_sizes_does_not_crash(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        for size in ((1, 1), (0, 0), (20, 5), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("j")
        assert app.is_running
        assert selected_name(app) == "Uma Upcoming"  # four moves from the top, at every size


async def test_a_time_zone_unknown_here_does_not_break_the_detail_pane(seeded):
    Prospect.update(timezone="Mars/Olympus_Mons").where(Prospect.id == seeded["Pat"]).execute()
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert "Mars/Olympus_Mons" in str(app.screen.query_one(DetailPane).visual.plain)


async def test_history_reads_more_pages_until_the_pane_is_full(seeded):
    """The history reads a page of touches at a time; when a page of short touches leaves the pane
    unfilled there is no scroll to ask for more, so it reads on by itself."""
    import datetime as dt

    from storage import actions
    from storage.reads.prospect import HISTORY_PAGE as PAGE
    from tui.widgets.history_pane import HistoryPane

    pat = seeded["Pat"]
    start = dt.datetime(2026, 10, 1, 9, 0)
    for n in range(PAGE + 5):
        actions.log_touch(pat, channel="call", outcome="no answer", at=start + dt.timedelta(days=n))
    app = desk_app()
    async with app.run_test(size=(160, 120)) as pilot:
        history = app.screen.query_one(HistoryPane)
        app.screen.show_prospect(pat)
        await settle(app, pilot)
        shown = str(history.visual.plain)
        assert shown.count("· call · out · no answer") == PAGE + 5
        assert "older touches load" not in shown


async def test_closed_dialogs_are_let_go(seeded):
    """Textual keeps widgets that watched the app's theme (the note's TextArea) or the footer
    (its keys) after they are removed; the desk forgets them, so a day of quick logs does not
    pile up dialogs in memory."""
    import gc

    from textual.widgets import TextArea
    from textual.widgets._footer import FooterKey

    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(6):
            await pilot.press("l")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)  # the dialog's last callbacks run: what is left then is kept
        gc.collect()
        areas = [o for o in gc.get_objects() if isinstance(o, TextArea)]
        keys = [o for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached]
        assert len(areas) <= 1, f"{len(areas)} note fields of closed dialogs still alive"
        assert len(keys) <= 20, f"{len(keys)} footer keys of earlier footers still alive"
