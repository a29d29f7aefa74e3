"""Names and notes are shown exactly as typed: never as markup, never as terminal controls."""

from __future__ import annotations

import html

import pytest

from storage import actions
from storage.book.models import Prospect, Touch
from tests.tui.conftest import desk_app, settle, step

CLICK = "[@click=app.quit]Acme[/]"
BROKEN = "[b]x[/i]"
CLOSER = "[/"
LINK = "[link=https://example.invalid]win[/link]"
ESCAPES = "\x1b]52;c;aGk=\x07\x1b[31mRed\x9b"


@pytest.fixture
def hostile(book, frozen) -> int:
    referrer = actions.add_prospect({"name": f"{BROKEN} {CLICK}"})
    pid = actions.add_prospect(
        {"name": f"{CLICK} {CLOSER}", "company": BROKEN, "title": LINK, "referred_by": referrer},
        step(0, what=f"call {BROKEN}"),
    )
    actions.log_touch(pid, channel="call", outcome="talked", note=f"{LINK}\n{CLICK}", next_step=step(1, what=CLOSER))
    # A book written by another program may hold raw control characters: shown visibly too.
    Prospect.update(best_time=ESCAPES).where(Prospect.id == pid).execute()
    Touch.update(note=Touch.note + ESCAPES).where(Touch.prospect == pid).execute()
    return pid


def shown(app) -> str:
    """The screen as the terminal would get it (the SVG export renders every cell)."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def assert_literal(text: str, *expected: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    for piece in expected:
        assert piece in text, piece


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
async def test_hostile_text_is_literal_in_every_pane_dialog_and_toast(hostile, size):
    app = desk_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        desk = shown(app)
        assert_literal(desk, "[@click=app.quit]", "␛]52;c;aGk=")
        if size[0] == 160:
            assert_literal(desk, f"{CLICK} {CLOSER}", BROKEN, LINK)
        for key, expected in (("l", CLICK), ("s", "Snooze"), ("w", f"Thank {BROKEN} {CLICK}"), ("x", "Drop"), ("e", BROKEN)):
            await pilot.press(key)
            await pilot.pause()
            assert_literal(shown(app), expected, "[@click=app.quit]")
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("s", "1")  # a save's toast names the prospect
        await settle(app, pilot)
        assert_literal(shown(app), "Snoozed [@click=app.quit]")
        assert app.is_running  # nothing quit the app
