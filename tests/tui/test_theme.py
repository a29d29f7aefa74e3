"""Pane borders one can see (issue 14, point 6): on the theme in use, an unfocused pane's border
stands at least 3:1 against the background (WCAG 2.1, 1.4.11 non-text contrast; it was 1.38:1),
and the focused pane's clearly above it."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from tests.tui.conftest import desk_app, settle


def luminance(color: Color) -> float:
    # WCAG 2.1 relative luminance, written out here as the test's own reference
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def contrast(one: Color, other: Color) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_reference_contrast_is_wcags():
    assert contrast(Color(255, 255, 255), Color(0, 0, 0)) == pytest.approx(21.0)
    assert contrast(Color.parse("#767676"), Color.parse("#FFFFFF")) == pytest.approx(4.54, abs=0.01)


def borders(app) -> tuple[Color, Color, Color]:
    variables = app.get_css_variables()
    background = Color.parse(variables["background"])
    return background, background + Color.parse(variables["pane-border"]), background + Color.parse(variables["pane-border-focus"])


def test_the_default_themes_pane_borders_are_readable():
    app = desk_app()
    background, unfocused, focused = borders(app)
    assert contrast(unfocused, background) >= 3.0
    assert contrast(focused, background) >= 4.5
    assert contrast(focused, background) >= 2 * contrast(unfocused, background)  # focus still obvious


@pytest.mark.parametrize("theme", [name for name in BUILTIN_THEMES if not name.startswith("ansi")])
def test_every_colour_theme_keeps_readable_pane_borders(theme):
    app = desk_app()
    app.theme = theme  # as the rep picks one from the palette (Textual: Change theme)
    background, unfocused, focused = borders(app)
    assert contrast(unfocused, background) >= 3.0, theme
    assert contrast(focused, background) >= 2 * contrast(unfocused, background), theme


async def test_the_desks_panes_are_drawn_in_those_colours(seeded):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        background, unfocused, focused = borders(app)
        screen = app.screen
        queue, history = screen.query_one("#queue-pane"), screen.query_one("#history")
        assert screen.focused is not None and queue in screen.focused.ancestors_with_self
        assert queue.styles.border_top[1] == focused.with_alpha(1.0)
        assert history.styles.border_top[1] == unfocused.with_alpha(1.0)
        assert screen.query_one("#detail").styles.border_top[1] == unfocused.with_alpha(1.0)
        assert contrast(history.styles.border_top[1], background) >= 3.0
