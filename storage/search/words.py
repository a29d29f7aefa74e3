"""What the rep typed, as search sees it: tokens, the FTS5 query, accents and case folded, and
where a word matches in a line. Pure."""

from __future__ import annotations

import re
import unicodedata

from storage.rules.search_words import digits, phone_words  # noqa: F401  (search's words, one home)
from storage.rules.text import SEARCH_FOLDED

MAX_TOKENS = 8  # words the box uses; the rest of a pasted paragraph is ignored
MAX_TOKEN_CHARS = 64
MAX_TEXT = 400


def words_of(text: str) -> list[str]:
    """The words unicode61 would see, folded as it folds them (near enough for display)."""
    return re.findall(r"[^\W_]+", fold(text))


def fold(text: str) -> str:
    """Lowercase without accents, one output character per input character where possible."""
    if text.isascii():  # most names and emails: the same answer, without a call per character
        return text.lower()
    return "".join(fold_char(ch) for ch in text)


def fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def typed_tokens(text: str) -> tuple[list[str], bool]:
    """The typed tokens worth searching for, and whether the last is still being typed."""
    text = (text or "")[:MAX_TEXT]
    typing = bool(text) and not text[-1].isspace()
    tokens = [token[:MAX_TOKEN_CHARS] for token in text.split()]
    kept = [token for token in tokens if any(ch.isalnum() for ch in token)]
    if kept and tokens and kept[-1] is not tokens[-1]:
        typing = False  # the last thing typed was punctuation only: the last word is complete
    return kept[:MAX_TOKENS], typing and len(kept) <= MAX_TOKENS


def fts_query(text: str) -> str | None:
    """An FTS5 query for what the rep typed: every token an FTS5 string (each `"` doubled), all of
    them required, the last one a prefix while it is being typed. None when nothing is searchable.
    Operators, column filters and NEAR typed as text are only words here, never syntax."""
    tokens, typing = typed_tokens(text)
    if not tokens:
        return None
    parts = ['"' + token.replace('"', '""') + '"' for token in tokens]
    if typing:
        parts[-1] += "*"
    return " ".join(parts)


def query_words(text: str) -> list[str]:
    tokens, _ = typed_tokens(text)
    return [word for token in tokens for word in words_of(token)]


_INVISIBLE = re.compile("|".join(re.escape(form) for form in SEARCH_FOLDED))


def find(words: list[str], text: str, before: str = r"(?<![^\W_])") -> tuple[int, int] | None:
    """Where the first query word starts a word of `text` (accents and case aside, and the
    invisible characters the index folds away: "Ro<U+200B>bert" holds "robert")."""
    folded_chars: list[str] = []
    origin: list[int] = []
    hidden = {i for m in _INVISIBLE.finditer(text) for i in range(m.start(), m.end())} if "<U+" in text or not text.isascii() else ()
    for i, ch in enumerate(text):
        if i in hidden:
            continue
        for c in fold_char(ch):
            folded_chars.append(c)
            origin.append(i)
    folded = "".join(folded_chars)
    for word in words:
        match = re.search(before + re.escape(word), folded)
        if match:
            return origin[match.start()], origin[match.end() - 1] + 1
    return None
