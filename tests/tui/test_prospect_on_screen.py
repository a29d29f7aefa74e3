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
