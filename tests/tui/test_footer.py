"""The footer is the truth (issue 14, point 4): in help and in search it names the keys that work
there, where the focus is, and none of the desk's (log, snooze, drop… do nothing there)."""

from __future__ import annotations

import pytest

from storage import actions
from tests.tui.conftest import desk_app, settle, step, until
from tests.tui.test_dialog_text import bottom_line

DESK_ONLY = ("Log", "Snooze", "Won", "Drop", "New", "Filter", "Quit")


def no_desk_keys(footer: str) -> None:
    for word in DESK_ONLY:
        assert word not in footer, footer


async def test_search_names_the_keys_of_the_box_then_of_the_results(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(app, pilot)
        footer = bottom_line(app)
        assert "⏎ Open first" in footer and "↓ Results" in footer and "esc Back" in footer, footer
        no_desk_keys(footer)
        await pilot.press(*"overdue")
        await settle(app, pilot)
        await pilot.press("down")
        await settle(app, pilot)
        footer = bottom_line(app)
        assert "⏎ Open" in footer and "↑↓ Move" in footer and "esc Back" in footer, footer
        assert "Open first" not in footer and "Results" not in footer, footer
        assert "More" not in footer, footer  # two found: pagedown brings nothing more
        no_desk_keys(footer)
        await pilot.press("up")  # from the first hit back to the box: its keys again
        await settle(app, pilot)
        assert "⏎ Open first" in bottom_line(app)


async def test_search_names_pagedown_while_more_match_than_are_shown(book, frozen):
    for number in range(55):
        actions.add_prospect({"name": f"Mo Many {number:02d}"}, step(number))
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"many")
        await settle(app, pilot)
        await pilot.press("down")
        # the matches are counted once typing has stopped a moment (tui/screens/search.py)
        await until(app, pilot, lambda: "50 of 55" in app.screen.query_one("#status").render().plain)
        assert "pgdn More" in bottom_line(app)


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_names_close_and_its_scroll_keys_when_it_is_longer_than_the_window(seeded, key):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await settle(app, pilot)
        footer = bottom_line(app)
        assert "esc Close" in footer, footer
        no_desk_keys(footer)
        if key == "question_mark":  # every key: longer than 24 rows
            assert "↑↓ Scroll" in footer and "pgup pgdn Page" in footer, footer


async def test_help_that_fits_the_window_names_no_scroll_keys(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f1")
        await settle(app, pilot)
        footer = bottom_line(app)
        assert "esc Close" in footer and "Scroll" not in footer, footer


async def test_the_command_palette_names_its_own_keys(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        footer = bottom_line(app)
        assert "⏎ Run" in footer and "↑↓ Move" in footer and "esc" in footer, footer
        no_desk_keys(footer)  # a letter here is typed into the box


async def test_the_desks_footer_is_not_rebuilt_when_a_dialog_closes_over_it(seeded):
    """Each rebuild mounts and styles every key again (a layout pass in the frame the rep waits
    for): a dialog opened and closed leaves the same keys, the same widgets."""
    from textual.widgets._footer import FooterKey

    from tui.screens.desk import DeskScreen

    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        before = [id(key) for key in app.screen.query(FooterKey)]
        assert before
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        assert [id(key) for key in app.screen.query(FooterKey)] == before


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_a_narrow_desk_keeps_help_and_quit_in_its_footer_whatever_has_the_focus(seeded, size):
    """At 80 columns a focused pane's scroll keys pushed "q Quit" off the end, at 60 "? Help" too."""
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        for pane in ("queue", "prospect", "history"):
            footer = bottom_line(app)
            assert "l Log" in footer and "? Help" in footer and "q Quit" in footer, (pane, footer)
            assert ("Scroll" in footer) == (pane != "queue"), (pane, footer)
            await pilot.press("tab")
            await settle(app, pilot)
