"""Keys act on the prospect the detail pane shows; a key pressed while the prospect the cursor just
moved to is still on its way from the book waits for them, rather than landing on the last one."""

from __future__ import annotations

import threading

from tests.tui.conftest import desk_app, queue_lines, screen_text, settle
from tui.widgets.detail_pane import DetailPane


def first_read_held():
    """A read of the queue that comes back last: the first one started is held in its worker
    until the test sets `held` (an older read arriving after newer ones)."""
    from tui.widgets.queue_layout import read_queue

    held, first_call = threading.Event(), threading.Event()

    def read_held_once(*args):
        state = read_queue(*args)
        if not first_call.is_set():
            first_call.set()
            held.wait(timeout=10)
        return state

    return held, read_held_once


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
    import tui.widgets.queue_view
    from tests.tui.conftest import paste, queue_lines

    held, read_held_once = first_read_held()

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


# -- a prospect shown outside the queue (a search's jump) ------------------------------------------


def highlighted(app) -> list[str]:
    """The queue rows drawn as the cursor (what a rep sees highlighted)."""
    from tui.widgets.queue_view import QueueView

    queue = app.screen.query_one(QueueView)
    cursor = queue.get_component_rich_style("queue--cursor").bgcolor
    lines = []
    for y in range(queue.scrollable_content_region.height):
        strip = queue.render_line(y)
        if any(segment.style is not None and segment.style.bgcolor == cursor for segment in strip):
            lines.append(strip.text.strip())
    return lines


def detail(app) -> str:
    from tui.widgets.detail_pane import DetailPane

    return str(app.screen.query_one(DetailPane).visual.plain)


async def jump_to(app, pilot, words: str) -> None:
    await pilot.press("slash", *words)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_search_a_dropped_prospect_reopen_them_and_the_cursor_is_on_them(seeded):
    from storage import actions

    actions.drop(seeded["Nina"], "No budget")
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert highlighted(app) and "Pat Promise" in highlighted(app)[0]
        await jump_to(app, pilot, "nina")
        assert "Nina Nostep  dropped" in detail(app)
        assert "Dropped 23 Nov · not in the queue — o reopens" in detail(app)
        assert highlighted(app) == []  # no row of the queue pretends to be the one on screen
        await pilot.press("o")
        await settle(app, pilot)
        assert "Reopen · Nina Nostep" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not app.screen.is_modal
        [row] = highlighted(app)
        assert "Nina Nostep" in row and "tomorrow" in row
        assert "Nina Nostep  active" in detail(app) and "not in the queue" not in detail(app)


async def test_after_a_jump_every_key_acts_on_the_prospect_shown_not_the_cursor_row(seeded):
    """The filter hides Otto (his step is an email); search finds him all the same. Every key then
    acts on Otto, and the queue shows no cursor row until the rep moves in it."""
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#channel").value = "call"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Otto" not in "\n".join(queue_lines(app))
        await jump_to(app, pilot, "otto")
        assert "Otto Overdue  active" in detail(app)
        assert "Not in the queue as filtered — escape clears the filter" in detail(app)
        assert highlighted(app) == []
        titles = {
            "l": "Log a touch · Otto Overdue",
            "w": "Close as won · Otto Overdue",
            "e": "Edit · Otto Overdue",
            "s": "Snooze · Otto Overdue",
        }
        for key, title in titles.items():
            await pilot.press(key)
            await settle(app, pilot)
            assert title in screen_text(app), key
            await pilot.press("escape")
            await settle(app, pilot)
            assert highlighted(app) == [] and "Otto Overdue  active" in detail(app), key
        await pilot.press("x")  # no touches yet: asked first
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Drop · Otto Overdue" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("j")  # a move in the queue: the row the cursor was on is shown again
        await settle(app, pilot)
        [row] = highlighted(app)
        assert "Pat Promise" in row and "Pat Promise" in detail(app)


async def test_the_palette_acts_on_the_prospect_shown_after_a_jump(seeded):
    from storage import actions

    actions.close_won(seeded["Uma"])
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await jump_to(app, pilot, "uma")
        assert "Won 23 Nov · not in the queue: no next step — d sets one, o reopens" in detail(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Log")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Log a touch · Uma Upcoming" in screen_text(app)


async def test_a_reload_after_the_jump_never_brings_the_old_row_back(seeded, monkeypatch):
    """A read of the queue started before the jump and coming back after it, or one started after
    it (midnight, the revisits' wake-up, a filter): the prospect found stays on screen."""
    import tui.widgets.queue_view
    from storage import actions

    actions.drop(seeded["Nina"], "No budget")
    held, read_held_once = first_read_held()

    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        monkeypatch.setattr(tui.widgets.queue_view, "read_queue", read_held_once)
        app.screen.refresh_desk(app.screen.shown.id)  # the midnight re-read, held in its worker
        await pilot.press("slash", *"nina")
        for _ in range(20):
            await pilot.pause()
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause()
            if "Nina" in detail(app):
                break
        held.set()
        await settle(app, pilot)
        assert "Nina Nostep" in detail(app) and app.screen.shown.facts.name == "Nina Nostep"
        assert highlighted(app) == []
        app.screen.refresh_desk(None)  # another re-read, started after the jump
        app.screen.wake_revisits()
        await settle(app, pilot)
        assert app.screen.shown.facts.name == "Nina Nostep" and highlighted(app) == []
        await pilot.press("l")
        await settle(app, pilot)
        assert "Log a touch · Nina Nostep" in screen_text(app)


def _detail(app):
    pane = app.screen.query_one(DetailPane)
    return pane.region.height - 2, pane.virtual_size.height  # (lines inside its border, lines of text)


async def test_the_prospect_pane_grows_at_once_and_shrinks_only_by_three_lines(book, frozen):
    """Every height change lays the whole desk out again (64% of the moves on the bench book):
    the pane keeps its height for a text one or two lines shorter, and all of the text shows."""
    from storage import actions
    from tests.tui.conftest import step

    tall = {"title": "Buyer", "company": "Acme", "email": "tall@acme.example", "phone": "+33 1 23 45 67 89",
            "notes": "one\ntwo\nthree", "best_time": "mornings"}
    actions.add_prospect({"name": "Tall", "deal_value": 9000, **tall}, step(-2))
    actions.add_prospect({"name": "One Less", "deal_value": 5000, **{k: v for k, v in tall.items() if k not in ("email", "phone")}}, step(-2))
    actions.add_prospect({"name": "Short", "deal_value": 1000}, step(-2))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        assert "Tall" in screen_text(app)
        inside, tall_text = _detail(app)
        assert inside == tall_text
        await pilot.press("j")
        await settle(app, pilot)
        assert "One Less" in screen_text(app)
        inside, text = _detail(app)
        assert text == tall_text - 1 and inside == tall_text  # one line shorter: the pane stays
        app.screen.query_one(DetailPane).on_resize()  # what its own growing sends it: the width is the same
        await settle(app, pilot)
        assert _detail(app) == (tall_text, tall_text - 1)  # still as tall (only a new width sets it exactly)
        await pilot.press("j")
        await settle(app, pilot)
        inside, short_text = _detail(app)
        assert short_text <= tall_text - 3 and inside == short_text  # much shorter: it shrinks
        await pilot.press("k")
        await settle(app, pilot)
        assert _detail(app) == (tall_text - 1, tall_text - 1)  # taller: it grows at once
