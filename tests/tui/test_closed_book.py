"""The closed book (`c`): won and dropped prospects, newest closed first, searchable and filterable;
`o` reopens from it and `enter` shows them on the desk; with real keys on a real book."""

from __future__ import annotations

import datetime as dt

from storage import actions
from tests.tui.conftest import desk_app, screen_text, settle
from tests.tui.test_prospect_on_screen import detail, highlighted
from tui.screens.closed_book import ClosedBookScreen
from tui.screens.desk import DeskScreen
from tui.widgets.closed_view import ClosedView

SIZE = (160, 45)


def closed_lines(app) -> list[str]:
    rows = app.screen.query_one(ClosedView)
    lines = [rows.render_line(y).text.strip() for y in range(rows.scrollable_content_region.height)]
    return [line for line in lines if line]


def names(app) -> list[str]:
    return [line.split(" · ")[0].split("  ")[0] for line in closed_lines(app)]


def cursor_line(app) -> str:
    rows = app.screen.query_one(ClosedView)
    return rows.render_line(rows.cursor - int(rows.scroll_y)).text.strip()


def close_some(seeded) -> None:
    """Nina dropped (no budget, revisit soon) on the 20th, Uma won on the 21st, Larry dropped
    (a competitor) on the 22nd."""
    actions.drop(seeded["Nina"], picked="No budget", revisit_on=dt.date(2026, 12, 10), now=dt.datetime(2026, 11, 20, 9))
    actions.close_won(seeded["Uma"], now=dt.datetime(2026, 11, 21, 9))
    actions.drop(seeded["Larry"], "They chose Contoso", picked="Went with a competitor", now=dt.datetime(2026, 11, 22, 9))


async def open_closed_book(app, pilot) -> None:
    await pilot.press("c")
    await settle(app, pilot)
    assert isinstance(app.screen, ClosedBookScreen)


async def test_c_lists_won_and_dropped_newest_closed_first_and_escape_goes_back(seeded):
    close_some(seeded)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_closed_book(app, pilot)
        assert names(app) == ["Larry Later", "Uma Upcoming", "Nina Nostep"]
        larry, uma, nina = closed_lines(app)
        assert "dropped" in larry and "22 Nov 2026" in larry and "They chose Contoso" in larry
        assert "won" in uma and "21 Nov 2026" in uma
        assert "No budget" in nina and "10 Dec 2026" in nina  # the revisit date
        assert app.screen.query_one("#closed-pane").border_title == "Closed book · 1 won · 2 dropped"
        assert "Larry Later" in cursor_line(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen) and "Pat Promise" in detail(app)


async def test_o_reopens_the_highlighted_one_and_the_desk_has_the_cursor_on_them(seeded):
    close_some(seeded)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_closed_book(app, pilot)
        await pilot.press("j", "j", "o")
        await settle(app, pilot)
        assert "Reopen · Nina Nostep" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        [row] = highlighted(app)
        assert "Nina Nostep" in row and "tomorrow" in row
        assert "Nina Nostep  active" in detail(app)


async def test_enter_shows_them_on_the_desk_without_reopening(seeded):
    from storage.reads.prospect import view

    close_some(seeded)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_closed_book(app, pilot)
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        assert "Uma Upcoming  won" in detail(app) and "Won 21 Nov · not in the queue" in detail(app)
        assert highlighted(app) == []
        assert view(seeded["Uma"]).facts.status == "won"
        await pilot.press("o")  # the keys act on them
        await settle(app, pilot)
        assert "Reopen · Uma Upcoming" in screen_text(app)


async def test_words_status_reason_and_revisit_narrow_it(seeded):
    close_some(seeded)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_closed_book(app, pilot)
        await pilot.press("slash", *"contoso")
        await settle(app, pilot)
        assert names(app) == ["Larry Later"]
        await pilot.press("enter")  # from the words to the list
        app.screen.query_one("#words").value = ""
        await settle(app, pilot)
        assert len(names(app)) == 3
        for field, value, expected in (("#status", "won", ["Uma Upcoming"]),
                                       ("#status", "dropped", ["Larry Later", "Nina Nostep"]),
                                       ("#reason", "No budget", ["Nina Nostep"])):
            await pilot.press("f")
            await settle(app, pilot)
            app.screen.query_one(field).value = value
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert names(app) == expected, (field, value)
        assert "Showing dropped · reason: No budget" in screen_text(app)
        await pilot.press("f")
        await settle(app, pilot)
        app.screen.query_one("#reason").clear()
        app.screen.query_one("#revisit").value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert names(app) == ["Nina Nostep"]  # 10 Dec: within 30 days
        await pilot.press("slash", *"nobody at all")
        await settle(app, pilot)
        assert "Nothing closed matches" in screen_text(app)


async def test_the_queue_filter_dropped_opens_the_closed_book_filtered_so(seeded):
    close_some(seeded)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await settle(app, pilot)
        app.screen.query_one("#status").value = "dropped"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ClosedBookScreen)
        assert names(app) == ["Larry Later", "Nina Nostep"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert "esc clears" not in str(app.screen.query_one("#queue-pane").border_title)  # the queue is not narrowed to nothing


async def test_the_palette_opens_it_and_f1_names_its_keys(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Closed book")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClosedBookScreen)
        assert "Nothing closed yet" in screen_text(app)
        await pilot.press("f1")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Closed book" in text and "closed.reopen" in text and "closed.show" in text


async def test_a_big_closed_book_is_read_a_page_at_a_time(book, frozen):
    from tui.widgets.closed_view import PAGE

    start = dt.datetime(2026, 1, 1, 9)
    for number in range(3 * PAGE + 5):
        pid = actions.add_prospect({"name": f"Closed {number:03d}"}, None, now=start)
        actions.drop(pid, "gone quiet", now=start + dt.timedelta(hours=number))
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_closed_book(app, pilot)
        rows = app.screen.query_one(ClosedView)
        assert rows.total == 3 * PAGE + 5 and names(app)[0] == f"Closed {3 * PAGE + 4:03d}"
        await pilot.press("G")
        await settle(app, pilot)
        assert "Closed 000" in cursor_line(app)  # the oldest, last
        assert len(rows._pages) < 4  # the pages around where the rep looks, not the whole book
        await pilot.press("g")
        await settle(app, pilot)
        assert f"Closed {3 * PAGE + 4:03d}" in cursor_line(app)


def test_a_narrow_closed_book_keeps_the_name_readable():
    """At 60 columns (56 for the rows) the six columns left the name one cell: '…'."""
    from tui.widgets.closed_view import heading, line_of

    cells = line_of(["Clémence Dufour · Saltmarsh Ceramics", "dropped", "21 Nov 26", "Went with a competitor",
                     "5,000", "2", "26 Dec 26"], 55)
    assert cells[0].startswith("Clémence Dufour"), cells
    assert cells[1:] == ["dropped", "21 Nov 26", "Went with a…", "  5,000"], cells  # no touches, no revisit
    assert "Revisit" not in heading(56) and "Revisit" in heading(76)
