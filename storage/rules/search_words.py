"""What the search index holds for a prospect, and what a word is to an index that is not SQLite's
FTS5 (a PostgreSQL server's: storage.engines.postgres_search). One home for the writers, for the
engines' rebuilds and for the hits' display. Pure."""

from __future__ import annotations

import re
import unicodedata

from storage.rules.text import searchable

# The prospect's indexed fields, in the index's column order, and how much a match in each weighs
# in the ranking (bm25's column weights: a name outweighs the rest).
COLUMNS = ("name", "company", "email", "phone", "title", "notes")
WEIGHTS = (10.0, 5.0, 5.0, 5.0, 2.0, 1.0)


def digits(phone: str) -> str:
    """The phone's digits alone."""
    for ch in " -().+/":
        phone = phone.replace(ch, "")
    return phone


def phone_words(phone: str) -> str:
    """What the index holds for a phone: as typed, its digits, and their last 10 and 7 (so a number
    typed without the country or area code is found as it is typed; engines.sqlite's _PHONE_SQL
    is the same in SQL)."""
    bare = digits(phone)
    return f"{phone} {bare} {bare[-10:]} {bare[-7:]}"


def prospect_fields(name: str | None, company: str | None, email: str | None, phone: str | None,
                    title: str | None, notes: str | None) -> dict[str, str]:
    """The text the index holds for each of a prospect's columns: invisible characters folded away
    (rules.text.searchable), so a word they split is found whole; the phone with its digit runs."""
    fields = {"name": name, "company": company, "email": email, "title": title, "notes": notes}
    out = {column: searchable(value or "") for column, value in fields.items()}
    out["phone"] = phone_words(searchable(phone or ""))
    return {column: out[column] for column in COLUMNS}


# -- words, as SQLite's tokenizer (unicode61, remove_diacritics 2) sees them ----------------------
# Letters and digits make a word, anything else parts words; case is folded as lower() folds it
# (not casefold: "ß" stays "ß", as in FTS5) and a Latin letter's accents are dropped (the combining
# marks of its canonical decomposition; FTS5 keeps a Greek "ά"), a lone combining mark too.

_WORD = re.compile(r"[^\W_]+")


def _fold_char(ch: str) -> str:
    if unicodedata.combining(ch):
        return ""
    decomposed = unicodedata.normalize("NFD", ch)
    if not _latin(decomposed[0]):
        return ch.lower()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _latin(ch: str) -> bool:
    code = ord(ch)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF  # Basic Latin to IPA; Latin Extended Additional


class _Folds(dict):
    """Each character's fold, worked out the first time it is met (str.translate's table)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = chr(code).lower() if code < 128 else _fold_char(chr(code))
        return folded


_FOLDS = _Folds()


def index_fold(text: str) -> str:
    if text.isascii():  # most text: the same answer without a look-up per character
        return text.lower()
    return text.translate(_FOLDS)


def index_words(text: str) -> list[str]:
    """The words of a text as an index holds them (and as a query's token is split into them)."""
    return _WORD.findall(index_fold(text))
