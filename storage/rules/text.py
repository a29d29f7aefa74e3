"""Text that came from a person or a file, made safe to store and to show.

Nothing typed may reach the terminal as a control sequence: control characters are turned
into visible symbols (ESC becomes "␛") when text enters the book, and again when it is shown,
because a book may have been written by something else.
"""

from __future__ import annotations

import re

# bidi overrides and isolates, and zero-width characters: invisible, and able to reorder
# what the rep reads, so they are shown as their code point.
_INVISIBLE = "\u061c\u2060\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def _visible_char(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛, ␀, …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_INVISIBLE}]")
_CONTROL_ONE_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_INVISIBLE}]")


def visible(text: str, *, one_line: bool = False) -> str:
    """Every control or invisible character as a visible symbol; tab and newline kept
    (unless one_line, where they become visible too)."""
    pattern = _CONTROL_ONE_LINE if one_line else _CONTROL
    return pattern.sub(_visible_char, text)


def typed(text: str, *, one_line: bool = False) -> str:
    """Text as it enters a field while the rep types or pastes, before any save: every control
    and invisible character as its visible symbol, nothing trimmed (the rep is still typing).
    Multi-line: line endings unified, tab and newline kept; one line: a tab is a space."""
    if one_line:
        return visible(text.replace("\t", " "), one_line=True)
    return visible(text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_text(text: str) -> str:
    """A multi-line note as it enters the book: line endings unified, controls made visible."""
    return typed(text).strip()


def clean_line(text: str) -> str:
    """A one-line field (name, company…) as it enters the book."""
    return visible(" ".join(text.split()))


def first_line(text: str, width: int) -> str:
    """A note shortened to one line of at most `width` characters, for lists."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(width - 1, 0)] + "…"


# What search folds away: each invisible character, raw (a book written elsewhere) and as
# `visible` shows it ("<U+200B>").
SEARCH_FOLDED: tuple[str, ...] = tuple(form for ch in _INVISIBLE for form in (ch, visible(ch)))
_SEARCH_FOLDED = re.compile("|".join(re.escape(form) for form in SEARCH_FOLDED))


def searchable(text: str) -> str:
    """The text a search index holds for a field or a note: the invisible characters folded away,
    so a word they split stays whole ("Ro<U+200B>bert" is indexed, and found, as "Robert")."""
    if text.isascii() and "<U+" not in text:
        return text  # most text: nothing to fold
    while True:  # until nothing is left to fold: "<U+20<U+200B>0B>" leaves nothing behind either
        folded = _SEARCH_FOLDED.sub("", text)
        if folded == text:
            return text
        text = folded
