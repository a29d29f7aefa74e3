"""Keys act on the prospect the detail pane shows; a key pressed while the prospect the cursor just
moved to is still on its way from the book waits for them, rather than landing on the last one."""

from __future__ import annotations

from tests.tui.conftest import desk_app, screen_text, settle


async def test_a_key_pressed_right_after_a_move_acts_on_the_prospect_moved_to(seeded, monkeypatch):
    import threading

    import tui.screens.desk
    from storage.reads.prospect import view

    arrived = threading.Event()  # the book is slow today: the next prospect arrives when we say

    def slow_view(prospect_id):
        arrived.wait(timeout=10)
        return view(prospect_id)

    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert app.screen.shown.facts.name == "Pat Promise"
        monkeypatch.setattr(tui.screens.desk, "view", slow_view)
        await pilot.press("j", "l")
        assert not app.screen.is_modal and app.screen.shown.facts.name == "Pat Promise"  # still on its way
        arrived.set()
        await settle(app, pilot)
        assert app.screen.is_modal
        assert "Log a touch · Otto Overdue" in screen_text(app)


async def test_every_dialog_names_the_prospect_the_detail_pane_shows(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(3):
            await pilot.press("j")
        await pilot.press("e")
        await settle(app, pilot)
        assert "Edit · Tess Today" in screen_text(app)
        await pilot.press("escape", "k", "s")
        await settle(app, pilot)
        assert "Snooze · Olive Overdue" in screen_text(app)


async def test_an_older_read_that_comes_back_last_never_replaces_a_newer_one(seeded, monkeypatch):
    """Threads finish in any order: a read of the queue started before a save comes back after the
    save has shown the queue as it now is, and is dropped."""
    import threading

    import tui.widgets.queue_view
    from tests.tui.conftest import paste, queue_lines
    from tui.widgets.queue_layout import read_queue

    held, first_call = threading.Event(), threading.Event()

    def read_held_once(*args):
        state = read_queue(*args)
        if not first_call.is_set():
            first_call.set()
            held.wait(timeout=10)  # this read is older, and comes back last
        return state

    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        monkeypatch.setattr(tui.widgets.queue_view, "read_queue", read_held_once)
        app.screen.refresh_desk()  # a re-read (the midnight one, say): held in its worker
        await pilot.press("j", "l")  # log a touch for Otto, overdue
        await paste(pilot, "Spoke")
        await pilot.press("ctrl+s")
        for _ in range(50):
            await pilot.pause()
            if not app.screen.is_modal:
                break
        assert "Otto" not in "\n".join(queue_lines(app)[:6])  # the save's read: Otto left Overdue
        held.set()  # the older read comes back now
        await settle(app, pilot)
        lines = "\n".join(queue_lines(app))
        assert "Overdue (1)" in lines and "Otto" not in lines.split("Today")[0]


async def test_a_key_handled_before_the_move_is_heard_of_waits_for_it(seeded):
    """Keys typed fast (`jjjl` in one burst) can reach the desk before the messages of the moves
    do: the action still lands on the prospect the cursor moved to."""
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        desk = app.screen
        desk.queue.action_cursor(1)  # j: its Selected message is queued, not handled yet
        desk.queue.action_cursor(1)
        desk.action_log()  # l, handled first
        await settle(app, pilot)
        assert "Log a touch · Olive Overdue" in screen_text(app)
