"""Search from the desk with real keys: as you type, enter jumps, escape returns."""

from __future__ import annotations

import threading

from storage import actions
from tests.long_read import LongRead
from tests.tui.conftest import desk_app, screen_text, settle, step, until
from tui.widgets.detail_pane import DetailPane
from tui.widgets.queue_view import QueueView


def selected_name(app) -> str:
    row = app.screen.query_one(QueueView).selected
    return row.name if row else ""


def results(app) -> list[str]:
    hits = app.screen.query_one("#hits")
    return [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]


async def test_search_finds_a_note_word_and_enter_jumps_to_the_prospect(seeded):
    actions.log_touch(seeded["Larry"], channel="call", outcome="talked",
                      note="They compared us with Contoso #competitor", next_step=step(20))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"conto")
        await settle(app, pilot)
        [hit] = results(app)
        assert "Larry Later" in hit and "They compared us with Contoso #competitor" in hit
        await pilot.press("enter")
        await pilot.pause()
        assert not app.screen.is_modal
        assert selected_name(app) == "Larry Later"


async def test_escape_returns_where_you_were(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "slash", *"uma")
        await settle(app, pilot)
        assert any("Uma Upcoming" in line for line in results(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.is_modal and selected_name(app) == "Otto Overdue"


async def test_a_dropped_prospect_found_by_search_is_shown_beside_the_queue(seeded):
    actions.drop(seeded["Nina"], "No budget")
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"nina", "down", "enter")
        await settle(app, pilot)
        assert "Nina Nostep" in str(app.screen.query_one(DetailPane).visual.plain)


async def test_odd_input_in_the_search_box_never_breaks_it(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *'"NEAR( -* [b]x[/i]')
        await settle(app, pilot)
        assert app.is_running and app.screen.query_one("#status").visual.plain.startswith(("Nothing", "0", "Type"))


def status(app) -> str:
    return str(app.screen.query_one("#status").visual.plain)


def searches_held(monkeypatch):
    """Every search the screen starts waits in its worker until the test sets `held`: enter is
    pressed before the results of the words are on screen."""
    import tui.screens.search

    held, real = threading.Event(), tui.screens.search.search

    def slow(*args):
        held.wait(timeout=10)
        return real(*args)

    monkeypatch.setattr(tui.screens.search, "search", slow)
    return held


async def test_enter_before_the_results_opens_the_first_hit_once_they_come(seeded, monkeypatch):
    held = searches_held(monkeypatch)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"uma", "enter", "l")  # l: log a touch, on the prospect found
        await pilot.pause()
        assert app.screen.is_modal and app.screen.query_one("#query").value == "uma"
        assert status(app) == "Opening the first hit…"
        held.set()
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogTouchScreen" and "Uma Upcoming" in screen_text(app)


async def test_enter_before_nothing_is_found_keeps_the_keys_in_the_box(seeded, monkeypatch):
    held = searches_held(monkeypatch)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"zzq", "enter", "x")
        held.set()
        await settle(app, pilot)
        assert app.screen.is_modal and app.screen.query_one("#query").value == "zzqx"


async def test_up_from_the_first_hit_and_typing_in_the_results_go_to_the_box(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"o", "down")
        await settle(app, pilot)
        box, hits = app.screen.query_one("#query"), app.screen.query_one("#hits")
        assert hits.has_focus and hits.highlighted == 0
        await pilot.press("up")
        assert box.has_focus
        await pilot.press("down", "down", "t", "t")  # typed while the results have the focus
        await settle(app, pilot)
        assert box.has_focus and box.value == "ott"
        assert any("Otto Overdue" in line for line in results(app))


def many(count: int) -> None:
    for n in range(count):
        actions.add_prospect({"name": f"Person {n:03}", "company": "Acme"})


async def test_the_count_says_how_many_match_and_more_are_a_key_away(seeded):
    many(98)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"acme")
        await until(app, pilot, lambda: status(app).startswith("50 of 98 ·"))
        assert len(results(app)) == 51 and results(app)[-1] == "… 48 more: enter here or pagedown"
        await pilot.press("down", "end", "pagedown")
        await settle(app, pilot)
        assert status(app).startswith("98 found")
        assert len(results(app)) == 98 and app.screen.query_one("#hits").highlighted == 50


