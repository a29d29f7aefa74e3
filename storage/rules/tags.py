"""#words in notes: the market notes a rep wants to find again (#competitor, #price, #feedback)."""

from __future__ import annotations

import re

# a # at the start or after a space/punctuation (not "page#2" or "&#160;"), then letters, digits, _ or -
TAG = re.compile(r"(?<![\w&#])#(\w[\w-]{0,62})")


def tags_in(note: str) -> list[str]:
    """The distinct tags of a note, lowercased, in the order they first appear."""
    seen: dict[str, None] = {}
    for match in TAG.finditer(note or ""):
        seen.setdefault(match.group(1).lower().rstrip("-"), None)
    return list(seen)
