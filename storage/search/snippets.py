"""One line to show for a hit: which field or note matched, shortened around the match, as plain
visible text with the match's place for highlighting. Pure."""

from __future__ import annotations

from storage.rules.text import searchable, visible
from storage.search.words import digits, find

SNIPPET_MAX = 120
PROSPECT_COLUMNS = ("name", "company", "email", "phone", "title", "notes")


def shown(text: str) -> str:
    """A line as a hit shows it: plain visible text on one line (where a match is looked for, so
    its place is the place on screen, whatever a book written elsewhere holds)."""
    return visible(text.replace("\t", " "), one_line=True)


def one_line(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    """Shorten a shown line to SNIPPET_MAX around the match."""
    if len(text) <= SNIPPET_MAX:
        return text, span
    start = 0
    if span is not None and span[1] > SNIPPET_MAX - 1:
        start = max(0, min(span[0] - 30, len(text) - (SNIPPET_MAX - 1)))
    prefix = "…" if start else ""
    room = SNIPPET_MAX - len(prefix)
    body = text[start : start + room]
    suffix = ""
    if start + room < len(text):
        body, suffix = body[:-1], "…"
    out = prefix + body + suffix
    if span is not None:
        s, e = span[0] - start + len(prefix), min(span[1] - start + len(prefix), len(prefix) + len(body))
        span = (s, e) if 0 <= s < e else None
    return out, span


def field_hit(words: list[str], **fields: str) -> tuple[str, str, tuple[int, int] | None]:
    """Which of the prospect's fields matched (name first), and that field as the snippet."""
    for column in PROSPECT_COLUMNS:
        value = fields.get(column) or ""
        if column == "notes":  # background notes are shown by their matching line, like a touch's
            value = next((line for line in value.split("\n") if find(words, shown(line))), "")
        value = shown(value)
        span = find(words, value)
        if span is None and column == "phone" and value:
            bare = digits(searchable(value))  # as the index holds it
            if any(word.isdigit() and word in bare for word in words):
                return "phone", *one_line(value, None)
        if span is not None:
            return column, *one_line(value, span)
    name = fields.get("name") or ""
    return "name", *one_line(shown(name), None)


def note_hit(words: list[str], note: str) -> tuple[str, str, tuple[int, int] | None]:
    """The note's line to show: one where a query word is a #tag first, else one where it is a word."""
    lines = [shown(line) for line in (note or "").split("\n")]
    for line in lines:
        span = find(words, line, r"(?<![\w&#])#")
        if span is not None:
            return "tag", *one_line(line, (span[0] + 1, span[1]))
    for line in lines:
        span = find(words, line)
        if span is not None:
            return "note", *one_line(line, span)
    first = next((line for line in lines if line.strip()), "")
    return "note", *one_line(first, None)
