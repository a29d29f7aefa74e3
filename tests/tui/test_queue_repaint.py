"""A cursor move repaints the two rows that change, not the whole queue (issue 14, point 7): a
full repaint of the queue on every `j` cost ~7 ms of the frame on the 100k book (bench)."""

from __future__ import annotations

from storage import actions
from tests.tui.conftest import desk_app, settle, step
from tui.widgets.queue_view import QueueView


async def test_j_repaints_only_the_rows_the_cursor_leaves_and_reaches(book, frozen):
    for n in range(30):
        actions.add_prospect({"name": f"Person {n:02}"}, step(n % 5))
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        queue = app.screen.query_one(QueueView)
        drawn: list[int] = []
        real = queue.render_line

        def counted(y: int):
            drawn.append(y)
            return real(y)

        queue.render_line = counted
        await pilot.press("j")
        await settle(app, pilot)
        assert app.screen.shown.facts.name != "Person 00"  # the cursor moved (and the prospect came)
        assert 1 <= len(set(drawn)) <= 3, sorted(set(drawn))  # the row left, the row reached
