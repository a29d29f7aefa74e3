"""storage/text.py: what a person or a file typed, made safe to store and to show (PRODUCT.md §8,
LESSONS.md "Text on the screen"). Pure functions: no book, no clock."""

from __future__ import annotations

import unicodedata

import pytest

from storage.rules.text import SEARCH_FOLDED, clean_line, clean_text, first_line, searchable, typed, visible

C0_EXCEPT_TAB_NEWLINE = [c for c in range(0x00, 0x20) if c not in (0x09, 0x0A)]
C1 = list(range(0x80, 0xA0))
BIDI_CONTROLS = {
    "LRE": 0x202A,
    "RLE": 0x202B,
    "PDF": 0x202C,
    "LRO": 0x202D,
    "RLO": 0x202E,
    "LRI": 0x2066,
    "RLI": 0x2067,
    "FSI": 0x2068,
    "PDI": 0x2069,
    "LRM": 0x200E,
    "RLM": 0x200F,
    "ALM": 0x061C,  # ARABIC LETTER MARK: the third bidi mark, beside LRM and RLM
}
ZERO_WIDTH = {
    "ZWSP": 0x200B,
    "ZWNJ": 0x200C,
    "ZWJ": 0x200D,
    "WJ": 0x2060,  # WORD JOINER, the zero-width no-break space that replaced U+FEFF in that role
    "BOM/ZWNBSP": 0xFEFF,
}

MARKUP = [
    "[bold]x[/bold]",
    "[@click=app.quit]Acme[/]",
    "[link=https://evil.example]click[/link]",
    "[/",
    "[b]x[/i]",
    "$name [red]",
]


def _is_hidden(ch: str) -> bool:
    """A character that reaches a terminal as a control or shows as nothing."""
    return unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n"


# --- visible() --------------------------------------------------------------------------------


def test_visible_turns_escape_into_a_visible_symbol():
    assert visible("a\x1bb") == "a\u241bb"  # ␛


@pytest.mark.parametrize("code", C0_EXCEPT_TAB_NEWLINE, ids=lambda c: f"U+{c:04X}")
def test_visible_turns_every_other_c0_control_into_a_symbol(code):
    shown = visible(f"x{chr(code)}y")
    assert chr(code) not in shown
    assert shown == f"x{chr(0x2400 + code)}y"  # the Unicode control picture


def test_visible_keeps_tab_and_newline_in_multiline_text():
    assert visible("a\tb\nc") == "a\tb\nc"


def test_visible_one_line_shows_tab_and_newline_too():
    assert visible("a\tb\nc", one_line=True) == "a\u2409b\u240ac"


def test_visible_turns_del_into_a_symbol():
    assert visible("a\x7fb") == "a\u2421b"  # ␡


@pytest.mark.parametrize("code", C1, ids=lambda c: f"U+{c:04X}")
def test_visible_turns_every_c1_control_into_its_code_point(code):
    shown = visible(f"x{chr(code)}y")
    assert chr(code) not in shown
    assert shown == f"x<U+{code:04X}>y"


@pytest.mark.parametrize("name", sorted(BIDI_CONTROLS), ids=str)
def test_visible_shows_bidi_overrides_isolates_and_marks(name):
    code = BIDI_CONTROLS[name]
    shown = visible(f"invoice{chr(code)}fdp.exe")
    assert chr(code) not in shown
    assert f"<U+{code:04X}>" in shown


@pytest.mark.parametrize("name", sorted(ZERO_WIDTH), ids=str)
def test_visible_shows_zero_width_characters(name):
    code = ZERO_WIDTH[name]
    shown = visible(f"ad{chr(code)}min")
    assert chr(code) not in shown
    assert f"<U+{code:04X}>" in shown


def test_visible_leaves_no_control_from_real_terminal_attacks():
    attacks = [
        "\x1b]52;c;aGVsbG8=\x07",  # write the clipboard
        "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # hidden link
        "\x1b]0;new title\x07",  # window title
        "\x1b[2J\x1b[H",  # clear the screen
        "\x9b31m",  # 8-bit CSI
        "\x9d0;t\x9c",  # 8-bit OSC … ST
    ]
    for attack in attacks:
        for one_line in (False, True):
            shown = visible(attack, one_line=one_line)
            assert not [ch for ch in shown if unicodedata.category(ch) == "Cc" and ch not in "\t\n"], shown
            assert "\x1b" not in shown and "\x9b" not in shown


def test_visible_leaves_ordinary_text_alone():
    text = "Zoë Ørsted — 東京 · café ☕ · Ünal 12€ <b> & 'quotes' \"double\""
    assert visible(text) == text
    assert visible(text, one_line=True) == text


def test_visible_is_stable_when_applied_twice():
    text = "a\x1b[31mb\x7f\u202ec\x85"
    assert visible(visible(text)) == visible(text)


