"""A date nobody can read is said once: under the field, where it is typed (the field's own line),
not a second time by the form on save (seen in the dialog snapshots: the error twice, one under
the other, in the log form, next step, snooze and won dialogs)."""

from __future__ import annotations

import pytest

from tests.tui.conftest import desk_app, screen_text, settle

NONSENSE = "whenever the budget gets signed"
SAID = "Can't read 'whenever the budget gets sign…' as a date"


@pytest.mark.parametrize("keys", [
    pytest.param(("l", *"Left a message", "tab", "ctrl+a", "ctrl+k"), id="log"),
    pytest.param(("d", "ctrl+a", "ctrl+k"), id="next step"),
    pytest.param(("s", "tab"), id="snooze"),
    pytest.param(("w", "tab", "ctrl+a", "ctrl+k"), id="won"),
])
async def test_a_date_error_is_said_once(seeded, keys):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys, *NONSENSE)
        await settle(app, pilot)
        assert screen_text(app).count(SAID) == 1  # as it is typed
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.is_modal  # refused: the dialog stays, with what was typed
        assert screen_text(app).count(SAID) == 1, screen_text(app)
        assert NONSENSE in screen_text(app)


async def test_an_error_the_date_field_does_not_say_is_said_under_it(seeded):
    """A meeting needs a time: the date reads ('tomorrow'), the form says what is missing."""
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", *"Booked", "f6")  # meeting booked: the next date is left to the rep
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"tomorrow", "ctrl+s")
        await settle(app, pilot)
        assert "At what time is the meeting?" in screen_text(app)
