"""The desk's pane borders, readable on whichever theme is in use (issue 14, point 6).

The panes were bordered in `$primary-muted` unfocused and `$primary` focused. On Textual's default
theme `$primary-muted` is #0C304C on a #121212 background: a contrast of 1.38:1, a border one barely
sees, where WCAG 2.1 (1.4.11, non-text contrast) asks 3:1 for what tells the parts of a screen
apart. The focused `$primary` (4.1:1) was then the only border seen, and the panes ran together.

Two variables of ours, worked out from the theme whenever Textual asks for its variables (a theme
picked from the palette too), so every theme keeps its own hues:
  $pane-border        unfocused: the theme's muted primary, lifted toward the text colour just
                      until it stands 3:1 against the background;
  $pane-border-focus  focused: the theme's primary, lifted toward white (black on a light theme)
                      until it stands well above the unfocused border (twice its contrast, and at
                      least 4.5:1).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.color import Color

PANE_CONTRAST = 3.0  # WCAG 2.1 SC 1.4.11, non-text contrast
FOCUS_CONTRAST = 4.5
FOCUS_OVER = 2.0  # the focused border's contrast, over the unfocused one's
STEP = 0.05  # how far each try moves toward the text colour


def luminance(color: Color) -> float:
    """WCAG 2.1 relative luminance of an opaque colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def contrast(one: Color, other: Color) -> float:
    """WCAG 2.1 contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def lifted(color: Color, toward: Color, background: Color, wanted: float) -> Color:
    """`color`, blended toward `toward` in small steps until it stands `wanted`:1 against the
    background (or is `toward` itself)."""
    factor = 0.0
    result = color
    while contrast(result, background) < wanted and factor < 1.0:
        factor = min(1.0, factor + STEP)
        result = color.blend(toward, factor)
    return result


def pane_borders(variables: Mapping[str, str]) -> dict[str, str]:
    """$pane-border and $pane-border-focus for a theme's variables (Textual's, resolved)."""
    try:
        background = Color.parse(variables["background"]).with_alpha(1.0)
        # each as drawn over the background, where a colour has some transparency
        text, muted, primary = (background + Color.parse(variables[name]) for name in ("foreground", "primary-muted", "primary"))
    except Exception:  # a theme whose colours are ANSI names, or missing: Textual's own choice
        return {"pane-border": variables.get("primary-muted", "grey"), "pane-border-focus": variables.get("primary", "white")}
    unfocused = lifted(muted, text, background, PANE_CONTRAST)
    # toward white on a dark background, black on a light one: a theme's text may itself stand too
    # low for twice the unfocused border (solarized's does)
    extreme = Color(255, 255, 255) if luminance(background) < 0.18 else Color(0, 0, 0)
    focused = lifted(primary, extreme, background, max(FOCUS_CONTRAST, FOCUS_OVER * contrast(unfocused, background)))
    return {"pane-border": unfocused.hex, "pane-border-focus": focused.hex}
