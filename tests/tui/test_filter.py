"""Filtering the queue with `f`, with real keys: the filter is always visible, escape clears it."""

from __future__ import annotations

from storage import actions
from tests.tui.conftest import desk_app, queue_lines, settle


def shown(app) -> str:
    return "\n".join(queue_lines(app))


async def test_filter_by_channel_and_value_then_clear_with_one_key(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#channel").value = "email"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Otto Overdue" in shown(app) and "Olive" not in shown(app)
        assert str(app.screen.query_one("#queue-pane").border_title).startswith("Queue · email (esc clears) · ")
        await pilot.press("escape")
        await pilot.pause()
        assert "Olive Overdue" in shown(app) and "esc clears" not in str(app.screen.query_one("#queue-pane").border_title)


async def test_filter_by_tag_promised_and_value_range(seeded):
    actions.log_touch(seeded["Larry"], channel="call", outcome="talked", note="asked about #price")
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f")
        app.screen.query_one("#tag").focus()
        await pilot.press(*"#price", "enter")
        await settle(app, pilot)
        assert "Larry Later" in shown(app) and "Pat" not in shown(app)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#tag").value = ""
        app.screen.query_one("#min").value = "6000"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Otto Overdue" in shown(app) and "Olive" not in shown(app)
        assert "value 6,000–…" in app.screen.query_one("#queue-pane").border_title
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#min").value = ""
        app.screen.query_one("#promised").value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Pat Promise" in shown(app) and "Otto" not in shown(app)


async def test_a_bad_value_in_the_filter_says_so_inline(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f")
        app.screen.query_one("#min").focus()
        await pilot.press(*"lots", "enter")
        await pilot.pause()
        assert "whole number" in app.screen.query_one("#error-min").visual.plain
        assert app.screen.is_modal