# --- clean_text() -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("one\r\ntwo", "one\ntwo"),
        ("one\rtwo", "one\ntwo"),
        ("one\r\n\r\ntwo\rthree\nfour", "one\n\ntwo\nthree\nfour"),
    ],
)
def test_clean_text_unifies_line_endings(typed, stored):
    assert clean_text(typed) == stored


def test_clean_text_strips_surrounding_blank_space_but_keeps_inner_lines_and_tabs():
    assert clean_text("  \n\n Called them.\n\n\tPrice sent. \n \r\n") == "Called them.\n\n\tPrice sent."


def test_clean_text_makes_controls_visible():
    cleaned = clean_text("note\x1b]52;c;aGk=\x07 end\x7f\u202e")
    assert cleaned == "note\u241b]52;c;aGk=\u2407 end\u2421<U+202E>"
    assert not any(_is_hidden(ch) for ch in cleaned)


def test_clean_text_of_only_blank_space_is_empty():
    assert clean_text(" \r\n\t \n ") == ""


# --- clean_line() -----------------------------------------------------------------------------


def test_clean_line_collapses_whitespace_and_newlines_into_single_spaces():
    assert clean_line("  Ada \n  Lovelace\t\r\n  Ltd  ") == "Ada Lovelace Ltd"


def test_clean_line_makes_controls_visible():
    cleaned = clean_line("Acme\x1b[31m Corp\x00")
    assert cleaned == "Acme\u241b[31m Corp\u2400"


def test_clean_line_of_blank_space_is_empty():
    assert clean_line(" \n\t ") == ""


# --- typed(): text while it is being typed -------------------------------------------------------

PASTED = "Hi \x1b]52;c;aGk=\x07\x1b[31mPWN\x9b2J\x7f \u202eevil\u2066 Ro\u200bbert [@click=app.quit]x[/] "


@pytest.mark.parametrize("one_line", [False, True])
def test_typed_text_holds_no_control_or_invisible_character(one_line):
    shown = typed(PASTED + "\r\nnext\tline\x85", one_line=one_line)
    assert not [ch for ch in shown if _is_hidden(ch) or ch in "\u202e\u2066\u200b"], shown
    assert "␛]52;c;aGk=␇␛[31mPWN<U+009B>2J␡ <U+202E>evil<U+2066> Ro<U+200B>bert [@click=app.quit]x[/] " in shown
    assert typed(shown, one_line=one_line) == shown  # stable: typing on never changes what is there


def test_typed_text_is_not_trimmed_while_the_rep_types():
    assert typed("  two words  ") == "  two words  "
    assert typed("line one\r\n") == "line one\n"
    assert typed("a\tb\nc") == "a\tb\nc"  # a note keeps its tabs and lines
    assert typed("a\tb\nc", one_line=True) == "a b\u240ac"  # a one-line field: a tab is a space


def test_clean_text_is_typed_text_trimmed():
    assert clean_text(PASTED + "\r\n") == typed(PASTED).strip()


# --- searchable(): what the search index holds ---------------------------------------------------


@pytest.mark.parametrize("ch", sorted({**BIDI_CONTROLS, **ZERO_WIDTH}.values()), ids=lambda c: f"U+{c:04X}")
def test_searchable_folds_every_invisible_character_away_raw_or_shown(ch):
    assert searchable(f"Ro{chr(ch)}bert") == "Robert"
    assert searchable(clean_line(f"Ro{chr(ch)}bert")) == "Robert"
    assert chr(ch) in SEARCH_FOLDED and f"<U+{ch:04X}>" in SEARCH_FOLDED


def test_searchable_leaves_visible_text_and_symbols_alone():
    text = "Zoë Ørsted ␛[31m <b> 東京 U+200B <U+0041> <U+009B>"
    assert searchable(text) == text


def test_searchable_leaves_nothing_behind_and_is_stable():
    nested = "<U+20<U+200B>0B>x\u200b"
    assert searchable(nested) == "x"
    assert searchable(searchable(PASTED)) == searchable(PASTED)


# --- markup stays text ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", MARKUP)
def test_markup_is_left_exactly_as_typed(typed):
    assert clean_line(typed) == typed
    assert clean_text(typed) == typed
    assert visible(typed) == typed
    assert visible(typed, one_line=True) == typed


# --- first_line() -----------------------------------------------------------------------------


def test_first_line_keeps_a_short_note_whole():
    assert first_line("Sent the price list.", 40) == "Sent the price list."


def test_first_line_keeps_a_note_of_exactly_the_width():
    assert first_line("abcde", 5) == "abcde"


def test_first_line_truncates_with_an_ellipsis_to_the_width():
    shortened = first_line("Sent the price list and a brochure.", 12)
    assert shortened == "Sent the pr…"
    assert len(shortened) == 12


def test_first_line_joins_lines_and_collapses_whitespace():
    assert first_line("Called.\n\n  Left   a message.\r\n", 80) == "Called. Left a message."


@pytest.mark.parametrize("width", [1, 2, 3, 10])
def test_first_line_is_never_longer_than_the_width(width):
    assert len(first_line("x" * 50 + "\n" + "y" * 50, width)) <= width
