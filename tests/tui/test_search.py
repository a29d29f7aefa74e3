"""Search from the desk with real keys: as you type, enter jumps, escape returns."""

from __future__ import annotations

from storage import actions
from tests.tui.conftest import desk_app, settle, step
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