async def test_the_more_row_brings_the_next_page_and_a_capped_count_says_so(seeded, monkeypatch):
    import storage.search

    monkeypatch.setattr(storage.search, "COUNT_CAP", 60)  # counting stops at the cap: "60+"
    many(98)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"acme")
        await until(app, pilot, lambda: status(app).startswith("50 of 60+ ·"))
        assert results(app)[-1] == "… 10+ more: enter here or pagedown"
        await pilot.press("down", "end", "enter")
        await settle(app, pilot)
        assert app.screen.is_modal and len(results(app)) == 98 and status(app).startswith("98 found")


async def test_enter_in_an_empty_box_holds_no_keys(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", "enter", *"uma")
        await settle(app, pilot)
        assert app.screen.query_one("#query").value == "uma" and any("Uma Upcoming" in line for line in results(app))


async def test_the_hits_never_wait_for_the_count(seeded, monkeypatch):
    import tui.screens.search

    many(60)
    counted, real = threading.Event(), tui.screens.search.count

    def slow_count(text):
        if text == "acme":  # the count of the words typed in the end
            counted.wait(timeout=10)
        return real(text)

    monkeypatch.setattr(tui.screens.search, "count", slow_count)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"acme")
        searching = [w for w in app.workers if w.group == "search"]
        if searching:  # (an empty list would mean every worker, the held count too)
            await app.workers.wait_for_complete(searching)
        await pilot.pause()  # the hits are on screen; the count is still being taken
        assert len(results(app)) == 50 and status(app).startswith("50 of … ·")
        counted.set()
        await until(app, pilot, lambda: status(app).startswith("50 of 60 ·"))
        assert results(app)[-1] == "… 10 more: enter here or pagedown"


async def test_prospects_met_only_in_their_notes_are_counted_too(seeded):
    many(50)
    for name in ("Larry", "Uma"):
        actions.log_touch(seeded[name], channel="call", outcome="talked", note="Works with Acme now", next_step=step(20))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"acme")
        await until(app, pilot, lambda: status(app).startswith("50 of 52 ·"))


async def test_no_count_is_taken_while_the_rep_types(seeded, monkeypatch):
    """A count beside the next keystroke's search slowed it down twice: the words on screen are
    counted once the rep stops typing, and only those."""
    import tui.screens.search

    many(60)
    counted, real = [], tui.screens.search.count

    def recorded(text):
        counted.append(text)
        return real(text)

    monkeypatch.setattr(tui.screens.search, "count", recorded)
    # the rep's pause, long enough that a loaded test machine's settling between keys is no pause
    monkeypatch.setattr(tui.screens.search, "COUNT_AFTER", 2.0)
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash")
        for key in "acme":  # each word's full page of hits on screen before the next key
            await pilot.press(key)
            await settle(app, pilot)
            assert len(results(app)) >= 50
        await until(app, pilot, lambda: status(app).startswith("50 of 60 ·"))
        assert counted == ["acme"]


async def test_typing_again_stops_the_count_of_the_words_before(seeded, monkeypatch):
    """A count takes up to ~100 ms on a big book: once the rep types again it is nobody's, and it
    no longer takes a processor from the search of the new words (tui/book.py stops it)."""
    import asyncio

    import tui.screens.search

    many(60)
    read, real = LongRead(), tui.screens.search.count

    def long_count(text):
        if text != "acme":  # the words typed in the end are the ones counted long
            return real(text)
        return read.run(), False

    monkeypatch.setattr(tui.screens.search, "count", long_count)
    monkeypatch.setattr(tui.screens.search, "COUNT_AFTER", 0.05)
    app = desk_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("slash", *"acme")
        assert await asyncio.to_thread(read.running.wait, 60)  # the rep paused: the count runs
        await pilot.press("x")
        assert await asyncio.to_thread(read.finished.wait, 60)  # stopped, not a billion rows later
        await settle(app, pilot)
        assert read.error is not None
        assert app.screen.query_one("#query").value == "acmex" and not app._notifications
