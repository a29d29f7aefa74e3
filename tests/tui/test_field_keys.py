"""A key typed in a one-line field repaints the field, not the screen's layout (tui/widgets/
safe_fields.py SafeInput). Textual's Input set its virtual size, a reactive that lays out the
whole screen, at each keystroke: the search box's echo took a 6-8 ms layout pass beside the
search on its way (traced on the 100k book). The field still scrolls to what is typed."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen

from tui.widgets.safe_fields import SafeInput

TYPED = "Harbor Point Wine Merchants, the one by the old lighthouse on the quay"


class OneField(App):
    CSS = "SafeInput { width: 30; }"

    def compose(self) -> ComposeResult:
        yield SafeInput(id="field")


async def test_typing_in_a_field_lays_nothing_out_and_the_field_follows_the_cursor(monkeypatch):
    app = OneField()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        layouts: list[str] = []
        laid_out = Screen._refresh_layout

        def counted(screen, *args, **kwargs):
            layouts.append(type(screen).__name__)
            return laid_out(screen, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await pilot.press(*TYPED)
        await pilot.pause()
        field = app.query_one(SafeInput)
        assert field.value == TYPED
        assert layouts == []
        shown = field.render_line(0).text
        assert "lighthouse on the quay" in shown  # the end of what was typed, where the cursor is
        await pilot.press("home")
        await pilot.pause()
        assert "Harbor Point" in field.render_line(0).text


async def test_a_paste_longer_than_the_field_holds_is_refused_and_said():
    """Textual's Input dropped it without a word (a 260,000-character paste into the search box
    left it empty and said nothing): the field stays as it was and the rep is told why."""
    from textual import events

    class Limited(App):
        def compose(self) -> ComposeResult:
            yield SafeInput("Acme", id="field", max_length=200)

    app = Limited()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        field = app.query_one(SafeInput)
        field.focus()
        await pilot.pause()
        field.post_message(events.Paste("y" * 260_000))
        await pilot.pause()
        assert field.value == "Acme"
        assert [n.message for n in app._notifications] == [
            "Not added: this field holds at most 200 characters (that was 260,000)."
        ]
        await pilot.press("end", *" Corp")
        assert field.value == "Acme Corp"  # what fits goes in as ever
